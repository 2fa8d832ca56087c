// core/messages/iso8601.h — the ISO 8601 extended date-time forms devices
// send: "2021-03-28", "2021-03-28T10:15", "2021-03-28 10:15:30",
// "2021-03-28T10:15:30.123456789", each optionally followed by "Z", "±hh",
// "±hhmm" or "±hh:mm". 'T' may also be 't' or a space; the fraction may use
// ',' and is read to nanoseconds (further digits ignored).
//
// Thread-safety: pure function.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "core/messages/wall_time.h"

namespace conflux::core::messages_detail {

// Reads `value`; without an offset the result has neither `offset` nor a
// zone abbreviation (it is wall-clock time in time_location). Errors are
// plain text without context.
std::expected<WallTime, std::string> parse_iso8601(std::string_view value);

}  // namespace conflux::core::messages_detail
