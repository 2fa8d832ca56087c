// Tests for parse_json_messages: the seed's example, arrays and objects,
// time fields, data_field, data_filters, dotted paths and every error path.
// Thread-safety: single-threaded tests of thread-safe functions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "conflux/testing/matchers.h"
#include "core/messages/format.h"

namespace conflux::core {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using testing::IsErrorWith;
using testing::IsOk;

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kNow = 1'700'000'000 * kSecond;

auto Document(std::int64_t created, std::string json) {
  return ::testing::AllOf(Field(&JsonDocument::created, created), Field(&JsonDocument::json, json));
}

std::vector<JsonDocument> parse_ok(std::string_view payload,
                                   const TransformerConfig& transformer = {}) {
  auto documents = parse_json_messages(payload, transformer, kNow);
  EXPECT_THAT(documents, IsOk()) << payload;
  return documents ? *documents : std::vector<JsonDocument>{};
}

TransformerConfig with_time(std::string field, std::string format, std::string location = "") {
  TransformerConfig transformer;
  transformer.time_field = std::move(field);
  transformer.time_format = std::move(format);
  transformer.time_location = std::move(location);
  return transformer;
}

// The seed's JSON example: an array becomes two documents.
TEST(JsonMessagesSeed, ArraySplitsIntoDocuments) {
  auto documents = parse_ok(
      R"([{ "name": "temperature", "value": 20.5, "unit": "°C"}, {"name": "humidity", "value": 68, "unit": "%"}])");
  EXPECT_THAT(documents,
              ElementsAre(Document(kNow, R"({"name":"temperature","unit":"°C","value":20.5})"),
                          Document(kNow, R"({"name":"humidity","unit":"%","value":68})")));
  ASSERT_EQ(documents.size(), 2u);
  EXPECT_EQ(documents[0].source, R"({"name":"temperature","unit":"°C","value":20.5})");
}

TEST(JsonMessages, ObjectIsOneDocumentWithoutSource) {
  auto documents =
      parse_ok(R"({"a": {"b": [1, 2.5, "x", null, true]}, "c": 18446744073709551615})");
  EXPECT_THAT(
      documents,
      ElementsAre(Document(kNow, R"({"a":{"b":[1,2.5,"x",null,true]},"c":18446744073709551615})")));
  EXPECT_EQ(documents[0].source, "");
}

// Mainflux's documented transformer example: the time inside the message,
// the data under a field, filtered.
TEST(JsonMessages, MainfluxStyleTransformer) {
  TransformerConfig transformer = with_time("ts", "unix_ms");
  transformer.data_field = "data";
  transformer.data_filters = {"temperature", "humidity"};
  auto documents = parse_ok(R"([
    {"ts": 1568338208123, "data": {"temperature": 21.5, "humidity": 40, "battery": 98}},
    {"ts": "1568338209000", "data": {"temperature": 21.7, "pressure": 1013}}
  ])",
                            transformer);
  EXPECT_THAT(
      documents,
      ElementsAre(Document(1'568'338'208'123'000'000, R"({"humidity":40,"temperature":21.5})"),
                  Document(1'568'338'209'000'000'000, R"({"temperature":21.7})")));
}

TEST(JsonMessages, NestedTimeFieldAndDataField) {
  TransformerConfig transformer = with_time("meta.time", "rfc3339");
  transformer.data_field = "payload.sensors";
  auto documents =
      parse_ok(R"({"meta": {"time": "2021-03-10T16:53:54.5Z"}, "payload": {"sensors": {"t": 1}}})",
               transformer);
  EXPECT_THAT(documents, ElementsAre(Document(1'615'395'234'500'000'000, R"({"t":1})")));
}

TEST(JsonMessages, TimeLocationAppliesToTimesWithoutOffset) {
  auto documents = parse_ok(R"([{"time": "2021-07-15 12:00:00"}, {"time": "2021-01-15 12:00:00"}])",
                            with_time("time", "2006-01-02 15:04:05", "Europe/Belgrade"));
  ASSERT_EQ(documents.size(), 2u);
  EXPECT_EQ(documents[0].created, 1'626'343'200 * kSecond);  // CEST
  EXPECT_EQ(documents[1].created, 1'610'708'400 * kSecond);  // CET
}

TEST(JsonMessages, DottedFiltersKeepStructure) {
  TransformerConfig transformer;
  transformer.data_filters = {"a.b", "c", "missing", "a.x.y", "d.e"};
  auto documents = parse_ok(
      R"({"a": {"b": 1, "z": 2, "x": {"y": 3, "w": 4}}, "c": [1], "d": 5, "q": 0})", transformer);
  EXPECT_THAT(documents, ElementsAre(Document(kNow, R"({"a":{"b":1,"x":{"y":3}},"c":[1]})")));
}

TEST(JsonMessages, KeysWithDotsMatchWhenWhole) {
  TransformerConfig transformer = with_time("m.ts", "unix");
  transformer.data_filters = {"m.ts", "x.y.z"};
  auto documents = parse_ok(R"({"m.ts": 10, "m": {"ts": 20}, "x": {"y.z": 1}})", transformer);
  EXPECT_THAT(documents, ElementsAre(Document(10 * kSecond, R"({"m.ts":10,"x":{"y.z":1}})")));
}

TEST(JsonMessages, FiltersMatchingNothingGiveAnEmptyObject) {
  TransformerConfig transformer;
  transformer.data_filters = {"nope"};
  EXPECT_THAT(parse_ok(R"({"a": 1})", transformer), ElementsAre(Document(kNow, "{}")));
}

TEST(JsonMessages, DeepButAllowedNesting) {
  std::string payload;
  for (int i = 0; i < 127; ++i) payload += R"({"a":)";
  payload += "1";
  payload.append(127, '}');
  EXPECT_EQ(parse_ok(payload).size(), 1u);
}

TEST(JsonMessagesErrors, PayloadShape) {
  EXPECT_THAT(parse_json_messages("", {}, kNow),
              IsErrorWith(ErrorCode::invalid_argument, "payload is not valid JSON"));
  EXPECT_THAT(parse_json_messages(R"({"a":1} {"b":2})", {}, kNow),
              IsErrorWith(ErrorCode::invalid_argument, "payload is not valid JSON"));
  EXPECT_THAT(parse_json_messages("42", {}, kNow),
              IsErrorWith(ErrorCode::invalid_argument,
                          "JSON payload must be an object or an array of objects"));
  EXPECT_THAT(parse_json_messages("[]", {}, kNow),
              IsErrorWith(ErrorCode::invalid_argument, "JSON payload is an empty array"));
  EXPECT_THAT(parse_json_messages(R"([{"a":1}, 2])", {}, kNow),
              IsErrorWith(ErrorCode::invalid_argument, "element 1: must be a JSON object"));
  EXPECT_THAT(parse_json_messages(R"([[{"a":1}]])", {}, kNow),
              IsErrorWith(ErrorCode::invalid_argument, "element 0: must be a JSON object"));
}

TEST(JsonMessagesErrors, DeepNestingIsRejectedNotOverflowed) {
  std::string payload(1'000'000, '[');
  EXPECT_THAT(parse_json_messages(payload, {}, kNow),
              IsErrorWith(ErrorCode::invalid_argument, "payload nests deeper than 128 levels"));
  std::string objects;
  for (int i = 0; i < 200'000; ++i) objects += R"({"a":)";
  EXPECT_THAT(parse_json_messages(objects, {}, kNow),
              IsErrorWith(ErrorCode::invalid_argument, "nests deeper than 128 levels"));
}

TEST(JsonMessagesErrors, MissingTimeFieldNamesElementAndField) {
  auto transformer = with_time("ts", "unix");
  EXPECT_THAT(parse_json_messages(R"([{"ts": 1}, {"t": 2}])", transformer, kNow),
              IsErrorWith(ErrorCode::invalid_argument, "element 1: time field 'ts' is missing"));
  EXPECT_THAT(parse_json_messages(R"({"t": 2})", transformer, kNow),
              IsErrorWith(ErrorCode::invalid_argument, "document: time field 'ts' is missing"));
  EXPECT_THAT(parse_json_messages(R"({"m": 2})", with_time("m.ts", "unix"), kNow),
              IsErrorWith(ErrorCode::invalid_argument, "document: time field 'm.ts' is missing"));
}

TEST(JsonMessagesErrors, BadTimeValues) {
  EXPECT_THAT(parse_json_messages(R"([{"ts": "soon"}])", with_time("ts", "unix"), kNow),
              IsErrorWith(ErrorCode::invalid_argument,
                          "element 0: time field 'ts' value 'soon' is not a number"));
  EXPECT_THAT(parse_json_messages(R"([{"ts": 5}])", with_time("ts", "rfc3339"), kNow),
              IsErrorWith(ErrorCode::invalid_argument,
                          "element 0: time field 'ts' must be a string for time_format 'rfc3339'"));
  EXPECT_THAT(
      parse_json_messages(R"({"ts": "2021-03-10"})", with_time("ts", "rfc3339"), kNow),
      IsErrorWith(ErrorCode::invalid_argument,
                  "document: time field 'ts' value '2021-03-10' does not match time_format"));
}

TEST(JsonMessagesErrors, DataField) {
  TransformerConfig transformer;
  transformer.data_field = "data";
  EXPECT_THAT(parse_json_messages(R"([{"data": {}}, {"x": 1}])", transformer, kNow),
              IsErrorWith(ErrorCode::invalid_argument, "element 1: data field 'data' is missing"));
  EXPECT_THAT(parse_json_messages(R"({"data": [1]})", transformer, kNow),
              IsErrorWith(ErrorCode::invalid_argument,
                          "document: data field 'data' must be a JSON object"));
}

TEST(JsonMessagesErrors, UnusableTransformerIsAFailedPrecondition) {
  EXPECT_THAT(
      parse_json_messages(R"({"ts": 1})", with_time("ts", ""), kNow),
      IsErrorWith(ErrorCode::failed_precondition, "time_field is set but time_format is empty"));
  EXPECT_THAT(parse_json_messages(R"({"ts": 1})", with_time("ts", "bogus"), kNow),
              IsErrorWith(ErrorCode::failed_precondition, "time_format 'bogus'"));
  EXPECT_THAT(parse_json_messages(R"({"ts": 1})", with_time("ts", "unix", "Nowhere/City"), kNow),
              IsErrorWith(ErrorCode::failed_precondition, "unknown time zone 'Nowhere/City'"));
}

}  // namespace
}  // namespace conflux::core
