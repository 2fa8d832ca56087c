// plugins/http — reading messages: GET /reader/{senml|json} (query string)
// and POST /reader/{senml|json}/search (the same parameters as a JSON body).
// Parsing, authorization and the store query run on the `queries` pool; the
// answer is the Mainflux page (reader_json.h). 503 when the pool is full.
//
// Thread-safety: handlers run on io threads and only queue work.
#include <utility>

#include "adapter.h"
#include "media_type.h"
#include "reader_access.h"
#include "reader_json.h"
#include "reader_query.h"

namespace conflux::http_adapter {
namespace {

HttpResponse run_query(Adapter& a, MessageFormat format, const HttpRequest& request,
                       const ParamLookup& params) {
  auto caller = authenticate(*a.access, request);
  if (!caller) return HttpResponse::error(caller.error());
  auto query = parse_reader_query(format, params);
  if (!query) return HttpResponse::error(query.error());
  if (auto allowed = authorize_read(*a.access, *caller, *query); !allowed)
    return HttpResponse::error(allowed.error());
  auto page = a.reader->query(*query);
  if (!page) return HttpResponse::error(page.error());
  return HttpResponse::json(200, page_json(*query, *page));
}

void list(Adapter& a, MessageFormat format, HttpRequest request, HttpReply reply) {
  bool queued = a.queries->post([&a, format, request = std::move(request), reply] {
    reply.send(run_query(a, format, request, query_string_params(request)));
  });
  if (!queued) reply.send(HttpResponse::error(503, "too many reader requests; retry later"));
}

void search(Adapter& a, MessageFormat format, HttpRequest request, HttpReply reply) {
  if (media_type(request.header("Content-Type").value_or("")) != "application/json") {
    reply.send(HttpResponse::error(415, "unsupported content type: expected application/json"));
    return;
  }
  bool queued = a.queries->post([&a, format, request = std::move(request), reply] {
    auto params = json_body_params(request.body);
    if (!params) {
      reply.send(HttpResponse::error(params.error()));
      return;
    }
    reply.send(run_query(a, format, request, *params));
  });
  if (!queued) reply.send(HttpResponse::error(503, "too many reader requests; retry later"));
}

}  // namespace

Status add_reader_routes(Adapter& a) {
  auto& routes = a.host.routes();
  for (auto format : {MessageFormat::senml, MessageFormat::json}) {
    std::string base = "/reader/" + std::string(to_string(format));
    CONFLUX_RETURN_IF_ERROR(
        routes.add(HttpMethod::get, base, [&a, format](HttpRequest request, HttpReply reply) {
          list(a, format, std::move(request), std::move(reply));
        }));
    CONFLUX_RETURN_IF_ERROR(routes.add(HttpMethod::post, base + "/search",
                                       [&a, format](HttpRequest request, HttpReply reply) {
                                         search(a, format, std::move(request), std::move(reply));
                                       }));
  }
  return ok();
}

}  // namespace conflux::http_adapter
