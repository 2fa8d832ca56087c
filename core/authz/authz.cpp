// core/authz — decide(): the role rules (see authz.h).
// Thread-safety: pure functions.
#include "core/authz/authz.h"

#include <algorithm>
#include <string>

namespace conflux::core::authz {
namespace {

std::string_view kind_name(Resource::Kind kind) noexcept {
  switch (kind) {
    case Resource::Kind::platform:
      return "platform";
    case Resource::Kind::user:
      return "user";
    case Resource::Kind::org:
      return "org";
    case Resource::Kind::group:
      return "group";
    case Resource::Kind::profile:
      return "profile";
    case Resource::Kind::thing:
      return "thing";
  }
  return "resource";
}

Status deny(Action action, Resource::Kind kind) {
  return fail(ErrorCode::permission_denied, "not allowed to " + std::string(to_string(action)) +
                                                " this " + std::string(kind_name(kind)));
}

Status require(Role have, Role need, Action action, Resource::Kind kind) {
  if (need != Role::none && have >= need) return ok();
  return deny(action, kind);
}

// The org role an org action needs; Role::none = never.
Role org_requirement(Action action) noexcept {
  switch (action) {
    case Action::view:
      return Role::viewer;
    case Action::create:
      return Role::editor;
    case Action::update:
    case Action::manage_members:
    case Action::remove_content:
      return Role::admin;
    case Action::remove:
      return Role::owner;
    default:
      return Role::none;
  }
}

// The effective group role a group/profile/thing action needs.
Role group_requirement(Action action, Resource::Kind kind) noexcept {
  switch (action) {
    case Action::view:
    case Action::read_messages:
      return Role::viewer;
    case Action::create:
    case Action::update:
    case Action::command:
      return Role::editor;
    case Action::remove_content:
    case Action::manage_members:
    case Action::delete_messages:
      return Role::admin;
    case Action::remove:
      return kind == Resource::Kind::group ? Role::owner : Role::admin;
    default:
      return Role::none;
  }
}

bool commands_allowed(std::string_view from, std::string_view to) noexcept {
  if (from == "controller" || from == "gateway")
    return to == "sensor" || to == "actuator" || to == "device";
  if (from == "device") return to == "device";
  return false;
}

Status decide_thing(const Principal& p, Action action, const ResourceFacts& f) {
  switch (f.kind) {
    case Resource::Kind::thing:
      if ((action == Action::view || action == Action::read_messages) && f.id == p.id) return ok();
      if (action == Action::command && !p.group_id.empty() && f.group_id == p.group_id &&
          commands_allowed(p.thing_type, f.thing_type))
        return ok();
      return deny(action, f.kind);
    case Resource::Kind::group:
      if (action == Action::command && !p.group_id.empty() && f.id == p.group_id &&
          (p.thing_type == "controller" || p.thing_type == "gateway"))
        return ok();
      return deny(action, f.kind);
    default:
      return deny(action, f.kind);
  }
}

}  // namespace

Role effective_group_role(Role group_role, Role org_role) noexcept {
  Role implied = Role::none;
  if (org_role == Role::owner) implied = Role::owner;
  if (org_role == Role::admin) implied = Role::admin;
  return std::max(group_role, implied);
}

Status decide(const Principal& principal, Action action, const ResourceFacts& facts) noexcept {
  try {
    if (principal.is_thing()) return decide_thing(principal, action, facts);
    if (principal.root_admin) return ok();
    switch (facts.kind) {
      case Resource::Kind::platform:
        // Any user may look at what is theirs and create orgs and API keys.
        if (action == Action::view || action == Action::create) return ok();
        return deny(action, facts.kind);
      case Resource::Kind::user:
        if ((action == Action::view || action == Action::update) && !principal.id.empty() &&
            facts.id == principal.id)
          return ok();
        return deny(action, facts.kind);
      case Resource::Kind::org:
        return require(facts.org_role, org_requirement(action), action, facts.kind);
      case Resource::Kind::group:
      case Resource::Kind::profile:
      case Resource::Kind::thing:
        return require(effective_group_role(facts.group_role, facts.org_role),
                       group_requirement(action, facts.kind), action, facts.kind);
    }
    return deny(action, facts.kind);
  } catch (...) {
    return fail(ErrorCode::internal, "authorization failed");
  }
}

}  // namespace conflux::core::authz
