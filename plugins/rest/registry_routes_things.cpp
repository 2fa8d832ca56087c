// plugins/rest — thing routes (seed 002 "Things"):
//   POST   /profiles/{id}/things           [{id?,name,type,key?,external_key?,metadata}, ...]
//                                          → 201 {"things":[...]}
//   GET    /things/{id}                    → the thing
//   GET    /things                         → the things the caller may see
//   GET    /groups/{id}/things             → {"total","offset","limit","things"}
//   GET    /profiles/{id}/things           → {"total","offset","limit","things"}
//   GET    /orgs/{orgId}/things            → {"total","offset","limit","things"}
//   PUT    /things/{id}                    {name,key,type,metadata} → 200
//   PATCH  /things/{id}                    {profile_id,group_id} → 200 (move)
//   PUT    /things                         [{id,metadata}, ...] → 200
//   DELETE /things/{id}                    admin → 204
//   PATCH  /things/{id}/external-key       {key} → 200
//   DELETE /things/{id}/external-key       → 204
//   POST   /things/search, /profiles/{id}/things/search, /groups/{id}/things/search,
//          /orgs/{orgId}/things/search     {name,metadata,limit,offset} → a page
#include "accounts_json.h"
#include "registry_json.h"
#include "registry_routes.h"

namespace conflux::rest {
namespace {

using nlohmann::json;

json things_page(const Page<Thing>& page) { return page_json(page, "things", thing_json); }

Status add_thing_writes(RestApi& api, Registry& reg) {
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::post, "/profiles/{id}/things", Auth::required,
      [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
        CONFLUX_ASSIGN_OR_RETURN(const json* items, json_array(body));
        std::vector<ThingInput> inputs;
        for (const auto& item : *items) {
          CONFLUX_ASSIGN_OR_RETURN(auto in, thing_input(item));
          inputs.push_back(std::move(in));
        }
        CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::create, Resource::profile(r.param("id"))));
        CONFLUX_ASSIGN_OR_RETURN(auto things, reg.create_things(r.param("id"), inputs));
        json out = json::array();
        for (const auto& t : things) out.push_back(thing_json(t));
        auto response = json_response(201, json{{"things", std::move(out)}});
        response.headers.set("Location", "/things/" + things.front().id);
        return response;
      }));
  CONFLUX_RETURN_IF_ERROR(api.add(HttpMethod::get, "/things/{id}", Auth::required,
                                  [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
                                    CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::view,
                                                                  Resource::thing(r.param("id"))));
                                    CONFLUX_ASSIGN_OR_RETURN(auto t, reg.view_thing(r.param("id")));
                                    return json_response(200, thing_json(t));
                                  }));
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::put, "/things/{id}", Auth::required,
      [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
        ThingInput in;
        CONFLUX_ASSIGN_OR_RETURN(in.name, required_string(body, "name"));
        CONFLUX_ASSIGN_OR_RETURN(in.key, required_string(body, "key"));
        CONFLUX_ASSIGN_OR_RETURN(in.type, required_string(body, "type"));
        CONFLUX_ASSIGN_OR_RETURN(in.metadata, optional_object_text(body, "metadata"));
        CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::update, Resource::thing(r.param("id"))));
        CONFLUX_RETURN_IF_ERROR(reg.update_thing(r.param("id"), in));
        return empty(200);
      }));
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::patch, "/things/{id}", Auth::required,
      [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
        CONFLUX_ASSIGN_OR_RETURN(auto profile_id, required_string(body, "profile_id"));
        CONFLUX_ASSIGN_OR_RETURN(auto group_id, required_string(body, "group_id"));
        CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::update, Resource::thing(r.param("id"))));
        CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::create, Resource::group(group_id)));
        CONFLUX_RETURN_IF_ERROR(reg.move_thing(r.param("id"), group_id, profile_id));
        return empty(200);
      }));
  CONFLUX_RETURN_IF_ERROR(
      api.add(HttpMethod::put, "/things", Auth::required,
              [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
                CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
                CONFLUX_ASSIGN_OR_RETURN(const json* items, json_array(body));
                std::vector<ThingMetadata> updates;
                for (const auto& item : *items) {
                  ThingMetadata u;
                  CONFLUX_ASSIGN_OR_RETURN(u.id, required_string(item, "id"));
                  auto it = item.find("metadata");
                  if (it == item.end() || !it->is_object())
                    return fail(ErrorCode::invalid_argument, "field 'metadata' must be an object");
                  u.metadata = it->dump();
                  updates.push_back(std::move(u));
                }
                for (const auto& u : updates)
                  CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::update, Resource::thing(u.id)));
                CONFLUX_RETURN_IF_ERROR(reg.update_things_metadata(updates));
                return empty(200);
              }));
  CONFLUX_RETURN_IF_ERROR(api.add(HttpMethod::del, "/things/{id}", Auth::required,
                                  [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
                                    CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::remove,
                                                                  Resource::thing(r.param("id"))));
                                    CONFLUX_RETURN_IF_ERROR(reg.remove_thing(r.param("id")));
                                    return empty(204);
                                  }));
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::patch, "/things/{id}/external-key", Auth::required,
      [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
        CONFLUX_ASSIGN_OR_RETURN(auto key, required_string(body, "key"));
        CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::update, Resource::thing(r.param("id"))));
        CONFLUX_RETURN_IF_ERROR(reg.set_external_key(r.param("id"), key));
        return empty(200);
      }));
  return api.add(
      HttpMethod::del, "/things/{id}/external-key", Auth::required,
      [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::update, Resource::thing(r.param("id"))));
        CONFLUX_RETURN_IF_ERROR(reg.remove_external_key(r.param("id")));
        return empty(204);
      });
}

}  // namespace

Status add_thing_routes(RestApi& api, Registry& reg) {
  CONFLUX_RETURN_IF_ERROR(add_thing_writes(api, reg));
  CONFLUX_RETURN_IF_ERROR(add_listing(
      api, "/things", [](RestApi&, RestRequest&) -> Status { return ok(); },
      [&reg](RestRequest& r, const PageParams& p) { return reg.list_things(r.caller(), p); },
      things_page));
  CONFLUX_RETURN_IF_ERROR(add_listing(
      api, "/groups/{id}/things",
      [](RestApi& a, RestRequest& r) {
        return allow(a, r, Action::view, Resource::group(r.param("id")));
      },
      [&reg](RestRequest& r, const PageParams& p) {
        return reg.list_things_by_group(r.param("id"), p);
      },
      things_page));
  CONFLUX_RETURN_IF_ERROR(add_listing(
      api, "/profiles/{id}/things",
      [](RestApi& a, RestRequest& r) {
        return allow(a, r, Action::view, Resource::profile(r.param("id")));
      },
      [&reg](RestRequest& r, const PageParams& p) {
        return reg.list_things_by_profile(r.param("id"), p);
      },
      things_page));
  return add_listing(
      api, "/orgs/{orgId}/things",
      [](RestApi& a, RestRequest& r) {
        return allow(a, r, Action::view, Resource::org(r.param("orgId")));
      },
      [&reg](RestRequest& r, const PageParams& p) {
        return reg.list_things_by_org(r.param("orgId"), p);
      },
      things_page);
}

}  // namespace conflux::rest
