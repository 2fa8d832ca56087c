// core/registry — registry backup and restore (see conflux/registry.h).
// The document is built from one read snapshot, so it is consistent.
#include <nlohmann/json.hpp>

#include "core/registry/registry.h"
#include "core/registry/registry_rows.h"

namespace conflux::core::registry {
namespace {

using nlohmann::json;

json object_of(std::string_view text) {
  auto doc = json::parse(text, nullptr, false);
  return doc.is_discarded() ? json::object() : doc;
}

std::string text_field(const json& o, const char* name) {
  auto it = o.find(name);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}
std::int64_t int_field(const json& o, const char* name) {
  auto it = o.find(name);
  return it != o.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}
std::string object_field(const json& o, const char* name) {
  auto it = o.find(name);
  return it != o.end() && it->is_object() ? it->dump() : std::string("{}");
}

Status need_uuid(const std::string& id, std::string_view what) {
  if (!is_uuid(id))
    return fail(ErrorCode::invalid_argument, "backup: " + std::string(what) + " id is not a UUID");
  return ok();
}

}  // namespace

Result<std::string> RegistryService::backup() noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    json doc = {{"groups", json::array()},
                {"group_memberships", json::array()},
                {"profiles", json::array()},
                {"things", json::array()}};
    CONFLUX_ASSIGN_OR_RETURN(auto groups, all_rows(txn, tables_->groups));
    for (const auto& g : groups)
      doc["groups"].push_back({{"id", g.id},
                               {"org_id", g.org_id},
                               {"name", g.name},
                               {"description", g.description},
                               {"metadata", object_of(g.metadata)},
                               {"created_at", g.created_at},
                               {"updated_at", g.updated_at}});
    CONFLUX_ASSIGN_OR_RETURN(auto members, all_rows(txn, tables_->members));
    for (const auto& m : members)
      doc["group_memberships"].push_back({{"group_id", m.group_id},
                                          {"org_id", m.org_id},
                                          {"member_id", m.member_id},
                                          {"role", std::string(to_string(m.role))},
                                          {"created_at", m.created_at}});
    CONFLUX_ASSIGN_OR_RETURN(auto profiles, all_rows(txn, tables_->profiles));
    for (const auto& p : profiles)
      doc["profiles"].push_back({{"id", p.id},
                                 {"group_id", p.group_id},
                                 {"org_id", p.org_id},
                                 {"name", p.name},
                                 {"metadata", object_of(p.metadata)},
                                 {"config", object_of(p.config)},
                                 {"created_at", p.created_at},
                                 {"updated_at", p.updated_at}});
    CONFLUX_ASSIGN_OR_RETURN(auto things, all_rows(txn, tables_->things));
    for (const auto& t : things) {
      json o = {{"id", t.id},
                {"group_id", t.group_id},
                {"org_id", t.org_id},
                {"profile_id", t.profile_id},
                {"name", t.name},
                {"type", t.type},
                {"key", t.key},
                {"metadata", object_of(t.metadata)},
                {"created_at", t.created_at},
                {"updated_at", t.updated_at}};
      if (!t.external_key.empty()) o["external_key"] = t.external_key;
      doc["things"].push_back(std::move(o));
    }
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Status RegistryService::restore(std::string_view document) noexcept {
  try {
    auto doc = json::parse(document, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
      return fail(ErrorCode::invalid_argument, "backup must be a JSON object");
    auto list = [&](const char* name) -> Result<json> {
      auto it = doc.find(name);
      if (it == doc.end() || it->is_null()) return json::array();
      if (!it->is_array())
        return fail(ErrorCode::invalid_argument,
                    std::string("backup: '") + name + "' must be an array");
      for (const auto& e : *it)
        if (!e.is_object())
          return fail(ErrorCode::invalid_argument,
                      std::string("backup: '") + name + "' must hold objects");
      return *it;
    };
    std::vector<Group> groups;
    std::vector<MemberRow> members;
    std::vector<Profile> profiles;
    std::vector<Thing> things;
    CONFLUX_ASSIGN_OR_RETURN(auto jg, list("groups"));
    for (const auto& o : jg) {
      Group g{text_field(o, "id"),          text_field(o, "org_id"),     text_field(o, "name"),
              text_field(o, "description"), object_field(o, "metadata"), int_field(o, "created_at"),
              int_field(o, "updated_at")};
      CONFLUX_RETURN_IF_ERROR(need_uuid(g.id, "group"));
      CONFLUX_RETURN_IF_ERROR(check_name("name", g.name, true));
      groups.push_back(std::move(g));
    }
    CONFLUX_ASSIGN_OR_RETURN(auto jm, list("group_memberships"));
    for (const auto& o : jm) {
      auto role = parse_role(text_field(o, "role"));
      if (!role) return fail(ErrorCode::invalid_argument, "backup: invalid membership role");
      MemberRow m{text_field(o, "group_id"), text_field(o, "org_id"), text_field(o, "member_id"),
                  *role, int_field(o, "created_at")};
      CONFLUX_RETURN_IF_ERROR(need_uuid(m.member_id, "member"));
      members.push_back(std::move(m));
    }
    CONFLUX_ASSIGN_OR_RETURN(auto jp, list("profiles"));
    for (const auto& o : jp) {
      Profile p{text_field(o, "id"),        text_field(o, "group_id"),   text_field(o, "org_id"),
                text_field(o, "name"),      object_field(o, "metadata"), object_field(o, "config"),
                int_field(o, "created_at"), int_field(o, "updated_at")};
      CONFLUX_RETURN_IF_ERROR(need_uuid(p.id, "profile"));
      CONFLUX_RETURN_IF_ERROR(parse_config(p.config));
      profiles.push_back(std::move(p));
    }
    CONFLUX_ASSIGN_OR_RETURN(auto jt, list("things"));
    for (const auto& o : jt) {
      Thing t{
          text_field(o, "id"),         text_field(o, "group_id"),     text_field(o, "org_id"),
          text_field(o, "profile_id"), text_field(o, "name"),         text_field(o, "type"),
          text_field(o, "key"),        text_field(o, "external_key"), object_field(o, "metadata"),
          int_field(o, "created_at"),  int_field(o, "updated_at")};
      CONFLUX_RETURN_IF_ERROR(need_uuid(t.id, "thing"));
      CONFLUX_RETURN_IF_ERROR(check_thing_type(t.type));
      CONFLUX_RETURN_IF_ERROR(check_key(t.key));
      if (!t.external_key.empty()) CONFLUX_RETURN_IF_ERROR(check_external_key(t.external_key));
      things.push_back(std::move(t));
    }
    return commit([&](store::WriteTxn& txn, Effects& fx) -> Status {
      auto conflict = [](Status s, std::string what) -> Status {
        if (!s && s.error().code == ErrorCode::already_exists)
          return fail(ErrorCode::already_exists, "backup: " + what + " already exists");
        return s;
      };
      for (const auto& g : groups)
        CONFLUX_RETURN_IF_ERROR(conflict(tables_->groups.insert(txn, g), "group " + g.id));
      for (auto m : members) {
        CONFLUX_ASSIGN_OR_RETURN(auto g, get_group(txn, m.group_id));
        m.org_id = g.org_id;
        CONFLUX_RETURN_IF_ERROR(conflict(tables_->members.insert(txn, m),
                                         "membership of " + m.member_id + " in " + m.group_id));
      }
      for (auto p : profiles) {
        CONFLUX_ASSIGN_OR_RETURN(auto g, get_group(txn, p.group_id));
        p.org_id = g.org_id;
        CONFLUX_RETURN_IF_ERROR(conflict(tables_->profiles.insert(txn, p), "profile " + p.id));
      }
      for (auto t : things) {
        CONFLUX_ASSIGN_OR_RETURN(auto p, get_profile(txn, t.profile_id));
        t.group_id = p.group_id;
        t.org_id = p.org_id;
        CONFLUX_RETURN_IF_ERROR(
            conflict(tables_->things.insert(txn, t), "thing " + t.id + " (or its key)"));
        CONFLUX_ASSIGN_OR_RETURN(auto config, parse_config(p.config));
        fx.put.push_back(identity(t, config));
        fx.events.push_back({RegistryEvent::Kind::thing_updated, t.id, t.group_id});
      }
      return ok();
    });
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

}  // namespace conflux::core::registry
