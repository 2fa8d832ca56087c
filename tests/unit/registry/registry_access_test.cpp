// The route-level access decisions for groups, profiles and things: the
// AccessControlService over this registry (GroupDirectory, ThingDirectory)
// and an in-memory OrgDirectory, as a matrix of role × action × resource.
#include <gmock/gmock.h>

#include "core/authz/access_control.h"
#include "tests/unit/registry/registry_fixture.h"

namespace conflux::core::registry::testing {
namespace {

class NoTokens final : public authz::TokenVerifier {
 public:
  Result<Principal> verify(std::string_view) noexcept override {
    return fail(ErrorCode::unauthenticated, "no tokens in this test");
  }
};

class RegistryAccessTest : public RegistryTest {
 protected:
  void SetUp() override {
    RegistryTest::SetUp();
    access_ = std::make_unique<authz::AccessControlService>(tokens_, orgs_);
    access_->set_group_directory(registry_.get());
    access_->set_thing_directory(registry_.get());
    group_ = make_group();
    profile_ = make_profile(group_.id);
    thing_ = make_thing(profile_.id, ThingInput{"", "t", "device", "", "", "{}"});
  }
  void TearDown() override {
    access_.reset();
    RegistryTest::TearDown();
  }
  // A user with `role` in the group (and only viewer in the org).
  Principal group_user(Role role) {
    auto id = member(Role::viewer, std::string(to_string(role)) + "@example.com");
    if (role == Role::owner) {
      EXPECT_TRUE(env_->write_sync([&](store::WriteTxn& txn) {
        return registry_->add_members_in(txn, group_.id, {{id, Role::owner}});
      }));
    } else if (role != Role::none) {
      EXPECT_TRUE(registry_->add_group_members(group_.id, {{id, std::string(to_string(role))}}));
    }
    return user(id);
  }
  bool allowed(const Principal& p, Action a, const Resource& r) {
    auto s = access_->authorize(p, a, r);
    if (!s) {
      EXPECT_EQ(s.error().code, ErrorCode::permission_denied) << s.error().message;
    }
    return s.has_value();
  }

  NoTokens tokens_;
  std::unique_ptr<authz::AccessControlService> access_;
  Group group_;
  Profile profile_;
  Thing thing_;
};

TEST_F(RegistryAccessTest, RoleMatrixForGroupsProfilesAndThings) {
  struct Case {
    Action action;
    Resource::Kind kind;
    Role least;  // the lowest group role allowed
  };
  const std::vector<Case> cases = {
      {Action::view, Resource::Kind::group, Role::viewer},
      {Action::view, Resource::Kind::profile, Role::viewer},
      {Action::view, Resource::Kind::thing, Role::viewer},
      {Action::create, Resource::Kind::group, Role::editor},    // profiles in the group
      {Action::create, Resource::Kind::profile, Role::editor},  // things in the profile
      {Action::update, Resource::Kind::group, Role::editor},
      {Action::update, Resource::Kind::profile, Role::editor},
      {Action::update, Resource::Kind::thing, Role::editor},
      {Action::remove, Resource::Kind::thing, Role::admin},
      {Action::remove, Resource::Kind::profile, Role::admin},
      {Action::manage_members, Resource::Kind::group, Role::admin},
      {Action::remove, Resource::Kind::group, Role::owner},
  };
  std::map<Role, Principal> users;
  for (Role r : {Role::none, Role::viewer, Role::editor, Role::admin, Role::owner})
    users[r] = group_user(r);
  auto resource = [&](Resource::Kind k) {
    switch (k) {
      case Resource::Kind::group:
        return Resource::group(group_.id);
      case Resource::Kind::profile:
        return Resource::profile(profile_.id);
      default:
        return Resource::thing(thing_.id);
    }
  };
  for (const auto& c : cases)
    for (const auto& [role, principal] : users)
      EXPECT_EQ(allowed(principal, c.action, resource(c.kind)), role >= c.least)
          << to_string(c.action) << " on kind " << int(c.kind) << " as " << to_string(role);
}

TEST_F(RegistryAccessTest, OrgRolesImplyGroupRoles) {
  auto org_admin = user(member(Role::admin, "oa@example.com"));
  auto org_editor = user(member(Role::editor, "oe@example.com"));
  EXPECT_TRUE(allowed(org_admin, Action::remove, Resource::thing(thing_.id)));
  EXPECT_TRUE(allowed(org_admin, Action::manage_members, Resource::group(group_.id)));
  EXPECT_FALSE(allowed(org_admin, Action::remove, Resource::group(group_.id)));
  EXPECT_TRUE(allowed(user(owner_), Action::remove, Resource::group(group_.id)));
  // an org editor may create groups in the org but sees no group it is not in
  EXPECT_TRUE(allowed(org_editor, Action::create, Resource::org(org_)));
  EXPECT_FALSE(allowed(org_editor, Action::view, Resource::group(group_.id)));
}

TEST_F(RegistryAccessTest, UnknownResourcesAreNotFound) {
  auto admin = user(member(Role::admin, "a@example.com"));
  for (auto r : {Resource::group(random_uuid()), Resource::profile(random_uuid()),
                 Resource::thing(random_uuid()), Resource::thing("not-a-uuid")}) {
    auto s = access_->authorize(admin, Action::view, r);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, ErrorCode::not_found);
  }
}

TEST_F(RegistryAccessTest, ThingKeysAuthenticateUntilChanged) {
  auto p = access_->authenticate("Thing " + thing_.key);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_TRUE(p->is_thing());
  EXPECT_EQ(p->id, thing_.id);
  EXPECT_EQ(p->group_id, group_.id);
  EXPECT_TRUE(allowed(*p, Action::view, Resource::thing(thing_.id)));
  auto other = make_thing(profile_.id);
  EXPECT_FALSE(allowed(*p, Action::view, Resource::thing(other.id)));

  ASSERT_TRUE(
      registry_->update_thing(thing_.id, ThingInput{"", "t", "device", "rotated", "", "{}"}));
  auto old = access_->authenticate("Thing " + thing_.key);
  ASSERT_FALSE(old);
  EXPECT_EQ(old.error().code, ErrorCode::unauthenticated);
  EXPECT_TRUE(access_->authenticate("Thing rotated"));
}

}  // namespace
}  // namespace conflux::core::registry::testing
