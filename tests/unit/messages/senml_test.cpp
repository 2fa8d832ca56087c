// Tests for parse_senml: the RFC 8428 §5 examples, the seed's example,
// base-field carry-over, relative and exact times, and every error path.
// Thread-safety: single-threaded tests of thread-safe functions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "conflux/testing/matchers.h"
#include "core/messages/format.h"

namespace conflux::core {
namespace {

using testing::IsErrorWith;
using testing::IsOk;

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kNow = 1'700'000'000 * kSecond;

SenmlRecord numeric(std::string name, std::string unit, std::int64_t time, double value) {
  SenmlRecord record;
  record.name = std::move(name);
  record.unit = std::move(unit);
  record.time = time;
  record.value = value;
  return record;
}

std::vector<SenmlRecord> parse_ok(std::string_view payload, std::int64_t now = kNow) {
  auto records = parse_senml(payload, now);
  EXPECT_THAT(records, IsOk()) << payload;
  return records ? *records : std::vector<SenmlRecord>{};
}

void expect_invalid(std::string_view payload, std::string_view message) {
  EXPECT_THAT(parse_senml(payload, kNow),
              IsErrorWith(ErrorCode::invalid_argument, std::string(message)))
      << payload;
}

// RFC 8428 §5.1.1.
TEST(SenmlRfcExamples, SingleDataPoint) {
  auto records = parse_ok(R"([
     {"n":"urn:dev:ow:10e2073a01080063","u":"Cel","v":23.1}
   ])");
  EXPECT_THAT(records,
              ::testing::ElementsAre(numeric("urn:dev:ow:10e2073a01080063", "Cel", kNow, 23.1)));
}

// RFC 8428 §5.1.2, first pack: base name, times "now".
TEST(SenmlRfcExamples, MultipleDataPointsNow) {
  auto records = parse_ok(R"([
  {"bn":"urn:dev:ow:10e2073a01080063:","n":"voltage","u":"V","v":120.1},
  {"n":"current","u":"A","v":1.2}
])");
  EXPECT_THAT(records, ::testing::ElementsAre(
                           numeric("urn:dev:ow:10e2073a01080063:voltage", "V", kNow, 120.1),
                           numeric("urn:dev:ow:10e2073a01080063:current", "A", kNow, 1.2)));
}

// RFC 8428 §5.1.2, second pack: bt, bu, bver 5, negative t; sorted by time,
// stable for equal times (voltage stays before the last current).
TEST(SenmlRfcExamples, MultipleDataPointsWithBaseTime) {
  auto records = parse_ok(R"([
     {"bn":"urn:dev:ow:10e2073a0108006:","bt":1.276020076001e+09,
      "bu":"A","bver":5,
      "n":"voltage","u":"V","v":120.1},
     {"n":"current","t":-5,"v":1.2},
     {"n":"current","t":-4,"v":1.3},
     {"n":"current","t":-3,"v":1.4},
     {"n":"current","t":-2,"v":1.5},
     {"n":"current","t":-1,"v":1.6},
     {"n":"current","v":1.7}
   ])");
  const std::string base = "urn:dev:ow:10e2073a0108006:";
  const std::int64_t bt = 1'276'020'076'001'000'000;
  EXPECT_THAT(records, ::testing::ElementsAre(numeric(base + "current", "A", bt - 5 * kSecond, 1.2),
                                              numeric(base + "current", "A", bt - 4 * kSecond, 1.3),
                                              numeric(base + "current", "A", bt - 3 * kSecond, 1.4),
                                              numeric(base + "current", "A", bt - 2 * kSecond, 1.5),
                                              numeric(base + "current", "A", bt - 1 * kSecond, 1.6),
                                              numeric(base + "voltage", "V", bt, 120.1),
                                              numeric(base + "current", "A", bt, 1.7)));
}

// RFC 8428 §5.1.2, the SensML stream example (closed after the records shown).
TEST(SenmlRfcExamples, StreamWithBaseNameOnly) {
  auto records = parse_ok(R"([
     {"bn":"urn:dev:ow:10e2073a01080063","bt":1.320067464e+09,
      "bu":"%RH","v":21.2},
     {"t":10,"v":21.3},
     {"t":20,"v":21.4},
     {"t":30,"v":21.4},
     {"t":40,"v":21.5},
     {"t":50,"v":21.5},
     {"t":60,"v":21.5},
     {"t":70,"v":21.6},
     {"t":80,"v":21.7}
   ])");
  ASSERT_EQ(records.size(), 9u);
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].name, "urn:dev:ow:10e2073a01080063");
    EXPECT_EQ(records[i].unit, "%RH");
    EXPECT_EQ(records[i].time, (1'320'067'464 + 10 * static_cast<std::int64_t>(i)) * kSecond);
  }
  EXPECT_EQ(records[8].value, 21.7);
}

constexpr std::string_view kMultipleMeasurements = R"([
     {"bn":"urn:dev:ow:10e2073a01080063","bt":1.320067464e+09,
      "bu":"%RH","v":20},
     {"u":"lon","v":24.30621},
     {"u":"lat","v":60.07965},
     {"t":60,"v":20.3},
     {"u":"lon","t":60,"v":24.30622},
     {"u":"lat","t":60,"v":60.07965},
     {"t":120,"v":20.7},
     {"u":"lon","t":120,"v":24.30623},
     {"u":"lat","t":120,"v":60.07966},
     {"u":"%EL","t":150,"v":98},
     {"t":180,"v":21.2},
     {"u":"lon","t":180,"v":24.30628},
     {"u":"lat","t":180,"v":60.07967}
   ])";

// RFC 8428 §5.1.4: the resolved form of §5.1.3, as published.
constexpr std::string_view kResolvedData = R"([
     {"n":"urn:dev:ow:10e2073a01080063","u":"%RH","t":1.320067464e+09,
      "v":20},
     {"n":"urn:dev:ow:10e2073a01080063","u":"lon","t":1.320067464e+09,
      "v":24.30621},
     {"n":"urn:dev:ow:10e2073a01080063","u":"lat","t":1.320067464e+09,
      "v":60.07965},
     {"n":"urn:dev:ow:10e2073a01080063","u":"%RH","t":1.320067524e+09,
      "v":20.3},
     {"n":"urn:dev:ow:10e2073a01080063","u":"lon","t":1.320067524e+09,
      "v":24.30622},
     {"n":"urn:dev:ow:10e2073a01080063","u":"lat","t":1.320067524e+09,
      "v":60.07965},
     {"n":"urn:dev:ow:10e2073a01080063","u":"%RH","t":1.320067584e+09,
      "v":20.7},
     {"n":"urn:dev:ow:10e2073a01080063","u":"lon","t":1.320067584e+09,
      "v":24.30623},
     {"n":"urn:dev:ow:10e2073a01080063","u":"lat","t":1.320067584e+09,
      "v":60.07966},
     {"n":"urn:dev:ow:10e2073a01080063","u":"%EL","t":1.320067614e+09,
      "v":98},
     {"n":"urn:dev:ow:10e2073a01080063","u":"%RH","t":1.320067644e+09,
      "v":21.2},
     {"n":"urn:dev:ow:10e2073a01080063","u":"lon","t":1.320067644e+09,
      "v":24.30628},
     {"n":"urn:dev:ow:10e2073a01080063","u":"lat","t":1.320067644e+09,
      "v":60.07967}
   ])";

// RFC 8428 §5.1.3 resolves to exactly the records of §5.1.4.
TEST(SenmlRfcExamples, MultipleMeasurementsResolveToPublishedResolvedData) {
  auto records = parse_ok(kMultipleMeasurements);
  auto resolved = parse_ok(kResolvedData);
  ASSERT_EQ(records.size(), 13u);
  EXPECT_EQ(records, resolved);
  EXPECT_EQ(records[0], numeric("urn:dev:ow:10e2073a01080063", "%RH", 1'320'067'464 * kSecond, 20));
  EXPECT_EQ(records[9], numeric("urn:dev:ow:10e2073a01080063", "%EL", 1'320'067'614 * kSecond, 98));
  EXPECT_EQ(records[12],
            numeric("urn:dev:ow:10e2073a01080063", "lat", 1'320'067'644 * kSecond, 60.07967));
}

// RFC 8428 §5.1.5.
TEST(SenmlRfcExamples, MultipleDataTypes) {
  auto records = parse_ok(R"([
    {"bn":"urn:dev:ow:10e2073a01080063:","n":"temp","u":"Cel","v":23.1},
    {"n":"label","vs":"Machine Room"},
    {"n":"open","vb":false},
    {"n":"nfv-reader","vd":"aGkgCg"}
  ])");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0], numeric("urn:dev:ow:10e2073a01080063:temp", "Cel", kNow, 23.1));
  EXPECT_EQ(records[1].name, "urn:dev:ow:10e2073a01080063:label");
  EXPECT_EQ(records[1].string_value, "Machine Room");
  EXPECT_EQ(records[1].unit, "");
  EXPECT_FALSE(records[1].value.has_value());
  EXPECT_EQ(records[2].name, "urn:dev:ow:10e2073a01080063:open");
  EXPECT_EQ(records[2].bool_value, false);
  EXPECT_EQ(records[3].name, "urn:dev:ow:10e2073a01080063:nfv-reader");
  EXPECT_EQ(records[3].data_value, "aGkgCg");
  for (const auto& record : records) {
    EXPECT_EQ(record.time, kNow);
    EXPECT_FALSE(record.sum.has_value());
  }
}

// RFC 8428 §5.1.6: the last record uses the third's bn and the first's bt.
TEST(SenmlRfcExamples, CollectionOfResources) {
  auto records = parse_ok(R"([
     {"bn":"2001:db8::2/","bt":1.320078429e+09,
      "n":"temperature","u":"Cel","v":25.2},
     {"n":"humidity","u":"%RH","v":30},
     {"bn":"2001:db8::1/","n":"temperature","u":"Cel","v":12.3},
     {"n":"humidity","u":"%RH","v":67}
   ])");
  const std::int64_t t = 1'320'078'429 * kSecond;
  EXPECT_THAT(records, ::testing::ElementsAre(numeric("2001:db8::2/temperature", "Cel", t, 25.2),
                                              numeric("2001:db8::2/humidity", "%RH", t, 30),
                                              numeric("2001:db8::1/temperature", "Cel", t, 12.3),
                                              numeric("2001:db8::1/humidity", "%RH", t, 67)));
}

// RFC 8428 §5.1.7: a first record with only bn sets the base and is no record.
TEST(SenmlRfcExamples, SettingAnActuator) {
  auto records = parse_ok(R"([
     {"bn":"urn:dev:ow:10e2073a01080063:"},
     {"n":"temp","u":"Cel","v":23.1},
     {"n":"heat","u":"/","v":1},
     {"n":"fan","u":"/","v":0}
   ])");
  EXPECT_THAT(records,
              ::testing::ElementsAre(numeric("urn:dev:ow:10e2073a01080063:temp", "Cel", kNow, 23.1),
                                     numeric("urn:dev:ow:10e2073a01080063:heat", "/", kNow, 1),
                                     numeric("urn:dev:ow:10e2073a01080063:fan", "/", kNow, 0)));
}

TEST(SenmlRfcExamples, TwoLightsOnAndTimedOff) {
  const std::int64_t t = 1'320'078'429 * kSecond;
  EXPECT_THAT(
      parse_ok(R"([
     {"bt":1.320078429e+09,"bu":"/","n":"2001:db8::3","v":1},
     {"n":"2001:db8::4","v":1}
   ])"),
      ::testing::ElementsAre(numeric("2001:db8::3", "/", t, 1), numeric("2001:db8::4", "/", t, 1)));
  EXPECT_THAT(parse_ok(R"([
     {"bt":1.320078429e+09,"bu":"/","n":"2001:db8::3","v":0.5},
     {"n":"2001:db8::4","v":0.5},
     {"n":"2001:db8::3","t":0.1,"v":0},
     {"n":"2001:db8::4","t":0.1,"v":0}
   ])"),
              ::testing::ElementsAre(numeric("2001:db8::3", "/", t, 0.5),
                                     numeric("2001:db8::4", "/", t, 0.5),
                                     numeric("2001:db8::3", "/", t + 100'000'000, 0),
                                     numeric("2001:db8::4", "/", t + 100'000'000, 0)));
}

// The seed's SenML example; its reader lists the same records newest first.
TEST(SenmlSeed, ResolvesNamesUnitsAndTimes) {
  auto records = parse_ok(
      R"([{"bn":"some-base-name:","bt":1.276020076001e+09,"bu":"A","bver":5,"n":"voltage","u":"V","v":120.1}, {"n":"current","t":-5,"v":1.2}, {"n":"current","t":-4,"v":1.3}])");
  EXPECT_THAT(records,
              ::testing::ElementsAre(
                  numeric("some-base-name:current", "A", 1'276'020'071'001'000'000, 1.2),
                  numeric("some-base-name:current", "A", 1'276'020'072'001'000'000, 1.3),
                  numeric("some-base-name:voltage", "V", 1'276'020'076'001'000'000, 120.1)));
}

TEST(SenmlTime, RelativeTimesAreFromNow) {
  auto records = parse_ok(R"([{"n":"a","v":1},{"n":"b","t":-5,"v":2},{"n":"c","t":10.5,"v":3}])");
  EXPECT_THAT(records, ::testing::ElementsAre(numeric("b", "", kNow - 5 * kSecond, 2),
                                              numeric("a", "", kNow, 1),
                                              numeric("c", "", kNow + 10'500'000'000, 3)));
}

TEST(SenmlTime, RelativeBaseTimePlusTime) {
  auto records = parse_ok(R"([{"bt":-60,"n":"x","v":1},{"n":"y","t":30,"v":1}])");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].time, kNow - 60 * kSecond);
  EXPECT_EQ(records[1].time, kNow - 30 * kSecond);
}

TEST(SenmlTime, SumReachingTwoToThe28IsAbsolute) {
  constexpr std::int64_t k2to28 = std::int64_t{1} << 28;
  auto records = parse_ok(R"([{"bt":268435446,"n":"x","v":1},{"n":"y","t":20,"v":1}])");
  ASSERT_EQ(records.size(), 2u);
  // Sorted by time: y (absolute, 1978) comes before x (relative to now).
  EXPECT_EQ(records[0].name, "y");
  EXPECT_EQ(records[0].time, (k2to28 + 10) * kSecond);
  EXPECT_EQ(records[1].name, "x");
  EXPECT_EQ(records[1].time, kNow + (k2to28 - 10) * kSecond);
  EXPECT_EQ(parse_ok(R"([{"n":"x","t":268435456,"v":1}])")[0].time, k2to28 * kSecond);
}

TEST(SenmlTime, DecimalTimesAreExactToTheNanosecond) {
  EXPECT_EQ(parse_ok(R"([{"n":"x","bt":1700000000.123456789,"v":1}])")[0].time,
            1'700'000'000'123'456'789);
  EXPECT_EQ(parse_ok(R"([{"n":"x","bt":1.7e9,"t":1e-9,"v":1}])")[0].time,
            1'700'000'000'000'000'001);
  EXPECT_EQ(parse_ok(R"([{"n":"x","bt":1276020076.0015,"t":-0.0015,"v":1}])")[0].time,
            1'276'020'076'000'000'000);
  // Beyond nanoseconds: rounded half away from zero.
  EXPECT_EQ(parse_ok(R"([{"n":"x","t":1700000000.0000000005,"v":1}])")[0].time,
            1'700'000'000'000'000'001);
}

TEST(SenmlTime, MissingTimeIsNow) { EXPECT_EQ(parse_ok(R"([{"n":"x","v":1}])", 42)[0].time, 42); }

TEST(SenmlBaseFields, ValueAndSumCarryOver) {
  auto records = parse_ok(R"([
    {"bn":"dev:","bv":100,"bs":10,"n":"a","v":1,"s":2},
    {"n":"b","v":-1},
    {"n":"c","vs":"x"},
    {"n":"d","s":5},
    {"bv":0,"n":"e","v":3}
  ])");
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[0].value, 101);
  EXPECT_EQ(records[0].sum, 12);
  EXPECT_EQ(records[1].value, 99);
  EXPECT_EQ(records[1].sum, 10);
  EXPECT_EQ(records[2].string_value, "x");
  EXPECT_FALSE(records[2].value.has_value());
  EXPECT_EQ(records[2].sum, 10);
  EXPECT_FALSE(records[3].value.has_value());
  EXPECT_EQ(records[3].sum, 15);
  EXPECT_EQ(records[4].value, 3);
  EXPECT_EQ(records[4].name, "dev:e");
}

TEST(SenmlBaseFields, UnitCarriesOverUntilRedefined) {
  auto records = parse_ok(R"([{"bu":"A","n":"a","v":1},{"n":"b","u":"V","v":1},
                               {"n":"c","v":1},{"bu":"W","n":"d","v":1}])");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].unit, "A");
  EXPECT_EQ(records[1].unit, "V");
  EXPECT_EQ(records[2].unit, "A");
  EXPECT_EQ(records[3].unit, "W");
}

TEST(SenmlBaseFields, BaseNameAloneIsTheName) {
  auto records = parse_ok(R"([{"bn":"sensor-1","v":1},{"bn":"","n":"x","v":2}])");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].name, "sensor-1");
  EXPECT_EQ(records[1].name, "x");
}

TEST(SenmlRecords, SumOnlyRecordIsValid) {
  auto records = parse_ok(R"([{"n":"energy","u":"J","s":42.5}])");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_FALSE(records[0].value.has_value());
  EXPECT_EQ(records[0].sum, 42.5);
}

TEST(SenmlRecords, UpdateTimeIsKept) {
  EXPECT_EQ(parse_ok(R"([{"n":"a","v":1,"ut":60.5}])")[0].update_time, 60.5);
}

TEST(SenmlRecords, ValueWithSumIsValid) {
  auto records = parse_ok(R"([{"n":"a","v":1,"s":5}])");
  EXPECT_EQ(records[0].value, 1);
  EXPECT_EQ(records[0].sum, 5);
}

TEST(SenmlRecords, UnknownFieldsAreIgnored) {
  auto records = parse_ok(
      R"([{"n":"a","foo":{"deep":[1,2,{"x":null}]},"bar":"x","v":1,"baz":[[]],"q":true}])");
  EXPECT_THAT(records, ::testing::ElementsAre(numeric("a", "", kNow, 1)));
}

TEST(SenmlRecords, DeeplyNestedUnknownFieldDoesNotOverflowTheStack) {
  std::string payload = R"([{"n":"a","v":1,"x":)";
  payload.append(200'000, '[');
  payload.append(200'000, ']');
  payload += "}]";
  EXPECT_EQ(parse_ok(payload).size(), 1u);
}

TEST(SenmlRecords, StandardBase64AndPaddingAreAccepted) {
  EXPECT_EQ(parse_ok(R"([{"n":"a","vd":"aGk+Cg=="}])")[0].data_value, "aGk+Cg==");
  EXPECT_EQ(parse_ok(R"([{"n":"a","vd":""}])")[0].data_value, "");
}

TEST(SenmlRecords, LargePack) {
  std::string payload = "[";
  for (int i = 0; i < 10'000; ++i) {
    if (i) payload += ',';
    payload += R"({"n":"s)" + std::to_string(i) + R"(","t":)" + std::to_string(-i) + R"(,"v":1})";
  }
  payload += "]";
  auto records = parse_ok(payload);
  ASSERT_EQ(records.size(), 10'000u);
  EXPECT_EQ(records.front().name, "s9999");
  EXPECT_EQ(records.back().name, "s0");
}

TEST(SenmlErrors, NotJson) {
  expect_invalid("", "payload is not valid JSON");
  expect_invalid("[{\"n\":\"a\",\"v\":1}", "payload is not valid JSON");
  expect_invalid("[{\"n\":\"a\",\"v\":1}] x", "payload is not valid JSON");
  expect_invalid("[{\"n\":\"a\",\"v\":1e400}]", "payload is not valid JSON");
  expect_invalid("[{\"n\":\"\xff\",\"v\":1}]", "payload is not valid JSON");
  expect_invalid("[{\"n\":\"a\",\"v\":NaN}]", "payload is not valid JSON");
}

TEST(SenmlErrors, PackShape) {
  expect_invalid(R"({"n":"a","v":1})", "SenML payload must be a JSON array of records");
  expect_invalid("42", "SenML payload must be a JSON array of records");
  expect_invalid(R"("x")", "SenML payload must be a JSON array of records");
  expect_invalid("null", "SenML payload must be a JSON array of records");
  expect_invalid("[]", "SenML pack is an empty array");
  expect_invalid("[1]", "record 0: must be a JSON object");
  expect_invalid(R"([{"n":"a","v":1},[{"n":"b","v":1}]])", "record 1: must be a JSON object");
  expect_invalid(R"([{"n":"a","v":1},null])", "record 1: must be a JSON object");
  expect_invalid(R"([{"bn":"a"}])", "SenML pack has no record with a value or sum");
}

TEST(SenmlErrors, FieldTypesNameRecordAndField) {
  expect_invalid(R"([{"n":1,"v":1}])", "record 0: field 'n' must be a string");
  expect_invalid(R"([{"n":"a","v":"1"}])", "record 0: field 'v' must be a number");
  expect_invalid(R"([{"n":"a","v":1},{"n":"b","v":1},{"n":"c","vb":"yes"}])",
                 "record 2: field 'vb' must be a boolean");
  expect_invalid(R"([{"n":"a","vs":5}])", "record 0: field 'vs' must be a string");
  expect_invalid(R"([{"n":"a","vd":true}])", "record 0: field 'vd' must be a string");
  expect_invalid(R"([{"n":"a","v":1,"t":"now"}])", "record 0: field 't' must be a number");
  expect_invalid(R"([{"n":"a","v":1,"t":null}])", "record 0: field 't' must be a number");
  expect_invalid(R"([{"bt":[1],"n":"a","v":1}])", "record 0: field 'bt' must be a number");
  expect_invalid(R"([{"bn":5,"n":"a","v":1}])", "record 0: field 'bn' must be a string");
  expect_invalid(R"([{"bu":{},"n":"a","v":1}])", "record 0: field 'bu' must be a string");
  expect_invalid(R"([{"bv":true,"n":"a","v":1}])", "record 0: field 'bv' must be a number");
  expect_invalid(R"([{"bs":"1","n":"a","v":1}])", "record 0: field 'bs' must be a number");
  expect_invalid(R"([{"n":"a","s":{}}])", "record 0: field 's' must be a number");
  expect_invalid(R"([{"n":"a","v":1,"ut":false}])", "record 0: field 'ut' must be a number");
  expect_invalid(R"([{"n":"a","u":2,"v":1}])", "record 0: field 'u' must be a string");
  expect_invalid(R"([{"n":"a","v":{"x":1}}])", "record 0: field 'v' must be a number");
}

TEST(SenmlErrors, Version) {
  expect_invalid(R"([{"bver":0,"n":"a","v":1}])",
                 "record 0: field 'bver' must be a positive integer");
  expect_invalid(R"([{"bver":-1,"n":"a","v":1}])",
                 "record 0: field 'bver' must be a positive integer");
  expect_invalid(R"([{"bver":5.5,"n":"a","v":1}])",
                 "record 0: field 'bver' must be a positive integer");
  expect_invalid(R"([{"bver":"5","n":"a","v":1}])",
                 "record 0: field 'bver' must be a positive integer");
  expect_invalid(R"([{"bver":11,"n":"a","v":1}])", "record 0: SenML version 11 is not supported");
  expect_invalid(R"([{"bver":5,"n":"a","v":1},{"bver":6,"n":"b","v":1}])",
                 "record 1: field 'bver' is 6 but earlier records use version 5");
  expect_invalid(R"([{"n":"a","v":1},{"bver":5,"n":"b","v":1}])",
                 "record 1: field 'bver' is 5 but earlier records use version 10");
  EXPECT_EQ(parse_ok(R"([{"bver":5,"n":"a","v":1},{"bver":5,"n":"b","v":1}])").size(), 2u);
  EXPECT_EQ(parse_ok(R"([{"n":"a","v":1},{"bver":10,"n":"b","v":1}])").size(), 2u);
}

TEST(SenmlErrors, ValueFields) {
  expect_invalid(R"([{"n":"a"}])", "record 0: exactly one of v, vs, vb, vd (or s) is required");
  expect_invalid(R"([{"n":"a","v":1},{"n":"b","u":"V","t":1}])",
                 "record 1: exactly one of v, vs, vb, vd (or s) is required");
  expect_invalid(R"([{"bv":5,"n":"a"}])",
                 "record 0: exactly one of v, vs, vb, vd (or s) is required");
  expect_invalid(R"([{"n":"a","v":1,"vs":"x"}])",
                 "record 0: at most one of v, vs, vb, vd may be present");
  expect_invalid(R"([{"n":"a","vb":true,"vd":"aGk"}])",
                 "record 0: at most one of v, vs, vb, vd may be present");
  expect_invalid(R"([{"n":"a","vd":"not base64!"}])", "record 0: field 'vd' must be base64 text");
  expect_invalid(R"([{"n":"a","vd":"aGk==="}])", "record 0: field 'vd' must be base64 text");
  expect_invalid(R"([{"n":"a","v":1,"ut":-1}])", "record 0: field 'ut' must not be negative");
  expect_invalid(R"([{"bv":1e308,"n":"a","v":1e308}])",
                 "record 0: field 'v' plus 'bv' is out of range");
  expect_invalid(R"([{"bs":-1e308,"n":"a","s":-1e308}])",
                 "record 0: field 's' plus 'bs' is out of range");
}

TEST(SenmlErrors, Names) {
  expect_invalid(R"([{"v":1}])", "record 0: name is empty");
  expect_invalid(R"([{"bn":"","n":"","v":1}])", "record 0: name is empty");
  expect_invalid(R"([{"n":"a b","v":1}])",
                 "record 0: name 'a b' has characters outside [A-Za-z0-9:./_-]");
  expect_invalid(R"([{"n":"-a","v":1}])", "record 0: name '-a' must start with a letter or digit");
  expect_invalid(R"([{"bn":"dev 1:","n":"a","v":1}])", "record 0: name 'dev 1:a' has characters");
  expect_invalid(R"([{"n":"temp\u00b0","v":1}])", "has characters outside");
  expect_invalid(R"([{"n":"a\u0000b","v":1}])", "record 0: name 'a?b' has characters outside");
}

TEST(SenmlErrors, ExtensionsAndDuplicates) {
  expect_invalid(R"([{"n":"a","v":1,"foo_":1}])",
                 "record 0: field 'foo_' must be understood but is not supported");
  expect_invalid(R"([{"n":"a","v":1,"v":2}])", "record 0: field 'v' appears twice");
  expect_invalid(R"([{"n":"a","v":1},{"bn":"x","n":"b","bn":"y","v":1}])",
                 "record 1: field 'bn' appears twice");
}

TEST(SenmlErrors, TimesOutOfRange) {
  expect_invalid(R"([{"bt":1e10,"n":"a","v":1}])", "record 0: field 'bt' is out of range");
  expect_invalid(R"([{"t":10000000000,"n":"a","v":1}])", "record 0: field 't' is out of range");
  expect_invalid(R"([{"t":-18446744073709551615,"n":"a","v":1}])",
                 "record 0: field 't' is out of range");
  expect_invalid(R"([{"t":18446744073709551615,"n":"a","v":1}])",
                 "record 0: field 't' is out of range");
  expect_invalid(R"([{"bt":9e9,"t":9e9,"n":"a","v":1}])",
                 "record 0: time 'bt' + 't' is out of range");
  EXPECT_THAT(parse_senml(R"([{"t":-9.2e9,"n":"a","v":1}])", -1'000'000'000'000'000'000),
              IsErrorWith(ErrorCode::invalid_argument, "record 0: relative time is out of range"));
}

TEST(SenmlErrors, LongNamesAreCutInMessages) {
  std::string name(1000, 'x');
  name += ' ';
  auto result = parse_senml(R"([{"n":")" + name + R"(","v":1}])", kNow);
  ASSERT_FALSE(result);
  EXPECT_LT(result.error().message.size(), 160u);
}

}  // namespace
}  // namespace conflux::core
