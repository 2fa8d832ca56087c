// Tests for AccountsService orgs, org memberships, org invites (the state
// machine with expiry, group invites) and platform invites.
// Thread-safety: single-threaded tests.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/unit/accounts/accounts_fixture.h"

namespace conflux::core::accounts::testing {
namespace {

using namespace std::chrono_literals;
constexpr const char* kUnknownId = "00000000-0000-4000-8000-000000000000";

TEST_F(AccountsTest, CreatorOwnsTheOrgAndRolesGateActions) {
  auto owner = user("owner@example.com");
  auto viewer = user("viewer@example.com");
  auto admin = user("admin@example.com");
  auto outsider = user("outsider@example.com");
  auto id = org(owner, "acme");
  ASSERT_TRUE(svc_->add_members(
      owner, id, {{"viewer@example.com", "viewer"}, {"admin@example.com", "admin"}}));
  EXPECT_EQ(svc_->view_member(owner, id, owner.id)->role, Role::owner);
  EXPECT_EQ(svc_->view_org(viewer, id)->name, "acme");
  EXPECT_EQ(code_of(svc_->view_org(outsider, id)), ErrorCode::permission_denied);
  EXPECT_EQ(code_of(svc_->update_org(viewer, id, "x", "", "{}")), ErrorCode::permission_denied);
  ASSERT_TRUE(svc_->update_org(admin, id, "acme2", "d2", R"({"a":1})"));
  auto o = svc_->view_org(owner, id);
  EXPECT_EQ(o->name, "acme2");
  EXPECT_EQ(o->metadata, R"({"a":1})");
  EXPECT_EQ(code_of(svc_->remove_org(admin, id)), ErrorCode::permission_denied);
  EXPECT_FALSE(groups_.org_groups_removed(id));  // a refused delete touches no groups
  EXPECT_EQ(code_of(svc_->view_org(owner, kUnknownId)), ErrorCode::not_found);
  EXPECT_EQ(code_of(svc_->view_org(owner, "nope")), ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(svc_->create_org(owner, "", "", "{}")), ErrorCode::invalid_argument);

  ASSERT_TRUE(svc_->remove_org(owner, id));
  EXPECT_EQ(code_of(svc_->view_org(owner, id)), ErrorCode::not_found);
  EXPECT_EQ(svc_->list_orgs(viewer, {})->total, 0u);
  EXPECT_TRUE(groups_.removed().contains({id, viewer.id}));  // group memberships dropped
  EXPECT_TRUE(groups_.org_groups_removed(id));               // and the org's groups
}

TEST_F(AccountsTest, ListOrgsShowsMembershipsOrEverythingToRoot) {
  auto a = user("a@example.com");
  auto b = user("b@example.com");
  org(a, "one");
  auto two = org(b, "two");
  org(b, "three");
  EXPECT_EQ(svc_->list_orgs(a, {})->total, 1u);
  EXPECT_EQ(svc_->list_orgs(b, {})->total, 2u);
  EXPECT_EQ(svc_->list_orgs(root(), {})->total, 3u);
  ASSERT_TRUE(svc_->add_members(b, two, {{"a@example.com", "editor"}}));
  EXPECT_EQ(svc_->list_orgs(a, {})->total, 2u);
  PageParams p;
  p.name = "tw";
  auto page = svc_->list_orgs(a, p);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, two);
}

TEST_F(AccountsTest, MembershipsValidateAndProtectTheOwner) {
  auto owner = user("owner@example.com");
  auto m = user("m@example.com");
  auto id = org(owner);
  EXPECT_EQ(code_of(svc_->add_members(owner, id, {{"m@example.com", "boss"}})),
            ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(svc_->add_members(owner, id, {{"m@example.com", "owner"}})),
            ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(svc_->add_members(owner, id, {{"ghost@example.com", "viewer"}})),
            ErrorCode::not_found);
  // All or nothing: the valid first entry is not added when the second fails.
  EXPECT_EQ(code_of(svc_->add_members(
                owner, id, {{"m@example.com", "viewer"}, {"owner@example.com", "viewer"}})),
            ErrorCode::already_exists);
  EXPECT_EQ(svc_->list_members(owner, id, {})->total, 1u);
  ASSERT_TRUE(svc_->add_members(owner, id, {{"m@example.com", "viewer"}}));
  EXPECT_EQ(code_of(svc_->add_members(owner, id, {{"m@example.com", "viewer"}})),
            ErrorCode::already_exists);
  ASSERT_TRUE(svc_->update_members(owner, id, {{"m@example.com", "editor"}}));
  EXPECT_EQ(svc_->view_member(owner, id, m.id)->role, Role::editor);
  EXPECT_EQ(code_of(svc_->update_members(owner, id, {{"owner@example.com", "viewer"}})),
            ErrorCode::permission_denied);
  EXPECT_EQ(code_of(svc_->remove_members(owner, id, {owner.id})), ErrorCode::permission_denied);
  EXPECT_EQ(code_of(svc_->remove_members(owner, id, {kUnknownId})), ErrorCode::not_found);
  EXPECT_EQ(code_of(svc_->add_members(m, id, {{"root@example.com", "viewer"}})),
            ErrorCode::permission_denied);  // editors do not manage members
  auto page = svc_->list_members(m, id, {});
  ASSERT_EQ(page->total, 2u);
  EXPECT_EQ(page->items[0].role, Role::owner);
  EXPECT_EQ(page->items[1].email, "m@example.com");
  ASSERT_TRUE(svc_->remove_members(owner, id, {m.id}));
  EXPECT_EQ(code_of(svc_->view_member(owner, id, m.id)), ErrorCode::not_found);
  EXPECT_EQ(code_of(svc_->view_org(m, id)), ErrorCode::permission_denied);
}

TEST_F(AccountsTest, InviteAcceptCreatesTheMembershipAndGroupMemberships) {
  auto owner = user("owner@example.com");
  auto guest = user("guest@example.com");
  auto id = org(owner);
  const std::string group = "11111111-1111-4111-8111-111111111111";
  groups_.add_group(group, id);
  auto invite =
      svc_->create_invite(owner, id, {"guest@example.com", "editor", {{group, "viewer"}}});
  ASSERT_TRUE(invite) << invite.error().message;
  EXPECT_EQ(invite->state, Invite::State::pending);
  EXPECT_EQ(invite->inviter_email, "owner@example.com");
  EXPECT_EQ(invite->org_name, "org");
  EXPECT_EQ(invite->expires_at - invite->created_at, std::int64_t{7 * 24 * 3600} * 1'000'000'000);
  EXPECT_EQ(code_of(svc_->create_invite(owner, id, {"guest@example.com", "viewer", {}})),
            ErrorCode::already_exists);
  EXPECT_EQ(svc_->invites_received(guest, guest.id, {})->total, 1u);
  EXPECT_EQ(svc_->invites_sent(owner, owner.id, {})->total, 1u);
  EXPECT_EQ(code_of(svc_->invites_received(owner, guest.id, {})), ErrorCode::permission_denied);
  EXPECT_EQ(svc_->list_org_invites(owner, id, {})->total, 1u);
  EXPECT_EQ(code_of(svc_->accept_invite(owner, invite->id)), ErrorCode::permission_denied);

  ASSERT_TRUE(svc_->accept_invite(guest, invite->id));
  EXPECT_EQ(svc_->view_member(owner, id, guest.id)->role, Role::editor);
  EXPECT_EQ(groups_.members().at({group, guest.id}), Role::viewer);
  EXPECT_EQ(svc_->view_invite(guest, invite->id)->state, Invite::State::accepted);
  EXPECT_EQ(code_of(svc_->accept_invite(guest, invite->id)), ErrorCode::failed_precondition);
  EXPECT_EQ(code_of(svc_->decline_invite(guest, invite->id)), ErrorCode::failed_precondition);
  EXPECT_EQ(code_of(svc_->revoke_invite(owner, invite->id)), ErrorCode::failed_precondition);
  // Members cannot be invited again.
  EXPECT_EQ(code_of(svc_->create_invite(owner, id, {"guest@example.com", "viewer", {}})),
            ErrorCode::already_exists);
}

TEST_F(AccountsTest, InviteDeclineRevokeAndExpiry) {
  auto owner = user("owner@example.com");
  auto guest = user("guest@example.com");
  auto id = org(owner);
  auto declined = svc_->create_invite(owner, id, {"guest@example.com", "viewer", {}});
  ASSERT_TRUE(declined);
  EXPECT_EQ(code_of(svc_->decline_invite(owner, declined->id)), ErrorCode::permission_denied);
  ASSERT_TRUE(svc_->decline_invite(guest, declined->id));
  EXPECT_EQ(svc_->view_invite(owner, declined->id)->state, Invite::State::declined);

  auto revoked = svc_->create_invite(owner, id, {"guest@example.com", "viewer", {}});
  ASSERT_TRUE(revoked) << revoked.error().message;  // a declined invite does not block a new one
  EXPECT_EQ(code_of(svc_->revoke_invite(guest, revoked->id)), ErrorCode::permission_denied);
  ASSERT_TRUE(svc_->revoke_invite(owner, revoked->id));
  EXPECT_EQ(code_of(svc_->accept_invite(guest, revoked->id)), ErrorCode::failed_precondition);

  auto expiring = svc_->create_invite(owner, id, {"guest@example.com", "admin", {}});
  ASSERT_TRUE(expiring);
  clock_.advance(7 * 24h);
  EXPECT_EQ(svc_->view_invite(guest, expiring->id)->state, Invite::State::expired);
  EXPECT_EQ(code_of(svc_->accept_invite(guest, expiring->id)), ErrorCode::failed_precondition);
  EXPECT_EQ(code_of(svc_->view_member(owner, id, guest.id)), ErrorCode::not_found);
  auto fresh = svc_->create_invite(owner, id, {"guest@example.com", "admin", {}});
  ASSERT_TRUE(fresh) << fresh.error().message;  // the expired one does not block
  ASSERT_TRUE(svc_->accept_invite(guest, fresh->id));
  EXPECT_EQ(svc_->view_member(owner, id, guest.id)->role, Role::admin);
}

TEST_F(AccountsTest, InviteValidation) {
  auto owner = user("owner@example.com");
  auto viewer = user("viewer@example.com");
  user("guest@example.com");
  auto id = org(owner);
  ASSERT_TRUE(svc_->add_members(owner, id, {{"viewer@example.com", "viewer"}}));
  EXPECT_EQ(code_of(svc_->create_invite(owner, id, {"ghost@example.com", "viewer", {}})),
            ErrorCode::not_found);
  EXPECT_EQ(code_of(svc_->create_invite(owner, id, {"guest@example.com", "king", {}})),
            ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(svc_->create_invite(owner, id, {"bad email", "viewer", {}})),
            ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(svc_->create_invite(viewer, id, {"guest@example.com", "viewer", {}})),
            ErrorCode::permission_denied);
  const std::string foreign = "22222222-2222-4222-8222-222222222222";
  groups_.add_group(foreign, kUnknownId);
  EXPECT_EQ(code_of(svc_->create_invite(owner, id,
                                        {"guest@example.com", "viewer", {{foreign, "viewer"}}})),
            ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(svc_->create_invite(owner, id,
                                        {"guest@example.com", "viewer", {{kUnknownId, "viewer"}}})),
            ErrorCode::not_found);
  EXPECT_EQ(svc_->list_org_invites(owner, id, {})->total, 0u);
}

TEST_F(AccountsTest, PlatformInviteRegistersTheUserAndActivatesTheOrgInvite) {
  auto r = root();
  auto owner = user("owner@example.com");
  auto id = org(owner);
  const std::string group = "11111111-1111-4111-8111-111111111111";
  groups_.add_group(group, id);
  PlatformInviteRequest req{"new@example.com", id, "editor", {{group, "admin"}}};
  EXPECT_EQ(code_of(svc_->create_platform_invite(owner, req)), ErrorCode::permission_denied);
  auto invite = svc_->create_platform_invite(r, req);
  ASSERT_TRUE(invite) << invite.error().message;
  EXPECT_EQ(code_of(svc_->create_platform_invite(r, req)), ErrorCode::already_exists);
  EXPECT_EQ(code_of(svc_->create_platform_invite(r, {"owner@example.com", "", "", {}})),
            ErrorCode::already_exists);
  EXPECT_EQ(code_of(svc_->create_platform_invite(r, {"x@example.com", id, "", {}})),
            ErrorCode::invalid_argument);
  EXPECT_EQ(svc_->list_platform_invites(r, {})->total, 1u);

  EXPECT_EQ(code_of(svc_->register_with_invite(invite->id, "other@example.com", "password-123")),
            ErrorCode::permission_denied);
  EXPECT_EQ(code_of(svc_->register_with_invite(invite->id, "new@example.com", "short")),
            ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(svc_->register_with_invite(kUnknownId, "new@example.com", "password-123")),
            ErrorCode::not_found);
  auto u = svc_->register_with_invite(invite->id, "New@Example.com", "password-123");
  ASSERT_TRUE(u) << u.error().message;
  EXPECT_EQ(code_of(svc_->register_with_invite(invite->id, "new@example.com", "password-123")),
            ErrorCode::failed_precondition);
  EXPECT_EQ(svc_->list_platform_invites(r, {})->items[0].state, Invite::State::accepted);

  auto newbie = principal("new@example.com", "password-123");
  auto received = svc_->invites_received(newbie, newbie.id, {});
  ASSERT_EQ(received->total, 1u);
  EXPECT_EQ(received->items[0].invitee_role, Role::editor);
  ASSERT_TRUE(svc_->accept_invite(newbie, received->items[0].id));
  EXPECT_EQ(svc_->view_member(owner, id, newbie.id)->role, Role::editor);
  EXPECT_EQ(groups_.members().at({group, newbie.id}), Role::admin);
}

TEST_F(AccountsTest, PlatformInviteExpires) {
  auto r = root();
  auto invite = svc_->create_platform_invite(r, {"late@example.com", "", "", {}});
  ASSERT_TRUE(invite);
  clock_.advance(7 * 24h);
  EXPECT_EQ(svc_->list_platform_invites(r, {})->items[0].state, Invite::State::expired);
  EXPECT_EQ(code_of(svc_->register_with_invite(invite->id, "late@example.com", "password-123")),
            ErrorCode::failed_precondition);
  EXPECT_EQ(code_of(svc_->login("late@example.com", "password-123")), ErrorCode::unauthenticated);
  EXPECT_TRUE(svc_->create_platform_invite(r, {"late@example.com", "", "", {}}));
}

}  // namespace
}  // namespace conflux::core::accounts::testing
