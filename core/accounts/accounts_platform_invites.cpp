// core/accounts — platform invites (root admin): an unregistered email,
// optionally with an org role and group invites. Registering through the
// invite creates the user and, when the invite names an org, a pending org
// invite from the platform inviter that the new user accepts like any
// other.
// Thread-safety: see accounts_service.h.
#include <algorithm>

#include "core/accounts/accounts_service.h"
#include "core/accounts/service_support.h"
#include "core/accounts/validate.h"

namespace conflux::core::accounts {

Result<PlatformInvite> AccountsService::create_platform_invite(
    const Principal& caller, const PlatformInviteRequest& request) noexcept {
  return guarded([&]() -> Result<PlatformInvite> {
    CONFLUX_RETURN_IF_ERROR(authorize_platform(caller, Action::platform_admin));
    CONFLUX_ASSIGN_OR_RETURN(auto email, normalize_email(request.email, "invitee_email"));
    PlatformInvite invite;
    invite.id = random_uuid();
    invite.invitee_email = email;
    invite.inviter_id = caller.id;
    if (!request.org_id.empty()) {
      CONFLUX_ASSIGN_OR_RETURN(invite.org_id, check_id(request.org_id, "org_id"));
      if (request.role.empty())
        return fail(ErrorCode::invalid_argument, "missing field 'role' (required with org_id)");
      CONFLUX_ASSIGN_OR_RETURN(invite.org_role, check_role(request.role, "role"));
    } else if (!request.role.empty() || !request.group_invites.empty()) {
      return fail(ErrorCode::invalid_argument,
                  "missing field 'org_id' (required with role or "
                  "group_invites)");
    }
    for (const auto& g : request.group_invites) {
      CONFLUX_ASSIGN_OR_RETURN(auto gid, check_id(g.group_id, "group_invites.group_id"));
      invite.group_invites.push_back({gid, g.role});
    }
    if (!invite.org_id.empty()) {
      auto exists = org_role(invite.org_id, "");
      if (!exists) return std::unexpected(exists.error());
    }
    CONFLUX_RETURN_IF_ERROR(
        check_group_invites(caller, invite.org_id, invite.group_invites, false));
    invite.created_at = now_ns();
    invite.expires_at =
        invite.created_at +
        std::chrono::duration_cast<std::chrono::nanoseconds>(options_.invite_ttl).count();
    const auto now = invite.created_at;
    CONFLUX_RETURN_IF_ERROR(write([&](store::WriteTxn& txn) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto user, t_.users->raw().find_unique(txn, "email", email));
      if (user) return fail(ErrorCode::already_exists, "email already registered: " + email);
      CONFLUX_ASSIGN_OR_RETURN(auto pending,
                               t_.platform_invites->raw().find_unique(txn, "pending_email", email));
      if (pending) {
        CONFLUX_ASSIGN_OR_RETURN(auto old, t_.platform_invites->get(txn, *pending));
        if (old && now < old->expires_at)
          return fail(ErrorCode::already_exists,
                      "a pending platform invite for " + email + " already exists");
        if (old) {
          old->state = Invite::State::expired;
          CONFLUX_RETURN_IF_ERROR(t_.platform_invites->update(txn, *old));
        }
      }
      return t_.platform_invites->insert(txn, invite);
    }));
    return invite;
  });
}

Result<Page<PlatformInvite>> AccountsService::list_platform_invites(
    const Principal& caller, const PageParams& page) noexcept {
  return guarded([&]() -> Result<Page<PlatformInvite>> {
    CONFLUX_RETURN_IF_ERROR(authorize_platform(caller, Action::platform_admin));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
    CONFLUX_ASSIGN_OR_RETURN(
        auto rows, (all_rows<PlatformInvite, PlatformInviteCodec>(txn, *t_.platform_invites)));
    const auto now = now_ns();
    for (auto& r : rows)
      if (r.state == Invite::State::pending && now >= r.expires_at)
        r.state = Invite::State::expired;
    std::sort(rows.begin(), rows.end(), [](const PlatformInvite& a, const PlatformInvite& b) {
      return a.created_at != b.created_at ? a.created_at > b.created_at : a.id < b.id;
    });
    return paginate(std::move(rows), page);
  });
}

Result<User> AccountsService::register_with_invite(std::string_view invite_id,
                                                   std::string_view email,
                                                   std::string_view password) noexcept {
  return guarded([&]() -> Result<User> {
    CONFLUX_ASSIGN_OR_RETURN(auto id, check_id(invite_id, "invite id"));
    CONFLUX_ASSIGN_OR_RETURN(auto normalized, normalize_email(email));
    CONFLUX_RETURN_IF_ERROR(check_password(password));
    {
      CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
      CONFLUX_ASSIGN_OR_RETURN(auto invite, t_.platform_invites->get(txn, id));
      if (!invite) return fail(ErrorCode::not_found, "invite not found");
      if (invite->invitee_email != normalized)
        return fail(ErrorCode::permission_denied, "email does not match the invite");
    }
    UserRow user;
    user.id = random_uuid();
    user.email = normalized;
    user.created_at = user.updated_at = now_ns();
    CONFLUX_ASSIGN_OR_RETURN(user.password_hash, hash_password(password, options_.password));
    const std::string org_invite_id = random_uuid();
    const auto now = user.created_at;
    CONFLUX_RETURN_IF_ERROR(write([&](store::WriteTxn& txn) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto invite, t_.platform_invites->get(txn, id));
      if (!invite) return fail(ErrorCode::not_found, "invite not found");
      if (invite->state != Invite::State::pending)
        return fail(ErrorCode::failed_precondition,
                    "invite is " + std::string(to_string(invite->state)) + ", not pending");
      if (now >= invite->expires_at)
        return fail(ErrorCode::failed_precondition, "invite is expired, not pending");
      CONFLUX_ASSIGN_OR_RETURN(auto taken, t_.users->raw().find_unique(txn, "email", normalized));
      if (taken) return fail(ErrorCode::already_exists, "email already registered");
      CONFLUX_RETURN_IF_ERROR(t_.users->insert(txn, user));
      invite->state = Invite::State::accepted;
      CONFLUX_RETURN_IF_ERROR(t_.platform_invites->update(txn, *invite));
      if (invite->org_id.empty()) return ok();
      CONFLUX_ASSIGN_OR_RETURN(auto org, t_.orgs->get(txn, invite->org_id));
      if (!org) return ok();  // the org went away meanwhile: the user is registered without it
      Invite org_invite;
      org_invite.id = org_invite_id;
      org_invite.invitee_id = user.id;
      org_invite.invitee_email = user.email;
      org_invite.inviter_id = invite->inviter_id;
      org_invite.org_id = invite->org_id;
      org_invite.invitee_role = invite->org_role;
      org_invite.group_invites = invite->group_invites;
      org_invite.created_at = now;
      org_invite.expires_at =
          now + std::chrono::duration_cast<std::chrono::nanoseconds>(options_.invite_ttl).count();
      return t_.invites->insert(txn, org_invite);
    }));
    return user.to_user();
  });
}

}  // namespace conflux::core::accounts
