// core/authz — the one place where access is decided (DESIGN §8).
//
// `decide(principal, action, facts)` is a pure function: the caller resolves
// the facts about the resource (its kind, the principal's roles in the
// containing org and group, the thing's type) and gets allow (Ok) or deny
// (permission_denied). AccessControlService (access_control.h) resolves the
// facts from the accounts and registry directories and calls it; every
// route goes through that, never through its own role comparisons.
//
// The rules (tested as a matrix in tests/unit/authz):
//  - The root admin may do everything.
//  - platform_admin: only the root admin.
//  - platform resource: any user may view (what is theirs) and create
//    (orgs, API keys); every other platform action is platform_admin.
//  - user resources: a user may view and update itself; anything else on
//    another user is platform_admin.
//  - org: view ≥ viewer, create (groups) ≥ editor, update ≥ admin,
//    manage_members ≥ admin, remove_content ≥ admin, remove = owner;
//    read_messages/delete_messages/command are not org actions (deny).
//  - group, profile, thing (a profile's or thing's group decides): the
//    effective role is the higher of the explicit group role and the role
//    implied by the org role (org owner → group owner, org admin → group
//    admin, lower org roles imply nothing). view ≥ viewer,
//    read_messages ≥ viewer, create ≥ editor, update ≥ editor,
//    command ≥ editor, remove_content ≥ admin, manage_members ≥ admin,
//    delete_messages ≥ admin; remove: group ≥ owner, profile/thing ≥ admin.
//  - thing principals: view and read_messages on their own thing only;
//    command on a thing of their own group when the type policy allows it
//    (controller and gateway may command sensor, actuator and device;
//    device may command device); command on their own group for
//    controllers and gateways. Everything else is denied.
//
// Thread-safety: pure functions; callable from any thread.
#pragma once

#include <string_view>

#include "conflux/access.h"
#include "conflux/status.h"

namespace conflux::core::authz {

// What the decision needs to know about the resource.
struct ResourceFacts {
  Resource::Kind kind = Resource::Kind::platform;
  std::string_view id;           // the resource id
  std::string_view group_id;     // group/profile/thing: the containing group
  Role org_role = Role::none;    // the principal's role in the containing org
  Role group_role = Role::none;  // the principal's explicit role in the group
  std::string_view thing_type;   // thing resources: the target's type
};

// The role a group action needs given the explicit group role and the org
// role (the higher of the two after the org→group mapping above).
Role effective_group_role(Role group_role, Role org_role) noexcept;

// Ok, or permission_denied naming the action and resource kind.
Status decide(const Principal& principal, Action action, const ResourceFacts& facts) noexcept;

}  // namespace conflux::core::authz
