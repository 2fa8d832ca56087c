// core/messages/time_format.h — a transformer's time_format, compiled: how a
// JSON message's time field is read.
//
// Supported time_format values (names are case-insensitive):
//   unix, unix_ms, unix_us, unix_ns   a number or a numeric string, possibly
//                                     fractional ("1568338208.5"); read exactly
//   iso8601                           see iso8601.h; offset optional
//   rfc3339      2006-01-02T15:04:05Z07:00      (fraction accepted)
//   rfc3339nano  2006-01-02T15:04:05.999999999Z07:00
//   rfc1123      Mon, 02 Jan 2006 15:04:05 MST
//   rfc1123z     Mon, 02 Jan 2006 15:04:05 -0700
//   rfc822       02 Jan 06 15:04 MST
//   rfc822z      02 Jan 06 15:04 -0700
//   rfc850       Monday, 02-Jan-06 15:04:05 MST
//   ansic        Mon Jan _2 15:04:05 2006
//   unixdate     Mon Jan _2 15:04:05 MST 2006
//   rubydate     Mon Jan 02 15:04:05 -0700 2006
//   datetime     2006-01-02 15:04:05
//   dateonly     2006-01-02
// or any Go reference layout with a year, a month and a day, e.g.
// "2006-01-02T15:04:05", "02/01/2006 15:04", "20060102150405" (see
// time_layout.h). Times without an offset are wall-clock times in the
// transformer's time_location (UTC when empty).
//
// Thread-safety: TimeFormat is immutable after compile; read() is
// thread-safe.
#pragma once

#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "conflux/status.h"
#include "core/messages/time_layout.h"
#include "core/messages/time_zone.h"

namespace conflux::core::messages_detail {

class TimeFormat {
 public:
  // Compiles `time_format`; invalid_argument (plain text naming the value)
  // when it is neither a supported name nor a usable Go layout.
  static Result<TimeFormat> compile(std::string_view time_format);

  // Nanoseconds since the epoch for the time field's `value`. Errors are
  // plain text to follow "field 'x' ", e.g. "must be a string for
  // time_format 'rfc3339'".
  std::expected<std::int64_t, std::string> read(const nlohmann::json& value,
                                                const TimeZone& zone) const;

 private:
  enum class Kind { unix_time, iso8601, layout };

  Kind kind_ = Kind::unix_time;
  int unix_scale_ = 9;  // power of ten from the unix unit to nanoseconds
  std::string name_;    // as configured, for errors
  TimeLayout layout_;
};

}  // namespace conflux::core::messages_detail
