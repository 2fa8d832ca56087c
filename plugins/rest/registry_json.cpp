// plugins/rest — registry JSON shapes and request pieces (see registry_json.h).
#include "registry_json.h"

#include "accounts_json.h"

namespace conflux::rest {
namespace {

using nlohmann::json;

json object_of(std::string_view text) {
  auto doc = json::parse(text, nullptr, false);
  return doc.is_discarded() ? json::object() : doc;
}

void put_object(json& out, const char* field, std::string_view text) {
  auto doc = object_of(text);
  if (doc.is_object() && !doc.empty()) out[field] = std::move(doc);
}

}  // namespace

json group_json(const Group& g) {
  return json{{"id", g.id},
              {"org_id", g.org_id},
              {"name", g.name},
              {"description", g.description},
              {"metadata", object_of(g.metadata)},
              {"created_at", rfc3339(g.created_at)},
              {"updated_at", rfc3339(g.updated_at)}};
}

json group_member_json(const GroupMember& m) {
  return json{
      {"member_id", m.member_id}, {"email", m.email}, {"role", std::string(to_string(m.role))}};
}

json profile_json(const Profile& p) {
  json out{{"id", p.id}, {"group_id", p.group_id}, {"name", p.name}};
  put_object(out, "metadata", p.metadata);
  put_object(out, "config", p.config);
  return out;
}

json thing_json(const Thing& t) {
  json out{{"id", t.id},     {"group_id", t.group_id}, {"profile_id", t.profile_id},
           {"name", t.name}, {"type", t.type},         {"key", t.key}};
  if (!t.external_key.empty()) out["external_key"] = t.external_key;
  put_object(out, "metadata", t.metadata);
  return out;
}

Result<PageParams> search_params(const json& body) {
  if (!body.is_object())
    return fail(ErrorCode::invalid_argument, "request body must be a JSON object");
  PageParams p;
  CONFLUX_ASSIGN_OR_RETURN(auto offset, optional_unsigned(body, "offset"));
  p.offset = offset.value_or(0);
  CONFLUX_ASSIGN_OR_RETURN(auto limit, optional_unsigned(body, "limit"));
  p.limit = limit.value_or(10);
  if (p.limit == 0 || p.limit > 200)
    return fail(ErrorCode::invalid_argument, "field 'limit' must be 1..200");
  CONFLUX_ASSIGN_OR_RETURN(auto name, optional_string(body, "name"));
  p.name = name.value_or("");
  if (auto it = body.find("metadata"); it != body.end() && !it->is_null()) {
    if (!it->is_object())
      return fail(ErrorCode::invalid_argument, "field 'metadata' must be an object");
    p.metadata = it->dump();
  }
  return p;
}

Result<GroupInput> group_input(const json& body) {
  GroupInput in;
  CONFLUX_ASSIGN_OR_RETURN(in.name, required_string(body, "name"));
  CONFLUX_ASSIGN_OR_RETURN(auto description, optional_string(body, "description"));
  in.description = description.value_or("");
  CONFLUX_ASSIGN_OR_RETURN(in.metadata, optional_object_text(body, "metadata"));
  return in;
}

Result<ProfileInput> profile_input(const json& body, bool with_id) {
  ProfileInput in;
  if (with_id) {
    CONFLUX_ASSIGN_OR_RETURN(auto id, optional_string(body, "id"));
    in.id = id.value_or("");
  }
  CONFLUX_ASSIGN_OR_RETURN(in.name, required_string(body, "name"));
  CONFLUX_ASSIGN_OR_RETURN(in.metadata, optional_object_text(body, "metadata"));
  CONFLUX_ASSIGN_OR_RETURN(in.config, optional_object_text(body, "config"));
  return in;
}

Result<ThingInput> thing_input(const json& body) {
  ThingInput in;
  CONFLUX_ASSIGN_OR_RETURN(auto id, optional_string(body, "id"));
  in.id = id.value_or("");
  CONFLUX_ASSIGN_OR_RETURN(in.name, required_string(body, "name"));
  CONFLUX_ASSIGN_OR_RETURN(in.type, required_string(body, "type"));
  CONFLUX_ASSIGN_OR_RETURN(auto key, optional_string(body, "key"));
  in.key = key.value_or("");
  CONFLUX_ASSIGN_OR_RETURN(auto external, optional_string(body, "external_key"));
  in.external_key = external.value_or("");
  if (external && external->empty())
    return fail(ErrorCode::invalid_argument, "external key must be at least 5 characters");
  CONFLUX_ASSIGN_OR_RETURN(in.metadata, optional_object_text(body, "metadata"));
  return in;
}

Result<const json*> json_array(const json& body) {
  if (!body.is_array() || body.empty())
    return fail(ErrorCode::invalid_argument, "request body must be a non-empty JSON array");
  for (const auto& e : body)
    if (!e.is_object())
      return fail(ErrorCode::invalid_argument, "request body must be an array of objects");
  return &body;
}

}  // namespace conflux::rest
