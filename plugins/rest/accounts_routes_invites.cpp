// plugins/rest — org invite and platform invite routes (seed 002 "Org
// Invites", "Platform Invites"; the /svcauth prefix is stripped by the
// core router, so /svcauth/invites/{id} reaches /invites/{id}):
//   POST   /orgs/{id}/invites            {email,role[,group_invites][,redirect_path]} → 201
//   GET    /orgs/{id}/invites            → {"total","offset","limit","invites"}
//   GET    /invites/{id}                 → the invite
//   POST   /invites/{id}/accept          invitee → 201
//   POST   /invites/{id}/decline         invitee → 204
//   DELETE /invites/{id}                 inviter, pending → 204
//   GET    /users/{id}/invites/received  → list
//   GET    /users/{id}/invites/sent      → list
//   POST   /invites                      root admin: {invitee_email[,org_id,role,group_invites]}
//                                        → 201, Location /invites/{id}
//   GET    /invites                      root admin → {"total","offset","limit","invites"}
//   POST   /register/invite/{id}         {email,password} → 201, Location /users/{id}
#include <nlohmann/json.hpp>

#include "accounts_json.h"
#include "accounts_routes.h"

namespace conflux::rest {
namespace {

Status add_org_invites(RestApi& api, Accounts& acc) {
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::post, "/orgs/{id}/invites", Auth::required,
      [&acc](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
        InviteRequest req;
        CONFLUX_ASSIGN_OR_RETURN(req.email, required_string(body, "email"));
        CONFLUX_ASSIGN_OR_RETURN(req.role, required_string(body, "role"));
        CONFLUX_RETURN_IF_ERROR(optional_string(body, "redirect_path"));
        CONFLUX_ASSIGN_OR_RETURN(req.group_invites, group_invites(body));
        CONFLUX_ASSIGN_OR_RETURN(auto invite, acc.create_invite(r.caller(), r.param("id"), req));
        return created("/invites/" + invite.id);
      }));
  CONFLUX_RETURN_IF_ERROR(
      api.add(HttpMethod::get, "/orgs/{id}/invites", Auth::required,
              [&acc](RestRequest& r) -> Result<HttpResponse> {
                CONFLUX_ASSIGN_OR_RETURN(auto params, page_params(r.http));
                CONFLUX_ASSIGN_OR_RETURN(auto page,
                                         acc.list_org_invites(r.caller(), r.param("id"), params));
                return json_response(200, page_json(page, "invites", invite_json));
              }));
  CONFLUX_RETURN_IF_ERROR(api.add(HttpMethod::get, "/invites/{id}", Auth::required,
                                  [&acc](RestRequest& r) -> Result<HttpResponse> {
                                    CONFLUX_ASSIGN_OR_RETURN(
                                        auto invite, acc.view_invite(r.caller(), r.param("id")));
                                    return json_response(200, invite_json(invite));
                                  }));
  CONFLUX_RETURN_IF_ERROR(api.add(HttpMethod::post, "/invites/{id}/accept", Auth::required,
                                  [&acc](RestRequest& r) -> Result<HttpResponse> {
                                    CONFLUX_RETURN_IF_ERROR(
                                        acc.accept_invite(r.caller(), r.param("id")));
                                    return empty(201);
                                  }));
  CONFLUX_RETURN_IF_ERROR(api.add(HttpMethod::post, "/invites/{id}/decline", Auth::required,
                                  [&acc](RestRequest& r) -> Result<HttpResponse> {
                                    CONFLUX_RETURN_IF_ERROR(
                                        acc.decline_invite(r.caller(), r.param("id")));
                                    return empty(204);
                                  }));
  CONFLUX_RETURN_IF_ERROR(api.add(HttpMethod::del, "/invites/{id}", Auth::required,
                                  [&acc](RestRequest& r) -> Result<HttpResponse> {
                                    CONFLUX_RETURN_IF_ERROR(
                                        acc.revoke_invite(r.caller(), r.param("id")));
                                    return empty(204);
                                  }));
  for (bool received : {true, false}) {
    CONFLUX_RETURN_IF_ERROR(api.add(
        HttpMethod::get, received ? "/users/{id}/invites/received" : "/users/{id}/invites/sent",
        Auth::required, [&acc, received](RestRequest& r) -> Result<HttpResponse> {
          CONFLUX_ASSIGN_OR_RETURN(auto params, page_params(r.http));
          CONFLUX_ASSIGN_OR_RETURN(
              auto page, received ? acc.invites_received(r.caller(), r.param("id"), params)
                                  : acc.invites_sent(r.caller(), r.param("id"), params));
          return json_response(200, page_json(page, "invites", invite_json));
        }));
  }
  return ok();
}

Status add_platform_invites(RestApi& api, Accounts& acc) {
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::post, "/invites", Auth::required, [&acc](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
        PlatformInviteRequest req;
        CONFLUX_ASSIGN_OR_RETURN(req.email, required_string(body, "invitee_email"));
        CONFLUX_ASSIGN_OR_RETURN(auto org_id, optional_string(body, "org_id"));
        CONFLUX_ASSIGN_OR_RETURN(auto role, optional_string(body, "role"));
        req.org_id = org_id.value_or("");
        req.role = role.value_or("");
        CONFLUX_RETURN_IF_ERROR(optional_string(body, "redirect_path"));
        CONFLUX_ASSIGN_OR_RETURN(req.group_invites, group_invites(body));
        CONFLUX_ASSIGN_OR_RETURN(auto invite, acc.create_platform_invite(r.caller(), req));
        return created("/invites/" + invite.id);
      }));
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::get, "/invites", Auth::required, [&acc](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto params, page_params(r.http));
        CONFLUX_ASSIGN_OR_RETURN(auto page, acc.list_platform_invites(r.caller(), params));
        return json_response(200, page_json(page, "invites", platform_invite_json));
      }));
  return api.add(HttpMethod::post, "/register/invite/{id}", Auth::none,
                 [&acc](RestRequest& r) -> Result<HttpResponse> {
                   CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
                   CONFLUX_ASSIGN_OR_RETURN(auto email, required_string(body, "email"));
                   CONFLUX_ASSIGN_OR_RETURN(auto password, required_string(body, "password"));
                   CONFLUX_ASSIGN_OR_RETURN(
                       auto user, acc.register_with_invite(r.param("id"), email, password));
                   return created("/users/" + user.id);
                 });
}

}  // namespace

Status add_invite_routes(RestApi& api, Accounts& accounts) {
  CONFLUX_RETURN_IF_ERROR(add_org_invites(api, accounts));
  return add_platform_invites(api, accounts);
}

}  // namespace conflux::rest
