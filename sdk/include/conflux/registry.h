// conflux/registry.h — groups, group memberships, profiles and things (the
// registry side of the Mainflux management API, seed 002).
//
// The core implements this interface (core/registry); the REST plugin is a
// thin HTTP face over it. Access is decided by the caller BEFORE calling a
// method, through AccessControl::authorize (the registry does not check
// roles itself, except that the `list_*(caller, ...)` calls return only what
// `caller` may see: the root admin everything, others the groups they are
// members of plus every group of an org where they are org owner or admin).
//
// Model: a group lives in an org; profiles live in a group; a thing lives in
// a group and uses one profile of that group. Deleting a group deletes its
// profiles, things and memberships; a profile cannot be deleted while things
// use it (failed_precondition → 409).
//
// Validation (invalid_argument → 400, message names the field): names and
// descriptions at most 1024 characters (names required, non-empty); metadata
// a JSON object; client-supplied ids canonical UUID v4 text; thing type one
// of device|sensor|actuator|controller|gateway; external keys at least 5
// characters; keys at most 255 characters; a profile's config a JSON object
// parsed with the message config rules (content_type, transformer, write,
// webhook) plus "script_id" (a UUID: the Lua script attached to the
// profile's messages). Roles: viewer|editor|admin (owner only through group
// creation). Conflicts (already_exists → 409): duplicate ids, keys or
// external keys, an existing membership. Unknown ids: not_found (404).
// Nothing changes when a call fails (each call is one transaction).
//
// Times are nanoseconds since the Unix epoch (UTC). Metadata and config are
// JSON object text ("{}" when none). Ids are lower-case UUIDs.
//
// Found with `host.find<conflux::Registry>()`.
//
// Thread-safety: every method may be called from any thread; writers block
// until the durable commit: never call them on an io thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/access.h"
#include "conflux/accounts.h"  // Page<T>, PageParams
#include "conflux/status.h"

namespace conflux {

struct Group {
  std::string id;
  std::string org_id;
  std::string name;
  std::string description;
  std::string metadata = "{}";
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct GroupInput {
  std::string name;
  std::string description;
  std::string metadata = "{}";
};

struct GroupMember {
  std::string group_id;
  std::string member_id;  // the user id
  std::string email;
  Role role = Role::viewer;
};

// A (member id, role) pair for creating or updating group memberships.
struct GroupMemberRole {
  std::string member_id;
  std::string role;  // "admin" | "editor" | "viewer" (validated by the core)
};

struct Profile {
  std::string id;
  std::string group_id;
  std::string org_id;
  std::string name;
  std::string metadata = "{}";
  std::string config = "{}";  // as given by the client (validated)
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct ProfileInput {
  std::string id;  // create only: "" → generated
  std::string name;
  std::string metadata = "{}";
  std::string config = "{}";
};

struct Thing {
  std::string id;
  std::string group_id;
  std::string org_id;
  std::string profile_id;
  std::string name;
  std::string type;  // device|sensor|actuator|controller|gateway
  std::string key;
  std::string external_key;  // "" when none
  std::string metadata = "{}";
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct ThingInput {
  std::string id;  // create only: "" → generated
  std::string name;
  std::string type;
  std::string key;           // create: "" → a random UUID; update: required
  std::string external_key;  // create only: "" → none
  std::string metadata = "{}";
};

struct ThingMetadata {
  std::string id;
  std::string metadata;
};

class Registry {
 public:
  static constexpr std::string_view kInterfaceName = "conflux.registry.v1";
  virtual ~Registry() = default;

  // --- groups
  // The org owner becomes the group's owner; another creator (not the org
  // owner) becomes its admin. not_found for an unknown org.
  virtual Result<Group> create_group(const Principal& creator, std::string_view org_id,
                                     const GroupInput& input) noexcept = 0;
  virtual Result<Group> view_group(std::string_view group_id) noexcept = 0;
  virtual Result<Page<Group>> list_groups(const Principal& caller,
                                          const PageParams& page) noexcept = 0;
  virtual Result<Page<Group>> list_groups_by_org(std::string_view org_id,
                                                 const PageParams& page) noexcept = 0;
  virtual Status update_group(std::string_view group_id, const GroupInput& input) noexcept = 0;
  // Cascades to profiles, things and memberships; watchers get
  // thing_removed per thing, profile_removed per profile, then group_removed.
  virtual Status remove_group(std::string_view group_id) noexcept = 0;
  virtual Result<Group> view_group_by_thing(std::string_view thing_id) noexcept = 0;
  virtual Result<Group> view_group_by_profile(std::string_view profile_id) noexcept = 0;

  // --- group memberships
  // Members must be users of the group's org (not_found for an unknown user,
  // invalid_argument for a user outside the org).
  virtual Status add_group_members(std::string_view group_id,
                                   const std::vector<GroupMemberRole>& members) noexcept = 0;
  // The owner's membership cannot be changed (permission_denied); others
  // must exist (not_found).
  virtual Status update_group_members(std::string_view group_id,
                                      const std::vector<GroupMemberRole>& members) noexcept = 0;
  virtual Status remove_group_members(std::string_view group_id,
                                      const std::vector<std::string>& member_ids) noexcept = 0;
  virtual Result<Page<GroupMember>> list_group_members(std::string_view group_id,
                                                       const PageParams& page) noexcept = 0;

  // --- profiles
  virtual Result<std::vector<Profile>> create_profiles(
      std::string_view group_id, const std::vector<ProfileInput>& profiles) noexcept = 0;
  virtual Result<Profile> view_profile(std::string_view profile_id) noexcept = 0;
  virtual Result<Profile> view_profile_by_thing(std::string_view thing_id) noexcept = 0;
  virtual Result<Page<Profile>> list_profiles(const Principal& caller,
                                              const PageParams& page) noexcept = 0;
  virtual Result<Page<Profile>> list_profiles_by_group(std::string_view group_id,
                                                       const PageParams& page) noexcept = 0;
  virtual Result<Page<Profile>> list_profiles_by_org(std::string_view org_id,
                                                     const PageParams& page) noexcept = 0;
  // Replaces name, metadata and config (input.id is ignored).
  virtual Status update_profile(std::string_view profile_id,
                                const ProfileInput& input) noexcept = 0;
  // failed_precondition while things use the profile.
  virtual Status remove_profile(std::string_view profile_id) noexcept = 0;

  // --- things
  virtual Result<std::vector<Thing>> create_things(
      std::string_view profile_id, const std::vector<ThingInput>& things) noexcept = 0;
  virtual Result<Thing> view_thing(std::string_view thing_id) noexcept = 0;
  virtual Result<Page<Thing>> list_things(const Principal& caller,
                                          const PageParams& page) noexcept = 0;
  virtual Result<Page<Thing>> list_things_by_group(std::string_view group_id,
                                                   const PageParams& page) noexcept = 0;
  virtual Result<Page<Thing>> list_things_by_profile(std::string_view profile_id,
                                                     const PageParams& page) noexcept = 0;
  virtual Result<Page<Thing>> list_things_by_org(std::string_view org_id,
                                                 const PageParams& page) noexcept = 0;
  // Replaces name, type, key and metadata (input.id and external_key are
  // ignored). The old key stops identifying before this returns.
  virtual Status update_thing(std::string_view thing_id, const ThingInput& input) noexcept = 0;
  // Moves the thing to `profile_id` in `group_id` (invalid_argument when the
  // profile is not in that group).
  virtual Status move_thing(std::string_view thing_id, std::string_view group_id,
                            std::string_view profile_id) noexcept = 0;
  // Replaces the metadata of several things at once (all or nothing).
  virtual Status update_things_metadata(const std::vector<ThingMetadata>& updates) noexcept = 0;
  virtual Status remove_thing(std::string_view thing_id) noexcept = 0;
  // Sets or replaces the external key; remove_external_key is not_found
  // when the thing has none.
  virtual Status set_external_key(std::string_view thing_id, std::string_view key) noexcept = 0;
  virtual Status remove_external_key(std::string_view thing_id) noexcept = 0;

  // --- backup (root admin; the caller checks)
  // Every group, membership, profile and thing as one JSON document:
  // {"groups":[...],"group_memberships":[...],"profiles":[...],"things":[...]}
  // (group/profile/thing objects as in the API, times as nanoseconds).
  virtual Result<std::string> backup() noexcept = 0;
  // Inserts everything of a backup document in one transaction:
  // already_exists (nothing restored) when an id, key or membership exists.
  virtual Status restore(std::string_view document) noexcept = 0;
};

}  // namespace conflux
