// The authorization matrix: every role × every action × every resource kind
// through decide(), against a table written out here independently of the
// implementation; the root admin; users on themselves; the org → group role
// mapping; thing principals and the command type policy.
// Thread-safety: single-threaded tests.
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "core/authz/authz.h"

namespace conflux::core::authz {
namespace {

constexpr std::array kActions = {
    Action::view,           Action::create,         Action::update,
    Action::remove_content, Action::manage_members, Action::remove,
    Action::command,        Action::read_messages,  Action::delete_messages,
    Action::platform_admin};
constexpr std::array kRoles = {Role::none, Role::viewer, Role::editor, Role::admin, Role::owner};
constexpr std::array kKinds = {Resource::Kind::platform, Resource::Kind::user,
                               Resource::Kind::org,      Resource::Kind::group,
                               Resource::Kind::profile,  Resource::Kind::thing};

Principal user(bool root = false) {
  Principal p;
  p.kind = Principal::Kind::user;
  p.id = "u1";
  p.email = "u1@example.com";
  p.root_admin = root;
  return p;
}

// The least role an action needs on an org; nullopt = never (for non-root).
std::optional<Role> org_needs(Action a) {
  static const std::map<Action, Role> table{
      {Action::view, Role::viewer},          {Action::create, Role::editor},
      {Action::update, Role::admin},         {Action::manage_members, Role::admin},
      {Action::remove_content, Role::admin}, {Action::remove, Role::owner}};
  auto it = table.find(a);
  return it == table.end() ? std::nullopt : std::optional<Role>(it->second);
}

// The least effective group role an action needs on a group/profile/thing.
std::optional<Role> group_needs(Action a, Resource::Kind k) {
  static const std::map<Action, Role> table{
      {Action::view, Role::viewer},          {Action::read_messages, Role::viewer},
      {Action::create, Role::editor},        {Action::update, Role::editor},
      {Action::command, Role::editor},       {Action::remove_content, Role::admin},
      {Action::manage_members, Role::admin}, {Action::delete_messages, Role::admin}};
  if (a == Action::remove) return k == Resource::Kind::group ? Role::owner : Role::admin;
  auto it = table.find(a);
  return it == table.end() ? std::nullopt : std::optional<Role>(it->second);
}

bool allowed(const Principal& p, Action a, const ResourceFacts& f) {
  auto s = decide(p, a, f);
  if (!s) {
    EXPECT_EQ(s.error().code, ErrorCode::permission_denied);
  }
  return s.has_value();
}

TEST(AuthzMatrix, RootAdminMayDoEverything) {
  for (auto k : kKinds)
    for (auto a : kActions) {
      ResourceFacts f;
      f.kind = k;
      f.id = "x";
      EXPECT_TRUE(allowed(user(true), a, f)) << to_string(a);
    }
}

TEST(AuthzMatrix, PlatformAndUserResources) {
  for (auto a : kActions) {
    ResourceFacts platform;
    platform.kind = Resource::Kind::platform;
    EXPECT_EQ(allowed(user(), a, platform), a == Action::view || a == Action::create)
        << to_string(a);
    ResourceFacts self;
    self.kind = Resource::Kind::user;
    self.id = "u1";
    EXPECT_EQ(allowed(user(), a, self), a == Action::view || a == Action::update) << to_string(a);
    ResourceFacts other = self;
    other.id = "u2";
    EXPECT_FALSE(allowed(user(), a, other)) << to_string(a);
  }
}

TEST(AuthzMatrix, OrgRolesTimesActions) {
  int checked = 0;
  for (auto role : kRoles)
    for (auto a : kActions) {
      ResourceFacts f;
      f.kind = Resource::Kind::org;
      f.id = "o1";
      f.org_role = role;
      auto need = org_needs(a);
      bool expect = need && role != Role::none && role >= *need;
      EXPECT_EQ(allowed(user(), a, f), expect)
          << "org role " << to_string(role) << " action " << to_string(a);
      ++checked;
    }
  EXPECT_EQ(checked, 50);
}

TEST(AuthzMatrix, GroupRolesTimesActionsForGroupsProfilesThings) {
  int checked = 0;
  for (auto kind : {Resource::Kind::group, Resource::Kind::profile, Resource::Kind::thing})
    for (auto group_role : kRoles)
      for (auto org_role : kRoles)
        for (auto a : kActions) {
          ResourceFacts f;
          f.kind = kind;
          f.id = "r1";
          f.group_id = "g1";
          f.group_role = group_role;
          f.org_role = org_role;
          Role implied = org_role == Role::owner   ? Role::owner
                         : org_role == Role::admin ? Role::admin
                                                   : Role::none;
          Role effective = std::max(group_role, implied);
          EXPECT_EQ(effective_group_role(group_role, org_role), effective);
          auto need = group_needs(a, kind);
          bool expect = need && effective != Role::none && effective >= *need;
          EXPECT_EQ(allowed(user(), a, f), expect)
              << "kind " << int(kind) << " group " << to_string(group_role) << " org "
              << to_string(org_role) << " action " << to_string(a);
          ++checked;
        }
  EXPECT_EQ(checked, 3 * 5 * 5 * 10);
}

TEST(AuthzMatrix, OrgEditorsAndViewersGetNothingInGroupsWithoutAGroupRole) {
  for (auto org_role : {Role::viewer, Role::editor}) {
    ResourceFacts f;
    f.kind = Resource::Kind::group;
    f.id = "g1";
    f.group_id = "g1";
    f.org_role = org_role;
    EXPECT_FALSE(allowed(user(), Action::view, f));
  }
}

Principal thing(std::string type, std::string id = "t1", std::string group = "g1") {
  Principal p;
  p.kind = Principal::Kind::thing;
  p.id = std::move(id);
  p.group_id = std::move(group);
  p.thing_type = std::move(type);
  return p;
}

TEST(AuthzMatrix, ThingPrincipalsSeeOnlyThemselves) {
  for (auto a : kActions) {
    ResourceFacts self;
    self.kind = Resource::Kind::thing;
    self.id = "t1";
    self.group_id = "g1";
    self.thing_type = "device";
    bool expect = a == Action::view || a == Action::read_messages || a == Action::command;
    // device → device command is allowed by the type policy (itself included).
    EXPECT_EQ(allowed(thing("device"), a, self), expect) << to_string(a);
    for (auto k : {Resource::Kind::platform, Resource::Kind::user, Resource::Kind::org,
                   Resource::Kind::profile}) {
      ResourceFacts other;
      other.kind = k;
      other.id = "x";
      other.group_id = "g1";
      EXPECT_FALSE(allowed(thing("gateway"), a, other)) << to_string(a);
    }
  }
}

TEST(AuthzMatrix, CommandTypePolicy) {
  const std::array<std::string, 5> types = {"device", "sensor", "actuator", "controller",
                                            "gateway"};
  const std::map<std::string, std::set<std::string>> may = {
      {"controller", {"sensor", "actuator", "device"}},
      {"gateway", {"sensor", "actuator", "device"}},
      {"device", {"device"}},
      {"sensor", {}},
      {"actuator", {}}};
  for (const auto& from : types)
    for (const auto& to : types) {
      ResourceFacts same_group;
      same_group.kind = Resource::Kind::thing;
      same_group.id = "t2";
      same_group.group_id = "g1";
      same_group.thing_type = to;
      EXPECT_EQ(allowed(thing(from), Action::command, same_group), may.at(from).contains(to))
          << from << " -> " << to;
      ResourceFacts other_group = same_group;
      other_group.group_id = "g2";
      EXPECT_FALSE(allowed(thing(from), Action::command, other_group)) << from << " -> " << to;
      EXPECT_FALSE(allowed(thing(from), Action::view, same_group));  // not itself
    }
  for (const auto& from : types) {
    ResourceFacts own;
    own.kind = Resource::Kind::group;
    own.id = "g1";
    bool expect = from == "controller" || from == "gateway";
    EXPECT_EQ(allowed(thing(from), Action::command, own), expect) << from;
    ResourceFacts other = own;
    other.id = "g2";
    EXPECT_FALSE(allowed(thing(from), Action::command, other)) << from;
    EXPECT_FALSE(allowed(thing(from), Action::view, own)) << from;
  }
}

}  // namespace
}  // namespace conflux::core::authz
