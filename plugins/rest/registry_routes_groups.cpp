// plugins/rest — group and group membership routes (seed 002 "Groups",
// "Group Memberships"):
//   POST   /orgs/{orgId}/groups      {name,description,metadata} → 201, Location /groups/{id}
//   GET    /orgs/{orgId}/groups      → {"total","limit","offset","groups"}
//   GET    /groups                   → the groups the caller may see
//   GET    /groups/{id}              → the group
//   PUT    /groups/{id}              {name,description,metadata} → 200
//   DELETE /groups/{id}              owner → 204 (profiles, things, memberships with it)
//   GET    /things/{id}/groups       → the thing's group
//   GET    /profiles/{id}/groups     → the profile's group
//   POST   /groups/{id}/memberships  {"group_memberships":[{member_id,role}]} → 201 {}
//   PUT    /groups/{id}/memberships  {"group_memberships":[{member_id,role}]} → 200
//   PATCH  /groups/{id}/memberships  {"member_ids":[...]} → 204
//   GET    /groups/{id}/memberships  → {"total","limit","offset","group_memberships"}
#include "accounts_json.h"
#include "registry_json.h"
#include "registry_routes.h"

namespace conflux::rest {
namespace {

using nlohmann::json;

Result<std::vector<GroupMemberRole>> memberships(const json& body) {
  if (!body.is_object())
    return fail(ErrorCode::invalid_argument, "request body must be a JSON object");
  auto it = body.find("group_memberships");
  if (it == body.end() || it->is_null())
    return fail(ErrorCode::invalid_argument, "missing field 'group_memberships'");
  if (!it->is_array() || it->empty())
    return fail(ErrorCode::invalid_argument,
                "field 'group_memberships' must be a non-empty array of objects");
  std::vector<GroupMemberRole> out;
  for (const auto& m : *it) {
    GroupMemberRole r;
    CONFLUX_ASSIGN_OR_RETURN(r.member_id, required_string(m, "member_id"));
    CONFLUX_ASSIGN_OR_RETURN(r.role, required_string(m, "role"));
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<std::string>> member_ids(const json& body) {
  if (!body.is_object())
    return fail(ErrorCode::invalid_argument, "request body must be a JSON object");
  auto it = body.find("member_ids");
  if (it == body.end() || it->is_null())
    return fail(ErrorCode::invalid_argument, "missing field 'member_ids'");
  if (!it->is_array() || it->empty())
    return fail(ErrorCode::invalid_argument, "field 'member_ids' must be a non-empty array");
  std::vector<std::string> out;
  for (const auto& id : *it) {
    if (!id.is_string())
      return fail(ErrorCode::invalid_argument, "field 'member_ids' must be an array of strings");
    out.push_back(id.get<std::string>());
  }
  return out;
}

json groups_page(const Page<Group>& page) { return page_json(page, "groups", group_json); }

Status add_groups(RestApi& api, Registry& reg) {
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::post, "/orgs/{orgId}/groups", Auth::required,
      [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
        CONFLUX_ASSIGN_OR_RETURN(auto in, group_input(body));
        CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::create, Resource::org(r.param("orgId"))));
        CONFLUX_ASSIGN_OR_RETURN(auto g, reg.create_group(r.caller(), r.param("orgId"), in));
        return created("/groups/" + g.id);
      }));
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::get, "/orgs/{orgId}/groups", Auth::required,
      [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto page, page_params(r.http));
        CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::view, Resource::org(r.param("orgId"))));
        CONFLUX_ASSIGN_OR_RETURN(auto groups, reg.list_groups_by_org(r.param("orgId"), page));
        return json_response(200, groups_page(groups));
      }));
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::get, "/groups", Auth::required, [&reg](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto page, page_params(r.http));
        CONFLUX_ASSIGN_OR_RETURN(auto groups, reg.list_groups(r.caller(), page));
        return json_response(200, groups_page(groups));
      }));
  CONFLUX_RETURN_IF_ERROR(api.add(HttpMethod::get, "/groups/{id}", Auth::required,
                                  [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
                                    CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::view,
                                                                  Resource::group(r.param("id"))));
                                    CONFLUX_ASSIGN_OR_RETURN(auto g, reg.view_group(r.param("id")));
                                    return json_response(200, group_json(g));
                                  }));
  CONFLUX_RETURN_IF_ERROR(api.add(HttpMethod::put, "/groups/{id}", Auth::required,
                                  [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
                                    CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
                                    CONFLUX_ASSIGN_OR_RETURN(auto in, group_input(body));
                                    CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::update,
                                                                  Resource::group(r.param("id"))));
                                    CONFLUX_RETURN_IF_ERROR(reg.update_group(r.param("id"), in));
                                    return empty(200);
                                  }));
  CONFLUX_RETURN_IF_ERROR(api.add(HttpMethod::del, "/groups/{id}", Auth::required,
                                  [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
                                    CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::remove,
                                                                  Resource::group(r.param("id"))));
                                    CONFLUX_RETURN_IF_ERROR(reg.remove_group(r.param("id")));
                                    return empty(204);
                                  }));
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::get, "/things/{id}/groups", Auth::required,
      [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::view, Resource::thing(r.param("id"))));
        CONFLUX_ASSIGN_OR_RETURN(auto g, reg.view_group_by_thing(r.param("id")));
        return json_response(200, group_json(g));
      }));
  return api.add(
      HttpMethod::get, "/profiles/{id}/groups", Auth::required,
      [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::view, Resource::profile(r.param("id"))));
        CONFLUX_ASSIGN_OR_RETURN(auto g, reg.view_group_by_profile(r.param("id")));
        return json_response(200, group_json(g));
      });
}

Status add_memberships(RestApi& api, Registry& reg) {
  CONFLUX_RETURN_IF_ERROR(
      api.add(HttpMethod::post, "/groups/{id}/memberships", Auth::required,
              [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
                CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
                CONFLUX_ASSIGN_OR_RETURN(auto members, memberships(body));
                CONFLUX_RETURN_IF_ERROR(
                    allow(api, r, Action::manage_members, Resource::group(r.param("id"))));
                CONFLUX_RETURN_IF_ERROR(reg.add_group_members(r.param("id"), members));
                return json_response(201, json::object());
              }));
  CONFLUX_RETURN_IF_ERROR(
      api.add(HttpMethod::put, "/groups/{id}/memberships", Auth::required,
              [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
                CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
                CONFLUX_ASSIGN_OR_RETURN(auto members, memberships(body));
                CONFLUX_RETURN_IF_ERROR(
                    allow(api, r, Action::manage_members, Resource::group(r.param("id"))));
                CONFLUX_RETURN_IF_ERROR(reg.update_group_members(r.param("id"), members));
                return empty(200);
              }));
  CONFLUX_RETURN_IF_ERROR(
      api.add(HttpMethod::patch, "/groups/{id}/memberships", Auth::required,
              [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
                CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
                CONFLUX_ASSIGN_OR_RETURN(auto ids, member_ids(body));
                CONFLUX_RETURN_IF_ERROR(
                    allow(api, r, Action::manage_members, Resource::group(r.param("id"))));
                CONFLUX_RETURN_IF_ERROR(reg.remove_group_members(r.param("id"), ids));
                return empty(204);
              }));
  return api.add(
      HttpMethod::get, "/groups/{id}/memberships", Auth::required,
      [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto page, page_params(r.http));
        CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::view, Resource::group(r.param("id"))));
        CONFLUX_ASSIGN_OR_RETURN(auto members, reg.list_group_members(r.param("id"), page));
        return json_response(200, page_json(members, "group_memberships", group_member_json));
      });
}

}  // namespace

Status add_group_routes(RestApi& api, Registry& registry) {
  CONFLUX_RETURN_IF_ERROR(add_groups(api, registry));
  return add_memberships(api, registry);
}

}  // namespace conflux::rest
