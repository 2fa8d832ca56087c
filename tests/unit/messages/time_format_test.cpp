// Tests for TimeFormat (core/messages/time_format.h): unix units, named Go
// layouts, custom layouts, ISO 8601, zones (DST-aware) and rejects.
// Thread-safety: single-threaded tests of thread-safe functions.
#include "core/messages/time_format.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "conflux/testing/matchers.h"

namespace conflux::core::messages_detail {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using testing::IsErrorWith;
using testing::IsOk;

constexpr std::int64_t kSecond = 1'000'000'000;

// 2006-01-02T15:04:05Z, Go's reference time.
constexpr std::int64_t kReference = 1'136'214'245 * kSecond;

std::int64_t read_ok(std::string_view format, const json& value, std::string_view zone = "") {
  auto compiled = TimeFormat::compile(format);
  EXPECT_THAT(compiled, IsOk()) << format;
  if (!compiled) return 0;
  auto tz = TimeZone::find(zone);
  EXPECT_THAT(tz, IsOk()) << zone;
  if (!tz) return 0;
  auto nanos = compiled->read(value, *tz);
  EXPECT_TRUE(nanos.has_value()) << format << " " << value.dump() << ": " << nanos.error();
  return nanos.value_or(0);
}

std::string read_error(std::string_view format, const json& value, std::string_view zone = "") {
  auto compiled = TimeFormat::compile(format);
  EXPECT_THAT(compiled, IsOk()) << format;
  if (!compiled) return "";
  auto nanos = compiled->read(value, TimeZone::find(zone).value());
  EXPECT_FALSE(nanos.has_value()) << format << " " << value.dump();
  return nanos ? "" : nanos.error();
}

TEST(TimeFormatUnix, SecondsFromNumbersAndStrings) {
  EXPECT_EQ(read_ok("unix", 1568338208), 1'568'338'208 * kSecond);
  EXPECT_EQ(read_ok("unix", "1568338208"), 1'568'338'208 * kSecond);
  EXPECT_EQ(read_ok("unix", "1568338208.123456789"), 1'568'338'208'123'456'789);
  EXPECT_EQ(read_ok("unix", 1568338208.5), 1'568'338'208'500'000'000);
  EXPECT_EQ(read_ok("unix", 1568338208.123456), 1'568'338'208'123'456'000);
  EXPECT_EQ(read_ok("unix", -1), -kSecond);
  EXPECT_EQ(read_ok("UNIX", 0), 0);
}

TEST(TimeFormatUnix, SmallerUnits) {
  EXPECT_EQ(read_ok("unix_ms", 1568338208123), 1'568'338'208'123'000'000);
  EXPECT_EQ(read_ok("unix_ms", "1568338208123.5"), 1'568'338'208'123'500'000);
  EXPECT_EQ(read_ok("unix_us", 1568338208123456), 1'568'338'208'123'456'000);
  EXPECT_EQ(read_ok("unix_ns", json(std::uint64_t{1568338208123456789})),
            1'568'338'208'123'456'789);
  EXPECT_EQ(read_ok("unix_ns", "1568338208123456789"), 1'568'338'208'123'456'789);
}

TEST(TimeFormatUnix, Rejects) {
  EXPECT_THAT(read_error("unix", true), HasSubstr("must be a number or a numeric string"));
  EXPECT_THAT(read_error("unix", nullptr), HasSubstr("must be a number or a numeric string"));
  EXPECT_THAT(read_error("unix", json::object()),
              HasSubstr("must be a number or a numeric string"));
  EXPECT_THAT(read_error("unix", "12:00"), HasSubstr("value '12:00' is not a number"));
  EXPECT_THAT(read_error("unix", " 12"), HasSubstr("is not a number"));
  EXPECT_THAT(read_error("unix", ""), HasSubstr("is not a number"));
  EXPECT_THAT(read_error("unix", 1e10), HasSubstr("outside the supported range"));
  EXPECT_THAT(read_error("unix_ns", json(std::uint64_t{18446744073709551615u})),
              HasSubstr("outside the supported range"));
}

TEST(TimeFormatNamed, Rfc3339) {
  EXPECT_EQ(read_ok("rfc3339", "2006-01-02T15:04:05Z"), kReference);
  EXPECT_EQ(read_ok("RFC3339", "2006-01-02T16:04:05+01:00"), kReference);
  EXPECT_EQ(read_ok("rfc3339", "2006-01-02T08:04:05-07:00"), kReference);
  EXPECT_EQ(read_ok("rfc3339", "2006-01-02T15:04:05.25Z"), kReference + 250'000'000);
  EXPECT_EQ(read_ok("rfc3339nano", "2006-01-02T15:04:05.123456789Z"), kReference + 123'456'789);
  EXPECT_EQ(read_ok("rfc3339nano", "2006-01-02T15:04:05Z"), kReference);
  // An explicit offset wins over time_location.
  EXPECT_EQ(read_ok("rfc3339", "2006-01-02T15:04:05Z", "Europe/Belgrade"), kReference);
}

TEST(TimeFormatNamed, Rfc3339Rejects) {
  EXPECT_THAT(read_error("rfc3339", "2006-01-02T15:04:05"), HasSubstr("expected a UTC offset"));
  EXPECT_THAT(read_error("rfc3339", "2006-01-02 15:04:05Z"), HasSubstr("expected 'T'"));
  EXPECT_THAT(read_error("rfc3339", "2006-13-02T15:04:05Z"), HasSubstr("month out of range"));
  EXPECT_THAT(read_error("rfc3339", "2006-02-30T15:04:05Z"), HasSubstr("day out of range"));
  EXPECT_THAT(read_error("rfc3339", "2006-01-02T24:04:05Z"), HasSubstr("hour out of range"));
  EXPECT_THAT(read_error("rfc3339", "2006-01-02T15:04:05Zjunk"), HasSubstr("extra text 'junk'"));
  EXPECT_THAT(read_error("rfc3339", 1136214245), HasSubstr("must be a string for time_format"));
  EXPECT_THAT(read_error("rfc3339", "x"),
              HasSubstr("value 'x' does not match time_format 'rfc3339' "
                        "(2006-01-02T15:04:05Z07:00): expected a 4-digit year at 'x'"));
}

TEST(TimeFormatNamed, Rfc1123AndFriends) {
  EXPECT_EQ(read_ok("rfc1123", "Mon, 02 Jan 2006 15:04:05 GMT"), kReference);
  EXPECT_EQ(read_ok("rfc1123", "Mon, 02 Jan 2006 15:04:05 UTC"), kReference);
  EXPECT_EQ(read_ok("rfc1123", "Mon, 02 Jan 2006 08:04:05 MST"), kReference);
  EXPECT_EQ(read_ok("rfc1123", "Mon, 02 Jan 2006 10:04:05 EST"), kReference);
  EXPECT_EQ(read_ok("rfc1123z", "Mon, 02 Jan 2006 08:04:05 -0700"), kReference);
  EXPECT_EQ(read_ok("rfc822", "02 Jan 06 15:04 UTC"), kReference - 5 * kSecond);
  EXPECT_EQ(read_ok("rfc822z", "02 Jan 06 16:04 +0100"), kReference - 5 * kSecond);
  EXPECT_EQ(read_ok("rfc850", "Monday, 02-Jan-06 15:04:05 UTC"), kReference);
  EXPECT_EQ(read_ok("ansic", "Mon Jan  2 15:04:05 2006"), kReference);
  EXPECT_EQ(read_ok("unixdate", "Mon Jan  2 15:04:05 UTC 2006"), kReference);
  EXPECT_EQ(read_ok("rubydate", "Mon Jan 02 15:04:05 +0000 2006"), kReference);
  EXPECT_EQ(read_ok("datetime", "2006-01-02 15:04:05"), kReference);
  EXPECT_EQ(read_ok("dateonly", "2006-01-02"), kReference - (15 * 3600 + 4 * 60 + 5) * kSecond);
  // Month and weekday names are case-insensitive, weekdays are not checked.
  EXPECT_EQ(read_ok("rfc1123", "fri, 02 JAN 2006 15:04:05 GMT"), kReference);
}

TEST(TimeFormatNamed, ZoneAbbreviationsFromTheLocation) {
  // Summer and winter abbreviations of Europe/Belgrade.
  EXPECT_EQ(read_ok("rfc1123", "Fri, 02 Jul 2021 12:00:00 CEST", "Europe/Belgrade"),
            1'625'220'000 * kSecond);
  EXPECT_EQ(read_ok("rfc1123", "Fri, 02 Jul 2021 12:00:00 CET", "Europe/Belgrade"),
            1'625'223'600 * kSecond);
  EXPECT_THAT(read_error("rfc1123", "Fri, 02 Jul 2021 12:00:00 CEST"),
              HasSubstr("unknown time zone abbreviation 'CEST' (set time_location"));
  EXPECT_THAT(read_error("rfc1123", "Fri, 02 Jul 2021 12:00:00 XYZ", "Europe/Belgrade"),
              HasSubstr("unknown time zone abbreviation 'XYZ'"));
  EXPECT_THAT(read_error("rfc1123", "Fri, 02 Jul 2021 12:00:00 cest"),
              HasSubstr("expected a time zone name"));
}

TEST(TimeFormatLayouts, GoReferenceLayouts) {
  EXPECT_EQ(read_ok("2006-01-02 15:04:05", "2006-01-02 15:04:05"), kReference);
  EXPECT_EQ(read_ok("2006-01-02T15:04:05", "2006-01-02T15:04:05"), kReference);
  EXPECT_EQ(read_ok("2006-01-02T15:04:05.000Z07:00", "2006-01-02T15:04:05.250Z"),
            kReference + 250'000'000);
  EXPECT_EQ(read_ok("02/01/2006 15:04", "02/01/2006 15:04"), kReference - 5 * kSecond);
  EXPECT_EQ(read_ok("20060102150405", "20060102150405"), kReference);
  EXPECT_EQ(read_ok("Jan _2 2006 3:04:05 PM", "Jan  2 2006 3:04:05 PM"), kReference);
  EXPECT_EQ(read_ok("Jan 2 2006 03:04:05pm", "Jan 2 2006 03:04:05pm"), kReference);
  EXPECT_EQ(read_ok("January 2, 2006 15:04:05 -07:00", "January 2, 2006 08:04:05 -07:00"),
            kReference);
  EXPECT_EQ(read_ok("2006.002 15:04:05", "2006.002 15:04:05"), kReference);
  EXPECT_EQ(read_ok("06-1-2 15:04:05", "06-1-2 15:04:05"), kReference);
  EXPECT_EQ(read_ok("2006-01-02 15:04:05,000", "2006-01-02 15:04:05,125"),
            kReference + 125'000'000);
  EXPECT_EQ(read_ok("2006-01-02 15:04:05.999", "2006-01-02 15:04:05"), kReference);
  EXPECT_EQ(read_ok("2006-01-02 15:04:05 MST", "2006-01-02 15:04:05 GMT+1"),
            kReference - 3600 * kSecond);
  EXPECT_EQ(read_ok("2006-01-02 15:04:05 MST", "2006-01-02 15:04:05 +03"),
            kReference - 3 * 3600 * kSecond);
  // 12 AM is midnight, 12 PM noon.
  EXPECT_EQ(read_ok("2006-01-02 3:04PM", "2006-01-02 12:00AM"), 1'136'160'000 * kSecond);
  EXPECT_EQ(read_ok("2006-01-02 3:04PM", "2006-01-02 12:00PM"), 1'136'203'200 * kSecond);
}

TEST(TimeFormatLayouts, Rejects) {
  EXPECT_THAT(read_error("2006-01-02 15:04:05", "2006-01-02  15:04:05x"), HasSubstr("extra text"));
  EXPECT_THAT(read_error("2006-01-02 3:04PM", "2006-01-02 13:00PM"),
              HasSubstr("hour out of range"));
  EXPECT_THAT(read_error("2006-01-02 15:04:05.000", "2006-01-02 15:04:05.12"),
              HasSubstr("expected a fraction of a second"));
  EXPECT_THAT(read_error("2006.002", "2006.366"), HasSubstr("day of year out of range"));
  EXPECT_THAT(read_error("2006-01-02 002", "2006-01-03 002"), HasSubstr("does not match the date"));
  EXPECT_THAT(read_error("2006-01-02", "2006-1-02"), HasSubstr("expected a month at '1-02'"));
}

TEST(TimeFormatIso8601, FormsAndOffsets) {
  EXPECT_EQ(read_ok("iso8601", "2006-01-02T15:04:05Z"), kReference);
  EXPECT_EQ(read_ok("iso8601", "2006-01-02T15:04:05.5+01:00"),
            kReference - 3600 * kSecond + 500'000'000);
  EXPECT_EQ(read_ok("iso8601", "2006-01-02T15:04:05+0100"), kReference - 3600 * kSecond);
  EXPECT_EQ(read_ok("iso8601", "2006-01-02T15:04:05-07"), kReference + 7 * 3600 * kSecond);
  EXPECT_EQ(read_ok("iso8601", "2006-01-02 15:04:05"), kReference);
  EXPECT_EQ(read_ok("iso8601", "2006-01-02t15:04:05,123456789123z"), kReference + 123'456'789);
  EXPECT_EQ(read_ok("iso8601", "2006-01-02T15:04"), kReference - 5 * kSecond);
  EXPECT_EQ(read_ok("iso8601", "2006-01-02"), kReference - (15 * 3600 + 4 * 60 + 5) * kSecond);
}

TEST(TimeFormatIso8601, Rejects) {
  EXPECT_THAT(read_error("iso8601", "2006-01-02T15"), HasSubstr("expected ':'"));
  EXPECT_THAT(read_error("iso8601", "2006-01-02T15:04:05+1"),
              HasSubstr("expected a 2-digit offset hour"));
  EXPECT_THAT(read_error("iso8601", "2006-01-02T15:04:05 Z"),
              HasSubstr("expected 'Z' or an offset"));
  EXPECT_THAT(read_error("iso8601", "2006-01-02T15:04:05Zx"), HasSubstr("extra text 'x'"));
  EXPECT_THAT(read_error("iso8601", "2006-01-32"), HasSubstr("day out of range"));
  EXPECT_THAT(read_error("iso8601", "2006-02-29"), HasSubstr("day out of range"));
  EXPECT_EQ(read_ok("iso8601", "2004-02-29"), 1'078'012'800 * kSecond);
  EXPECT_THAT(read_error("iso8601", "2006-01-02T15:04:60"), HasSubstr("second out of range"));
  EXPECT_THAT(read_error("iso8601", "2006-01-02T15:04:05."), HasSubstr("expected digits"));
  EXPECT_THAT(read_error("iso8601", "9999-01-01"), HasSubstr("outside the supported range"));
}

TEST(TimeFormatZones, WallClockTimesFollowDaylightSaving) {
  // Europe/Belgrade: CET (+01:00) in winter, CEST (+02:00) in summer.
  EXPECT_EQ(read_ok("iso8601", "2021-01-15T12:00:00", "Europe/Belgrade"), 1'610'708'400 * kSecond);
  EXPECT_EQ(read_ok("iso8601", "2021-07-15T12:00:00", "Europe/Belgrade"), 1'626'343'200 * kSecond);
  EXPECT_EQ(read_ok("datetime", "2021-07-15 12:00:00", "America/New_York"),
            1'626'364'800 * kSecond);
  EXPECT_EQ(read_ok("ansic", "Thu Jul 15 12:00:00 2021", "Asia/Kolkata"), 1'626'330'600 * kSecond);
}

TEST(TimeFormatZones, RepeatedAndSkippedHours) {
  // 2021-10-31 02:30 happens twice in Belgrade: the first (CEST) is taken.
  EXPECT_EQ(read_ok("datetime", "2021-10-31 02:30:00", "Europe/Belgrade"), 1'635'640'200 * kSecond);
  // 2021-03-28 02:30 does not exist: read with the offset before the gap
  // (CET), i.e. 01:30 UTC, like Go.
  EXPECT_EQ(read_ok("datetime", "2021-03-28 02:30:00", "Europe/Belgrade"), 1'616'895'000 * kSecond);
}

TEST(TimeFormatZones, UnknownZone) {
  EXPECT_THAT(TimeZone::find("Mars/Olympus"),
              IsErrorWith(ErrorCode::invalid_argument, "unknown time zone 'Mars/Olympus'"));
  EXPECT_THAT(TimeZone::find("Europe/Belgrade"), IsOk());
  EXPECT_TRUE(TimeZone::find("UTC")->is_utc());
  EXPECT_TRUE(TimeZone::find("")->is_utc());
}

TEST(TimeFormatCompile, RejectsUnknownFormats) {
  EXPECT_THAT(TimeFormat::compile("foo"),
              IsErrorWith(ErrorCode::invalid_argument, "time_format 'foo' is neither"));
  EXPECT_THAT(TimeFormat::compile("15:04:05"), IsErrorWith(ErrorCode::invalid_argument, "neither"));
  EXPECT_THAT(TimeFormat::compile("kitchen"), IsErrorWith(ErrorCode::invalid_argument, "neither"));
  EXPECT_THAT(TimeFormat::compile("stamp"), IsErrorWith(ErrorCode::invalid_argument, "neither"));
  EXPECT_THAT(TimeFormat::compile("2006-01"), IsErrorWith(ErrorCode::invalid_argument, "neither"));
  EXPECT_THAT(TimeFormat::compile("2006-002"), IsOk());
  EXPECT_THAT(TimeFormat::compile("Unix_MS"), IsOk());
}

}  // namespace
}  // namespace conflux::core::messages_detail
