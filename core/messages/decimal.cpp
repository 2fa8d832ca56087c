// core/messages/decimal.cpp — scaled_decimal(): decimal text to a scaled
// int64 with 128-bit intermediate arithmetic.
//
// Thread-safety: pure function.
#include "core/messages/decimal.h"

#include <limits>

namespace conflux::core::messages_detail {
namespace {

using u128 = unsigned __int128;

constexpr int kMaxDigits = 38;  // 10^38 < 2^128

constexpr u128 pow10(int n) {
  u128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::expected<std::int64_t, DecimalError> scaled_decimal(std::string_view text, int scale) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';

  u128 mantissa = 0;
  int kept = 0;            // significant digits accumulated in `mantissa`
  long long exponent = 0;  // value = mantissa * 10^exponent
  bool any_digit = false;
  for (; i < text.size() && is_digit(text[i]); ++i) {
    any_digit = true;
    if (mantissa == 0 && text[i] == '0') continue;
    if (kept < kMaxDigits) {
      mantissa = mantissa * 10 + static_cast<unsigned>(text[i] - '0');
      ++kept;
    } else {
      ++exponent;  // an integer digit that does not fit still counts for magnitude
    }
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && is_digit(text[i]); ++i) {
      any_digit = true;
      if (kept >= kMaxDigits) continue;
      if (mantissa == 0 && text[i] == '0') {
        --exponent;
        continue;
      }
      mantissa = mantissa * 10 + static_cast<unsigned>(text[i] - '0');
      ++kept;
      --exponent;
    }
  }
  if (!any_digit) return std::unexpected(DecimalError::malformed);
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exponent_negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) exponent_negative = text[i++] == '-';
    if (i >= text.size() || !is_digit(text[i])) return std::unexpected(DecimalError::malformed);
    long long e = 0;
    for (; i < text.size() && is_digit(text[i]); ++i) {
      if (e < 1'000'000) e = e * 10 + (text[i] - '0');  // saturates far beyond any real scale
    }
    exponent += exponent_negative ? -e : e;
  }
  if (i != text.size()) return std::unexpected(DecimalError::malformed);
  if (mantissa == 0) return 0;

  exponent += scale;
  constexpr u128 kLimit = static_cast<u128>(std::numeric_limits<std::int64_t>::max()) + 1;
  u128 magnitude = mantissa;
  if (exponent >= 0) {
    if (exponent > kMaxDigits) return std::unexpected(DecimalError::out_of_range);
    for (long long k = 0; k < exponent; ++k) {
      if (magnitude > kLimit / 10) return std::unexpected(DecimalError::out_of_range);
      magnitude *= 10;
    }
  } else {
    if (-exponent > kMaxDigits) return 0;  // mantissa < 10^38 <= half of 10^-exponent
    u128 divisor = pow10(static_cast<int>(-exponent));
    u128 remainder = magnitude % divisor;
    magnitude /= divisor;
    if (remainder * 2 >= divisor) ++magnitude;
  }
  if (magnitude > kLimit || (magnitude == kLimit && !negative))
    return std::unexpected(DecimalError::out_of_range);
  if (negative) return static_cast<std::int64_t>(0 - static_cast<std::uint64_t>(magnitude));
  return static_cast<std::int64_t>(magnitude);
}

}  // namespace conflux::core::messages_detail
