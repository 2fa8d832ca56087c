#include "plugins/mqtt/topics.h"

#include <gtest/gtest.h>

namespace conflux::mqtt {
namespace {

TEST(MessagesTopic, ParsesThingAndSubtopic) {
  auto t = parse_messages_topic("things/abc/messages");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->thing_id, "abc");
  EXPECT_EQ(t->subtopic, "");
  t = parse_messages_topic("things/abc/messages/room/1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->thing_id, "abc");
  EXPECT_EQ(t->subtopic, "room/1");
}

TEST(MessagesTopic, RejectsOtherTopics) {
  EXPECT_FALSE(parse_messages_topic("things/abc/commands"));
  EXPECT_FALSE(parse_messages_topic("things//messages"));
  EXPECT_FALSE(parse_messages_topic("things/abc/messagesx"));
  EXPECT_FALSE(parse_messages_topic("things/+/messages"));
  EXPECT_FALSE(parse_messages_topic("groups/abc/messages"));
  EXPECT_FALSE(parse_messages_topic("things/abc"));
  EXPECT_FALSE(parse_messages_topic(""));
}

TEST(CommandsTopic, JoinsDottedSubtopics) {
  EXPECT_EQ(thing_commands_topic("t1", ""), "things/t1/commands");
  EXPECT_EQ(thing_commands_topic("t1", "a.b"), "things/t1/commands/a/b");
  EXPECT_EQ(group_commands_topic("g1", "x"), "groups/g1/commands/x");
}

TEST(TopicMatches, FollowsMqttWildcards) {
  EXPECT_TRUE(topic_matches("things/+/messages/#", "things/a/messages"));
  EXPECT_TRUE(topic_matches("things/+/messages/#", "things/a/messages/x/y"));
  EXPECT_FALSE(topic_matches("things/+/messages/#", "things/a/commands"));
  EXPECT_TRUE(topic_matches("tele/+/SENSOR", "tele/plug1/SENSOR"));
  EXPECT_FALSE(topic_matches("tele/+/SENSOR", "tele/plug1/STATE"));
  EXPECT_FALSE(topic_matches("tele/+/SENSOR", "tele/a/b/SENSOR"));
  EXPECT_TRUE(topic_matches("#", "a/b"));
  EXPECT_FALSE(topic_matches("#", "$SYS/broker"));
  EXPECT_TRUE(topic_matches("a/b", "a/b"));
  EXPECT_FALSE(topic_matches("a/b", "a/b/c"));
}

TEST(ValidFilter, RejectsMisplacedWildcards) {
  EXPECT_TRUE(valid_filter("a/+/b/#"));
  EXPECT_FALSE(valid_filter("a/#/b"));
  EXPECT_FALSE(valid_filter("a/b+"));
  EXPECT_FALSE(valid_filter(""));
}

TEST(RenderTopic, FillsFieldsAndDropsEmptyLevels) {
  Message m;
  m.publisher = "t1";
  m.group = "g1";
  m.protocol = "http";
  m.subtopic = "room.temp";
  EXPECT_EQ(render_topic("conflux/things/{thing_id}/messages/{subtopic}", m),
            "conflux/things/t1/messages/room/temp");
  m.subtopic.clear();
  EXPECT_EQ(render_topic("conflux/things/{thing_id}/messages/{subtopic}", m),
            "conflux/things/t1/messages");
  EXPECT_EQ(render_topic("out/{group_id}/{protocol}", m), "out/g1/http");
}

TEST(RenderTopic, ValidatesTemplates) {
  EXPECT_TRUE(valid_topic_template("conflux/things/{thing_id}/messages/{subtopic}"));
  EXPECT_FALSE(valid_topic_template("conflux/{unknown}"));
  EXPECT_FALSE(valid_topic_template("conflux/+/x"));
  EXPECT_FALSE(valid_topic_template("conflux/{thing_id"));
  EXPECT_FALSE(valid_topic_template(""));
}

}  // namespace
}  // namespace conflux::mqtt
