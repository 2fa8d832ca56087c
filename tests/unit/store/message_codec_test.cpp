// tests/unit/store/message_codec_test.cpp — message key encodings and the
// row value codec (version 1).
#include "core/store/message_codec.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "core/store/message_keys.h"

namespace conflux::core::store {
namespace {

constexpr std::string_view kUuid = "33eb28c3-4ca2-45c3-b1c5-d5d049c6c24e";

TEST(MessageKeys, UuidRoundTripsAndRejectsNonCanonical) {
  auto bytes = parse_uuid(kUuid);
  ASSERT_TRUE(bytes);
  EXPECT_EQ((*bytes)[0], 0x33);
  EXPECT_EQ((*bytes)[15], 0x4e);
  EXPECT_EQ(format_uuid(*bytes), kUuid);
  EXPECT_FALSE(parse_uuid("33EB28C3-4CA2-45C3-B1C5-D5D049C6C24E"));  // uppercase
  EXPECT_FALSE(parse_uuid("33eb28c34ca245c3b1c5d5d049c6c24e"));
  EXPECT_FALSE(parse_uuid("33eb28c3-4ca2-45c3-b1c5-d5d049c6c24"));
  EXPECT_FALSE(parse_uuid("33eb28c3-4ca2-45c3-b1c5+d5d049c6c24e"));
}

TEST(MessageKeys, PublisherKeyIsUuidBytesOrStableHash) {
  EXPECT_EQ(publisher_key(kUuid), *parse_uuid(kUuid));
  EXPECT_TRUE(publisher_is_uuid(kUuid));
  EXPECT_FALSE(publisher_is_uuid("thing-1"));
  EXPECT_EQ(publisher_key("thing-1"), publisher_key("thing-1"));
  EXPECT_NE(publisher_key("thing-1"), publisher_key("thing-2"));
  // The hash is part of the storage format: pin it.
  EXPECT_EQ(format_uuid(publisher_key("thing-1")), "72ccd5bf-f4f9-9233-b8d7-eb5d05b9cf99");
}

TEST(MessageKeys, TimeEncodingSortsLikeNumbers) {
  const std::int64_t times[] = {
      std::numeric_limits<std::int64_t>::min(), -5'000'000'000, -1, 0, 1, 1'276'020'076'001'000'000,
      std::numeric_limits<std::int64_t>::max()};
  std::string previous;
  for (auto t : times) {
    std::uint8_t buf[8];
    put_time(buf, t);
    EXPECT_EQ(get_time(buf), t);
    std::string encoded(reinterpret_cast<char*>(buf), 8);
    if (!previous.empty()) {
      EXPECT_LT(previous, encoded) << t;
    }
    previous = encoded;
  }
}

TEST(MessageKeys, RowAndIndexKeysRoundTrip) {
  auto pk = publisher_key(kUuid);
  auto row = make_row_key(pk, -42, 7);
  auto parts = parse_row_key(as_view(row));
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->publisher, pk);
  EXPECT_EQ(parts->time, -42);
  EXPECT_EQ(parts->seq, 7u);
  auto index = index_key_of(MessageFormat::json, *parts);
  MessageFormat format{};
  auto back = parse_index_key(as_view(index), &format);
  ASSERT_TRUE(back);
  EXPECT_EQ(format, MessageFormat::json);
  EXPECT_EQ(back->time, -42);
  EXPECT_EQ(back->seq, 7u);
  EXPECT_EQ(back->publisher, pk);
  EXPECT_FALSE(parse_row_key("short"));
  // Index keys order by format, then time.
  EXPECT_LT(as_view(make_index_key(MessageFormat::senml, 5, pk, 9)),
            as_view(make_index_key(MessageFormat::senml, 6, PublisherKey{}, 0)));
  EXPECT_LT(as_view(make_index_key(MessageFormat::senml, 1000, pk, 9)),
            as_view(make_index_key(MessageFormat::json, -1000, pk, 0)));
}

TEST(MessageKeys, HourOfFloorsNegativeTimes) {
  EXPECT_EQ(hour_of(0), 0);
  EXPECT_EQ(hour_of(kNsPerHour - 1), 0);
  EXPECT_EQ(hour_of(kNsPerHour), 1);
  EXPECT_EQ(hour_of(-1), -1);
  EXPECT_EQ(hour_of(-kNsPerHour), -1);
  EXPECT_EQ(hour_of(-kNsPerHour - 1), -2);
}

RowKeyParts key_at(std::string_view publisher, std::int64_t time, std::uint64_t seq = 1) {
  return RowKeyParts{publisher_key(publisher), time, seq};
}

TEST(MessageCodec, SenmlRowRoundTripsEveryValueKind) {
  std::vector<SenmlRecord> records(6);
  records[0].name = "urn:dev:ow:10e2073a01080063:voltage";
  records[0].unit = "V";
  records[0].value = 120.1;
  records[0].update_time = 5.5;
  records[1].name = "label";
  records[1].string_value = "kitchen, \"north\"";
  records[2].name = "door";
  records[2].bool_value = false;
  records[3].name = "blob";
  records[3].data_value = "aGVsbG8=";
  records[4].name = "energy";
  records[4].unit = "J";
  records[4].sum = 1234.5;
  records[5].name = "";  // everything absent but a value
  records[5].value = -0.0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    records[i].time = 1'276'020'076'001'000'000 + static_cast<std::int64_t>(i);
    RowHeader header{kUuid, "5f8a0d2c-4b1e-4c3a-9d1f-0a1b2c3d4e5f", "room.1", "http",
                     1'276'020'080'000'000'000};
    std::string value;
    encode_senml_row(value, header, records[i]);
    EXPECT_EQ(static_cast<std::uint8_t>(value[0]), kRowValueVersion);
    RowView row;
    auto key = key_at(kUuid, records[i].time);
    ASSERT_EQ(decode_row(MessageFormat::senml, key, value, &row), DecodeOutcome::ok) << i;
    StoredRecord stored = to_stored(row);
    EXPECT_EQ(stored.senml, records[i]) << i;
    EXPECT_EQ(stored.publisher, kUuid);
    EXPECT_EQ(stored.message_id, "5f8a0d2c-4b1e-4c3a-9d1f-0a1b2c3d4e5f");
    EXPECT_EQ(stored.subtopic, "room.1");
    EXPECT_EQ(stored.protocol, "http");
    EXPECT_EQ(stored.created, 1'276'020'080'000'000'000);
    EXPECT_EQ(stored.format, MessageFormat::senml);
  }
}

TEST(MessageCodec, PerMessageEncoderMatchesTheOneShotEncoder) {
  RowHeader header{"thing-x", "id-1", "a.b", "lora", 1'000};
  SenmlRowEncoder encoder(header);
  std::string reused;
  for (std::int64_t t : {-5, 0, 1'000, 9'999'999}) {
    SenmlRecord r;
    r.name = "n";
    r.time = t;
    r.sum = 1.5;
    std::string one_shot;
    encode_senml_row(one_shot, header, r);
    encoder.encode(reused, r);
    EXPECT_EQ(reused, one_shot) << t;
  }
}

TEST(MessageCodec, NonUuidIdsAreKeptInline) {
  SenmlRecord r;
  r.name = "t";
  r.value = 1;
  r.time = 10;
  std::string value;
  encode_senml_row(value, RowHeader{"Thing-ABC", "msg-1", "", "mqtt", 3}, r);
  RowView row;
  ASSERT_EQ(decode_row(MessageFormat::senml, key_at("Thing-ABC", 10), value, &row),
            DecodeOutcome::ok);
  EXPECT_TRUE(row.publisher_inline);
  EXPECT_EQ(row.publisher_id(), "Thing-ABC");
  EXPECT_TRUE(row.publisher_equals("Thing-ABC"));
  EXPECT_FALSE(row.publisher_equals("thing-abc"));
  EXPECT_EQ(row.message_id_text(), "msg-1");
  EXPECT_EQ(row.created, 3);
}

TEST(MessageCodec, JsonRowRoundTrips) {
  std::string doc = R"({"name":"temperature","value":20.5,"unit":"°C"})";
  std::string value;
  encode_json_row(value, RowHeader{kUuid, "", "a.b", "http", 99}, doc);
  RowView row;
  ASSERT_EQ(decode_row(MessageFormat::json, key_at(kUuid, 99), value, &row), DecodeOutcome::ok);
  auto stored = to_stored(row);
  EXPECT_EQ(stored.json, doc);
  EXPECT_EQ(stored.created, 99);
  EXPECT_EQ(stored.format, MessageFormat::json);
  EXPECT_EQ(stored.subtopic, "a.b");
  // A JSON value is not a SenML row.
  EXPECT_EQ(decode_row(MessageFormat::senml, key_at(kUuid, 99), value, &row),
            DecodeOutcome::corrupt);
}

TEST(MessageCodec, UnknownVersionAndTruncationAreReported) {
  SenmlRecord r;
  r.name = "n";
  r.value = 2;
  std::string value;
  encode_senml_row(value, RowHeader{kUuid, "m", "", "http", 0}, r);
  RowView row;
  std::string future = value;
  future[0] = 2;
  EXPECT_EQ(decode_row(MessageFormat::senml, key_at(kUuid, 0), future, &row),
            DecodeOutcome::unknown_version);
  for (std::size_t cut = 0; cut < value.size(); ++cut) {
    EXPECT_NE(decode_row(MessageFormat::senml, key_at(kUuid, 0), value.substr(0, cut), &row),
              DecodeOutcome::ok)
        << cut;
  }
  EXPECT_EQ(decode_row(MessageFormat::senml, key_at(kUuid, 0), value + "x", &row),
            DecodeOutcome::corrupt);
}

}  // namespace
}  // namespace conflux::core::store
