// tests/unit/pipeline — the durable subscription payload: schema and round
// trip, escaping, and clear errors for foreign payloads.
// Thread-safety: single-threaded tests.
#include "core/pipeline/outbox_payload.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace conflux::core {
namespace {

Message senml_message() {
  Message m;
  m.id = "0b6c2f8e-2f51-4b7e-a0d3-1c2b3a4d5e6f";
  m.publisher = "pub";
  m.group = "grp";
  m.profile = "prof";
  m.protocol = "mqtt";
  m.subtopic = "a.b";
  m.content_type = "application/senml+json";
  m.created = 1700000000123456789;
  m.format = MessageFormat::senml;
  SenmlRecord r1;
  r1.name = "dev:temp";
  r1.unit = "Cel";
  r1.time = 1700000000000000000;
  r1.value = 21.5;
  r1.update_time = 60;
  SenmlRecord r2;
  r2.name = "dev:label \"x\"\n";
  r2.string_value = "caf\xc3\xa9";
  SenmlRecord r3;
  r3.name = "dev:flags";
  r3.bool_value = false;
  r3.sum = 3;
  SenmlRecord r4;
  r4.name = "dev:blob";
  r4.data_value = "AQID";
  m.records = {r1, r2, r3, r4};
  return m;
}

TEST(OutboxPayloadTest, SenmlRoundTrips) {
  auto m = senml_message();
  auto text = encode_outbox_payload(m);
  auto back = decode_outbox_payload(text);
  ASSERT_TRUE(back) << back.error().message;
  m.payload.clear();
  EXPECT_EQ(*back, m);
}

TEST(OutboxPayloadTest, SchemaIsPlainJson) {
  auto j = nlohmann::json::parse(encode_outbox_payload(senml_message()));
  EXPECT_EQ(j["v"], 1);
  EXPECT_EQ(j["format"], "senml");
  EXPECT_EQ(j["publisher"], "pub");
  EXPECT_EQ(j["created"], 1700000000123456789);
  EXPECT_EQ(j["records"][0]["name"], "dev:temp");
  EXPECT_EQ(j["records"][0]["unit"], "Cel");
  EXPECT_EQ(j["records"][0]["value"], 21.5);
  EXPECT_EQ(j["records"][0]["time"], 1700000000000000000);
  EXPECT_FALSE(j["records"][0].contains("string_value"));
  EXPECT_FALSE(j["records"][1].contains("unit"));
  EXPECT_EQ(j["records"][2]["bool_value"], false);
  EXPECT_EQ(j["records"][3]["data_value"], "AQID");
  EXPECT_FALSE(j.contains("json"));
}

TEST(OutboxPayloadTest, JsonDocumentIsEmbeddedAsJson) {
  Message m;
  m.id = "id";
  m.publisher = "p";
  m.format = MessageFormat::json;
  m.json = R"({"temp":21.5,"tags":["a","b"]})";
  auto text = encode_outbox_payload(m);
  auto j = nlohmann::json::parse(text);
  EXPECT_EQ(j["json"]["temp"], 21.5);
  auto back = decode_outbox_payload(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->json, m.json);
  EXPECT_EQ(back->format, MessageFormat::json);
}

TEST(OutboxPayloadTest, ForeignPayloadsFailClearly) {
  auto not_json = decode_outbox_payload("nope");
  ASSERT_FALSE(not_json);
  EXPECT_EQ(not_json.error().code, ErrorCode::invalid_argument);
  auto future = decode_outbox_payload(R"({"v":2})");
  ASSERT_FALSE(future);
  EXPECT_EQ(future.error().code, ErrorCode::failed_precondition);
  EXPECT_NE(future.error().message.find("version 2"), std::string::npos);
  auto bad_record = decode_outbox_payload(R"({"v":1,"format":"senml","records":[{"value":"x"}]})");
  ASSERT_FALSE(bad_record);
  EXPECT_NE(bad_record.error().message.find("record 0"), std::string::npos);
}

}  // namespace
}  // namespace conflux::core
