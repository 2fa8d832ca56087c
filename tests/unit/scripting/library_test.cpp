// The library scripts in scripts/, run through the engine: unit conversion,
// renaming/dropping, ThingsBoard key-value → SenML, Cayenne LPP (the
// published example vectors) and the fixed-layout codec.
// Thread-safety: single-threaded tests.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/unit/scripting/script_test_support.h"

namespace conflux::core::scripting {
namespace {

using ::testing::HasSubstr;
using namespace testing;

std::shared_ptr<const CompiledScript> library(const std::string& path) {
  return compile(read_library_script(path), path);
}

std::string unhex(std::string_view hex) {
  std::string out;
  int hi = -1;
  for (char c : hex) {
    if (c == ' ') continue;
    int v = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<char>(hi * 16 + v));
      hi = -1;
    }
  }
  return out;
}

TEST(LibraryTest, UnitConversion) {
  auto s = library("transforms/unit_conversion.lua");
  SenmlRecord sum;
  sum.name = "energy_total";
  sum.unit = "kWh";
  sum.sum = 2;
  sum.time = 1'700'000'000'000'000'000;
  CallReport report;
  auto out = s->transform(
      senml_message({record("t", 212, "degF"), record("e", 1.5, "kWh"), record("p", 1013.25, "hPa"),
                     record("v", 90, "km/h"), record("x", 7, "Cel"), sum}),
      report);
  ASSERT_TRUE(out) << out.error().message;
  const auto& r = (*out)[0].records;
  EXPECT_EQ(r[0].unit, "Cel");
  EXPECT_DOUBLE_EQ(*r[0].value, 100.0);
  EXPECT_EQ(r[1].unit, "J");
  EXPECT_DOUBLE_EQ(*r[1].value, 5.4e6);
  EXPECT_EQ(r[2].unit, "Pa");
  EXPECT_DOUBLE_EQ(*r[2].value, 101325.0);
  EXPECT_EQ(r[3].unit, "m/s");
  EXPECT_DOUBLE_EQ(*r[3].value, 25.0);
  EXPECT_EQ(r[4].unit, "Cel") << "unlisted units pass";
  EXPECT_DOUBLE_EQ(*r[4].value, 7.0);
  EXPECT_EQ(r[5].unit, "J");
  EXPECT_DOUBLE_EQ(*r[5].sum, 7.2e6);

  auto json = s->transform(json_message(R"({"a":1})"), report);
  ASSERT_TRUE(json);
  EXPECT_EQ((*json)[0].json, R"({"a":1})");
}

TEST(LibraryTest, RenameAndDrop) {
  auto s = library("transforms/rename_fields.lua");
  CallReport report;
  auto out = s->transform(senml_message({record("dev:temp", 21), record("dev:rssi", -70),
                                         record("hum", 40), record("other", 1)}),
                          report);
  ASSERT_TRUE(out) << out.error().message;
  const auto& r = (*out)[0].records;
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].name, "dev:temperature");
  EXPECT_EQ(r[1].name, "humidity");
  EXPECT_EQ(r[2].name, "other");

  auto dropped = s->transform(senml_message({record("rssi", -70)}), report);
  ASSERT_TRUE(dropped);
  EXPECT_TRUE(dropped->empty()) << "nothing left: dropped";

  auto json = s->transform(json_message(R"({"temp":21,"debug":"x","keep":true})"), report);
  ASSERT_TRUE(json) << json.error().message;
  EXPECT_THAT((*json)[0].json, HasSubstr("\"temperature\":21"));
  EXPECT_THAT((*json)[0].json, HasSubstr("\"keep\":true"));
  EXPECT_THAT((*json)[0].json, ::testing::Not(HasSubstr("debug")));
}

TEST(LibraryTest, ThingsBoardKeyValueToSenml) {
  auto s = library("transforms/thingsboard_kv.lua");
  CallReport report;
  auto plain = s->transform(
      json_message(R"({"temperature":42.2,"active":false,"model":"x1","cfg":{"a":1},"gone":null})"),
      report);
  ASSERT_TRUE(plain) << plain.error().message;
  const auto& m = (*plain)[0];
  EXPECT_EQ(m.format, MessageFormat::senml);
  EXPECT_EQ(m.content_type, "application/senml+json");
  ASSERT_EQ(m.records.size(), 4u);
  EXPECT_EQ(m.records[0].name, "active");
  EXPECT_EQ(m.records[0].bool_value, false);
  EXPECT_EQ(m.records[1].name, "cfg");
  EXPECT_EQ(m.records[1].string_value, R"({"a":1})");
  EXPECT_EQ(m.records[2].name, "model");
  EXPECT_EQ(m.records[2].string_value, "x1");
  EXPECT_EQ(m.records[3].name, "temperature");
  EXPECT_EQ(m.records[3].value, 42.2);
  EXPECT_EQ(m.records[3].time, m.created);

  auto timed = s->transform(
      json_message(
          R"([{"ts":1451649600512,"values":{"k 1":1}},{"ts":1451649601512,"values":{"k2":2}}])"),
      report);
  ASSERT_TRUE(timed) << timed.error().message;
  const auto& r = (*timed)[0].records;
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].name, "k_1");
  EXPECT_EQ(r[0].time, 1'451'649'600'512'000'000);
  EXPECT_EQ(r[1].time, 1'451'649'601'512'000'000);
}

struct LppVector {
  const char* hex;
  std::vector<std::tuple<const char*, double, const char*>> records;
};

TEST(LibraryTest, CayenneLppPublishedVectors) {
  auto s = library("codecs/cayenne_lpp.lua");
  const LppVector vectors[] = {
      {"03 67 01 10 05 67 00 FF", {{"temperature_3", 27.2, "Cel"}, {"temperature_5", 25.5, "Cel"}}},
      {"01 67 FF D7 06 71 04 D2 FB 2E 00 00",
       {{"temperature_1", -4.1, "Cel"},
        {"accelerometer_6_x", 1.234 * 9.80665, "m/s2"},
        {"accelerometer_6_y", -1.234 * 9.80665, "m/s2"},
        {"accelerometer_6_z", 0, "m/s2"}}},
      {"01 88 06 76 5F F2 96 0A 00 03 E8",
       {{"gps_1_lat", 42.3519, "lat"}, {"gps_1_lon", -87.9094, "lon"}, {"gps_1_alt", 10, "m"}}},
      {"02 68 61 07 65 01 2C 08 73 27 D5 04 00 00 FF 01 02 02 02 FF 38",
       {{"humidity_2", 48.5, "%RH"},
        {"illuminance_7", 300, "lx"},
        {"barometer_8", 101970, "Pa"},
        {"digital_input_4", 0, ""},
        {"digital_output_255", 2, ""},
        {"analog_input_2", -2, ""}}},
  };
  for (const auto& v : vectors) {
    CallReport report;
    auto decoded = s->decode(unhex(v.hex), "", 1'700'000'000'000'000'000, report);
    ASSERT_TRUE(decoded) << v.hex << ": " << decoded.error().message;
    ASSERT_EQ(decoded->records.size(), v.records.size()) << v.hex;
    for (std::size_t i = 0; i < v.records.size(); ++i) {
      const auto& [name, value, unit] = v.records[i];
      EXPECT_EQ(decoded->records[i].name, name) << v.hex;
      EXPECT_NEAR(*decoded->records[i].value, value, 1e-9) << name;
      EXPECT_EQ(decoded->records[i].unit, unit) << name;
    }
    auto encoded = s->encode(decoded->records, R"({"fport":2})", report);
    ASSERT_TRUE(encoded) << v.hex << ": " << encoded.error().message;
    EXPECT_EQ(encoded->bytes, unhex(v.hex)) << "round trip of " << v.hex;
    EXPECT_EQ(encoded->meta_json, R"({"fport":2})");
  }
}

TEST(LibraryTest, CayenneLppRejectsBadInput) {
  auto s = library("codecs/cayenne_lpp.lua");
  CallReport report;
  EXPECT_FALSE(s->decode(unhex("03 67 01"), "", 0, report));
  EXPECT_THAT(report.error, HasSubstr("truncated temperature"));
  EXPECT_FALSE(s->decode(unhex("03 99 01 02"), "", 0, report));
  EXPECT_THAT(report.error, HasSubstr("unknown LPP type 153"));
  EXPECT_FALSE(s->encode({record("temperature_3", 5000)}, "", report));
  EXPECT_THAT(report.error, HasSubstr("out of range"));
  EXPECT_FALSE(s->encode({record("accelerometer_1_x", 1)}, "", report));
  EXPECT_THAT(report.error, HasSubstr("missing part y"));
  EXPECT_FALSE(s->encode({record("speed_1", 1)}, "", report));
  EXPECT_THAT(report.error, HasSubstr("is not <lpp type>"));
}

TEST(LibraryTest, FixedLayoutCodec) {
  auto s = library("codecs/fixed_layout.lua");
  CallReport report;
  // Default FIELDS: i16 temperature/100, u8 humidity/2, u16 battery/1000, bool alarm.
  auto bytes = unhex("0A A0 51 0C E4 01");
  auto decoded = s->decode(bytes, "", 1'700'000'000'000'000'000, report);
  ASSERT_TRUE(decoded) << decoded.error().message;
  ASSERT_EQ(decoded->records.size(), 4u);
  EXPECT_EQ(decoded->records[0].name, "temperature");
  EXPECT_EQ(*decoded->records[0].value, 27.2);
  EXPECT_EQ(decoded->records[0].unit, "Cel");
  EXPECT_EQ(*decoded->records[1].value, 40.5);
  EXPECT_EQ(*decoded->records[2].value, 3.3);
  EXPECT_EQ(decoded->records[3].bool_value, true);
  auto encoded = s->encode(decoded->records, "", report);
  ASSERT_TRUE(encoded) << encoded.error().message;
  EXPECT_EQ(encoded->bytes, bytes);

  // A layout from meta: little-endian, offset, skip, float.
  const char* meta =
      R"({"endian":"little","fields":[{"name":"t","type":"i16","scale":0.1,"offset":-40},)"
      R"({"type":"skip","size":1},{"name":"f","type":"f32"}]})";
  auto le = s->decode(unhex("F4 01 FF 00 00 C0 3F"), meta, 0, report);
  ASSERT_TRUE(le) << le.error().message;
  ASSERT_EQ(le->records.size(), 2u);
  EXPECT_DOUBLE_EQ(*le->records[0].value, 10.0);
  EXPECT_EQ(*le->records[1].value, 1.5);
  auto back = s->encode(le->records, meta, report);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->bytes, unhex("F4 01 00 00 00 C0 3F"));

  EXPECT_FALSE(s->decode(unhex("0A"), "", 0, report));
  EXPECT_THAT(report.error, HasSubstr("payload too short"));
}

}  // namespace
}  // namespace conflux::core::scripting
