// plugins/rest — profile routes (seed 002 "Profiles"):
//   POST   /groups/{id}/profiles          [{id?,name,metadata,config}, ...] → 201
//   {"profiles":[...]} GET    /profiles/{id}                 → the profile GET
//   /things/{id}/profiles          → the thing's profile GET    /profiles                      →
//   the profiles the caller may see GET    /groups/{id}/profiles          →
//   {"total","offset","limit","profiles"} GET    /orgs/{orgId}/profiles         →
//   {"total","offset","limit","profiles"} PUT    /profiles/{id} {name,metadata,config} → 200 DELETE
//   /profiles/{id}                 admin → 204 (409 while things use it) POST   /profiles/search
//   {name,metadata,limit,offset} → a page POST   /groups/{id}/profiles/search
//   {name,metadata,limit,offset} → a page POST   /orgs/{orgId}/profiles/search
//   {name,metadata,limit,offset} → a page
#include "accounts_json.h"
#include "registry_json.h"
#include "registry_routes.h"

namespace conflux::rest {
namespace {

using nlohmann::json;

json profiles_page(const Page<Profile>& page) { return page_json(page, "profiles", profile_json); }

Status add_profile_views(RestApi& api, Registry& reg) {
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::post, "/groups/{id}/profiles", Auth::required,
      [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
        CONFLUX_ASSIGN_OR_RETURN(const json* items, json_array(body));
        std::vector<ProfileInput> inputs;
        for (const auto& item : *items) {
          CONFLUX_ASSIGN_OR_RETURN(auto in, profile_input(item, true));
          inputs.push_back(std::move(in));
        }
        CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::create, Resource::group(r.param("id"))));
        CONFLUX_ASSIGN_OR_RETURN(auto profiles, reg.create_profiles(r.param("id"), inputs));
        json out = json::array();
        for (const auto& p : profiles) out.push_back(profile_json(p));
        auto response = json_response(201, json{{"profiles", std::move(out)}});
        response.headers.set("Location", "/profiles/" + profiles.front().id);
        return response;
      }));
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::get, "/profiles/{id}", Auth::required,
      [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::view, Resource::profile(r.param("id"))));
        CONFLUX_ASSIGN_OR_RETURN(auto p, reg.view_profile(r.param("id")));
        return json_response(200, profile_json(p));
      }));
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::get, "/things/{id}/profiles", Auth::required,
      [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::view, Resource::thing(r.param("id"))));
        CONFLUX_ASSIGN_OR_RETURN(auto p, reg.view_profile_by_thing(r.param("id")));
        return json_response(200, profile_json(p));
      }));
  CONFLUX_RETURN_IF_ERROR(api.add(HttpMethod::put, "/profiles/{id}", Auth::required,
                                  [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
                                    CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
                                    CONFLUX_ASSIGN_OR_RETURN(auto in, profile_input(body, false));
                                    CONFLUX_RETURN_IF_ERROR(allow(
                                        api, r, Action::update, Resource::profile(r.param("id"))));
                                    CONFLUX_RETURN_IF_ERROR(reg.update_profile(r.param("id"), in));
                                    return empty(200);
                                  }));
  return api.add(
      HttpMethod::del, "/profiles/{id}", Auth::required,
      [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::remove, Resource::profile(r.param("id"))));
        CONFLUX_RETURN_IF_ERROR(reg.remove_profile(r.param("id")));
        return empty(204);
      });
}

}  // namespace

Status add_profile_routes(RestApi& api, Registry& reg) {
  CONFLUX_RETURN_IF_ERROR(add_profile_views(api, reg));
  CONFLUX_RETURN_IF_ERROR(add_listing(
      api, "/profiles", [](RestApi&, RestRequest&) -> Status { return ok(); },
      [&reg](RestRequest& r, const PageParams& p) { return reg.list_profiles(r.caller(), p); },
      profiles_page));
  CONFLUX_RETURN_IF_ERROR(add_listing(
      api, "/groups/{id}/profiles",
      [](RestApi& a, RestRequest& r) {
        return allow(a, r, Action::view, Resource::group(r.param("id")));
      },
      [&reg](RestRequest& r, const PageParams& p) {
        return reg.list_profiles_by_group(r.param("id"), p);
      },
      profiles_page));
  return add_listing(
      api, "/orgs/{orgId}/profiles",
      [](RestApi& a, RestRequest& r) {
        return allow(a, r, Action::view, Resource::org(r.param("orgId")));
      },
      [&reg](RestRequest& r, const PageParams& p) {
        return reg.list_profiles_by_org(r.param("orgId"), p);
      },
      profiles_page);
}

}  // namespace conflux::rest
