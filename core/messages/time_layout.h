// core/messages/time_layout.h — Go reference-time layouts ("Mon, 02 Jan 2006
// 15:04:05 MST", "2006-01-02T15:04:05Z07:00", ...): compiled once, then used
// to read time strings the way Go's time.Parse does (the layout language
// Mainflux's transformer exposes as time_format).
//
// Supported elements: 2006 06 | 01 1 Jan January | 02 2 _2 | 002 __2 (day of
// year) | Mon Monday | 15 03 3 | 04 4 | 05 5 | .000 ,000 (fixed fraction)
// .999 ,999 (optional fraction) | PM pm | MST | Z07:00:00 Z070000 Z07:00
// Z0700 Z07 | -07:00:00 -070000 -07:00 -0700 -07. Everything else is literal;
// a space matches a run of spaces. As in Go, a fraction after the seconds is
// accepted even when the layout has none, and weekday names are not checked
// against the date.
//
// Thread-safety: TimeLayout is immutable after compile_layout; all functions
// are thread-safe.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/status.h"
#include "core/messages/wall_time.h"

namespace conflux::core::messages_detail {

enum class LayoutElement : std::uint8_t {
  literal,
  long_year,
  year,
  long_month,
  month,
  num_month,
  zero_month,
  day,
  under_day,
  zero_day,
  under_year_day,
  zero_year_day,
  long_weekday,
  weekday,
  hour,
  hour12,
  zero_hour12,
  minute,
  zero_minute,
  second,
  zero_second,
  fraction_fixed,
  fraction_optional,
  pm_upper,
  pm_lower,
  zone_abbreviation,
  iso_zone,
  iso_zone_colon,
  iso_zone_short,
  iso_zone_seconds,
  iso_zone_colon_seconds,
  num_zone,
  num_zone_colon,
  num_zone_short,
  num_zone_seconds,
  num_zone_colon_seconds,
};

struct LayoutChunk {
  LayoutElement element = LayoutElement::literal;
  std::string literal;  // element == literal
  int digits = 0;       // fraction_fixed / fraction_optional
};

struct TimeLayout {
  std::string text;  // the layout as configured
  std::vector<LayoutChunk> chunks;
};

// Compiles `layout`. Fails (invalid_argument, plain text) unless it names a
// year, a month and a day (or a day of year): times are absolute instants.
Result<TimeLayout> compile_layout(std::string_view layout);

// Reads `value` laid out as `layout`. Errors are plain text without context,
// e.g. "expected ':' at '10'", "month out of range", "extra text '+01'".
std::expected<WallTime, std::string> parse_with_layout(const TimeLayout& layout,
                                                       std::string_view value);

}  // namespace conflux::core::messages_detail
