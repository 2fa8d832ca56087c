// core/authz — the lookups AccessControlService needs from the accounts and
// registry services, as interfaces so neither area depends on the other's
// implementation (accounts implements OrgDirectory and TokenVerifier; the
// registry implements GroupDirectory and conflux::ThingDirectory).
//
// Thread-safety: implementations are callable from any thread.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "conflux/access.h"
#include "conflux/status.h"

namespace conflux::core::store {
class WriteTxn;
}

namespace conflux::core::authz {

// Users and orgs (implemented by core/accounts).
class OrgDirectory {
 public:
  virtual ~OrgDirectory() = default;
  // The user's role in the org; Role::none when not a member. not_found
  // when the org does not exist.
  virtual Result<Role> org_role(std::string_view org_id, std::string_view user_id) noexcept = 0;
  // A user's email; not_found for an unknown user.
  virtual Result<std::string> user_email(std::string_view user_id) noexcept = 0;
};

// Bearer credentials (implemented by core/accounts): a login token or an API
// key → the user principal; unauthenticated when missing, malformed,
// expired, revoked or the user is disabled.
class TokenVerifier {
 public:
  virtual ~TokenVerifier() = default;
  virtual Result<Principal> verify(std::string_view bearer_token) noexcept = 0;
};

// Where a group, profile or thing lives.
struct Placement {
  std::string group_id;
  std::string org_id;
  std::string thing_type;  // things only
};

// Groups and their memberships (implemented by core/registry).
class GroupDirectory {
 public:
  virtual ~GroupDirectory() = default;
  // The group and org of a group, profile or thing; not_found when absent.
  virtual Result<Placement> locate(Resource::Kind kind, std::string_view id) noexcept = 0;
  // The user's explicit role in the group; Role::none when not a member.
  virtual Result<Role> group_role(std::string_view group_id, std::string_view user_id) noexcept = 0;
  // Adds group memberships inside the caller's write transaction (used when
  // an org invite with group invites is accepted). not_found for an unknown
  // group; an existing membership is left unchanged.
  virtual Status add_members_in(store::WriteTxn& txn, std::string_view group_id,
                                const std::vector<std::pair<std::string, Role>>& members) = 0;
  // Drops every group membership of `user_id` in groups of `org_id`
  // (the user left the org), inside the caller's write transaction.
  virtual Status remove_org_member_in(store::WriteTxn& txn, std::string_view org_id,
                                      std::string_view user_id) = 0;
  // Deletes every group of `org_id` with everything in it (profiles, things,
  // memberships), in the registry's own committed write; blocks until the
  // commit. The accounts service calls it before deleting the org itself,
  // so a crash in between leaves an org without groups, never groups
  // without an org. Idempotent.
  virtual Status remove_org_groups(std::string_view org_id) noexcept = 0;
};

}  // namespace conflux::core::authz
