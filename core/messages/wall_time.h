// core/messages/wall_time.h — a calendar date and clock time as read from a
// message (with the zone information the text carried, if any) and its
// conversion to nanoseconds since the Unix epoch.
//
// Thread-safety: plain value and pure function.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>

#include "core/messages/time_zone.h"

namespace conflux::core::messages_detail {

struct WallTime {
  int year = 1970;
  unsigned month = 1;      // 1..12
  unsigned day = 1;        // 1..days in month
  int hour = 0;            // 0..23
  int minute = 0;          // 0..59
  int second = 0;          // 0..59
  std::int64_t nanos = 0;  // 0..999'999'999
  // Seconds east of UTC when the text had a numeric offset, 'Z' or "UTC".
  std::optional<std::int64_t> offset;
  // A zone abbreviation the text named instead ("CEST", "EST"); "" for none.
  std::string zone_abbreviation;
};

// Nanoseconds since the epoch for `time`. The offset comes from the text
// when it had one; an abbreviation is looked up in `zone` (around that date),
// then among the RFC 822 North American zones (EST, EDT, CST, CDT, MST, MDT,
// PST, PDT) and UT/GMT/Z; a time without either is wall-clock time in `zone`.
// Errors (plain text): an unknown abbreviation, a time outside int64
// nanoseconds (years 1678..2261).
std::expected<std::int64_t, std::string> to_unix_nanos(const WallTime& time, const TimeZone& zone);

// Days in `month` of `year` (proleptic Gregorian).
unsigned days_in_month(int year, unsigned month);

}  // namespace conflux::core::messages_detail
