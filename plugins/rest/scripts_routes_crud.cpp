// plugins/rest — script management routes (MainfluxLabs rules service,
// rules/api/http/scripts):
//   POST   /groups/{id}/scripts  {"scripts":[{name,script,description?,timeout_ms?,
//                                memory_bytes?,policy?}]} editor → 201 {"scripts":[...]}
//   GET    /groups/{id}/scripts  ?offset&limit&name viewer → {"total","offset","limit","scripts"}
//   GET    /scripts/{id}         viewer → the script
//   PUT    /scripts/{id}         {name,script,...} editor → 200 (hot reload)
//   PATCH  /scripts              {"script_ids":[...]} admin → 204
//   DELETE /scripts/{id}         admin → 204
//   GET    /scripts/{id}/runs    ?offset&limit viewer → {"total","offset","limit","runs"}
// A script that does not compile is a 400 naming the line; nothing is stored.
#include <set>
#include <string>
#include <vector>

#include "accounts_json.h"
#include "scripts_routes.h"

namespace conflux::rest {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxScriptsPerRequest = 100;

Result<std::vector<ScriptDraft>> create_drafts(const json& body) {
  if (!body.is_object())
    return fail(ErrorCode::invalid_argument, "request body must be a JSON object");
  auto it = body.find("scripts");
  if (it == body.end() || !it->is_array() || it->empty())
    return fail(ErrorCode::invalid_argument, "field 'scripts' must be a non-empty array");
  if (it->size() > kMaxScriptsPerRequest)
    return fail(ErrorCode::invalid_argument, "field 'scripts' has more than " +
                                                 std::to_string(kMaxScriptsPerRequest) + " items");
  std::vector<ScriptDraft> drafts;
  std::set<std::string> names;
  for (const auto& item : *it) {
    CONFLUX_ASSIGN_OR_RETURN(auto d, script_draft(item));
    if (!names.insert(d.name).second)
      return fail(ErrorCode::already_exists, "script name '" + d.name + "' is given twice");
    drafts.push_back(std::move(d));
  }
  return drafts;
}

// Creates every draft or none: a failure removes the ones already created.
Result<std::vector<ScriptInfo>> create_all(Scripts& scripts, std::string_view group,
                                           const std::vector<ScriptDraft>& drafts) {
  std::vector<ScriptInfo> created;
  for (std::size_t i = 0; i < drafts.size(); ++i) {
    auto s = scripts.create(group, drafts[i]);
    if (!s) {
      for (const auto& c : created) (void)scripts.remove(c.id);
      auto error = s.error();
      if (drafts.size() > 1) error.message = "script '" + drafts[i].name + "': " + error.message;
      return std::unexpected(std::move(error));
    }
    created.push_back(std::move(*s));
  }
  return created;
}

Result<HttpResponse> list_group(RestApi& api, Scripts& scripts, RestRequest& r) {
  CONFLUX_ASSIGN_OR_RETURN(auto page, page_query(r.http));
  CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::view, Resource::group(r.param("id"))));
  json out;
  if (page.name.empty()) {
    CONFLUX_ASSIGN_OR_RETURN(auto found, scripts.list(r.param("id"), page.offset, page.limit));
    json items = json::array();
    for (const auto& s : found.scripts) items.push_back(script_json(s));
    out = json{{"total", found.total},
               {"offset", page.offset},
               {"limit", page.limit},
               {"scripts", std::move(items)}};
  } else {
    CONFLUX_ASSIGN_OR_RETURN(auto all, scripts.list(r.param("id"), 0, SIZE_MAX));
    std::vector<ScriptInfo> matching;
    for (auto& s : all.scripts)
      if (s.name.find(page.name) != std::string::npos) matching.push_back(std::move(s));
    out = slice_json(matching, page, "scripts", script_json);
    out["name"] = page.name;
  }
  return json_response(200, out);
}

Status remove_all(RestApi& api, Scripts& scripts, RestRequest& r,
                  const std::vector<std::string>& ids) {
  // Every id is checked before anything is removed.
  for (const auto& id : ids)
    CONFLUX_RETURN_IF_ERROR(authorized_script(api, scripts, r, id, Action::remove_content));
  for (const auto& id : ids) {
    auto s = scripts.remove(id);
    if (!s && s.error().code != ErrorCode::not_found) return s;
  }
  return ok();
}

}  // namespace

Status add_script_crud_routes(RestApi& api, Scripts& scripts) {
  CONFLUX_RETURN_IF_ERROR(api.add(
      HttpMethod::post, "/groups/{id}/scripts", Auth::required,
      [&api, &scripts](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
        CONFLUX_ASSIGN_OR_RETURN(auto drafts, create_drafts(body));
        CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::create, Resource::group(r.param("id"))));
        CONFLUX_ASSIGN_OR_RETURN(auto created, create_all(scripts, r.param("id"), drafts));
        json items = json::array();
        for (const auto& s : created) items.push_back(script_json(s));
        auto response = json_response(201, json{{"scripts", std::move(items)}});
        response.headers.set("Location", "/scripts/" + created.front().id);
        return response;
      }));
  CONFLUX_RETURN_IF_ERROR(api.add(HttpMethod::get, "/groups/{id}/scripts", Auth::required,
                                  [&api, &scripts](RestRequest& r) -> Result<HttpResponse> {
                                    return list_group(api, scripts, r);
                                  }));
  CONFLUX_RETURN_IF_ERROR(
      api.add(HttpMethod::get, "/scripts/{id}", Auth::required,
              [&api, &scripts](RestRequest& r) -> Result<HttpResponse> {
                CONFLUX_ASSIGN_OR_RETURN(
                    auto s, authorized_script(api, scripts, r, r.param("id"), Action::view));
                return json_response(200, script_json(s));
              }));
  CONFLUX_RETURN_IF_ERROR(api.add(HttpMethod::put, "/scripts/{id}", Auth::required,
                                  [&api, &scripts](RestRequest& r) -> Result<HttpResponse> {
                                    CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
                                    CONFLUX_ASSIGN_OR_RETURN(auto draft, script_draft(body));
                                    CONFLUX_RETURN_IF_ERROR(authorized_script(
                                        api, scripts, r, r.param("id"), Action::update));
                                    CONFLUX_RETURN_IF_ERROR(scripts.update(r.param("id"), draft));
                                    return empty(200);
                                  }));
  CONFLUX_RETURN_IF_ERROR(api.add(HttpMethod::patch, "/scripts", Auth::required,
                                  [&api, &scripts](RestRequest& r) -> Result<HttpResponse> {
                                    CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
                                    CONFLUX_ASSIGN_OR_RETURN(auto ids, script_ids(body));
                                    CONFLUX_RETURN_IF_ERROR(remove_all(api, scripts, r, ids));
                                    return empty(204);
                                  }));
  CONFLUX_RETURN_IF_ERROR(api.add(HttpMethod::del, "/scripts/{id}", Auth::required,
                                  [&api, &scripts](RestRequest& r) -> Result<HttpResponse> {
                                    CONFLUX_RETURN_IF_ERROR(
                                        remove_all(api, scripts, r, {std::string(r.param("id"))}));
                                    return empty(204);
                                  }));
  return api.add(
      HttpMethod::get, "/scripts/{id}/runs", Auth::required,
      [&api, &scripts](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto page, page_query(r.http));
        CONFLUX_RETURN_IF_ERROR(authorized_script(api, scripts, r, r.param("id"), Action::view));
        CONFLUX_ASSIGN_OR_RETURN(auto runs, scripts.script_runs(r.param("id"), kRunLogDepth));
        return json_response(200, slice_json(runs, page, "runs", script_run_json));
      });
}

}  // namespace conflux::rest
