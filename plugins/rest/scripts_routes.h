// plugins/rest — the scripts routes (the MainfluxLabs rules-service script
// API) over conflux::Scripts, one file per part; add_script_routes
// (scripts_routes.cpp, declared in routes.h) registers them all:
//   scripts_routes_crud.cpp    POST/GET /groups/{id}/scripts, GET/PUT/DELETE /scripts/{id},
//                              PATCH /scripts, GET /scripts/{id}/runs
//   scripts_routes_things.cpp  POST/PATCH/GET /things/{id}/scripts, GET /scripts/{id}/things,
//                              GET /things/{id}/runs
// Paths, bodies and codes are in docs/api.md ("Scripts"). Every route
// authorizes through RestApi::access(): a script's group decides (view for
// reads, create/update for writes, remove_content for deletes), the thing
// decides for its bindings and run log.
//
// This header also holds the JSON shapes and request readers those files
// share. Thread-safety: registration at start-up; handlers run on the
// RestApi pool; the helpers are pure functions.
#pragma once

#include <conflux/scripts.h>
#include <conflux/status.h>
#include <conflux/things.h>

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rest_support.h"

namespace conflux::rest {

// The most runs a run-log listing reads (the logs keep fewer).
inline constexpr std::size_t kRunLogDepth = 1000;

Status add_script_crud_routes(RestApi& api, Scripts& scripts);
Status add_script_thing_routes(RestApi& api, Scripts& scripts, ThingDirectory& things);

// {"id","group_id","name","description","script","timeout_ms","memory_bytes",
//  "policy","revision","created_at","updated_at"}.
nlohmann::json script_json(const ScriptInfo& script);
// {"script_id","script_name","thing_id","function","status","error","logs",
//  "started_at","finished_at","duration_ns"}.
nlohmann::json script_run_json(const ScriptRun& run);

// A script object of a request body: "name" and "script" (strings,
// required), "description" (string), "timeout_ms", "memory_bytes"
// (non-negative integers), "policy" ("pass" | "drop").
Result<ScriptDraft> script_draft(const nlohmann::json& object);
// The "script_ids" field: a non-empty array (≤ 100) of non-empty strings,
// duplicates dropped, order kept.
Result<std::vector<std::string>> script_ids(const nlohmann::json& body);

// {"total","offset","limit",<field>:[...]} of items[offset, offset+limit).
template <class T, class F>
nlohmann::json slice_json(const std::vector<T>& items, const PageQuery& page, const char* field,
                          F&& item) {
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t i = page.offset; i < items.size() && out.size() < page.limit; ++i)
    out.push_back(item(items[i]));
  return nlohmann::json{
      {"total", items.size()}, {"offset", page.offset}, {"limit", page.limit}, {field, out}};
}

// Ok when the caller may do `action` on the script's group; the script
// (not_found for an unknown id) otherwise comes back for the handler.
Result<ScriptInfo> authorized_script(RestApi& api, Scripts& scripts, const RestRequest& request,
                                     std::string_view script_id, Action action);

}  // namespace conflux::rest
