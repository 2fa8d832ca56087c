// plugins/rest — scripts routes: registration and the shared JSON shapes
// (see scripts_routes.h).
#include "scripts_routes.h"

#include <limits>
#include <set>

#include "accounts_json.h"
#include "routes.h"

namespace conflux::rest {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxIds = 100;

}  // namespace

json script_json(const ScriptInfo& s) {
  return json{{"id", s.id},
              {"group_id", s.group_id},
              {"name", s.name},
              {"description", s.description},
              {"script", s.source},
              {"timeout_ms", s.timeout_ms},
              {"memory_bytes", s.memory_bytes},
              {"policy", to_string(s.policy)},
              {"revision", s.revision},
              {"created_at", rfc3339(s.created)},
              {"updated_at", rfc3339(s.updated)}};
}

json script_run_json(const ScriptRun& run) {
  return json{{"script_id", run.script_id},
              {"script_name", run.script_name},
              {"thing_id", run.thing_id},
              {"function", run.function},
              {"status", run.status},
              {"error", run.error},
              {"logs", run.logs},
              {"started_at", rfc3339(run.started)},
              {"finished_at", rfc3339(run.started + run.duration_ns)},
              {"duration_ns", run.duration_ns}};
}

Result<ScriptDraft> script_draft(const json& object) {
  if (!object.is_object()) return fail(ErrorCode::invalid_argument, "a script must be an object");
  ScriptDraft d;
  CONFLUX_ASSIGN_OR_RETURN(d.name, required_string(object, "name"));
  CONFLUX_ASSIGN_OR_RETURN(d.source, required_string(object, "script"));
  CONFLUX_ASSIGN_OR_RETURN(auto description, optional_string(object, "description"));
  d.description = description.value_or("");
  CONFLUX_ASSIGN_OR_RETURN(
      auto timeout,
      optional_unsigned(object, "timeout_ms", std::numeric_limits<std::uint32_t>::max()));
  if (timeout) d.timeout_ms = static_cast<std::uint32_t>(*timeout);
  CONFLUX_ASSIGN_OR_RETURN(d.memory_bytes, optional_unsigned(object, "memory_bytes"));
  CONFLUX_ASSIGN_OR_RETURN(auto policy, optional_string(object, "policy"));
  if (policy) {
    d.policy = parse_script_policy(*policy);
    if (!d.policy) return fail(ErrorCode::invalid_argument, "field 'policy' must be pass or drop");
  }
  return d;
}

Result<std::vector<std::string>> script_ids(const json& body) {
  if (!body.is_object())
    return fail(ErrorCode::invalid_argument, "request body must be a JSON object");
  auto it = body.find("script_ids");
  if (it == body.end() || it->is_null())
    return fail(ErrorCode::invalid_argument, "missing field 'script_ids'");
  if (!it->is_array() || it->empty())
    return fail(ErrorCode::invalid_argument, "field 'script_ids' must be a non-empty array");
  if (it->size() > kMaxIds)
    return fail(ErrorCode::invalid_argument,
                "field 'script_ids' has more than " + std::to_string(kMaxIds) + " ids");
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (const auto& id : *it) {
    if (!id.is_string() || id.get<std::string>().empty())
      return fail(ErrorCode::invalid_argument, "field 'script_ids' must hold non-empty strings");
    if (seen.insert(id.get<std::string>()).second) ids.push_back(id.get<std::string>());
  }
  return ids;
}

Result<ScriptInfo> authorized_script(RestApi& api, Scripts& scripts, const RestRequest& request,
                                     std::string_view script_id, Action action) {
  CONFLUX_ASSIGN_OR_RETURN(auto script, scripts.get(script_id));
  CONFLUX_RETURN_IF_ERROR(allow(api, request, action, Resource::group(script.group_id)));
  return script;
}

Status add_script_routes(RestApi& api) {
  auto* scripts = api.host().find<Scripts>();
  if (scripts == nullptr) return ok();  // the core has no scripts service: no routes
  CONFLUX_RETURN_IF_ERROR(add_script_crud_routes(api, *scripts));
  if (auto* things = api.host().find<ThingDirectory>())
    CONFLUX_RETURN_IF_ERROR(add_script_thing_routes(api, *scripts, *things));
  return ok();
}

}  // namespace conflux::rest
