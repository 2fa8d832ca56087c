// core/registry — groups and group memberships (see conflux/registry.h).
#include <set>

#include "core/registry/registry.h"
#include "core/registry/registry_rows.h"

namespace conflux::core::registry {
namespace {

Status check_group_input(const GroupInput& input) {
  CONFLUX_RETURN_IF_ERROR(check_name("name", input.name, true));
  CONFLUX_RETURN_IF_ERROR(check_name("description", input.description, false));
  return check_metadata("metadata", input.metadata);
}

// A role a membership call may grant: viewer, editor or admin.
Result<Role> grantable_role(std::string_view text) {
  auto role = parse_role(text);
  if (!role)
    return fail(ErrorCode::invalid_argument, "invalid role '" + std::string(text.substr(0, 64)) +
                                                 "': must be admin, editor or viewer");
  if (*role == Role::owner)
    return fail(ErrorCode::invalid_argument, "the owner role cannot be granted");
  return *role;
}

Status unique_members(const std::vector<std::string>& ids) {
  std::set<std::string> seen;
  for (const auto& id : ids)
    if (!seen.insert(id).second)
      return fail(ErrorCode::invalid_argument, "member " + id + " is listed twice");
  return ok();
}

}  // namespace

Result<Group> RegistryService::create_group(const Principal& creator, std::string_view org_id,
                                            const GroupInput& input) noexcept {
  try {
    CONFLUX_RETURN_IF_ERROR(check_group_input(input));
    CONFLUX_ASSIGN_OR_RETURN(auto org, lookup_id("org", org_id));
    CONFLUX_ASSIGN_OR_RETURN(auto* orgs, require_orgs());
    CONFLUX_ASSIGN_OR_RETURN(Role org_role, orgs->org_role(org, creator.id));
    Group g;
    g.id = random_uuid();
    g.org_id = org;
    g.name = input.name;
    g.description = input.description;
    g.metadata = input.metadata;
    g.created_at = g.updated_at = now_ns();
    const Role creator_role = org_role == Role::owner ? Role::owner : Role::admin;
    CONFLUX_RETURN_IF_ERROR(commit([&](store::WriteTxn& txn, Effects&) -> Status {
      CONFLUX_RETURN_IF_ERROR(tables_->groups.insert(txn, g));
      if (creator.is_user() && !creator.id.empty())
        CONFLUX_RETURN_IF_ERROR(tables_->members.insert(
            txn, MemberRow{g.id, g.org_id, creator.id, creator_role, g.created_at}));
      return ok();
    }));
    return g;
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Result<Group> RegistryService::view_group(std::string_view group_id) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto id, lookup_id("group", group_id));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    return get_group(txn, id);
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Result<Page<Group>> RegistryService::list_groups(const Principal& caller,
                                                 const PageParams& page) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto visible, visible_groups(caller));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    if (visible.all) {
      CONFLUX_ASSIGN_OR_RETURN(auto rows, all_rows(txn, tables_->groups));
      return make_page(std::move(rows), page);
    }
    std::vector<Group> rows;
    for (const auto& id : visible.ids) {
      CONFLUX_ASSIGN_OR_RETURN(auto g, tables_->groups.get(txn, id));
      if (g) rows.push_back(std::move(*g));
    }
    return make_page(std::move(rows), page);
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Result<Page<Group>> RegistryService::list_groups_by_org(std::string_view org_id,
                                                        const PageParams& page) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    CONFLUX_ASSIGN_OR_RETURN(auto rows, rows_by(txn, tables_->groups, "org", org_id));
    return make_page(std::move(rows), page);
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Status RegistryService::update_group(std::string_view group_id, const GroupInput& input) noexcept {
  try {
    CONFLUX_RETURN_IF_ERROR(check_group_input(input));
    CONFLUX_ASSIGN_OR_RETURN(auto id, lookup_id("group", group_id));
    return commit([&](store::WriteTxn& txn, Effects&) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto g, get_group(txn, id));
      g.name = input.name;
      g.description = input.description;
      g.metadata = input.metadata;
      g.updated_at = now_ns();
      return tables_->groups.update(txn, g);
    });
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Status RegistryService::erase_group(store::WriteTxn& txn, const Group& g, Effects& fx) const {
  CONFLUX_ASSIGN_OR_RETURN(auto things, rows_by(txn, tables_->things, "group", g.id));
  for (const auto& t : things) CONFLUX_RETURN_IF_ERROR(erase_thing(txn, t, fx));
  CONFLUX_ASSIGN_OR_RETURN(auto profiles, rows_by(txn, tables_->profiles, "group", g.id));
  for (const auto& p : profiles) {
    CONFLUX_RETURN_IF_ERROR(tables_->profiles.erase(txn, p.id));
    fx.events.push_back({RegistryEvent::Kind::profile_removed, p.id, g.id});
  }
  store::PageRequest all;
  all.limit = std::numeric_limits<std::size_t>::max();
  CONFLUX_ASSIGN_OR_RETURN(auto members,
                           tables_->members.raw().scan(txn, all, member_key(g.id, "")));
  for (const auto& row : members.rows)
    CONFLUX_RETURN_IF_ERROR(tables_->members.erase(txn, row.key));
  CONFLUX_RETURN_IF_ERROR(tables_->groups.erase(txn, g.id));
  fx.events.push_back({RegistryEvent::Kind::group_removed, g.id, g.id});
  return ok();
}

Status RegistryService::remove_group(std::string_view group_id) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto id, lookup_id("group", group_id));
    return commit([&](store::WriteTxn& txn, Effects& fx) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto g, get_group(txn, id));
      return erase_group(txn, g, fx);
    });
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Status RegistryService::remove_org_groups(std::string_view org_id) noexcept {
  try {
    return commit([&](store::WriteTxn& txn, Effects& fx) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto groups, rows_by(txn, tables_->groups, "org", org_id));
      for (const auto& g : groups) CONFLUX_RETURN_IF_ERROR(erase_group(txn, g, fx));
      return ok();
    });
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Result<Group> RegistryService::view_group_by_thing(std::string_view thing_id) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto id, lookup_id("thing", thing_id));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    CONFLUX_ASSIGN_OR_RETURN(auto t, get_thing(txn, id));
    return get_group(txn, t.group_id);
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Result<Group> RegistryService::view_group_by_profile(std::string_view profile_id) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto id, lookup_id("profile", profile_id));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    CONFLUX_ASSIGN_OR_RETURN(auto p, get_profile(txn, id));
    return get_group(txn, p.group_id);
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

// --- memberships

Status RegistryService::add_group_members(std::string_view group_id,
                                          const std::vector<GroupMemberRole>& members) noexcept {
  try {
    if (members.empty())
      return fail(ErrorCode::invalid_argument, "field 'group_memberships' must not be empty");
    CONFLUX_ASSIGN_OR_RETURN(auto gid, lookup_id("group", group_id));
    std::vector<std::pair<std::string, Role>> wanted;
    std::vector<std::string> ids;
    for (const auto& m : members) {
      if (!is_uuid(m.member_id))
        return fail(ErrorCode::invalid_argument, "invalid member_id: not a UUID");
      CONFLUX_ASSIGN_OR_RETURN(Role role, grantable_role(m.role));
      CONFLUX_ASSIGN_OR_RETURN(auto id, lookup_id("user", m.member_id));
      ids.push_back(id);
      wanted.emplace_back(std::move(id), role);
    }
    CONFLUX_RETURN_IF_ERROR(unique_members(ids));
    CONFLUX_ASSIGN_OR_RETURN(auto group, view_group(gid));
    CONFLUX_ASSIGN_OR_RETURN(auto* orgs, require_orgs());
    for (const auto& [id, role] : wanted) {
      auto email = orgs->user_email(id);
      if (!email) {
        if (email.error().code == ErrorCode::not_found)
          return fail(ErrorCode::not_found, "user " + id + " not found");
        return std::unexpected(email.error());
      }
      CONFLUX_ASSIGN_OR_RETURN(Role org_role, orgs->org_role(group.org_id, id));
      if (org_role == Role::none)
        return fail(ErrorCode::invalid_argument,
                    "user " + id + " is not a member of the group's org");
    }
    return commit([&](store::WriteTxn& txn, Effects&) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto g, get_group(txn, gid));
      const auto now = now_ns();
      for (const auto& [id, role] : wanted) {
        CONFLUX_ASSIGN_OR_RETURN(auto existing, tables_->members.get(txn, member_key(g.id, id)));
        if (existing)
          return fail(ErrorCode::already_exists, "user " + id + " is already a group member");
        CONFLUX_RETURN_IF_ERROR(
            tables_->members.insert(txn, MemberRow{g.id, g.org_id, id, role, now}));
      }
      return ok();
    });
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Status RegistryService::update_group_members(std::string_view group_id,
                                             const std::vector<GroupMemberRole>& members) noexcept {
  try {
    if (members.empty())
      return fail(ErrorCode::invalid_argument, "field 'group_memberships' must not be empty");
    CONFLUX_ASSIGN_OR_RETURN(auto gid, lookup_id("group", group_id));
    std::vector<std::pair<std::string, Role>> wanted;
    std::vector<std::string> ids;
    for (const auto& m : members) {
      if (!is_uuid(m.member_id))
        return fail(ErrorCode::invalid_argument, "invalid member_id: not a UUID");
      CONFLUX_ASSIGN_OR_RETURN(Role role, grantable_role(m.role));
      CONFLUX_ASSIGN_OR_RETURN(auto id, lookup_id("user", m.member_id));
      ids.push_back(id);
      wanted.emplace_back(std::move(id), role);
    }
    CONFLUX_RETURN_IF_ERROR(unique_members(ids));
    return commit([&](store::WriteTxn& txn, Effects&) -> Status {
      CONFLUX_RETURN_IF_ERROR(get_group(txn, gid));
      for (const auto& [id, role] : wanted) {
        CONFLUX_ASSIGN_OR_RETURN(auto m, tables_->members.get(txn, member_key(gid, id)));
        if (!m) return fail(ErrorCode::not_found, "group member " + id + " not found");
        if (m->role == Role::owner)
          return fail(ErrorCode::permission_denied, "the group owner's role cannot be changed");
        m->role = role;
        CONFLUX_RETURN_IF_ERROR(tables_->members.update(txn, *m));
      }
      return ok();
    });
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Status RegistryService::remove_group_members(std::string_view group_id,
                                             const std::vector<std::string>& member_ids) noexcept {
  try {
    if (member_ids.empty())
      return fail(ErrorCode::invalid_argument, "field 'member_ids' must not be empty");
    CONFLUX_ASSIGN_OR_RETURN(auto gid, lookup_id("group", group_id));
    std::vector<std::string> ids;
    for (const auto& m : member_ids) {
      if (!is_uuid(m)) return fail(ErrorCode::invalid_argument, "invalid member id: not a UUID");
      CONFLUX_ASSIGN_OR_RETURN(auto id, lookup_id("user", m));
      ids.push_back(std::move(id));
    }
    CONFLUX_RETURN_IF_ERROR(unique_members(ids));
    return commit([&](store::WriteTxn& txn, Effects&) -> Status {
      CONFLUX_RETURN_IF_ERROR(get_group(txn, gid));
      for (const auto& id : ids) {
        CONFLUX_ASSIGN_OR_RETURN(auto m, tables_->members.get(txn, member_key(gid, id)));
        if (!m) return fail(ErrorCode::not_found, "group member " + id + " not found");
        if (m->role == Role::owner)
          return fail(ErrorCode::permission_denied, "the group owner cannot be removed");
        CONFLUX_RETURN_IF_ERROR(tables_->members.erase(txn, member_key(gid, id)));
      }
      return ok();
    });
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Result<Page<GroupMember>> RegistryService::list_group_members(std::string_view group_id,
                                                              const PageParams& page) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto gid, lookup_id("group", group_id));
    Page<GroupMember> out;
    out.offset = page.offset;
    out.limit = page.limit;
    {
      CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
      CONFLUX_RETURN_IF_ERROR(get_group(txn, gid));
      store::PageRequest req;
      req.offset = page.offset;
      req.limit = page.limit;
      CONFLUX_ASSIGN_OR_RETURN(auto rows,
                               tables_->members.raw().scan(txn, req, member_key(gid, "")));
      out.total = rows.total;
      for (const auto& row : rows.rows) {
        CONFLUX_ASSIGN_OR_RETURN(auto m, MemberCodec::decode(row.value));
        out.items.push_back(GroupMember{m.group_id, m.member_id, {}, m.role});
      }
    }
    if (auto* orgs = this->orgs())
      for (auto& m : out.items)
        if (auto email = orgs->user_email(m.member_id)) m.email = std::move(*email);
    return out;
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

}  // namespace conflux::core::registry
