// plugins/http — device ingest: POST /http/messages[/<subtopic...>].
//
// Authorization "Thing <key>" or "External <key>" → ThingDirectory::identify
// (the registry's in-memory cache: no store access); Content-Type
// application/senml+json or application/json (415 otherwise; the thing's
// profile decides how the payload is read); the subtopic comes from the path
// tail, normalized. The request body moves into the message (no copy), the
// pipeline publishes it, and the 202 is sent from the publish callback, after
// the durable commit. Errors: 401 missing/unknown key, 400 malformed subtopic
// or payload (the pipeline's message names the record and field), 409 no
// usable profile config, 503 pipeline full.
//
// Thread-safety: the handler runs on io threads and never blocks.
#include <conflux/message.h>

#include <utility>

#include "adapter.h"
#include "media_type.h"

namespace conflux::http_adapter {
namespace {

constexpr std::string_view kBadCredentials = "missing or invalid credentials provided";

// "Thing <key>" / "External <key>" (scheme case-insensitive).
std::optional<std::pair<KeyKind, std::string_view>> thing_key(std::string_view header) {
  auto space = header.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  std::string_view scheme = header.substr(0, space), key = header.substr(space + 1);
  while (!key.empty() && key.front() == ' ') key.remove_prefix(1);
  while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
  if (key.empty()) return std::nullopt;
  if (iequals(scheme, "Thing")) return std::pair{KeyKind::internal, key};
  if (iequals(scheme, "External")) return std::pair{KeyKind::external, key};
  return std::nullopt;
}

void ingest(Adapter& a, HttpRequest request, HttpReply reply) {
  auto auth = request.header("Authorization");
  auto key = auth ? thing_key(*auth) : std::nullopt;
  if (!key) {
    reply.send(HttpResponse::error(401, kBadCredentials));
    return;
  }
  auto content_type = media_type(request.header("Content-Type").value_or(""));
  if (content_type != "application/senml+json" && content_type != "application/json") {
    reply.send(HttpResponse::error(
        415, "unsupported content type: expected application/senml+json or application/json"));
    return;
  }
  auto thing = a.things->identify(key->first, key->second);
  if (!thing) {
    reply.send(thing.error().code == ErrorCode::unauthenticated
                   ? HttpResponse::error(401, kBadCredentials)
                   : HttpResponse::error(thing.error()));
    return;
  }
  std::string subtopic;
  if (auto tail = request.param("subtopic"); !tail.empty()) {
    auto normalized = normalize_subtopic(tail);
    if (!normalized) {
      reply.send(HttpResponse::error(normalized.error()));
      return;
    }
    subtopic = std::move(*normalized);
  }
  const ThingIdentity& t = **thing;
  PublishRequest publish;
  publish.message.publisher = t.id;
  publish.message.group = t.group_id;
  publish.message.profile = t.profile_id;
  publish.message.protocol = "http";
  publish.message.subtopic = std::move(subtopic);
  publish.message.content_type = std::move(content_type);
  publish.message.payload = std::move(request.body);
  publish.profile = t.profile;
  a.pipeline->publish(std::move(publish), [reply](Result<PublishReceipt> r) {
    reply.send(r ? HttpResponse::empty(202) : HttpResponse::error(r.error()));
  });
}

}  // namespace

Status add_ingest_routes(Adapter& a) {
  auto handler = [&a](HttpRequest request, HttpReply reply) {
    ingest(a, std::move(request), std::move(reply));
  };
  CONFLUX_RETURN_IF_ERROR(a.host.routes().add(HttpMethod::post, "/http/messages", handler));
  return a.host.routes().add(HttpMethod::post, "/http/messages/{subtopic...}", handler);
}

}  // namespace conflux::http_adapter
