// core/registry — things (see conflux/registry.h).
#include <set>

#include "core/registry/registry.h"
#include "core/registry/registry_rows.h"

namespace conflux::core::registry {
namespace {

// The unique keys of `t` must be free (or held by `t` itself).
Status check_free(const store::Txn& txn, const Things& things, const Thing& t) {
  CONFLUX_ASSIGN_OR_RETURN(auto holder, things.raw().find_unique(txn, "key", t.key));
  if (holder && *holder != t.id) return fail(ErrorCode::already_exists, "thing key already exists");
  if (!t.external_key.empty()) {
    CONFLUX_ASSIGN_OR_RETURN(auto ext,
                             things.raw().find_unique(txn, "external_key", t.external_key));
    if (ext && *ext != t.id) return fail(ErrorCode::already_exists, "external key already exists");
  }
  return ok();
}

}  // namespace

Result<std::vector<Thing>> RegistryService::create_things(
    std::string_view profile_id, const std::vector<ThingInput>& inputs) noexcept {
  try {
    if (inputs.empty()) return fail(ErrorCode::invalid_argument, "no things given");
    CONFLUX_ASSIGN_OR_RETURN(auto pid, lookup_id("profile", profile_id));
    std::vector<Thing> out;
    const auto now = now_ns();
    for (const auto& in : inputs) {
      CONFLUX_RETURN_IF_ERROR(check_name("name", in.name, true));
      CONFLUX_RETURN_IF_ERROR(check_thing_type(in.type));
      CONFLUX_RETURN_IF_ERROR(check_metadata("metadata", in.metadata));
      if (!in.key.empty()) CONFLUX_RETURN_IF_ERROR(check_key(in.key));
      if (!in.external_key.empty()) CONFLUX_RETURN_IF_ERROR(check_external_key(in.external_key));
      Thing t;
      if (in.id.empty()) {
        t.id = random_uuid();
      } else {
        CONFLUX_ASSIGN_OR_RETURN(t.id, client_id("id", in.id));
      }
      t.profile_id = pid;
      t.name = in.name;
      t.type = in.type;
      t.key = in.key.empty() ? random_uuid() : in.key;
      t.external_key = in.external_key;
      t.metadata = in.metadata;
      t.created_at = t.updated_at = now;
      out.push_back(std::move(t));
    }
    CONFLUX_RETURN_IF_ERROR(commit([&](store::WriteTxn& txn, Effects& fx) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto p, get_profile(txn, pid));
      CONFLUX_ASSIGN_OR_RETURN(auto config, parse_config(p.config));
      for (auto& t : out) {
        t.group_id = p.group_id;
        t.org_id = p.org_id;
        CONFLUX_ASSIGN_OR_RETURN(auto existing, tables_->things.get(txn, t.id));
        if (existing) return fail(ErrorCode::already_exists, "thing " + t.id + " already exists");
        CONFLUX_RETURN_IF_ERROR(check_free(txn, tables_->things, t));
        CONFLUX_RETURN_IF_ERROR(tables_->things.insert(txn, t));
        fx.put.push_back(identity(t, config));
        fx.events.push_back({RegistryEvent::Kind::thing_updated, t.id, t.group_id});
      }
      return ok();
    }));
    return out;
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Result<Thing> RegistryService::view_thing(std::string_view thing_id) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto id, lookup_id("thing", thing_id));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    return get_thing(txn, id);
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Result<Page<Thing>> RegistryService::list_things(const Principal& caller,
                                                 const PageParams& page) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto visible, visible_groups(caller));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    if (visible.all) {
      CONFLUX_ASSIGN_OR_RETURN(auto rows, all_rows(txn, tables_->things));
      return make_page(std::move(rows), page);
    }
    std::vector<Thing> rows;
    for (const auto& gid : visible.ids) {
      CONFLUX_ASSIGN_OR_RETURN(auto some, rows_by(txn, tables_->things, "group", gid));
      for (auto& t : some) rows.push_back(std::move(t));
    }
    return make_page(std::move(rows), page);
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Result<Page<Thing>> RegistryService::list_things_by_group(std::string_view group_id,
                                                          const PageParams& page) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto gid, lookup_id("group", group_id));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    CONFLUX_RETURN_IF_ERROR(get_group(txn, gid));
    CONFLUX_ASSIGN_OR_RETURN(auto rows, rows_by(txn, tables_->things, "group", gid));
    return make_page(std::move(rows), page);
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Result<Page<Thing>> RegistryService::list_things_by_profile(std::string_view profile_id,
                                                            const PageParams& page) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto pid, lookup_id("profile", profile_id));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    CONFLUX_RETURN_IF_ERROR(get_profile(txn, pid));
    CONFLUX_ASSIGN_OR_RETURN(auto rows, rows_by(txn, tables_->things, "profile", pid));
    return make_page(std::move(rows), page);
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Result<Page<Thing>> RegistryService::list_things_by_org(std::string_view org_id,
                                                        const PageParams& page) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    CONFLUX_ASSIGN_OR_RETURN(auto rows, rows_by(txn, tables_->things, "org", org_id));
    return make_page(std::move(rows), page);
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Status RegistryService::update_thing(std::string_view thing_id, const ThingInput& input) noexcept {
  try {
    CONFLUX_RETURN_IF_ERROR(check_name("name", input.name, true));
    CONFLUX_RETURN_IF_ERROR(check_thing_type(input.type));
    CONFLUX_RETURN_IF_ERROR(check_key(input.key));
    CONFLUX_RETURN_IF_ERROR(check_metadata("metadata", input.metadata));
    CONFLUX_ASSIGN_OR_RETURN(auto id, lookup_id("thing", thing_id));
    return commit([&](store::WriteTxn& txn, Effects& fx) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto t, get_thing(txn, id));
      t.name = input.name;
      t.type = input.type;
      t.key = input.key;
      t.metadata = input.metadata;
      t.updated_at = now_ns();
      CONFLUX_RETURN_IF_ERROR(check_free(txn, tables_->things, t));
      CONFLUX_RETURN_IF_ERROR(tables_->things.update(txn, t));
      CONFLUX_ASSIGN_OR_RETURN(auto config, profile_config(txn, t.profile_id));
      fx.put.push_back(identity(t, config));
      fx.events.push_back({RegistryEvent::Kind::thing_updated, t.id, t.group_id});
      return ok();
    });
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Status RegistryService::move_thing(std::string_view thing_id, std::string_view group_id,
                                   std::string_view profile_id) noexcept {
  try {
    if (!is_uuid(group_id))
      return fail(ErrorCode::invalid_argument, "invalid group_id: not a UUID");
    if (!is_uuid(profile_id))
      return fail(ErrorCode::invalid_argument, "invalid profile_id: not a UUID");
    CONFLUX_ASSIGN_OR_RETURN(auto id, lookup_id("thing", thing_id));
    CONFLUX_ASSIGN_OR_RETURN(auto gid, lookup_id("group", group_id));
    CONFLUX_ASSIGN_OR_RETURN(auto pid, lookup_id("profile", profile_id));
    return commit([&](store::WriteTxn& txn, Effects& fx) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto t, get_thing(txn, id));
      CONFLUX_ASSIGN_OR_RETURN(auto g, get_group(txn, gid));
      CONFLUX_ASSIGN_OR_RETURN(auto p, get_profile(txn, pid));
      if (p.group_id != g.id)
        return fail(ErrorCode::invalid_argument, "profile does not belong to the group");
      t.group_id = g.id;
      t.org_id = g.org_id;
      t.profile_id = p.id;
      t.updated_at = now_ns();
      CONFLUX_RETURN_IF_ERROR(tables_->things.update(txn, t));
      CONFLUX_ASSIGN_OR_RETURN(auto config, parse_config(p.config));
      fx.put.push_back(identity(t, config));
      fx.events.push_back({RegistryEvent::Kind::thing_updated, t.id, t.group_id});
      return ok();
    });
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Status RegistryService::update_things_metadata(const std::vector<ThingMetadata>& updates) noexcept {
  try {
    if (updates.empty()) return fail(ErrorCode::invalid_argument, "no things given");
    std::vector<ThingMetadata> clean;
    std::set<std::string> seen;
    for (const auto& u : updates) {
      if (!is_uuid(u.id)) return fail(ErrorCode::invalid_argument, "invalid id: not a UUID");
      CONFLUX_RETURN_IF_ERROR(check_metadata("metadata", u.metadata));
      CONFLUX_ASSIGN_OR_RETURN(auto id, lookup_id("thing", u.id));
      if (!seen.insert(id).second)
        return fail(ErrorCode::invalid_argument, "thing " + id + " is listed twice");
      clean.push_back({std::move(id), u.metadata});
    }
    return commit([&](store::WriteTxn& txn, Effects& fx) -> Status {
      const auto now = now_ns();
      for (const auto& u : clean) {
        CONFLUX_ASSIGN_OR_RETURN(auto t, get_thing(txn, u.id));
        t.metadata = u.metadata;
        t.updated_at = now;
        CONFLUX_RETURN_IF_ERROR(tables_->things.update(txn, t));
        CONFLUX_ASSIGN_OR_RETURN(auto config, profile_config(txn, t.profile_id));
        fx.put.push_back(identity(t, config));
        fx.events.push_back({RegistryEvent::Kind::thing_updated, t.id, t.group_id});
      }
      return ok();
    });
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Status RegistryService::remove_thing(std::string_view thing_id) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto id, lookup_id("thing", thing_id));
    return commit([&](store::WriteTxn& txn, Effects& fx) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto t, get_thing(txn, id));
      return erase_thing(txn, t, fx);
    });
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Status RegistryService::set_external_key(std::string_view thing_id, std::string_view key) noexcept {
  try {
    CONFLUX_RETURN_IF_ERROR(check_external_key(key));
    CONFLUX_ASSIGN_OR_RETURN(auto id, lookup_id("thing", thing_id));
    return commit([&](store::WriteTxn& txn, Effects& fx) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto t, get_thing(txn, id));
      t.external_key = std::string(key);
      t.updated_at = now_ns();
      CONFLUX_RETURN_IF_ERROR(check_free(txn, tables_->things, t));
      CONFLUX_RETURN_IF_ERROR(tables_->things.update(txn, t));
      CONFLUX_ASSIGN_OR_RETURN(auto config, profile_config(txn, t.profile_id));
      fx.put.push_back(identity(t, config));
      fx.events.push_back({RegistryEvent::Kind::thing_updated, t.id, t.group_id});
      return ok();
    });
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Status RegistryService::remove_external_key(std::string_view thing_id) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto id, lookup_id("thing", thing_id));
    return commit([&](store::WriteTxn& txn, Effects& fx) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto t, get_thing(txn, id));
      if (t.external_key.empty()) return fail(ErrorCode::not_found, "thing has no external key");
      t.external_key.clear();
      t.updated_at = now_ns();
      CONFLUX_RETURN_IF_ERROR(tables_->things.update(txn, t));
      CONFLUX_ASSIGN_OR_RETURN(auto config, profile_config(txn, t.profile_id));
      fx.put.push_back(identity(t, config));
      fx.events.push_back({RegistryEvent::Kind::thing_updated, t.id, t.group_id});
      return ok();
    });
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

}  // namespace conflux::core::registry
