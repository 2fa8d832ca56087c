#include "plugins/mqtt/topic_frame.h"

#include <gtest/gtest.h>

#include <string>

namespace conflux::mqtt {
namespace {

TEST(TopicFrame, RoundTripsTheTopicAndAnyPayloadBytes) {
  for (std::string payload : {std::string(), std::string("a\0b", 3), std::string(70000, 'x')}) {
    auto value = encode_topic_frame("things/t1/commands/relay", payload);
    auto frame = decode_topic_frame(value);
    ASSERT_TRUE(frame) << frame.error().message;
    EXPECT_EQ(frame->topic, "things/t1/commands/relay");
    EXPECT_EQ(frame->payload, payload);
  }
}

// The stored format: topic length (u32 little-endian) | topic | payload.
TEST(TopicFrame, TheEncodingIsByteExact) {
  EXPECT_EQ(encode_topic_frame("a/b", "xy"), std::string("\x03\0\0\0a/bxy", 9));
  std::string topic(0x0102, 't');
  auto value = encode_topic_frame(topic, "p");
  ASSERT_EQ(value.size(), 4 + topic.size() + 1);
  EXPECT_EQ(value.substr(0, 4), std::string("\x02\x01\0\0", 4));
  auto header = topic_frame_header(topic);
  EXPECT_EQ(std::string(header.data(), header.size()), value.substr(0, 4));
}

TEST(TopicFrame, TruncatedOrEmptyInputIsRefused) {
  auto value = encode_topic_frame("things/t1/messages", "payload");
  for (std::size_t n = 0; n < 4 + std::string("things/t1/messages").size(); ++n) {
    auto frame = decode_topic_frame(std::string_view(value).substr(0, n));
    EXPECT_FALSE(frame) << "accepted a frame cut at " << n;
    if (!frame) {
      EXPECT_EQ(frame.error().code, ErrorCode::invalid_argument);
    }
  }
  EXPECT_FALSE(decode_topic_frame(std::string("\0\0\0\0payload", 11)));  // empty topic
  EXPECT_FALSE(
      decode_topic_frame(std::string("\xff\xff\xff\xff"
                                     "abc",
                                     7)));
  // Cut inside the payload: still a frame (the payload is the rest).
  auto shorter = decode_topic_frame(std::string_view(value).substr(0, value.size() - 3));
  ASSERT_TRUE(shorter);
  EXPECT_EQ(shorter->payload, "payl");
}

}  // namespace
}  // namespace conflux::mqtt
