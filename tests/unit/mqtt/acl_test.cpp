#include "plugins/mqtt/acl.h"

#include <gtest/gtest.h>

namespace conflux::mqtt {
namespace {

constexpr auto kPub = AclAction::publish;
constexpr auto kSub = AclAction::subscribe;

TEST(ThingAcl, PublishesOnlyToItsOwnMessagesTopics) {
  EXPECT_TRUE(thing_may("t1", "g1", kPub, "things/t1/messages"));
  EXPECT_TRUE(thing_may("t1", "g1", kPub, "things/t1/messages/room/1"));
  EXPECT_FALSE(thing_may("t1", "g1", kPub, "things/t2/messages"));
  EXPECT_FALSE(thing_may("t1", "g1", kPub, "things/t1/commands"));
  EXPECT_FALSE(thing_may("t1", "g1", kPub, "groups/g1/commands"));
  EXPECT_FALSE(thing_may("t1", "g1", kPub, "other/topic"));
  EXPECT_FALSE(thing_may("t1", "g1", kPub, "things/t1/messages/%zz"));
}

TEST(ThingAcl, SubscribesOnlyToItsCommandsAndItsGroups) {
  EXPECT_TRUE(thing_may("t1", "g1", kSub, "things/t1/commands"));
  EXPECT_TRUE(thing_may("t1", "g1", kSub, "things/t1/commands/#"));
  EXPECT_TRUE(thing_may("t1", "g1", kSub, "things/t1/commands/+/x"));
  EXPECT_TRUE(thing_may("t1", "g1", kSub, "groups/g1/commands"));
  EXPECT_TRUE(thing_may("t1", "g1", kSub, "groups/g1/commands/#"));
  EXPECT_FALSE(thing_may("t1", "g1", kSub, "things/t2/commands"));
  EXPECT_FALSE(thing_may("t1", "g1", kSub, "things/+/commands"));
  EXPECT_FALSE(thing_may("t1", "g1", kSub, "things/t1/#"));
  EXPECT_FALSE(thing_may("t1", "g1", kSub, "things/t1/messages"));
  EXPECT_FALSE(thing_may("t1", "g1", kSub, "groups/g2/commands"));
  EXPECT_FALSE(thing_may("t1", "g1", kSub, "#"));
  EXPECT_FALSE(thing_may("t1", "", kSub, "groups//commands"));
}

TEST(ThingAcl, ParsesActions) {
  EXPECT_EQ(parse_acl_action("publish"), AclAction::publish);
  EXPECT_EQ(parse_acl_action("subscribe"), AclAction::subscribe);
  EXPECT_EQ(parse_acl_action("write"), AclAction::publish);
  EXPECT_FALSE(parse_acl_action("delete"));
}

}  // namespace
}  // namespace conflux::mqtt
