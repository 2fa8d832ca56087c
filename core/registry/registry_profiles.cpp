// core/registry — profiles (see conflux/registry.h).
#include "core/registry/registry.h"
#include "core/registry/registry_rows.h"

namespace conflux::core::registry {
namespace {

Status check_profile_input(const ProfileInput& input) {
  CONFLUX_RETURN_IF_ERROR(check_name("name", input.name, true));
  CONFLUX_RETURN_IF_ERROR(check_metadata("metadata", input.metadata));
  CONFLUX_RETURN_IF_ERROR(parse_config(input.config));
  return ok();
}

}  // namespace

Result<std::vector<Profile>> RegistryService::create_profiles(
    std::string_view group_id, const std::vector<ProfileInput>& inputs) noexcept {
  try {
    if (inputs.empty()) return fail(ErrorCode::invalid_argument, "no profiles given");
    CONFLUX_ASSIGN_OR_RETURN(auto gid, lookup_id("group", group_id));
    std::vector<Profile> out;
    const auto now = now_ns();
    for (const auto& in : inputs) {
      CONFLUX_RETURN_IF_ERROR(check_profile_input(in));
      Profile p;
      if (in.id.empty()) {
        p.id = random_uuid();
      } else {
        CONFLUX_ASSIGN_OR_RETURN(p.id, client_id("id", in.id));
      }
      p.group_id = gid;
      p.name = in.name;
      p.metadata = in.metadata;
      p.config = in.config;
      p.created_at = p.updated_at = now;
      out.push_back(std::move(p));
    }
    CONFLUX_RETURN_IF_ERROR(commit([&](store::WriteTxn& txn, Effects& fx) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto g, get_group(txn, gid));
      for (auto& p : out) {
        p.org_id = g.org_id;
        CONFLUX_ASSIGN_OR_RETURN(auto existing, tables_->profiles.get(txn, p.id));
        if (existing) return fail(ErrorCode::already_exists, "profile " + p.id + " already exists");
        CONFLUX_RETURN_IF_ERROR(tables_->profiles.insert(txn, p));
        fx.events.push_back({RegistryEvent::Kind::profile_updated, p.id, p.group_id});
      }
      return ok();
    }));
    return out;
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Result<Profile> RegistryService::view_profile(std::string_view profile_id) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto id, lookup_id("profile", profile_id));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    return get_profile(txn, id);
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Result<Profile> RegistryService::view_profile_by_thing(std::string_view thing_id) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto id, lookup_id("thing", thing_id));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    CONFLUX_ASSIGN_OR_RETURN(auto t, get_thing(txn, id));
    return get_profile(txn, t.profile_id);
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Result<Page<Profile>> RegistryService::list_profiles(const Principal& caller,
                                                     const PageParams& page) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto visible, visible_groups(caller));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    if (visible.all) {
      CONFLUX_ASSIGN_OR_RETURN(auto rows, all_rows(txn, tables_->profiles));
      return make_page(std::move(rows), page);
    }
    std::vector<Profile> rows;
    for (const auto& gid : visible.ids) {
      CONFLUX_ASSIGN_OR_RETURN(auto some, rows_by(txn, tables_->profiles, "group", gid));
      for (auto& p : some) rows.push_back(std::move(p));
    }
    return make_page(std::move(rows), page);
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Result<Page<Profile>> RegistryService::list_profiles_by_group(std::string_view group_id,
                                                              const PageParams& page) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto gid, lookup_id("group", group_id));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    CONFLUX_RETURN_IF_ERROR(get_group(txn, gid));
    CONFLUX_ASSIGN_OR_RETURN(auto rows, rows_by(txn, tables_->profiles, "group", gid));
    return make_page(std::move(rows), page);
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Result<Page<Profile>> RegistryService::list_profiles_by_org(std::string_view org_id,
                                                            const PageParams& page) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    CONFLUX_ASSIGN_OR_RETURN(auto rows, rows_by(txn, tables_->profiles, "org", org_id));
    return make_page(std::move(rows), page);
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Status RegistryService::update_profile(std::string_view profile_id,
                                       const ProfileInput& input) noexcept {
  try {
    CONFLUX_RETURN_IF_ERROR(check_profile_input(input));
    CONFLUX_ASSIGN_OR_RETURN(auto id, lookup_id("profile", profile_id));
    return commit([&](store::WriteTxn& txn, Effects& fx) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto p, get_profile(txn, id));
      p.name = input.name;
      p.metadata = input.metadata;
      p.config = input.config;
      p.updated_at = now_ns();
      CONFLUX_RETURN_IF_ERROR(tables_->profiles.update(txn, p));
      CONFLUX_RETURN_IF_ERROR(resnapshot_profile(txn, p.id, fx));
      fx.events.push_back({RegistryEvent::Kind::profile_updated, p.id, p.group_id});
      return ok();
    });
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Status RegistryService::remove_profile(std::string_view profile_id) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto id, lookup_id("profile", profile_id));
    return commit([&](store::WriteTxn& txn, Effects& fx) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto p, get_profile(txn, id));
      store::PageRequest first;
      first.limit = 1;
      CONFLUX_ASSIGN_OR_RETURN(auto users,
                               tables_->things.raw().by_index(txn, "profile", id, first));
      if (users.total > 0)
        return fail(ErrorCode::failed_precondition,
                    "profile is used by " + std::to_string(users.total) + " thing(s)");
      CONFLUX_RETURN_IF_ERROR(tables_->profiles.erase(txn, id));
      fx.events.push_back({RegistryEvent::Kind::profile_removed, id, p.group_id});
      return ok();
    });
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

}  // namespace conflux::core::registry
