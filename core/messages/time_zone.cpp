// core/messages/time_zone.cpp — TimeZone over howardhinnant date/tz
// (USE_OS_TZDB: the system's /usr/share/zoneinfo, loaded once, lazily).
//
// Thread-safety: date/tz initializes its database once (thread-safe static)
// and only reads it afterwards.
#include "core/messages/time_zone.h"

#include <date/tz.h>

#include <chrono>
#include <exception>
#include <string>

#include "core/messages/error_text.h"

namespace conflux::core::messages_detail {
namespace {

date::local_seconds to_local(std::int64_t local) {
  return date::local_seconds(std::chrono::seconds(local));
}

}  // namespace

Result<TimeZone> TimeZone::find(std::string_view name) {
  if (name.empty() || name == "UTC") return TimeZone();
  try {
    return TimeZone(date::locate_zone(name));
  } catch (const std::exception&) {
    return fail(ErrorCode::invalid_argument, "unknown time zone " + error_quote(name) +
                                                 " (expected an IANA name such as " +
                                                 "'Europe/Belgrade')");
  }
}

std::int64_t TimeZone::offset_at_local(std::int64_t local) const {
  if (zone_ == nullptr) return 0;
  // For both ambiguous and nonexistent times `first` is the earlier period:
  // the first occurrence of a repeated time, the offset before a gap.
  return zone_->get_info(to_local(local)).first.offset.count();
}

std::optional<std::int64_t> TimeZone::abbreviation_offset(std::string_view abbreviation,
                                                          std::int64_t local) const {
  if (zone_ == nullptr) return std::nullopt;
  // The period in force first; then the other half of the year, so "CET"
  // still means +01:00 on a summer date in Europe/Berlin (as in Go).
  constexpr std::int64_t kHalfYear = 182 * 86400;
  for (std::int64_t probe : {local, local - kHalfYear, local + kHalfYear}) {
    auto info = zone_->get_info(to_local(probe));
    if (info.first.abbrev == abbreviation) return info.first.offset.count();
    if (info.result != date::local_info::unique && info.second.abbrev == abbreviation)
      return info.second.offset.count();
  }
  return std::nullopt;
}

}  // namespace conflux::core::messages_detail
