// core/messages/decimal.h — exact conversion of decimal number text to a
// scaled 64-bit integer, used for times: "1.276020076001e+09" seconds becomes
// exactly 1276020076001000000 ns, with none of the rounding a detour through
// double would add (a double holds only ~16 significant digits, which at
// 1e9 s is ~0.2 µs).
//
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <expected>
#include <string_view>

namespace conflux::core::messages_detail {

enum class DecimalError {
  malformed,     // not a decimal number
  out_of_range,  // the scaled value does not fit in int64
};

// Returns round(x * 10^scale) for the number x spelled by `text`, rounding
// half away from zero. Accepts JSON number syntax plus a leading '+', a
// missing integer part (".5") and a missing fraction ("5."): an optional
// sign, digits with an optional '.', then an optional exponent
// ([eE][+-]?digits). No whitespace. Digits beyond the 38th significant one
// are ignored (below 1e-29 relative).
std::expected<std::int64_t, DecimalError> scaled_decimal(std::string_view text, int scale);

}  // namespace conflux::core::messages_detail
