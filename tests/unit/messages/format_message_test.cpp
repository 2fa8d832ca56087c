// Tests for format_message: the profile's content type decides, reception
// time, copied fields, JSON arrays split into messages, and the no-config
// outcome.
// Thread-safety: single-threaded tests of thread-safe functions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "conflux/testing/matchers.h"
#include "core/messages/format.h"

namespace conflux::core {
namespace {

using testing::IsErrorWith;
using testing::IsOk;

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kNow = 1'700'000'000 * kSecond;

Message raw_message(std::string payload, std::int64_t created = 0) {
  Message raw;
  raw.publisher = "33eb28c3-4ca2-45c3-b1c5-d5d049c6c24e";
  raw.group = "g1";
  raw.profile = "p1";
  raw.protocol = "http";
  raw.subtopic = "room.1";
  raw.content_type = "application/json";  // what the device said; the profile decides
  raw.created = created;
  raw.payload = std::move(payload);
  return raw;
}

ProfileConfig profile(std::string_view content_type) {
  ProfileConfig config;
  config.content_type = std::string(content_type);
  return config;
}

TEST(FormatMessage, SenmlGivesOneMessageWithRecords) {
  auto raw = raw_message(
      R"([{"bn":"some-base-name:","bt":1.276020076001e+09,"bu":"A","bver":5,"n":"voltage","u":"V","v":120.1}, {"n":"current","t":-5,"v":1.2}, {"n":"current","t":-4,"v":1.3}])",
      kNow);
  auto messages = format_message(raw, profile(kSenmlJson), kNow + 5 * kSecond);
  ASSERT_THAT(messages, IsOk());
  ASSERT_EQ(messages->size(), 1u);
  const Message& m = (*messages)[0];
  EXPECT_EQ(m.format, MessageFormat::senml);
  EXPECT_EQ(m.created, kNow);  // raw.created is the reception time
  EXPECT_EQ(m.records.size(), 3u);
  EXPECT_EQ(m.publisher, raw.publisher);
  EXPECT_EQ(m.group, "g1");
  EXPECT_EQ(m.profile, "p1");
  EXPECT_EQ(m.protocol, "http");
  EXPECT_EQ(m.subtopic, "room.1");
  EXPECT_EQ(m.content_type, "application/json");
  EXPECT_EQ(m.payload, raw.payload);
  EXPECT_EQ(m.json, "");
}

TEST(FormatMessage, RelativeSenmlTimesUseTheReceptionTime) {
  auto with_created =
      format_message(raw_message(R"([{"n":"a","t":-1,"v":1}])", kNow), profile(kSenmlJson), 5);
  ASSERT_THAT(with_created, IsOk());
  EXPECT_EQ((*with_created)[0].records[0].time, kNow - kSecond);
  auto without =
      format_message(raw_message(R"([{"n":"a","t":-1,"v":1}])"), profile(kSenmlJson), kNow);
  ASSERT_THAT(without, IsOk());
  EXPECT_EQ((*without)[0].created, kNow);
  EXPECT_EQ((*without)[0].records[0].time, kNow - kSecond);
}

TEST(FormatMessage, JsonArrayGivesOneMessagePerElement) {
  ProfileConfig config = profile("application/json; charset=utf-8");
  config.transformer.time_field = "ts";
  config.transformer.time_format = "unix";
  auto raw = raw_message(R"([{"ts": 10, "v": 1}, {"ts": 20, "v": 2}])", kNow);
  auto messages = format_message(raw, config, 0);
  ASSERT_THAT(messages, IsOk());
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_EQ((*messages)[0].format, MessageFormat::json);
  EXPECT_EQ((*messages)[0].created, 10 * kSecond);
  EXPECT_EQ((*messages)[0].json, R"({"ts":10,"v":1})");
  EXPECT_EQ((*messages)[0].payload, R"({"ts":10,"v":1})");
  EXPECT_EQ((*messages)[1].created, 20 * kSecond);
  EXPECT_EQ((*messages)[1].payload, R"({"ts":20,"v":2})");
  EXPECT_EQ((*messages)[1].publisher, raw.publisher);
  EXPECT_TRUE((*messages)[1].id.empty());
  EXPECT_TRUE((*messages)[1].records.empty());
}

TEST(FormatMessage, JsonObjectKeepsThePayload) {
  auto raw = raw_message(R"({"b": 1, "a": 2})");
  auto messages = format_message(raw, profile(kJson), kNow);
  ASSERT_THAT(messages, IsOk());
  ASSERT_EQ(messages->size(), 1u);
  EXPECT_EQ((*messages)[0].payload, raw.payload);
  EXPECT_EQ((*messages)[0].json, R"({"a":2,"b":1})");
  EXPECT_EQ((*messages)[0].created, kNow);
}

TEST(FormatMessage, ProfileWithoutConfigFailsClearly) {
  EXPECT_THAT(format_message(raw_message("[]"), ProfileConfig{}, kNow),
              IsErrorWith(ErrorCode::failed_precondition, "profile has no usable message config"));
  EXPECT_THAT(format_message(raw_message("[]"), profile("text/csv"), kNow),
              IsErrorWith(ErrorCode::failed_precondition,
                          "profile content type 'text/csv' is not supported"));
}

TEST(FormatMessage, BadPayloadsAreInvalidArguments) {
  EXPECT_THAT(format_message(raw_message(R"({"n":"a"})"), profile(kSenmlJson), kNow),
              IsErrorWith(ErrorCode::invalid_argument, "SenML payload must be a JSON array"));
  EXPECT_THAT(format_message(raw_message("nope"), profile(kJson), kNow),
              IsErrorWith(ErrorCode::invalid_argument, "payload is not valid JSON"));
}

}  // namespace
}  // namespace conflux::core
