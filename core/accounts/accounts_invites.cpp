// core/accounts — org invites: create (a registered user, a role, optional
// group invites), list per org, view, accept (membership + group
// memberships in the same write transaction), decline, revoke (inviter,
// pending only), lists received / sent. States: pending → accepted |
// declined | revoked; a pending invite past its expiry reads as expired.
// Thread-safety: see accounts_service.h.
#include <algorithm>
#include <set>

#include "core/accounts/accounts_service.h"
#include "core/accounts/service_support.h"
#include "core/accounts/validate.h"
#include "core/authz/authz.h"

namespace conflux::core::accounts {
namespace {

Status not_pending(const Invite& shown) {
  return fail(ErrorCode::failed_precondition,
              "invite is " + std::string(to_string(shown.state)) + ", not pending");
}

void newest_first(std::vector<Invite>& invites) {
  std::sort(invites.begin(), invites.end(), [](const Invite& a, const Invite& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.id < b.id;
  });
}

}  // namespace

Status AccountsService::check_group_invites(const Principal& caller, std::string_view org_id,
                                            const std::vector<GroupInvite>& groups,
                                            bool authorize) {
  if (groups.empty()) return ok();
  auto* directory = groups_.load();
  if (!directory)
    return fail(ErrorCode::unavailable, "group invites need the registry, which is not running");
  std::set<std::string> seen;
  for (const auto& g : groups) {
    CONFLUX_ASSIGN_OR_RETURN(auto gid, check_id(g.group_id, "group_invites.group_id"));
    CONFLUX_RETURN_IF_ERROR(check_role(g.role, "group_invites.member_role"));
    if (!seen.insert(gid).second)
      return fail(ErrorCode::invalid_argument, "duplicate group in group_invites: " + gid);
    CONFLUX_ASSIGN_OR_RETURN(auto where, directory->locate(Resource::Kind::group, gid));
    if (where.org_id != org_id)
      return fail(ErrorCode::invalid_argument, "group " + gid + " does not belong to the org");
    if (!authorize) continue;
    authz::ResourceFacts f;
    f.kind = Resource::Kind::group;
    f.id = gid;
    f.group_id = gid;
    if (caller.is_user() && !caller.root_admin) {
      auto role = org_role(org_id, caller.id);
      if (role) f.org_role = *role;
      CONFLUX_ASSIGN_OR_RETURN(f.group_role, directory->group_role(gid, caller.id));
    }
    CONFLUX_RETURN_IF_ERROR(authz::decide(caller, Action::manage_members, f));
  }
  return ok();
}

Result<Invite> AccountsService::create_invite(const Principal& caller, std::string_view org_id,
                                              const InviteRequest& request) noexcept {
  return guarded([&] { return create_invite_impl(caller, org_id, request); });
}

Result<Invite> AccountsService::create_invite_impl(const Principal& caller, std::string_view org_id,
                                                   const InviteRequest& request) {
  CONFLUX_RETURN_IF_ERROR(authorize_org(caller, Action::manage_members, org_id));
  CONFLUX_ASSIGN_OR_RETURN(auto oid, check_id(org_id, "org id"));
  CONFLUX_ASSIGN_OR_RETURN(auto email, normalize_email(request.email));
  CONFLUX_ASSIGN_OR_RETURN(auto role, check_role(request.role, "role"));
  Invite invite;
  invite.id = random_uuid();
  invite.invitee_email = email;
  invite.inviter_id = caller.id;
  invite.org_id = oid;
  invite.invitee_role = role;
  invite.state = Invite::State::pending;
  invite.created_at = now_ns();
  invite.expires_at =
      invite.created_at +
      std::chrono::duration_cast<std::chrono::nanoseconds>(options_.invite_ttl).count();
  for (const auto& g : request.group_invites) {
    CONFLUX_ASSIGN_OR_RETURN(auto gid, check_id(g.group_id, "group_invites.group_id"));
    invite.group_invites.push_back({gid, g.role});
  }
  CONFLUX_RETURN_IF_ERROR(check_group_invites(caller, oid, invite.group_invites, true));
  {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
    CONFLUX_ASSIGN_OR_RETURN(auto uid, t_.users->raw().find_unique(txn, "email", email));
    if (!uid) return fail(ErrorCode::not_found, "user not found: " + email);
    invite.invitee_id = *uid;
  }
  const auto now = invite.created_at;
  auto written = write([&](store::WriteTxn& txn) -> Status {
    CONFLUX_ASSIGN_OR_RETURN(auto member, t_.members->get(txn, member_key(oid, invite.invitee_id)));
    if (member) return fail(ErrorCode::already_exists, "already a member of the org: " + email);
    CONFLUX_ASSIGN_OR_RETURN(
        auto pending, t_.invites->raw().find_unique(txn, "pending", oid + invite.invitee_id));
    if (pending) {
      CONFLUX_ASSIGN_OR_RETURN(auto old, t_.invites->get(txn, *pending));
      if (old && now < old->expires_at)
        return fail(ErrorCode::already_exists, "a pending invite for " + email + " already exists");
      if (old) {
        old->state = Invite::State::expired;
        CONFLUX_RETURN_IF_ERROR(t_.invites->update(txn, *old));
      }
    }
    return t_.invites->insert(txn, invite);
  });
  CONFLUX_RETURN_IF_ERROR(written);
  CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
  return present(txn, std::move(invite));
}

Result<Page<Invite>> AccountsService::list_org_invites(const Principal& caller,
                                                       std::string_view org_id,
                                                       const PageParams& page) noexcept {
  return guarded([&]() -> Result<Page<Invite>> {
    CONFLUX_RETURN_IF_ERROR(authorize_org(caller, Action::manage_members, org_id));
    CONFLUX_ASSIGN_OR_RETURN(auto oid, check_id(org_id, "org id"));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
    CONFLUX_ASSIGN_OR_RETURN(auto rows,
                             (rows_by<Invite, InviteCodec>(txn, *t_.invites, "org", oid)));
    for (auto& r : rows) r = present(txn, std::move(r));
    newest_first(rows);
    return paginate(std::move(rows), page);
  });
}

Result<Invite> AccountsService::view_invite(const Principal& caller,
                                            std::string_view invite_id) noexcept {
  return guarded([&]() -> Result<Invite> {
    CONFLUX_ASSIGN_OR_RETURN(auto id, check_id(invite_id, "invite id"));
    Invite invite;
    {
      CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
      CONFLUX_ASSIGN_OR_RETURN(auto row, t_.invites->get(txn, id));
      if (!row) return fail(ErrorCode::not_found, "invite not found");
      invite = present(txn, std::move(*row));
    }
    if (caller.is_user() && (caller.id == invite.invitee_id || caller.id == invite.inviter_id))
      return invite;
    CONFLUX_RETURN_IF_ERROR(authorize_org(caller, Action::manage_members, invite.org_id));
    return invite;
  });
}

Status AccountsService::respond_invite(const Principal& caller, std::string_view invite_id,
                                       Invite::State to) {
  CONFLUX_ASSIGN_OR_RETURN(auto id, check_id(invite_id, "invite id"));
  if (!caller.is_user()) return fail(ErrorCode::permission_denied, "not allowed");
  auto* groups = groups_.load();
  const auto now = now_ns();
  return write([&](store::WriteTxn& txn) -> Status {
    CONFLUX_ASSIGN_OR_RETURN(auto row, t_.invites->get(txn, id));
    if (!row) return fail(ErrorCode::not_found, "invite not found");
    Invite invite = std::move(*row);
    const bool by_inviter = to == Invite::State::revoked;
    const std::string& allowed = by_inviter ? invite.inviter_id : invite.invitee_id;
    if (caller.id != allowed && !(by_inviter && caller.root_admin))
      return fail(ErrorCode::permission_denied,
                  by_inviter ? "only the inviter can revoke an invite"
                             : "only the invitee can accept or decline an invite");
    if (invite.state != Invite::State::pending) return not_pending(invite);
    if (now >= invite.expires_at)
      return fail(ErrorCode::failed_precondition, "invite is expired, not pending");
    invite.state = to;
    CONFLUX_RETURN_IF_ERROR(t_.invites->update(txn, invite));
    if (to != Invite::State::accepted) return ok();
    CONFLUX_ASSIGN_OR_RETURN(auto org, t_.orgs->get(txn, invite.org_id));
    if (!org) return fail(ErrorCode::not_found, "org not found");
    CONFLUX_ASSIGN_OR_RETURN(auto member,
                             t_.members->get(txn, member_key(invite.org_id, invite.invitee_id)));
    if (member) return fail(ErrorCode::already_exists, "already a member of the org");
    CONFLUX_RETURN_IF_ERROR(t_.members->insert(
        txn, MemberRow{invite.org_id, invite.invitee_id, invite.invitee_role, now, now}));
    if (invite.group_invites.empty()) return ok();
    if (!groups)
      return fail(ErrorCode::unavailable, "group invites need the registry, which is not running");
    for (const auto& g : invite.group_invites) {
      auto role = parse_role(g.role).value_or(Role::viewer);
      CONFLUX_RETURN_IF_ERROR(groups->add_members_in(txn, g.group_id, {{invite.invitee_id, role}}));
    }
    return ok();
  });
}

Status AccountsService::accept_invite(const Principal& caller,
                                      std::string_view invite_id) noexcept {
  return guarded([&] { return respond_invite(caller, invite_id, Invite::State::accepted); });
}

Status AccountsService::decline_invite(const Principal& caller,
                                       std::string_view invite_id) noexcept {
  return guarded([&] { return respond_invite(caller, invite_id, Invite::State::declined); });
}

Status AccountsService::revoke_invite(const Principal& caller,
                                      std::string_view invite_id) noexcept {
  return guarded([&] { return respond_invite(caller, invite_id, Invite::State::revoked); });
}

Result<Page<Invite>> AccountsService::invites_by(const Principal& caller, std::string_view user_id,
                                                 std::string_view index, const PageParams& page) {
  CONFLUX_ASSIGN_OR_RETURN(auto uid, check_id(user_id, "user id"));
  CONFLUX_RETURN_IF_ERROR(authorize_user(caller, Action::view, uid));
  CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
  CONFLUX_ASSIGN_OR_RETURN(auto user, t_.users->get(txn, uid));
  if (!user) return fail(ErrorCode::not_found, "user not found");
  CONFLUX_ASSIGN_OR_RETURN(auto rows, (rows_by<Invite, InviteCodec>(txn, *t_.invites, index, uid)));
  for (auto& r : rows) r = present(txn, std::move(r));
  newest_first(rows);
  return paginate(std::move(rows), page);
}

Result<Page<Invite>> AccountsService::invites_received(const Principal& caller,
                                                       std::string_view user_id,
                                                       const PageParams& page) noexcept {
  return guarded([&] { return invites_by(caller, user_id, "invitee", page); });
}

Result<Page<Invite>> AccountsService::invites_sent(const Principal& caller,
                                                   std::string_view user_id,
                                                   const PageParams& page) noexcept {
  return guarded([&] { return invites_by(caller, user_id, "inviter", page); });
}

}  // namespace conflux::core::accounts
