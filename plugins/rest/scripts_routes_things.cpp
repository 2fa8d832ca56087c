// plugins/rest — scripts and things (MainfluxLabs rules service,
// rules/api/http/scripts):
//   POST  /things/{id}/scripts  {"script_ids":[...]} editor → 200 (scripts of the thing's group)
//   PATCH /things/{id}/scripts  {"script_ids":[...]} editor → 200
//   GET   /things/{id}/scripts  ?offset&limit viewer → {"total","offset","limit","scripts"}
//   GET   /scripts/{id}/things  viewer → {"thing_ids":[...]}
//   GET   /things/{id}/runs     ?offset&limit viewer → {"total","offset","limit","runs"}
// The scripts service does not check groups: assigning checks here that
// every script belongs to the thing's group (ThingDirectory).
#include <string>
#include <vector>

#include "accounts_json.h"
#include "scripts_routes.h"

namespace conflux::rest {
namespace {

using nlohmann::json;

// The caller may do `action` on the thing; its group comes back.
Result<std::string> thing_group(RestApi& api, ThingDirectory& things, const RestRequest& r,
                                Action action) {
  CONFLUX_RETURN_IF_ERROR(allow(api, r, action, Resource::thing(r.param("id"))));
  CONFLUX_ASSIGN_OR_RETURN(auto thing, things.thing(r.param("id")));
  return thing->group_id;
}

// Every id names a script of `group` (404 unknown, 400 of another group).
Status scripts_of_group(Scripts& scripts, const std::vector<std::string>& ids,
                        std::string_view group, std::string_view thing_id) {
  for (const auto& id : ids) {
    CONFLUX_ASSIGN_OR_RETURN(auto s, scripts.get(id));
    if (s.group_id != group)
      return fail(ErrorCode::invalid_argument, "script '" + id +
                                                   "' does not belong to the group of thing '" +
                                                   std::string(thing_id) + "'");
  }
  return ok();
}

Result<HttpResponse> change_bindings(RestApi& api, Scripts& scripts, ThingDirectory& things,
                                     RestRequest& r, bool assign) {
  CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
  CONFLUX_ASSIGN_OR_RETURN(auto ids, script_ids(body));
  CONFLUX_ASSIGN_OR_RETURN(auto group, thing_group(api, things, r, Action::update));
  CONFLUX_RETURN_IF_ERROR(scripts_of_group(scripts, ids, group, r.param("id")));
  if (assign)
    CONFLUX_RETURN_IF_ERROR(scripts.assign(ScriptTarget::thing, r.param("id"), ids));
  else
    CONFLUX_RETURN_IF_ERROR(scripts.unassign(ScriptTarget::thing, r.param("id"), ids));
  return empty(200);
}

}  // namespace

Status add_script_thing_routes(RestApi& api, Scripts& scripts, ThingDirectory& things) {
  CONFLUX_RETURN_IF_ERROR(
      api.add(HttpMethod::post, "/things/{id}/scripts", Auth::required,
              [&api, &scripts, &things](RestRequest& r) -> Result<HttpResponse> {
                return change_bindings(api, scripts, things, r, true);
              }));
  CONFLUX_RETURN_IF_ERROR(
      api.add(HttpMethod::patch, "/things/{id}/scripts", Auth::required,
              [&api, &scripts, &things](RestRequest& r) -> Result<HttpResponse> {
                return change_bindings(api, scripts, things, r, false);
              }));
  CONFLUX_RETURN_IF_ERROR(
      api.add(HttpMethod::get, "/things/{id}/scripts", Auth::required,
              [&api, &scripts, &things](RestRequest& r) -> Result<HttpResponse> {
                CONFLUX_ASSIGN_OR_RETURN(auto page, page_query(r.http));
                CONFLUX_RETURN_IF_ERROR(thing_group(api, things, r, Action::view));
                CONFLUX_ASSIGN_OR_RETURN(auto attached,
                                         scripts.attached(ScriptTarget::thing, r.param("id")));
                return json_response(200, slice_json(attached, page, "scripts", script_json));
              }));
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::get, "/scripts/{id}/things", Auth::required,
      [&api, &scripts](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_RETURN_IF_ERROR(authorized_script(api, scripts, r, r.param("id"), Action::view));
        CONFLUX_ASSIGN_OR_RETURN(auto ids, scripts.targets(r.param("id"), ScriptTarget::thing));
        return json_response(200, json{{"thing_ids", ids}});
      }));
  return api.add(HttpMethod::get, "/things/{id}/runs", Auth::required,
                 [&api, &scripts, &things](RestRequest& r) -> Result<HttpResponse> {
                   CONFLUX_ASSIGN_OR_RETURN(auto page, page_query(r.http));
                   CONFLUX_RETURN_IF_ERROR(thing_group(api, things, r, Action::view));
                   CONFLUX_ASSIGN_OR_RETURN(auto runs,
                                            scripts.thing_runs(r.param("id"), kRunLogDepth));
                   return json_response(200, slice_json(runs, page, "runs", script_run_json));
                 });
}

}  // namespace conflux::rest
