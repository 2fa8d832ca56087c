// plugins/rest — routes authenticated by thing credentials (seed 002
// "Identify", "View Metadata by Key"):
//   POST /identify  {"key","type":"internal"|"external"} → 200 {"id"}; 404 unknown key
//   GET  /metadata  Authorization: Thing <key> | External <key> → 200 {"metadata":{...}}
// Both answer from the registry's identify cache.
#include <cctype>

#include "registry_json.h"
#include "registry_routes.h"

namespace conflux::rest {
namespace {

using nlohmann::json;

bool scheme_is(std::string_view header, std::string_view scheme) {
  if (header.size() <= scheme.size() || header[scheme.size()] != ' ') return false;
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(header[i])) != scheme[i]) return false;
  return true;
}

}  // namespace

Status add_device_routes(RestApi& api, ThingDirectory& things) {
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::post, "/identify", Auth::none, [&things](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
        CONFLUX_ASSIGN_OR_RETURN(auto key, required_string(body, "key"));
        CONFLUX_ASSIGN_OR_RETURN(auto type, optional_string(body, "type"));
        auto kind = parse_key_kind(type.value_or("internal"));
        if (!kind)
          return fail(ErrorCode::invalid_argument, "field 'type' must be internal or external");
        if (key.empty()) return fail(ErrorCode::invalid_argument, "missing field 'key'");
        auto thing = things.identify(*kind, key);
        if (!thing) return fail(ErrorCode::not_found, "thing not found");
        return json_response(200, json{{"id", (*thing)->id}});
      }));
  return api.add(
      HttpMethod::get, "/metadata", Auth::none, [&things](RestRequest& r) -> Result<HttpResponse> {
        auto header = r.http.header("Authorization").value_or("");
        std::optional<KeyKind> kind;
        std::string_view key;
        if (scheme_is(header, "thing")) {
          kind = KeyKind::internal;
          key = header.substr(6);
        } else if (scheme_is(header, "external")) {
          kind = KeyKind::external;
          key = header.substr(9);
        } else {
          return fail(ErrorCode::unauthenticated,
                      "missing or malformed Authorization: use Thing <key> or External <key>");
        }
        while (!key.empty() && key.front() == ' ') key.remove_prefix(1);
        CONFLUX_ASSIGN_OR_RETURN(auto thing, things.identify(*kind, key));
        auto metadata = json::parse(thing->metadata, nullptr, false);
        if (metadata.is_discarded()) metadata = json::object();
        return json_response(200, json{{"metadata", std::move(metadata)}});
      });
}

}  // namespace conflux::rest
