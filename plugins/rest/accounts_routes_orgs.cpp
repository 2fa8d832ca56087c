// plugins/rest — org and org membership routes (seed 002 "Orgs", "Org
// Memberships"):
//   POST   /orgs                       {name,description,metadata} → 201, Location
//   GET    /orgs/{id}                  → the org
//   PUT    /orgs/{id}                  {name,description,metadata} → 200
//   DELETE /orgs/{id}                  owner → 204
//   GET    /orgs                       → {"limit","offset","total","orgs"}
//   POST   /orgs/{id}/memberships      {"org_memberships":[{email,role}]} → 200
//   PUT    /orgs/{id}/memberships      {"org_memberships":[{email,role}]} → 200
//   PATCH  /orgs/{id}/memberships      {"member_ids":[...]} → 204
//   GET    /orgs/{id}/members/{mid}    → {"member_id","email","role"}
//   GET    /orgs/{id}/memberships      → {"limit","offset","total","org_memberships"}
#include <nlohmann/json.hpp>

#include "accounts_json.h"
#include "accounts_routes.h"

namespace conflux::rest {
namespace {

struct OrgFields {
  std::string name;
  std::string description;
  std::string metadata;
};

Result<OrgFields> org_fields(const nlohmann::json& body) {
  OrgFields f;
  CONFLUX_ASSIGN_OR_RETURN(f.name, required_string(body, "name"));
  CONFLUX_ASSIGN_OR_RETURN(auto description, optional_string(body, "description"));
  f.description = description.value_or("");
  CONFLUX_ASSIGN_OR_RETURN(f.metadata, optional_object_text(body, "metadata"));
  return f;
}

Result<std::vector<std::string>> member_ids(const nlohmann::json& body) {
  if (!body.is_object())
    return fail(ErrorCode::invalid_argument, "request body must be a JSON object");
  auto it = body.find("member_ids");
  if (it == body.end() || it->is_null())
    return fail(ErrorCode::invalid_argument, "missing field 'member_ids'");
  if (!it->is_array())
    return fail(ErrorCode::invalid_argument, "field 'member_ids' must be an array of strings");
  std::vector<std::string> out;
  for (const auto& id : *it) {
    if (!id.is_string())
      return fail(ErrorCode::invalid_argument, "field 'member_ids' must be an array of strings");
    out.push_back(id.get<std::string>());
  }
  return out;
}

Status add_orgs(RestApi& api, Accounts& acc) {
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::post, "/orgs", Auth::required, [&acc](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
        CONFLUX_ASSIGN_OR_RETURN(auto f, org_fields(body));
        CONFLUX_ASSIGN_OR_RETURN(auto org,
                                 acc.create_org(r.caller(), f.name, f.description, f.metadata));
        return created("/orgs/" + org.id);
      }));
  CONFLUX_RETURN_IF_ERROR(api.add(HttpMethod::get, "/orgs/{id}", Auth::required,
                                  [&acc](RestRequest& r) -> Result<HttpResponse> {
                                    CONFLUX_ASSIGN_OR_RETURN(
                                        auto org, acc.view_org(r.caller(), r.param("id")));
                                    return json_response(200, org_json(org));
                                  }));
  CONFLUX_RETURN_IF_ERROR(
      api.add(HttpMethod::put, "/orgs/{id}", Auth::required,
              [&acc](RestRequest& r) -> Result<HttpResponse> {
                CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
                CONFLUX_ASSIGN_OR_RETURN(auto f, org_fields(body));
                CONFLUX_RETURN_IF_ERROR(
                    acc.update_org(r.caller(), r.param("id"), f.name, f.description, f.metadata));
                return empty(200);
              }));
  CONFLUX_RETURN_IF_ERROR(api.add(HttpMethod::del, "/orgs/{id}", Auth::required,
                                  [&acc](RestRequest& r) -> Result<HttpResponse> {
                                    CONFLUX_RETURN_IF_ERROR(
                                        acc.remove_org(r.caller(), r.param("id")));
                                    return empty(204);
                                  }));
  return api.add(HttpMethod::get, "/orgs", Auth::required,
                 [&acc](RestRequest& r) -> Result<HttpResponse> {
                   CONFLUX_ASSIGN_OR_RETURN(auto params, page_params(r.http));
                   CONFLUX_ASSIGN_OR_RETURN(auto page, acc.list_orgs(r.caller(), params));
                   return json_response(200, page_json(page, "orgs", org_json));
                 });
}

Status add_memberships(RestApi& api, Accounts& acc) {
  CONFLUX_RETURN_IF_ERROR(
      api.add(HttpMethod::post, "/orgs/{id}/memberships", Auth::required,
              [&acc](RestRequest& r) -> Result<HttpResponse> {
                CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
                CONFLUX_ASSIGN_OR_RETURN(auto members, member_roles(body, "org_memberships"));
                CONFLUX_RETURN_IF_ERROR(acc.add_members(r.caller(), r.param("id"), members));
                return empty(200);
              }));
  CONFLUX_RETURN_IF_ERROR(
      api.add(HttpMethod::put, "/orgs/{id}/memberships", Auth::required,
              [&acc](RestRequest& r) -> Result<HttpResponse> {
                CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
                CONFLUX_ASSIGN_OR_RETURN(auto members, member_roles(body, "org_memberships"));
                CONFLUX_RETURN_IF_ERROR(acc.update_members(r.caller(), r.param("id"), members));
                return empty(200);
              }));
  CONFLUX_RETURN_IF_ERROR(api.add(HttpMethod::patch, "/orgs/{id}/memberships", Auth::required,
                                  [&acc](RestRequest& r) -> Result<HttpResponse> {
                                    CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
                                    CONFLUX_ASSIGN_OR_RETURN(auto ids, member_ids(body));
                                    CONFLUX_RETURN_IF_ERROR(
                                        acc.remove_members(r.caller(), r.param("id"), ids));
                                    return empty(204);
                                  }));
  CONFLUX_RETURN_IF_ERROR(
      api.add(HttpMethod::get, "/orgs/{id}/members/{member_id}", Auth::required,
              [&acc](RestRequest& r) -> Result<HttpResponse> {
                CONFLUX_ASSIGN_OR_RETURN(
                    auto member, acc.view_member(r.caller(), r.param("id"), r.param("member_id")));
                return json_response(200, member_json(member));
              }));
  return api.add(HttpMethod::get, "/orgs/{id}/memberships", Auth::required,
                 [&acc](RestRequest& r) -> Result<HttpResponse> {
                   CONFLUX_ASSIGN_OR_RETURN(auto params, page_params(r.http));
                   CONFLUX_ASSIGN_OR_RETURN(auto page,
                                            acc.list_members(r.caller(), r.param("id"), params));
                   return json_response(200, page_json(page, "org_memberships", member_json));
                 });
}

}  // namespace

Status add_org_routes(RestApi& api, Accounts& accounts) {
  CONFLUX_RETURN_IF_ERROR(add_orgs(api, accounts));
  return add_memberships(api, accounts);
}

}  // namespace conflux::rest
