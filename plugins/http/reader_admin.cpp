// plugins/http — reader administration:
//   DELETE /reader/{senml|json}[?from&to]             root admin → 204
//   DELETE /reader/{senml|json}/{publisher}[?from&to] delete_messages on the thing → 204
//   GET    /reader/{senml|json}/export?convert=csv|json[&filters]  streamed
//   GET    /reader/backup                              root admin, streamed
//   POST   /reader/restore (application/octet-stream)  root admin, spooled
// Deletes run on the `queries` pool (they wait for their commits); exports,
// backups and restores on the `transfers` pool. Streamed answers go through
// an HttpBodyStream: the store writes chunks as it reads them and blocks
// while the client is slow; a client that leaves ends the export.
// A restore body is spooled to a temporary file by the server (up to
// `restore_limit` bytes) and fed to MessageReader::restore; the answer is
// 200 {"restored": rows}. A malformed backup is answered 400 with the
// store's message (it names the byte offset); the rows before that offset
// were restored, and restoring the same file again adds nothing twice.
//
// Thread-safety: handlers run on io threads and only queue work.
#include <cstdio>
#include <memory>
#include <utility>

#include "adapter.h"
#include "media_type.h"
#include "reader_access.h"
#include "reader_query.h"

namespace conflux::http_adapter {
namespace {

constexpr std::string_view kBusy = "too many transfers in progress; retry later";

void remove_rows(Adapter& a, MessageFormat format, bool by_publisher, HttpRequest request,
                 HttpReply reply) {
  bool queued = a.queries->post([&a, format, by_publisher, request = std::move(request), reply] {
    auto caller = authenticate(*a.access, request);
    if (!caller) return reply.send(HttpResponse::error(caller.error()));
    auto range = parse_time_range(query_string_params(request));
    if (!range) return reply.send(HttpResponse::error(range.error()));
    std::vector<std::string> publishers;
    if (by_publisher) {
      publishers.emplace_back(request.param("publisher"));
      // The root admin may delete the messages of a thing that is gone.
      auto allowed =
          caller->is_thing()
              ? Status(fail(ErrorCode::permission_denied, "things may not delete messages"))
          : authorize_platform(*a.access, *caller)
              ? ok()
              : a.access->authorize(*caller, Action::delete_messages,
                                    Resource::thing(publishers.front()));
      if (!allowed) return reply.send(HttpResponse::error(allowed.error()));
    } else if (auto allowed = authorize_platform(*a.access, *caller); !allowed) {
      return reply.send(HttpResponse::error(allowed.error()));
    }
    auto removed = a.reader->remove(format, publishers, range->from, range->to);
    reply.send(removed ? HttpResponse::empty(204) : HttpResponse::error(removed.error()));
  });
  if (!queued) reply.send(HttpResponse::error(503, "too many reader requests; retry later"));
}

// Streams what `produce` writes into a new pipe as a 200 answer.
void stream_answer(Adapter& a, HttpReply reply, std::string content_type, std::string filename,
                   std::function<Status(const ChunkSink&)> produce) {
  auto stream = std::make_shared<HttpBodyStream>(a.options.stream_buffer);
  auto response = HttpResponse::streamed(200, std::move(content_type), stream);
  response.headers.set("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  reply.send(std::move(response));
  auto done = produce([stream](std::string_view chunk) { return stream->write(chunk); });
  if (done)
    stream->finish();
  else
    stream->fail(done.error().message);
}

void export_rows(Adapter& a, MessageFormat format, HttpRequest request, HttpReply reply) {
  bool queued = a.transfers->post([&a, format, request = std::move(request), reply] {
    auto caller = authenticate(*a.access, request);
    if (!caller) return reply.send(HttpResponse::error(caller.error()));
    auto params = query_string_params(request);
    auto convert = params("convert");
    if (!convert) return reply.send(HttpResponse::error(convert.error()));
    std::string to = convert->value_or("json");
    ExportFormat export_format;
    if (to == "json" || to.empty())
      export_format = ExportFormat::json;
    else if (to == "csv")
      export_format = ExportFormat::csv;
    else
      return reply.send(HttpResponse::error(
          400, "invalid query parameter 'convert': expected csv or json, got \"" + to + "\""));
    auto query = parse_reader_query(format, params);
    if (!query) return reply.send(HttpResponse::error(query.error()));
    if (auto allowed = authorize_read(*a.access, *caller, *query); !allowed)
      return reply.send(HttpResponse::error(allowed.error()));
    bool csv = export_format == ExportFormat::csv;
    stream_answer(
        a, reply, csv ? "text/csv" : "application/json",
        std::string(to_string(format)) + (csv ? ".csv" : ".json"),
        [&](const ChunkSink& sink) { return a.reader->export_rows(*query, export_format, sink); });
  });
  if (!queued) reply.send(HttpResponse::error(503, kBusy));
}

void backup(Adapter& a, HttpRequest request, HttpReply reply) {
  bool queued = a.transfers->post([&a, request = std::move(request), reply] {
    auto caller = authenticate(*a.access, request);
    if (!caller) return reply.send(HttpResponse::error(caller.error()));
    if (auto allowed = authorize_platform(*a.access, *caller); !allowed)
      return reply.send(HttpResponse::error(allowed.error()));
    stream_answer(a, reply, "application/octet-stream", "backup",
                  [&](const ChunkSink& sink) { return a.reader->backup(sink); });
  });
  if (!queued) reply.send(HttpResponse::error(503, kBusy));
}

void restore(Adapter& a, HttpRequest request, HttpReply reply) {
  if (media_type(request.header("Content-Type").value_or("")) != "application/octet-stream") {
    reply.send(
        HttpResponse::error(415, "unsupported content type: expected application/octet-stream"));
    return;
  }
  bool queued = a.transfers->post([&a, request = std::move(request), reply] {
    auto caller = authenticate(*a.access, request);
    if (!caller) return reply.send(HttpResponse::error(caller.error()));
    if (auto allowed = authorize_platform(*a.access, *caller); !allowed)
      return reply.send(HttpResponse::error(allowed.error()));
    std::FILE* file = nullptr;
    std::size_t memory_at = 0;
    if (request.body_file) {
      file = std::fopen(request.body_file->path().c_str(), "rb");
      if (!file) return reply.send(HttpResponse::error(500, "cannot read the uploaded backup"));
    }
    ChunkSource source = [&](std::span<char> buffer) -> Result<std::size_t> {
      if (file) {
        std::size_t n = std::fread(buffer.data(), 1, buffer.size(), file);
        if (n == 0 && std::ferror(file))
          return fail(ErrorCode::internal, "cannot read the uploaded backup");
        return n;
      }
      std::size_t n = std::min(buffer.size(), request.body.size() - memory_at);
      std::copy_n(request.body.data() + memory_at, n, buffer.data());
      memory_at += n;
      return n;
    };
    auto restored = a.reader->restore(source);
    if (file) std::fclose(file);
    if (!restored) {
      if (restored.error().code == ErrorCode::invalid_argument)
        return reply.send(HttpResponse::error(
            400, "malformed backup: " + restored.error().message +
                     " (rows before that point were restored; restoring again skips rows "
                     "already present)"));
      return reply.send(HttpResponse::error(restored.error()));
    }
    reply.send(HttpResponse::json(200, "{\"restored\":" + std::to_string(*restored) + "}"));
  });
  if (!queued) reply.send(HttpResponse::error(503, kBusy));
}

}  // namespace

Status add_reader_admin_routes(Adapter& a) {
  auto& routes = a.host.routes();
  for (auto format : {MessageFormat::senml, MessageFormat::json}) {
    std::string base = "/reader/" + std::string(to_string(format));
    CONFLUX_RETURN_IF_ERROR(
        routes.add(HttpMethod::del, base, [&a, format](HttpRequest request, HttpReply reply) {
          remove_rows(a, format, false, std::move(request), std::move(reply));
        }));
    CONFLUX_RETURN_IF_ERROR(routes.add(
        HttpMethod::del, base + "/{publisher}", [&a, format](HttpRequest request, HttpReply reply) {
          remove_rows(a, format, true, std::move(request), std::move(reply));
        }));
    CONFLUX_RETURN_IF_ERROR(routes.add(
        HttpMethod::get, base + "/export", [&a, format](HttpRequest request, HttpReply reply) {
          export_rows(a, format, std::move(request), std::move(reply));
        }));
  }
  CONFLUX_RETURN_IF_ERROR(
      routes.add(HttpMethod::get, "/reader/backup", [&a](HttpRequest request, HttpReply reply) {
        backup(a, std::move(request), std::move(reply));
      }));
  return routes.add_with_options(
      HttpMethod::post, "/reader/restore",
      HttpRouteOptions{.body_limit = a.options.restore_limit, .spool_to_file = true},
      [&a](HttpRequest request, HttpReply reply) {
        restore(a, std::move(request), std::move(reply));
      });
}

}  // namespace conflux::http_adapter
