// plugins/rest — user, token and API key routes (seed 002 "Users" and "API
// Key"):
//   POST /tokens                 {email,password} → 201 {"token"}
//   POST /users                  root admin: {email,password[,metadata]} → 201, Location
//   GET  /users/{id}             self or root admin → {"id","email","metadata","status"}
//   GET  /users                  root admin → {"total","offset","limit","Users","users"}
//   GET  /users/profile          the caller
//   PUT  /users                  {metadata} → 200
//   PATCH /password              {old_password,password} → 201
//   POST /users/{id}/enable|disable  root admin → 204
//   POST /register               self-registration (auth.self_register) → 201, Location
//   POST /keys                   {type:2,duration} → 201 {"id","value","issued_at","expires_at"}
//   GET  /keys/{id}, GET /keys, DELETE /keys/{id} → 204
#include <nlohmann/json.hpp>

#include "accounts_json.h"
#include "accounts_routes.h"

namespace conflux::rest {
namespace {

Status add_token_and_user_routes(RestApi& api, Accounts& acc) {
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::post, "/tokens", Auth::none, [&acc](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
        CONFLUX_ASSIGN_OR_RETURN(auto email, required_string(body, "email"));
        CONFLUX_ASSIGN_OR_RETURN(auto password, required_string(body, "password"));
        CONFLUX_ASSIGN_OR_RETURN(auto token, acc.login(email, password));
        return json_response(201, {{"token", token}});
      }));
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::post, "/users", Auth::required, [&acc](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
        CONFLUX_ASSIGN_OR_RETURN(auto email, required_string(body, "email"));
        CONFLUX_ASSIGN_OR_RETURN(auto password, required_string(body, "password"));
        CONFLUX_ASSIGN_OR_RETURN(auto metadata, optional_object_text(body, "metadata"));
        CONFLUX_ASSIGN_OR_RETURN(auto user, acc.create_user(r.caller(), email, password, metadata));
        return created("/users/" + user.id);
      }));
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::post, "/register", Auth::none, [&acc](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
        CONFLUX_ASSIGN_OR_RETURN(auto email, required_string(body, "email"));
        CONFLUX_ASSIGN_OR_RETURN(auto password, required_string(body, "password"));
        CONFLUX_ASSIGN_OR_RETURN(auto user, acc.register_user(email, password));
        return created("/users/" + user.id);
      }));
  CONFLUX_RETURN_IF_ERROR(api.add(HttpMethod::get, "/users/profile", Auth::required,
                                  [&acc](RestRequest& r) -> Result<HttpResponse> {
                                    CONFLUX_ASSIGN_OR_RETURN(
                                        auto user, acc.view_user(r.caller(), r.caller().id));
                                    return json_response(200, user_json(user));
                                  }));
  CONFLUX_RETURN_IF_ERROR(api.add(HttpMethod::get, "/users/{id}", Auth::required,
                                  [&acc](RestRequest& r) -> Result<HttpResponse> {
                                    CONFLUX_ASSIGN_OR_RETURN(
                                        auto user, acc.view_user(r.caller(), r.param("id")));
                                    return json_response(200, user_json(user));
                                  }));
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::get, "/users", Auth::required, [&acc](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto params, page_params(r.http));
        CONFLUX_ASSIGN_OR_RETURN(auto page, acc.list_users(r.caller(), params));
        auto out = page_json(page, "users", user_json);
        out["Users"] = out["users"];  // the seed's spelling, beside Mainflux's
        return json_response(200, out);
      }));
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::put, "/users", Auth::required, [&acc](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
        if (!body.is_object() || !body.contains("metadata"))
          return fail(ErrorCode::invalid_argument, "missing field 'metadata'");
        CONFLUX_ASSIGN_OR_RETURN(auto metadata, optional_object_text(body, "metadata"));
        CONFLUX_RETURN_IF_ERROR(acc.update_user(r.caller(), metadata));
        return empty(200);
      }));
  CONFLUX_RETURN_IF_ERROR(
      api.add(HttpMethod::patch, "/password", Auth::required,
              [&acc](RestRequest& r) -> Result<HttpResponse> {
                CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
                CONFLUX_ASSIGN_OR_RETURN(auto old_password, required_string(body, "old_password"));
                CONFLUX_ASSIGN_OR_RETURN(auto password, required_string(body, "password"));
                CONFLUX_RETURN_IF_ERROR(acc.change_password(r.caller(), old_password, password));
                return empty(201);
              }));
  for (bool enable : {true, false}) {
    CONFLUX_RETURN_IF_ERROR(
        api.add(HttpMethod::post, enable ? "/users/{id}/enable" : "/users/{id}/disable",
                Auth::required, [&acc, enable](RestRequest& r) -> Result<HttpResponse> {
                  CONFLUX_RETURN_IF_ERROR(acc.set_user_enabled(r.caller(), r.param("id"), enable));
                  return empty(204);
                }));
  }
  return ok();
}

Status add_key_routes(RestApi& api, Accounts& acc) {
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::post, "/keys", Auth::required, [&acc](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
        CONFLUX_ASSIGN_OR_RETURN(auto type, required_int(body, "type"));
        CONFLUX_ASSIGN_OR_RETURN(auto duration, required_int(body, "duration"));
        if (type < 0 || type > 1000)
          return fail(ErrorCode::invalid_argument,
                      "invalid type: only API keys (type 2) can be issued");
        CONFLUX_ASSIGN_OR_RETURN(auto key,
                                 acc.issue_key(r.caller(), static_cast<int>(type), duration));
        nlohmann::json out{
            {"id", key.id}, {"value", key.value}, {"issued_at", rfc3339(key.issued_at)}};
        if (key.expires_at != 0) out["expires_at"] = rfc3339(key.expires_at);
        auto response = json_response(201, out);
        response.headers.set("Location", "/keys/" + key.id);
        return response;
      }));
  CONFLUX_RETURN_IF_ERROR(api.add(HttpMethod::get, "/keys/{id}", Auth::required,
                                  [&acc](RestRequest& r) -> Result<HttpResponse> {
                                    CONFLUX_ASSIGN_OR_RETURN(
                                        auto key, acc.view_key(r.caller(), r.param("id")));
                                    return json_response(200, key_json(key));
                                  }));
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::get, "/keys", Auth::required, [&acc](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto params, page_params(r.http));
        CONFLUX_ASSIGN_OR_RETURN(auto page, acc.list_keys(r.caller(), params));
        return json_response(200, page_json(page, "keys", key_json));
      }));
  return api.add(HttpMethod::del, "/keys/{id}", Auth::required,
                 [&acc](RestRequest& r) -> Result<HttpResponse> {
                   CONFLUX_RETURN_IF_ERROR(acc.revoke_key(r.caller(), r.param("id")));
                   return empty(204);
                 });
}

}  // namespace

Status add_user_routes(RestApi& api, Accounts& accounts) {
  CONFLUX_RETURN_IF_ERROR(add_token_and_user_routes(api, accounts));
  return add_key_routes(api, accounts);
}

}  // namespace conflux::rest
