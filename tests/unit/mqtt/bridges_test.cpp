#include "plugins/mqtt/bridges.h"

#include <gtest/gtest.h>

namespace conflux::mqtt {
namespace {

TEST(BridgeRule, ParsesATasmotaRule) {
  auto r = parse_bridge_rule(
      "topic=tele/+/SENSOR thing=2 match=metadata:tasmota content_type=application/json "
      "subtopic=energy");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->topic, "tele/+/SENSOR");
  EXPECT_EQ(r->thing_level, 2u);
  EXPECT_EQ(r->metadata_field, "tasmota");
  EXPECT_EQ(r->content_type, "application/json");
  EXPECT_EQ(r->subtopic, "energy");
  EXPECT_EQ(bridge_thing_key(*r, "tele/plug1/SENSOR"), "plug1");
  EXPECT_FALSE(bridge_thing_key(*r, "tele/plug1/STATE"));
}

TEST(BridgeRule, DefaultsToTheExternalKey) {
  auto r = parse_bridge_rule("topic=zigbee2mqtt/+ thing=2");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->metadata_field, "");
  EXPECT_EQ(bridge_thing_key(*r, "zigbee2mqtt/kitchen"), "kitchen");
}

TEST(BridgeRule, RejectsBadRulesNamingTheProblem) {
  auto missing = parse_bridge_rule("thing=2");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("topic is required"), std::string::npos);
  EXPECT_FALSE(parse_bridge_rule("topic=a/+ thing=0"));
  EXPECT_FALSE(parse_bridge_rule("topic=a/+ thing=x"));
  EXPECT_FALSE(parse_bridge_rule("topic=a/+"));
  EXPECT_FALSE(parse_bridge_rule("topic=a/#/b thing=1"));
  EXPECT_FALSE(parse_bridge_rule("topic=a/+ thing=5"));
  EXPECT_FALSE(parse_bridge_rule("topic=a/+ thing=2 match=serial"));
  EXPECT_FALSE(parse_bridge_rule("topic=a/+ thing=2 content_type=text/plain"));
  auto unknown = parse_bridge_rule("topic=a/+ thing=2 colour=red");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("colour"), std::string::npos);
}

TEST(BridgeRule, FindsTheFirstMatchingRule) {
  std::vector<BridgeRule> rules{*parse_bridge_rule("topic=tele/+/SENSOR thing=2"),
                                *parse_bridge_rule("topic=zigbee2mqtt/+ thing=2")};
  EXPECT_EQ(find_bridge(rules, "zigbee2mqtt/x"), &rules[1]);
  EXPECT_EQ(find_bridge(rules, "tele/x/SENSOR"), &rules[0]);
  EXPECT_EQ(find_bridge(rules, "things/x/messages"), nullptr);
}

}  // namespace
}  // namespace conflux::mqtt
