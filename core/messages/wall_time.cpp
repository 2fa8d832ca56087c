// core/messages/wall_time.cpp — to_unix_nanos(): civil time + zone rules to
// epoch nanoseconds with overflow checks.
//
// Thread-safety: pure functions.
#include "core/messages/wall_time.h"

#include <array>
#include <chrono>
#include <string_view>
#include <utility>

#include "core/messages/error_text.h"

namespace conflux::core::messages_detail {
namespace {

// RFC 822 §5.1 zone names, plus the universal ones.
std::optional<std::int64_t> well_known_offset(std::string_view abbreviation) {
  static constexpr std::array<std::pair<std::string_view, int>, 12> kZones = {{
      {"UT", 0},
      {"UTC", 0},
      {"GMT", 0},
      {"Z", 0},
      {"EST", -5},
      {"EDT", -4},
      {"CST", -6},
      {"CDT", -5},
      {"MST", -7},
      {"MDT", -6},
      {"PST", -8},
      {"PDT", -7},
  }};
  for (const auto& [name, hours] : kZones)
    if (name == abbreviation) return std::int64_t{hours} * 3600;
  return std::nullopt;
}

}  // namespace

unsigned days_in_month(int year, unsigned month) {
  using namespace std::chrono;
  return static_cast<unsigned>(
      year_month_day_last(std::chrono::year(year), month_day_last(std::chrono::month(month)))
          .day());
}

std::expected<std::int64_t, std::string> to_unix_nanos(const WallTime& time, const TimeZone& zone) {
  using namespace std::chrono;
  std::int64_t days =
      sys_days(year_month_day(std::chrono::year(time.year), std::chrono::month(time.month),
                              std::chrono::day(time.day)))
          .time_since_epoch()
          .count();
  std::int64_t local = days * 86400 + time.hour * 3600 + time.minute * 60 + time.second;

  std::int64_t offset = 0;
  if (time.offset) {
    offset = *time.offset;
  } else if (!time.zone_abbreviation.empty()) {
    auto found = zone.abbreviation_offset(time.zone_abbreviation, local);
    if (!found) found = well_known_offset(time.zone_abbreviation);
    if (!found)
      return std::unexpected("unknown time zone abbreviation " +
                             error_quote(time.zone_abbreviation) +
                             (zone.is_utc() ? " (set time_location to the zone it belongs to)"
                                            : " for time_location"));
    offset = *found;
  } else {
    offset = zone.offset_at_local(local);
  }

  std::int64_t nanos = 0;
  if (__builtin_mul_overflow(local - offset, std::int64_t{1'000'000'000}, &nanos) ||
      __builtin_add_overflow(nanos, time.nanos, &nanos))
    return std::unexpected(std::string("outside the supported range (years 1678 to 2261)"));
  return nanos;
}

}  // namespace conflux::core::messages_detail
