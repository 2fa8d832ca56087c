// conflux/access.h — who is calling, and may they do this?
//
// Every route that needs a caller identity asks the core's AccessControl:
// `authenticate` turns an Authorization header into a Principal, `authorize`
// decides (principal, action, resource) → allow / deny in the one core place
// where the role rules live (core/authz). Plugins never compare roles
// themselves.
//
// Authorization header forms:
//   "Bearer <jwt>"      a user's login token or API key (issued by accounts)
//   "Thing <key>"       a thing's internal key
//   "External <key>"    a thing's external key
//
// Failure codes: unauthenticated (missing, malformed, unknown, expired or
// revoked credentials → 401), permission_denied (→ 403), not_found (the
// resource does not exist → 404).
//
// Found with `host.find<conflux::AccessControl>()`.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "conflux/status.h"

namespace conflux {

// Membership roles in an org or a group, ordered: a higher role can do all a
// lower one can.
enum class Role : std::uint8_t { none = 0, viewer = 1, editor = 2, admin = 3, owner = 4 };

constexpr std::string_view to_string(Role r) noexcept {
  switch (r) {
    case Role::none:
      return "none";
    case Role::viewer:
      return "viewer";
    case Role::editor:
      return "editor";
    case Role::admin:
      return "admin";
    case Role::owner:
      return "owner";
  }
  return "none";
}

// "viewer" | "editor" | "admin" | "owner" → Role; anything else → nullopt.
constexpr std::optional<Role> parse_role(std::string_view s) noexcept {
  if (s == "viewer") return Role::viewer;
  if (s == "editor") return Role::editor;
  if (s == "admin") return Role::admin;
  if (s == "owner") return Role::owner;
  return std::nullopt;
}

// An authenticated caller.
struct Principal {
  enum class Kind : std::uint8_t { user, thing };
  Kind kind = Kind::user;
  std::string id;           // user id or thing id
  std::string email;        // users: their email ("sub")
  bool root_admin = false;  // users: the platform root admin
  std::string key_id;       // users authenticated by an API key: its id ("jti")
  std::string group_id;     // things: their group
  std::string profile_id;   // things: their profile
  std::string thing_type;   // things: device|sensor|actuator|controller|gateway

  bool is_user() const noexcept { return kind == Kind::user; }
  bool is_thing() const noexcept { return kind == Kind::thing; }
};

// What a principal wants to do with a resource. The required role per
// (resource kind, action) is defined once, in core/authz.
enum class Action : std::uint8_t {
  view,             // read the resource and what it contains
  create,           // create inside it (groups in an org; profiles/things in a group)
  update,           // change it, or what it contains
  remove_content,   // delete what it contains (things and profiles of a group)
  manage_members,   // memberships and invites
  remove,           // delete the resource itself
  command,          // send commands to a thing / the things of a group
  read_messages,    // read stored messages (of a thing / the things of a group)
  delete_messages,  // delete stored messages
  platform_admin,   // root-admin-only operations (users, platform invites, backup)
};

constexpr std::string_view to_string(Action a) noexcept {
  switch (a) {
    case Action::view:
      return "view";
    case Action::create:
      return "create";
    case Action::update:
      return "update";
    case Action::remove_content:
      return "remove_content";
    case Action::manage_members:
      return "manage_members";
    case Action::remove:
      return "remove";
    case Action::command:
      return "command";
    case Action::read_messages:
      return "read_messages";
    case Action::delete_messages:
      return "delete_messages";
    case Action::platform_admin:
      return "platform_admin";
  }
  return "unknown";
}

// The resource an action targets, by kind and id. The core resolves the
// containing org / group itself. `platform` has no id.
struct Resource {
  enum class Kind : std::uint8_t { platform, user, org, group, profile, thing };
  Kind kind = Kind::platform;
  std::string id;

  static Resource platform() { return {Kind::platform, {}}; }
  static Resource user(std::string_view id) { return {Kind::user, std::string(id)}; }
  static Resource org(std::string_view id) { return {Kind::org, std::string(id)}; }
  static Resource group(std::string_view id) { return {Kind::group, std::string(id)}; }
  static Resource profile(std::string_view id) { return {Kind::profile, std::string(id)}; }
  static Resource thing(std::string_view id) { return {Kind::thing, std::string(id)}; }
};

class AccessControl {
 public:
  static constexpr std::string_view kInterfaceName = "conflux.access.v1";
  virtual ~AccessControl() = default;

  // The principal behind an Authorization header value (see the forms
  // above); unauthenticated for anything else.
  virtual Result<Principal> authenticate(std::string_view authorization) noexcept = 0;

  // Ok when `principal` may do `action` on `resource`; permission_denied or
  // not_found (unknown resource) otherwise.
  virtual Status authorize(const Principal& principal, Action action,
                           const Resource& resource) noexcept = 0;
};

}  // namespace conflux
