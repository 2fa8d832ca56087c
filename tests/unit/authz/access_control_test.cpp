// Tests for AccessControlService: the Authorization header forms, thing
// keys through the ThingDirectory (unauthenticated while it is unset), and
// authorize() resolving org and group facts (not_found for unknown
// resources and while the GroupDirectory is unset).
// Thread-safety: single-threaded tests.
#include "core/authz/access_control.h"

#include <gtest/gtest.h>

#include <map>

namespace conflux::core::authz {
namespace {

class FakeTokens final : public TokenVerifier {
 public:
  Result<Principal> verify(std::string_view token) noexcept override {
    if (token != "good") return fail(ErrorCode::unauthenticated, "invalid token");
    Principal p;
    p.id = "u1";
    p.email = "u1@example.com";
    return p;
  }
};

class FakeOrgs final : public OrgDirectory {
 public:
  std::map<std::string, Role> roles;  // org → u1's role
  Result<Role> org_role(std::string_view org, std::string_view user) noexcept override {
    auto it = roles.find(std::string(org));
    if (it == roles.end()) return fail(ErrorCode::not_found, "org not found");
    return user == "u1" ? it->second : Role::none;
  }
  Result<std::string> user_email(std::string_view id) noexcept override {
    if (id == "u1") return std::string("u1@example.com");
    return fail(ErrorCode::not_found, "user not found");
  }
};

class FakeGroups final : public GroupDirectory {
 public:
  Result<Placement> locate(Resource::Kind kind, std::string_view id) noexcept override {
    if (id == "g1" || id == "t1")
      return Placement{"g1", "o1", kind == Resource::Kind::thing ? "sensor" : ""};
    return fail(ErrorCode::not_found, "not found");
  }
  Result<Role> group_role(std::string_view group, std::string_view user) noexcept override {
    return group == "g1" && user == "u1" ? group_role_of_u1 : Role::none;
  }
  Status add_members_in(store::WriteTxn&, std::string_view,
                        const std::vector<std::pair<std::string, Role>>&) override {
    return ok();
  }
  Status remove_org_member_in(store::WriteTxn&, std::string_view, std::string_view) override {
    return ok();
  }
  Status remove_org_groups(std::string_view) noexcept override { return ok(); }
  Role group_role_of_u1 = Role::none;
};

class FakeThings final : public ThingDirectory {
 public:
  Result<ThingRef> identify(KeyKind kind, std::string_view key) noexcept override {
    if ((kind == KeyKind::internal && key == "k1") || (kind == KeyKind::external && key == "x1")) {
      auto t = std::make_shared<ThingIdentity>();
      t->id = "t1";
      t->type = "gateway";
      t->group_id = "g1";
      t->profile_id = "p1";
      return ThingRef(t);
    }
    return fail(ErrorCode::unauthenticated, "unknown key");
  }
  Result<ThingRef> thing(std::string_view) noexcept override {
    return fail(ErrorCode::not_found, "no");
  }
  Result<std::vector<ThingRef>> group_things(std::string_view) noexcept override {
    return std::vector<ThingRef>{};
  }
  Result<ThingRef> find_by_metadata(std::string_view, std::string_view) noexcept override {
    return fail(ErrorCode::not_found, "no");
  }
  RegistryWatchId watch(std::function<void(const RegistryEvent&)>) noexcept override { return 1; }
  void unwatch(RegistryWatchId) noexcept override {}
};

class AccessControlTest : public ::testing::Test {
 protected:
  FakeTokens tokens_;
  FakeOrgs orgs_;
  FakeGroups groups_;
  FakeThings things_;
  AccessControlService access_{tokens_, orgs_};
};

TEST_F(AccessControlTest, HeaderForms) {
  EXPECT_EQ(access_.authenticate("Bearer good")->id, "u1");
  EXPECT_EQ(access_.authenticate("bearer  good")->id, "u1");
  EXPECT_EQ(access_.authenticate("Bearer bad").error().code, ErrorCode::unauthenticated);
  EXPECT_EQ(access_.authenticate("").error().code, ErrorCode::unauthenticated);
  EXPECT_EQ(access_.authenticate("Bearer").error().code, ErrorCode::unauthenticated);
  EXPECT_EQ(access_.authenticate("Basic Zm9vOmJhcg==").error().code, ErrorCode::unauthenticated);
  EXPECT_EQ(access_.authenticate("good").error().code, ErrorCode::unauthenticated);
}

TEST_F(AccessControlTest, ThingKeysNeedTheThingDirectory) {
  EXPECT_EQ(access_.authenticate("Thing k1").error().code, ErrorCode::unauthenticated);
  access_.set_thing_directory(&things_);
  auto t = access_.authenticate("Thing k1");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->is_thing());
  EXPECT_EQ(t->id, "t1");
  EXPECT_EQ(t->group_id, "g1");
  EXPECT_EQ(t->profile_id, "p1");
  EXPECT_EQ(t->thing_type, "gateway");
  EXPECT_EQ(access_.authenticate("External x1")->id, "t1");
  EXPECT_EQ(access_.authenticate("External k1").error().code, ErrorCode::unauthenticated);
  EXPECT_EQ(access_.authenticate("Thing nope").error().code, ErrorCode::unauthenticated);
}

TEST_F(AccessControlTest, AuthorizeResolvesOrgRoles) {
  auto u = *access_.authenticate("Bearer good");
  orgs_.roles["o1"] = Role::viewer;
  EXPECT_TRUE(access_.authorize(u, Action::view, Resource::org("o1")));
  EXPECT_EQ(access_.authorize(u, Action::update, Resource::org("o1")).error().code,
            ErrorCode::permission_denied);
  EXPECT_EQ(access_.authorize(u, Action::view, Resource::org("o2")).error().code,
            ErrorCode::not_found);
  orgs_.roles["o1"] = Role::admin;
  EXPECT_TRUE(access_.authorize(u, Action::update, Resource::org("o1")));
}

TEST_F(AccessControlTest, AuthorizeResolvesGroupPlacementAndRoles) {
  auto u = *access_.authenticate("Bearer good");
  orgs_.roles["o1"] = Role::viewer;
  EXPECT_EQ(access_.authorize(u, Action::view, Resource::group("g1")).error().code,
            ErrorCode::not_found);  // no GroupDirectory yet
  access_.set_group_directory(&groups_);
  EXPECT_EQ(access_.authorize(u, Action::view, Resource::group("g1")).error().code,
            ErrorCode::permission_denied);
  groups_.group_role_of_u1 = Role::editor;
  EXPECT_TRUE(access_.authorize(u, Action::update, Resource::thing("t1")));
  EXPECT_EQ(access_.authorize(u, Action::remove, Resource::thing("t1")).error().code,
            ErrorCode::permission_denied);
  EXPECT_EQ(access_.authorize(u, Action::view, Resource::thing("t9")).error().code,
            ErrorCode::not_found);
  groups_.group_role_of_u1 = Role::none;
  orgs_.roles["o1"] = Role::admin;  // org admin → group admin
  EXPECT_TRUE(access_.authorize(u, Action::remove, Resource::thing("t1")));
  EXPECT_EQ(access_.authorize(u, Action::remove, Resource::group("g1")).error().code,
            ErrorCode::permission_denied);
}

TEST_F(AccessControlTest, ThingsCommandThroughTheTypePolicy) {
  access_.set_thing_directory(&things_);
  access_.set_group_directory(&groups_);
  auto gateway = *access_.authenticate("Thing k1");
  EXPECT_TRUE(access_.authorize(gateway, Action::command, Resource::thing("t1")));  // a sensor
  EXPECT_TRUE(access_.authorize(gateway, Action::command, Resource::group("g1")));
  EXPECT_EQ(access_.authorize(gateway, Action::update, Resource::thing("t1")).error().code,
            ErrorCode::permission_denied);
}

}  // namespace
}  // namespace conflux::core::authz
