// core/messages/time_layout_parse.cpp — parse_with_layout(): walks a
// compiled Go layout over a time string (after Go's time.parse).
//
// Thread-safety: pure function.
#include <array>
#include <optional>

#include "core/messages/error_text.h"
#include "core/messages/time_layout.h"

namespace conflux::core::messages_detail {
namespace {

using E = LayoutElement;

bool is_digit(std::string_view s, std::size_t i) {
  return i < s.size() && s[i] >= '0' && s[i] <= '9';
}

constexpr std::array<std::string_view, 12> kLongMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kLongWeekdays = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_nocase(std::string_view value, std::string_view prefix) {
  if (value.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (lower(value[i]) != lower(prefix[i])) return false;
  return true;
}

// Index of the name (full, or its first three letters when `abbreviated`)
// that `value` starts with, case-insensitively; consumes it.
template <std::size_t N>
std::optional<int> take_name(std::string_view& value, const std::array<std::string_view, N>& names,
                             bool abbreviated) {
  for (std::size_t k = 0; k < N; ++k) {
    std::string_view name = abbreviated ? names[k].substr(0, 3) : names[k];
    if (starts_with_nocase(value, name)) {
      value.remove_prefix(name.size());
      return static_cast<int>(k);
    }
  }
  return std::nullopt;
}

// One or two digits (exactly two when `fixed`), as Go's getnum.
std::optional<int> take_number(std::string_view& value, bool fixed) {
  if (!is_digit(value, 0)) return std::nullopt;
  if (!is_digit(value, 1)) {
    if (fixed) return std::nullopt;
    int n = value[0] - '0';
    value.remove_prefix(1);
    return n;
  }
  int n = (value[0] - '0') * 10 + (value[1] - '0');
  value.remove_prefix(2);
  return n;
}

// One to three digits (exactly three when `fixed`), as Go's getnum3.
std::optional<int> take_number3(std::string_view& value, bool fixed) {
  int n = 0;
  std::size_t i = 0;
  for (; i < 3 && is_digit(value, i); ++i) n = n * 10 + (value[i] - '0');
  if (i == 0 || (fixed && i != 3)) return std::nullopt;
  value.remove_prefix(i);
  return n;
}

// Exactly `count` digits.
std::optional<int> take_digits(std::string_view& value, std::size_t count) {
  int n = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (!is_digit(value, i)) return std::nullopt;
    n = n * 10 + (value[i] - '0');
  }
  value.remove_prefix(count);
  return n;
}

// A separator ('.' or ',') and the digits after it; the first nine are kept.
std::optional<std::int64_t> take_fraction(std::string_view& value, std::size_t exact_digits) {
  if (value.empty() || (value[0] != '.' && value[0] != ',') || !is_digit(value, 1))
    return std::nullopt;
  std::size_t n = 1;
  while (is_digit(value, n)) ++n;
  std::size_t digits = n - 1;
  if (exact_digits != 0) {
    if (digits < exact_digits) return std::nullopt;
    digits = exact_digits;
  }
  std::int64_t nanos = 0;
  for (std::size_t k = 0; k < 9; ++k) nanos = nanos * 10 + (k < digits ? value[1 + k] - '0' : 0);
  value.remove_prefix(1 + digits);
  return nanos;
}

// A literal: a space matches a run of spaces, anything else itself.
bool take_literal(std::string_view& value, std::string_view literal) {
  while (!literal.empty()) {
    if (literal[0] == ' ') {
      if (!value.empty() && value[0] != ' ') return false;
      while (!literal.empty() && literal[0] == ' ') literal.remove_prefix(1);
      while (!value.empty() && value[0] == ' ') value.remove_prefix(1);
      continue;
    }
    if (value.empty() || value[0] != literal[0]) return false;
    literal.remove_prefix(1);
    value.remove_prefix(1);
  }
  return true;
}

// A numeric offset in the layout's shape ("+hh:mm", "-hhmm", ...) or, for the
// iso_* shapes, 'Z'. Returns seconds east of UTC.
std::optional<std::int64_t> take_offset(std::string_view& value, E element) {
  bool iso = element == E::iso_zone || element == E::iso_zone_colon ||
             element == E::iso_zone_short || element == E::iso_zone_seconds ||
             element == E::iso_zone_colon_seconds;
  if (iso && !value.empty() && value[0] == 'Z') {
    value.remove_prefix(1);
    return 0;
  }
  if (value.empty() || (value[0] != '+' && value[0] != '-')) return std::nullopt;
  bool negative = value[0] == '-';
  std::string_view rest = value.substr(1);
  bool colon = element == E::iso_zone_colon || element == E::num_zone_colon ||
               element == E::iso_zone_colon_seconds || element == E::num_zone_colon_seconds;
  bool with_seconds = element == E::iso_zone_seconds || element == E::num_zone_seconds ||
                      element == E::iso_zone_colon_seconds || element == E::num_zone_colon_seconds;
  bool hours_only = element == E::iso_zone_short || element == E::num_zone_short;
  auto hours = take_digits(rest, 2);
  std::optional<int> minutes = 0;
  std::optional<int> seconds = 0;
  if (!hours_only) {
    if (colon && !take_literal(rest, ":")) return std::nullopt;
    minutes = take_digits(rest, 2);
    if (with_seconds) {
      if (colon && !take_literal(rest, ":")) return std::nullopt;
      seconds = take_digits(rest, 2);
    }
  }
  if (!hours || !minutes || !seconds || *hours > 23 || *minutes > 59 || *seconds > 59)
    return std::nullopt;
  value = rest;
  std::int64_t offset = (*hours * 60 + *minutes) * 60 + *seconds;
  return negative ? -offset : offset;
}

// A zone abbreviation as Go's parseTimeZone accepts it: "UTC", "GMT" with an
// optional signed hour, a signed numeric name ("+03", "-0330"), or 3 to 5
// capital letters (4 and 5 ending in 'T', plus ChST and MeST).
bool take_zone_name(std::string_view& value, WallTime& time) {
  if (value.starts_with("UTC")) {
    value.remove_prefix(3);
    time.offset = 0;
    return true;
  }
  if (value.starts_with("GMT")) {
    value.remove_prefix(3);
    time.offset = 0;
    if (!value.empty() && (value[0] == '+' || value[0] == '-') && is_digit(value, 1)) {
      bool negative = value[0] == '-';
      std::size_t n = 1;
      int hours = 0;
      while (is_digit(value, n) && n < 3) hours = hours * 10 + (value[n++] - '0');
      if (hours > 23) return false;
      value.remove_prefix(n);
      time.offset = (negative ? -hours : hours) * 3600;
    }
    return true;
  }
  if (!value.empty() && (value[0] == '+' || value[0] == '-')) {
    std::string_view rest = value.substr(1);
    auto hours = take_digits(rest, 2);
    int minutes = 0;
    if (hours && is_digit(rest, 0)) {
      auto m = take_digits(rest, 2);
      if (!m || *m > 59) return false;
      minutes = *m;
    }
    if (!hours || *hours > 23) return false;
    time.offset = (value[0] == '-' ? -1 : 1) * (*hours * 60 + minutes) * 60;
    value = rest;
    return true;
  }
  if (value.starts_with("ChST") || value.starts_with("MeST")) {
    time.zone_abbreviation = std::string(value.substr(0, 4));
    value.remove_prefix(4);
    return true;
  }
  std::size_t upper = 0;
  while (upper < value.size() && upper < 6 && value[upper] >= 'A' && value[upper] <= 'Z') ++upper;
  bool ok = upper == 3 || ((upper == 4 || upper == 5) && value[upper - 1] == 'T');
  if (!ok) return false;
  time.zone_abbreviation = std::string(value.substr(0, upper));
  value.remove_prefix(upper);
  return true;
}

std::string expected_at(std::string_view what, std::string_view value) {
  return "expected " + std::string(what) + " at " + error_quote(value);
}

const char* describe(E element) {
  switch (element) {
    case E::long_year:
      return "a 4-digit year";
    case E::year:
      return "a 2-digit year";
    case E::long_month:
    case E::month:
      return "a month name";
    case E::num_month:
    case E::zero_month:
      return "a month";
    case E::day:
    case E::under_day:
    case E::zero_day:
      return "a day";
    case E::under_year_day:
    case E::zero_year_day:
      return "a day of year";
    case E::long_weekday:
    case E::weekday:
      return "a weekday name";
    case E::hour:
    case E::hour12:
    case E::zero_hour12:
      return "an hour";
    case E::minute:
    case E::zero_minute:
      return "minutes";
    case E::second:
    case E::zero_second:
      return "seconds";
    case E::fraction_fixed:
      return "a fraction of a second";
    case E::pm_upper:
    case E::pm_lower:
      return "AM or PM";
    case E::zone_abbreviation:
      return "a time zone name";
    default:
      return "a UTC offset";
  }
}

}  // namespace

std::expected<WallTime, std::string> parse_with_layout(const TimeLayout& layout,
                                                       std::string_view value) {
  WallTime time;
  int year_day = 0;
  bool have_month = false, have_day = false, pm = false, am = false;
  const auto& chunks = layout.chunks;
  for (std::size_t k = 0; k < chunks.size(); ++k) {
    const LayoutChunk& chunk = chunks[k];
    std::string_view before = value;
    auto bad = [&] { return std::unexpected(expected_at(describe(chunk.element), before)); };
    switch (chunk.element) {
      case E::literal:
        if (!take_literal(value, chunk.literal))
          return std::unexpected(expected_at(error_quote(chunk.literal), before));
        break;
      case E::long_year: {
        auto y = take_digits(value, 4);
        if (!y) return bad();
        time.year = *y;
        break;
      }
      case E::year: {
        auto y = take_digits(value, 2);
        if (!y) return bad();
        time.year = *y >= 69 ? 1900 + *y : 2000 + *y;
        break;
      }
      case E::long_month:
      case E::month: {
        auto m = take_name(value, kLongMonths, chunk.element == E::month);
        if (!m) return bad();
        time.month = static_cast<unsigned>(*m + 1);
        have_month = true;
        break;
      }
      case E::num_month:
      case E::zero_month: {
        auto m = take_number(value, chunk.element == E::zero_month);
        if (!m) return bad();
        if (*m < 1 || *m > 12) return std::unexpected(std::string("month out of range"));
        time.month = static_cast<unsigned>(*m);
        have_month = true;
        break;
      }
      case E::long_weekday:
      case E::weekday:
        if (!take_name(value, kLongWeekdays, chunk.element == E::weekday)) return bad();
        break;
      case E::day:
      case E::under_day:
      case E::zero_day: {
        if (chunk.element == E::under_day && !value.empty() && value[0] == ' ')
          value.remove_prefix(1);
        auto d = take_number(value, chunk.element == E::zero_day);
        if (!d) return bad();
        time.day = static_cast<unsigned>(*d);
        have_day = true;
        break;
      }
      case E::under_year_day:
      case E::zero_year_day: {
        if (chunk.element == E::under_year_day) {
          for (int spaces = 0; spaces < 2 && !value.empty() && value[0] == ' '; ++spaces)
            value.remove_prefix(1);
        }
        auto d = take_number3(value, chunk.element == E::zero_year_day);
        if (!d) return bad();
        year_day = *d;
        break;
      }
      case E::hour: {
        auto h = take_number(value, false);
        if (!h) return bad();
        if (*h > 23) return std::unexpected(std::string("hour out of range"));
        time.hour = *h;
        break;
      }
      case E::hour12:
      case E::zero_hour12: {
        auto h = take_number(value, chunk.element == E::zero_hour12);
        if (!h) return bad();
        if (*h > 12) return std::unexpected(std::string("hour out of range"));
        time.hour = *h;
        break;
      }
      case E::minute:
      case E::zero_minute: {
        auto m = take_number(value, chunk.element == E::zero_minute);
        if (!m) return bad();
        if (*m > 59) return std::unexpected(std::string("minute out of range"));
        time.minute = *m;
        break;
      }
      case E::second:
      case E::zero_second: {
        auto s = take_number(value, chunk.element == E::zero_second);
        if (!s) return bad();
        if (*s > 59) return std::unexpected(std::string("second out of range"));
        time.second = *s;
        // A fraction the layout does not spell out is still accepted, unless
        // the layout's next element reads it.
        std::size_t next = k + 1;
        while (next < chunks.size() && chunks[next].element == E::literal) ++next;
        bool layout_has_fraction =
            next < chunks.size() && (chunks[next].element == E::fraction_fixed ||
                                     chunks[next].element == E::fraction_optional);
        if (!layout_has_fraction) {
          if (auto nanos = take_fraction(value, 0)) time.nanos = *nanos;
        }
        break;
      }
      case E::fraction_fixed: {
        auto nanos = take_fraction(value, static_cast<std::size_t>(chunk.digits));
        if (!nanos) return bad();
        time.nanos = *nanos;
        break;
      }
      case E::fraction_optional:
        if (auto nanos = take_fraction(value, 0)) time.nanos = *nanos;
        break;
      case E::pm_upper:
      case E::pm_lower:
        if (starts_with_nocase(value, "PM")) {
          pm = true;
        } else if (starts_with_nocase(value, "AM")) {
          am = true;
        } else {
          return bad();
        }
        value.remove_prefix(2);
        break;
      case E::zone_abbreviation:
        if (!take_zone_name(value, time)) return bad();
        break;
      default: {
        auto offset = take_offset(value, chunk.element);
        if (!offset) return bad();
        time.offset = *offset;
        break;
      }
    }
  }
  if (!value.empty()) return std::unexpected("extra text " + error_quote(value));

  if (pm && time.hour < 12) time.hour += 12;
  if (am && time.hour == 12) time.hour = 0;
  if (year_day != 0 || (!have_month && !have_day)) {
    bool leap = days_in_month(time.year, 2) == 29;
    if (year_day < 1 || year_day > (leap ? 366 : 365))
      return std::unexpected(std::string("day of year out of range"));
    unsigned month = 1;
    int remaining = year_day;
    while (remaining > static_cast<int>(days_in_month(time.year, month))) {
      remaining -= static_cast<int>(days_in_month(time.year, month));
      ++month;
    }
    if ((have_month && time.month != month) ||
        (have_day && time.day != static_cast<unsigned>(remaining)))
      return std::unexpected(std::string("day of year does not match the date"));
    time.month = month;
    time.day = static_cast<unsigned>(remaining);
  }
  if (time.day < 1 || time.day > days_in_month(time.year, time.month))
    return std::unexpected(std::string("day out of range"));
  return time;
}

}  // namespace conflux::core::messages_detail
