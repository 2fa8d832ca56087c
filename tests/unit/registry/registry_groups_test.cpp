// Tests for groups and group memberships of RegistryService: creation roles,
// validation, listing scope, the owner rules, emails in member lists.
#include <gmock/gmock.h>

#include "tests/unit/registry/registry_fixture.h"

namespace conflux::core::registry::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(RegistryTest, OrgOwnerCreatingAGroupBecomesItsOwner) {
  auto g = make_group("alpha");
  EXPECT_EQ(g.org_id, org_);
  EXPECT_EQ(g.name, "alpha");
  EXPECT_EQ(g.description, "desc");
  EXPECT_GT(g.created_at, 0);
  EXPECT_EQ(*registry_->group_role(g.id, owner_), Role::owner);

  auto viewed = registry_->view_group(g.id);
  ASSERT_TRUE(viewed);
  EXPECT_EQ(viewed->name, "alpha");
}

TEST_F(RegistryTest, AnotherCreatorBecomesGroupAdmin) {
  auto editor = member(Role::editor, "ed@example.com");
  auto g = registry_->create_group(user(editor), org_, GroupInput{"g", "", "{}"});
  ASSERT_TRUE(g) << g.error().message;
  EXPECT_EQ(*registry_->group_role(g->id, editor), Role::admin);
}

TEST_F(RegistryTest, GroupValidationChangesNothing) {
  auto long_name =
      registry_->create_group(user(owner_), org_, GroupInput{std::string(1025, 'n'), "", "{}"});
  ASSERT_FALSE(long_name);
  EXPECT_EQ(long_name.error().code, ErrorCode::invalid_argument);
  EXPECT_THAT(long_name.error().message, HasSubstr("1024"));
  auto no_name = registry_->create_group(user(owner_), org_, GroupInput{"", "", "{}"});
  EXPECT_EQ(no_name.error().code, ErrorCode::invalid_argument);
  auto bad_meta = registry_->create_group(user(owner_), org_, GroupInput{"g", "", "[1]"});
  EXPECT_EQ(bad_meta.error().code, ErrorCode::invalid_argument);
  auto unknown_org = registry_->create_group(user(owner_), random_uuid(), GroupInput{"g", "", "{}"});
  EXPECT_EQ(unknown_org.error().code, ErrorCode::not_found);
  EXPECT_EQ(entries("groups"), 0u);
  EXPECT_EQ(entries("group_members"), 0u);
  // A name of exactly 1024 characters is fine.
  EXPECT_TRUE(
      registry_->create_group(user(owner_), org_, GroupInput{std::string(1024, 'n'), "", "{}"}));
}

TEST_F(RegistryTest, UpdateAndListGroups) {
  auto a = make_group("alpha");
  auto b = make_group("beta");
  ASSERT_TRUE(registry_->update_group(a.id, GroupInput{"alpha2", "d2", R"({"k":"v"})"}));
  auto viewed = registry_->view_group(a.id);
  EXPECT_EQ(viewed->name, "alpha2");
  EXPECT_EQ(viewed->metadata, R"({"k":"v"})");
  EXPECT_EQ(registry_->update_group(random_uuid(), GroupInput{"x", "", "{}"}).error().code,
            ErrorCode::not_found);

  auto by_org = registry_->list_groups_by_org(org_, PageParams{0, 10, "", ""});
  ASSERT_TRUE(by_org);
  EXPECT_EQ(by_org->total, 2u);
  auto filtered = registry_->list_groups_by_org(org_, PageParams{0, 10, "ALPHA", ""});
  EXPECT_EQ(filtered->total, 1u);
  auto meta = registry_->list_groups_by_org(org_, PageParams{0, 10, "", R"({"k":"v"})"});
  ASSERT_EQ(meta->items.size(), 1u);
  EXPECT_EQ(meta->items[0].id, a.id);
  auto page2 = registry_->list_groups_by_org(org_, PageParams{1, 1, "", ""});
  EXPECT_EQ(page2->total, 2u);
  EXPECT_EQ(page2->items.size(), 1u);
  (void)b;
}

TEST_F(RegistryTest, ListGroupsIsScopedToTheCaller) {
  auto a = make_group("a");
  make_group("b");
  auto viewer = member(Role::viewer, "v@example.com");
  auto admin = member(Role::admin, "a@example.com");
  ASSERT_TRUE(registry_->add_group_members(a.id, {{viewer, "viewer"}}));

  EXPECT_EQ(registry_->list_groups(user(viewer), PageParams{})->total, 1u);
  EXPECT_EQ(registry_->list_groups(user(admin), PageParams{})->total, 2u);  // org admin
  EXPECT_EQ(registry_->list_groups(user(random_uuid()), PageParams{})->total, 0u);
  Principal root = user(random_uuid());
  root.root_admin = true;
  EXPECT_EQ(registry_->list_groups(root, PageParams{})->total, 2u);
}

TEST_F(RegistryTest, MembershipsAddUpdateListRemove) {
  auto g = make_group();
  auto v = member(Role::viewer, "v@example.com");
  auto e = member(Role::viewer, "e@example.com");
  ASSERT_TRUE(registry_->add_group_members(g.id, {{v, "viewer"}, {e, "editor"}}));
  EXPECT_EQ(*registry_->group_role(g.id, v), Role::viewer);
  EXPECT_EQ(*registry_->group_role(g.id, e), Role::editor);

  auto list = registry_->list_group_members(g.id, PageParams{});
  ASSERT_TRUE(list);
  EXPECT_EQ(list->total, 3u);
  std::map<std::string, std::pair<std::string, Role>> seen;
  for (const auto& m : list->items) seen[m.member_id] = {m.email, m.role};
  EXPECT_EQ(seen[owner_], (std::pair<std::string, Role>{"owner@example.com", Role::owner}));
  EXPECT_EQ(seen[v], (std::pair<std::string, Role>{"v@example.com", Role::viewer}));

  ASSERT_TRUE(registry_->update_group_members(g.id, {{v, "admin"}}));
  EXPECT_EQ(*registry_->group_role(g.id, v), Role::admin);

  ASSERT_TRUE(registry_->remove_group_members(g.id, {v}));
  EXPECT_EQ(*registry_->group_role(g.id, v), Role::none);
  EXPECT_EQ(registry_->remove_group_members(g.id, {v}).error().code, ErrorCode::not_found);
}

TEST_F(RegistryTest, MembershipErrorsChangeNothing) {
  auto g = make_group();
  auto v = member(Role::viewer, "v@example.com");
  auto outsider = random_uuid();
  orgs_.add_user(outsider, "out@example.com");
  auto code = [](Status s) { return s ? ErrorCode::internal : s.error().code; };

  EXPECT_EQ(code(registry_->add_group_members(g.id, {{v, "boss"}})), ErrorCode::invalid_argument);
  EXPECT_EQ(code(registry_->add_group_members(g.id, {{v, "owner"}})), ErrorCode::invalid_argument);
  EXPECT_EQ(code(registry_->add_group_members(g.id, {{"not-a-uuid", "viewer"}})),
            ErrorCode::invalid_argument);
  EXPECT_EQ(code(registry_->add_group_members(g.id, {{random_uuid(), "viewer"}})),
            ErrorCode::not_found);
  EXPECT_EQ(code(registry_->add_group_members(g.id, {{outsider, "viewer"}})),
            ErrorCode::invalid_argument);
  EXPECT_EQ(code(registry_->add_group_members(g.id, {{v, "viewer"}, {v, "editor"}})),
            ErrorCode::invalid_argument);
  EXPECT_EQ(code(registry_->add_group_members(random_uuid(), {{v, "viewer"}})), ErrorCode::not_found);
  EXPECT_EQ(entries("group_members"), 1u);  // the owner only

  ASSERT_TRUE(registry_->add_group_members(g.id, {{v, "viewer"}}));
  EXPECT_EQ(code(registry_->add_group_members(g.id, {{v, "editor"}})), ErrorCode::already_exists);
  EXPECT_EQ(*registry_->group_role(g.id, v), Role::viewer);
}

TEST_F(RegistryTest, OwnerCannotBeChangedOrRemoved) {
  auto g = make_group();
  auto v = member(Role::viewer, "v@example.com");
  ASSERT_TRUE(registry_->add_group_members(g.id, {{v, "viewer"}}));
  auto changed = registry_->update_group_members(g.id, {{v, "editor"}, {owner_, "viewer"}});
  ASSERT_FALSE(changed);
  EXPECT_EQ(changed.error().code, ErrorCode::permission_denied);
  EXPECT_EQ(*registry_->group_role(g.id, v), Role::viewer);  // all or nothing
  auto removed = registry_->remove_group_members(g.id, {owner_});
  EXPECT_EQ(removed.error().code, ErrorCode::permission_denied);
  EXPECT_EQ(*registry_->group_role(g.id, owner_), Role::owner);
}

TEST_F(RegistryTest, GroupDirectoryLocatesAndManagesMembersInsideATransaction) {
  auto g = make_group();
  auto p = make_profile(g.id);
  auto t = make_thing(p.id, ThingInput{"", "t", "sensor", "", "", "{}"});
  auto loc = registry_->locate(Resource::Kind::thing, t.id);
  ASSERT_TRUE(loc);
  EXPECT_EQ(loc->group_id, g.id);
  EXPECT_EQ(loc->org_id, org_);
  EXPECT_EQ(loc->thing_type, "sensor");
  EXPECT_EQ(registry_->locate(Resource::Kind::profile, p.id)->group_id, g.id);
  EXPECT_EQ(registry_->locate(Resource::Kind::group, g.id)->org_id, org_);
  EXPECT_EQ(registry_->locate(Resource::Kind::group, random_uuid()).error().code,
            ErrorCode::not_found);

  auto v = random_uuid();
  ASSERT_TRUE(env_->write_sync([&](store::WriteTxn& txn) {
    return registry_->add_members_in(txn, g.id, {{v, Role::editor}, {owner_, Role::viewer}});
  }));
  EXPECT_EQ(*registry_->group_role(g.id, v), Role::editor);
  EXPECT_EQ(*registry_->group_role(g.id, owner_), Role::owner);  // existing left unchanged

  ASSERT_TRUE(env_->write_sync(
      [&](store::WriteTxn& txn) { return registry_->remove_org_member_in(txn, org_, v); }));
  EXPECT_EQ(*registry_->group_role(g.id, v), Role::none);
  EXPECT_TRUE(registry_->verify());
}

}  // namespace
}  // namespace conflux::core::registry::testing
