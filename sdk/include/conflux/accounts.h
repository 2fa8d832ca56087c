// conflux/accounts.h — users, tokens, API keys, orgs, org memberships, org
// and platform invites (the account side of the Mainflux management API).
//
// The core implements this interface (core/accounts); the REST plugin is a
// thin HTTP face over it. Every method that acts for a caller takes the
// authenticated Principal (from AccessControl::authenticate) and decides
// access itself through the core's one authorization function, so a
// plugin cannot skip a check by calling the service directly.
//
// Errors: invalid_argument (bad email, short password, unknown role, bad
// id...), unauthenticated (wrong email or password), permission_denied (not
// allowed), not_found (unknown id), already_exists (duplicate email, member,
// pending invite), failed_precondition (an invite that is no longer
// pending, an expired invite).
//
// Times are nanoseconds since the Unix epoch (UTC). Metadata is JSON object
// text ("{}" when none). Ids are lower-case UUIDs.
//
// Found with `host.find<conflux::Accounts>()`.
//
// Thread-safety: every method may be called from any thread, but most of
// them block (password hashing, waiting for the store's durable commit):
// never call them on an io thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/access.h"
#include "conflux/status.h"

namespace conflux {

struct User {
  std::string id;
  std::string email;
  std::string metadata = "{}";
  bool enabled = true;
  bool root_admin = false;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct Org {
  std::string id;
  std::string owner_id;
  std::string name;
  std::string description;
  std::string metadata = "{}";
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct OrgMember {
  std::string org_id;
  std::string member_id;  // the user id
  std::string email;
  Role role = Role::viewer;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// An (email, role) pair for creating or updating org memberships.
struct MemberRole {
  std::string email;
  std::string role;  // "owner" | "admin" | "editor" | "viewer" (validated by the core)
};

// A group membership to grant when an invite is accepted.
struct GroupInvite {
  std::string group_id;
  std::string role;  // "admin" | "editor" | "viewer"
};

// An org invite: a registered user asked to join an org.
struct Invite {
  enum class State : std::uint8_t { pending, accepted, declined, revoked, expired };
  std::string id;
  std::string invitee_id;
  std::string invitee_email;
  std::string inviter_id;
  std::string inviter_email;
  std::string org_id;
  std::string org_name;
  Role invitee_role = Role::viewer;
  std::vector<GroupInvite> group_invites;
  State state = State::pending;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
};

constexpr std::string_view to_string(Invite::State s) noexcept {
  switch (s) {
    case Invite::State::pending:
      return "pending";
    case Invite::State::accepted:
      return "accepted";
    case Invite::State::declined:
      return "declined";
    case Invite::State::revoked:
      return "revoked";
    case Invite::State::expired:
      return "expired";
  }
  return "pending";
}

// A platform invite: an unregistered email invited to the platform,
// optionally with an org role and group memberships.
struct PlatformInvite {
  std::string id;
  std::string invitee_email;
  std::string inviter_id;
  std::string org_id;  // "" when none
  Role org_role = Role::none;
  std::vector<GroupInvite> group_invites;
  Invite::State state = Invite::State::pending;  // pending | accepted | expired
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
};

struct ApiKey {
  std::string id;
  std::string issuer_id;
  std::string subject;  // the issuer's email
  int type = 2;
  std::int64_t issued_at = 0;
  std::int64_t expires_at = 0;  // 0: never
  bool revoked = false;
  std::string value;  // the token: only when just issued
};

// Pagination and filters of a list call.
struct PageParams {
  std::uint64_t offset = 0;
  std::uint64_t limit = 10;
  std::string name;      // substring of the name (orgs) or email (users); "" = any
  std::string metadata;  // JSON object the metadata must contain; "" = any
};

template <class T>
struct Page {
  std::vector<T> items;
  std::uint64_t total = 0;
  std::uint64_t offset = 0;
  std::uint64_t limit = 10;
};

// The org invite fields the inviter supplies.
struct InviteRequest {
  std::string email;
  std::string role;
  std::vector<GroupInvite> group_invites;
};

struct PlatformInviteRequest {
  std::string email;
  std::string org_id;  // optional
  std::string role;    // org role; required with org_id
  std::vector<GroupInvite> group_invites;
};

class Accounts {
 public:
  static constexpr std::string_view kInterfaceName = "conflux.accounts.v1";
  virtual ~Accounts() = default;

  // --- users and tokens
  // A login token for valid credentials; unauthenticated otherwise (also
  // for a disabled user).
  virtual Result<std::string> login(std::string_view email, std::string_view password) noexcept = 0;
  // Self-registration (when enabled by auth.self_register; otherwise
  // permission_denied).
  virtual Result<User> register_user(std::string_view email,
                                     std::string_view password) noexcept = 0;
  // Root admin only.
  virtual Result<User> create_user(const Principal& caller, std::string_view email,
                                   std::string_view password,
                                   std::string_view metadata) noexcept = 0;
  virtual Result<User> view_user(const Principal& caller, std::string_view user_id) noexcept = 0;
  // Root admin only; `name` filters by email substring.
  virtual Result<Page<User>> list_users(const Principal& caller,
                                        const PageParams& page) noexcept = 0;
  // Replaces the caller's metadata.
  virtual Status update_user(const Principal& caller, std::string_view metadata) noexcept = 0;
  // unauthenticated when `old_password` is wrong.
  virtual Status change_password(const Principal& caller, std::string_view old_password,
                                 std::string_view new_password) noexcept = 0;
  // Root admin only; the root admin cannot be disabled.
  virtual Status set_user_enabled(const Principal& caller, std::string_view user_id,
                                  bool enabled) noexcept = 0;

  // --- API keys (type 2)
  virtual Result<ApiKey> issue_key(const Principal& caller, int type,
                                   std::int64_t duration_seconds) noexcept = 0;
  virtual Result<ApiKey> view_key(const Principal& caller, std::string_view key_id) noexcept = 0;
  virtual Result<Page<ApiKey>> list_keys(const Principal& caller,
                                         const PageParams& page) noexcept = 0;
  virtual Status revoke_key(const Principal& caller, std::string_view key_id) noexcept = 0;

  // --- orgs
  virtual Result<Org> create_org(const Principal& caller, std::string_view name,
                                 std::string_view description,
                                 std::string_view metadata) noexcept = 0;
  virtual Result<Org> view_org(const Principal& caller, std::string_view org_id) noexcept = 0;
  virtual Status update_org(const Principal& caller, std::string_view org_id, std::string_view name,
                            std::string_view description, std::string_view metadata) noexcept = 0;
  virtual Status remove_org(const Principal& caller, std::string_view org_id) noexcept = 0;
  // The root admin sees every org, others the orgs they belong to.
  virtual Result<Page<Org>> list_orgs(const Principal& caller, const PageParams& page) noexcept = 0;

  // --- org memberships
  virtual Status add_members(const Principal& caller, std::string_view org_id,
                             const std::vector<MemberRole>& members) noexcept = 0;
  virtual Status update_members(const Principal& caller, std::string_view org_id,
                                const std::vector<MemberRole>& members) noexcept = 0;
  virtual Status remove_members(const Principal& caller, std::string_view org_id,
                                const std::vector<std::string>& member_ids) noexcept = 0;
  virtual Result<OrgMember> view_member(const Principal& caller, std::string_view org_id,
                                        std::string_view member_id) noexcept = 0;
  virtual Result<Page<OrgMember>> list_members(const Principal& caller, std::string_view org_id,
                                               const PageParams& page) noexcept = 0;

  // --- org invites
  virtual Result<Invite> create_invite(const Principal& caller, std::string_view org_id,
                                       const InviteRequest& request) noexcept = 0;
  virtual Result<Page<Invite>> list_org_invites(const Principal& caller, std::string_view org_id,
                                                const PageParams& page) noexcept = 0;
  virtual Result<Invite> view_invite(const Principal& caller,
                                     std::string_view invite_id) noexcept = 0;
  virtual Status accept_invite(const Principal& caller, std::string_view invite_id) noexcept = 0;
  virtual Status decline_invite(const Principal& caller, std::string_view invite_id) noexcept = 0;
  virtual Status revoke_invite(const Principal& caller, std::string_view invite_id) noexcept = 0;
  virtual Result<Page<Invite>> invites_received(const Principal& caller, std::string_view user_id,
                                                const PageParams& page) noexcept = 0;
  virtual Result<Page<Invite>> invites_sent(const Principal& caller, std::string_view user_id,
                                            const PageParams& page) noexcept = 0;

  // --- platform invites (root admin)
  virtual Result<PlatformInvite> create_platform_invite(
      const Principal& caller, const PlatformInviteRequest& request) noexcept = 0;
  virtual Result<Page<PlatformInvite>> list_platform_invites(const Principal& caller,
                                                             const PageParams& page) noexcept = 0;
  // Creates the user (the email must match the invite) and turns the
  // invite's org role and group invites into a pending org invite.
  virtual Result<User> register_with_invite(std::string_view invite_id, std::string_view email,
                                            std::string_view password) noexcept = 0;
};

}  // namespace conflux
