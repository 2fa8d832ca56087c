// core/config — parse_duration: "250ms", "10s", "5m", "1h", "2d", "1h30m",
// "1.5s"; a bare integer is seconds.
//
// Rules: components are <digits>[.<digits>]<unit> with unit ms, s, m, h or d,
// written from the largest unit to the smallest, each unit at most once.
// Fractions are allowed as long as the result is a whole number of
// milliseconds ("1.5s" = 1500ms, "0.0001s" fails). No signs, no spaces.
//
// Thread-safety: pure function; safe from any thread.
#include <cctype>
#include <cstdint>
#include <string>

#include "core/config/config.h"

namespace conflux::core {
namespace {

using Millis = std::chrono::milliseconds;

Result<Millis> invalid(std::string_view text, std::string_view reason) {
  return fail(ErrorCode::invalid_argument, "invalid duration '" + std::string(text) +
                                               "': " + std::string(reason) +
                                               " (expected e.g. 250ms, 10s, 5m, 1h, 2d or 1h30m)");
}

// Milliseconds per unit, 0 for an unknown unit.
std::int64_t unit_millis(std::string_view unit) {
  if (unit == "ms") return 1;
  if (unit == "s") return 1000;
  if (unit == "m") return 60 * 1000;
  if (unit == "h") return 60 * 60 * 1000;
  if (unit == "d") return 24 * 60 * 60 * 1000;
  return 0;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads a run of digits at `pos` into `value` (checked); returns the digit count
// or -1 on overflow.
int read_digits(std::string_view text, std::size_t& pos, std::int64_t& value) {
  int count = 0;
  value = 0;
  while (pos < text.size() && is_digit(text[pos])) {
    if (__builtin_mul_overflow(value, 10, &value) ||
        __builtin_add_overflow(value, text[pos] - '0', &value)) {
      return -1;
    }
    ++pos;
    ++count;
  }
  return count;
}

}  // namespace

Result<std::chrono::milliseconds> parse_duration(std::string_view text) {
  if (text.empty()) return invalid(text, "empty");
  if (text.front() == '-') return invalid(text, "must not be negative");

  std::size_t pos = 0;
  std::int64_t whole = 0;
  if (read_digits(text, pos, whole) < 0) return invalid(text, "too large");
  if (pos == text.size()) {
    std::int64_t ms = 0;
    if (__builtin_mul_overflow(whole, 1000, &ms)) return invalid(text, "too large");
    return Millis(ms);
  }

  pos = 0;
  std::int64_t total = 0;
  std::int64_t previous_unit = 0;
  while (pos < text.size()) {
    std::int64_t integer_part = 0;
    int integer_digits = read_digits(text, pos, integer_part);
    if (integer_digits < 0) return invalid(text, "too large");
    std::int64_t fraction = 0;
    int fraction_digits = 0;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      fraction_digits = read_digits(text, pos, fraction);
      if (fraction_digits <= 0) return invalid(text, "a '.' must be followed by digits");
      if (fraction_digits > 9) return invalid(text, "too many decimal places");
    }
    if (integer_digits == 0 && fraction_digits == 0) return invalid(text, "expected a number");

    std::size_t unit_start = pos;
    while (pos < text.size() && std::isalpha(static_cast<unsigned char>(text[pos]))) ++pos;
    std::string_view unit = text.substr(unit_start, pos - unit_start);
    if (unit.empty()) return invalid(text, "missing unit after a number");
    std::int64_t per_unit = unit_millis(unit);
    if (per_unit == 0) return invalid(text, "unknown unit '" + std::string(unit) + "'");
    if (previous_unit != 0 && per_unit >= previous_unit) {
      return invalid(text, "units must go from largest to smallest, each at most once");
    }
    previous_unit = per_unit;

    std::int64_t scale = 1;
    for (int i = 0; i < fraction_digits; ++i) scale *= 10;
    std::int64_t fraction_scaled = fraction * per_unit;  // < 10^9 * 8.64e7: no overflow
    if (fraction_scaled % scale != 0) return invalid(text, "finer than a millisecond");

    std::int64_t component = 0;
    if (__builtin_mul_overflow(integer_part, per_unit, &component) ||
        __builtin_add_overflow(component, fraction_scaled / scale, &component) ||
        __builtin_add_overflow(total, component, &total)) {
      return invalid(text, "too large");
    }
  }
  return Millis(total);
}

}  // namespace conflux::core
