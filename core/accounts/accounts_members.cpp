// core/accounts — org memberships: add by email with a role, update roles,
// remove, view one, list. The owner's membership cannot be changed or
// removed; "owner" cannot be granted. Each call is all or nothing.
// Thread-safety: see accounts_service.h.
#include <algorithm>
#include <set>

#include "core/accounts/accounts_service.h"
#include "core/accounts/service_support.h"
#include "core/accounts/validate.h"

namespace conflux::core::accounts {
namespace {

struct ResolvedMember {
  std::string email;
  std::string user_id;
  Role role = Role::viewer;
};

}  // namespace

// Validates the request and resolves each email to a user id.
static Result<std::vector<ResolvedMember>> resolve_members(const store::Txn& txn,
                                                           const UsersTable& users,
                                                           const std::vector<MemberRole>& members) {
  if (members.empty())
    return fail(ErrorCode::invalid_argument, "invalid org_memberships: must not be empty");
  std::vector<ResolvedMember> out;
  std::set<std::string> seen;
  for (const auto& m : members) {
    CONFLUX_ASSIGN_OR_RETURN(auto email, normalize_email(m.email));
    CONFLUX_ASSIGN_OR_RETURN(auto role, check_role(m.role, "role"));
    if (!seen.insert(email).second)
      return fail(ErrorCode::invalid_argument, "duplicate email in org_memberships: " + email);
    CONFLUX_ASSIGN_OR_RETURN(auto id, users.raw().find_unique(txn, "email", email));
    if (!id) return fail(ErrorCode::not_found, "user not found: " + email);
    out.push_back({email, *id, role});
  }
  return out;
}

Status AccountsService::add_members(const Principal& caller, std::string_view org_id,
                                    const std::vector<MemberRole>& members) noexcept {
  return guarded([&]() -> Status {
    CONFLUX_RETURN_IF_ERROR(authorize_org(caller, Action::manage_members, org_id));
    CONFLUX_ASSIGN_OR_RETURN(auto id, check_id(org_id, "org id"));
    std::vector<ResolvedMember> resolved;
    {
      CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
      CONFLUX_ASSIGN_OR_RETURN(resolved, resolve_members(txn, *t_.users, members));
    }
    const auto now = now_ns();
    return write([&](store::WriteTxn& txn) -> Status {
      for (const auto& m : resolved) {
        CONFLUX_ASSIGN_OR_RETURN(auto existing, t_.members->get(txn, member_key(id, m.user_id)));
        if (existing)
          return fail(ErrorCode::already_exists, "already a member of the org: " + m.email);
        CONFLUX_RETURN_IF_ERROR(
            t_.members->insert(txn, MemberRow{id, m.user_id, m.role, now, now}));
      }
      return ok();
    });
  });
}

Status AccountsService::update_members(const Principal& caller, std::string_view org_id,
                                       const std::vector<MemberRole>& members) noexcept {
  return guarded([&]() -> Status {
    CONFLUX_RETURN_IF_ERROR(authorize_org(caller, Action::manage_members, org_id));
    CONFLUX_ASSIGN_OR_RETURN(auto id, check_id(org_id, "org id"));
    std::vector<ResolvedMember> resolved;
    {
      CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
      CONFLUX_ASSIGN_OR_RETURN(resolved, resolve_members(txn, *t_.users, members));
    }
    const auto now = now_ns();
    return write([&](store::WriteTxn& txn) -> Status {
      for (const auto& m : resolved) {
        CONFLUX_ASSIGN_OR_RETURN(auto row, t_.members->get(txn, member_key(id, m.user_id)));
        if (!row) return fail(ErrorCode::not_found, "not a member of the org: " + m.email);
        if (row->role == Role::owner)
          return fail(ErrorCode::permission_denied, "the org owner's role cannot be changed");
        row->role = m.role;
        row->updated_at = now;
        CONFLUX_RETURN_IF_ERROR(t_.members->update(txn, *row));
      }
      return ok();
    });
  });
}

Status AccountsService::remove_members(const Principal& caller, std::string_view org_id,
                                       const std::vector<std::string>& member_ids) noexcept {
  return guarded([&]() -> Status {
    CONFLUX_RETURN_IF_ERROR(authorize_org(caller, Action::manage_members, org_id));
    CONFLUX_ASSIGN_OR_RETURN(auto id, check_id(org_id, "org id"));
    if (member_ids.empty())
      return fail(ErrorCode::invalid_argument, "invalid member_ids: must not be empty");
    std::vector<std::string> ids;
    for (const auto& m : member_ids) {
      CONFLUX_ASSIGN_OR_RETURN(auto mid, check_id(m, "member id"));
      if (std::find(ids.begin(), ids.end(), mid) == ids.end()) ids.push_back(mid);
    }
    auto* groups = groups_.load();
    return write([&](store::WriteTxn& txn) -> Status {
      for (const auto& mid : ids) {
        CONFLUX_ASSIGN_OR_RETURN(auto row, t_.members->get(txn, member_key(id, mid)));
        if (!row) return fail(ErrorCode::not_found, "not a member of the org: " + mid);
        if (row->role == Role::owner)
          return fail(ErrorCode::permission_denied, "the org owner cannot be removed");
        if (groups) CONFLUX_RETURN_IF_ERROR(groups->remove_org_member_in(txn, id, mid));
        CONFLUX_RETURN_IF_ERROR(t_.members->erase(txn, member_key(id, mid)));
      }
      return ok();
    });
  });
}

Result<OrgMember> AccountsService::view_member(const Principal& caller, std::string_view org_id,
                                               std::string_view member_id) noexcept {
  return guarded([&]() -> Result<OrgMember> {
    CONFLUX_RETURN_IF_ERROR(authorize_org(caller, Action::view, org_id));
    CONFLUX_ASSIGN_OR_RETURN(auto id, check_id(org_id, "org id"));
    CONFLUX_ASSIGN_OR_RETURN(auto mid, check_id(member_id, "member id"));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
    CONFLUX_ASSIGN_OR_RETURN(auto row, t_.members->get(txn, member_key(id, mid)));
    if (!row) return fail(ErrorCode::not_found, "member not found");
    CONFLUX_ASSIGN_OR_RETURN(auto user, t_.users->get(txn, mid));
    return OrgMember{
        id, mid, user ? user->email : std::string(), row->role, row->created_at, row->updated_at};
  });
}

Result<Page<OrgMember>> AccountsService::list_members(const Principal& caller,
                                                      std::string_view org_id,
                                                      const PageParams& page) noexcept {
  return guarded([&]() -> Result<Page<OrgMember>> {
    CONFLUX_RETURN_IF_ERROR(authorize_org(caller, Action::view, org_id));
    CONFLUX_ASSIGN_OR_RETURN(auto id, check_id(org_id, "org id"));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
    CONFLUX_ASSIGN_OR_RETURN(auto rows, (all_rows<MemberRow, MemberCodec>(txn, *t_.members, id)));
    std::vector<OrgMember> members;
    for (const auto& r : rows) {
      CONFLUX_ASSIGN_OR_RETURN(auto user, t_.users->get(txn, r.user_id));
      OrgMember m{id,     r.user_id,    user ? user->email : std::string(),
                  r.role, r.created_at, r.updated_at};
      if (!page.name.empty() && m.email.find(page.name) == std::string::npos) continue;
      members.push_back(std::move(m));
    }
    std::sort(members.begin(), members.end(), [](const OrgMember& a, const OrgMember& b) {
      return a.role != b.role ? a.role > b.role : a.email < b.email;
    });
    return paginate(std::move(members), page);
  });
}

}  // namespace conflux::core::accounts
