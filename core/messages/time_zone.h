// core/messages/time_zone.h — IANA time zones for JSON message times: looks a
// zone up by name (date/tz over the system tzdata) and maps local wall-clock
// times and zone abbreviations to UTC offsets, DST-aware.
//
// Thread-safety: TimeZone is an immutable handle to process-wide, read-only
// zone data; all functions are thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "conflux/status.h"

namespace date {
class time_zone;
}

namespace conflux::core::messages_detail {

class TimeZone {
 public:
  // UTC.
  TimeZone() = default;

  // "" and "UTC" are UTC; anything else must be an IANA zone name such as
  // "Europe/Belgrade" (invalid_argument otherwise, naming the zone).
  static Result<TimeZone> find(std::string_view name);

  bool is_utc() const { return zone_ == nullptr; }

  // Seconds east of UTC for the wall-clock time `local` (seconds since
  // 1970-01-01T00:00 local). Like Go's time.Date: a time repeated by a
  // backward shift takes the first (earlier) occurrence; a time skipped by a
  // forward shift is read with the offset in force before the shift.
  std::int64_t offset_at_local(std::int64_t local) const;

  // The offset of `abbreviation` (e.g. "CEST") if this zone uses it at the
  // wall-clock time `local` or half a year before or after; nullopt otherwise.
  std::optional<std::int64_t> abbreviation_offset(std::string_view abbreviation,
                                                  std::int64_t local) const;

 private:
  explicit TimeZone(const date::time_zone* zone) : zone_(zone) {}

  const date::time_zone* zone_ = nullptr;
};

}  // namespace conflux::core::messages_detail
