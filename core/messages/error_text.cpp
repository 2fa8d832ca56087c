// core/messages/error_text.cpp — error_quote() and error_safe(): device text
// made safe for error messages.
//
// Thread-safety: pure function.
#include "core/messages/error_text.h"

#include <algorithm>

namespace conflux::core::messages_detail {
namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the valid UTF-8 sequence starting at text[i] (RFC 3629: no
// overlongs, no surrogates, at most U+10FFFF), or 0 when it is invalid.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  auto at = [&](std::size_t k) -> unsigned char {
    return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0;
  };
  unsigned char c = at(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return is_continuation(at(1)) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
    unsigned char hi = c == 0xED ? 0x9F : 0xBF;
    return at(1) >= lo && at(1) <= hi && is_continuation(at(2)) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
    unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
    return at(1) >= lo && at(1) <= hi && is_continuation(at(2)) && is_continuation(at(3)) ? 4 : 0;
  }
  return 0;
}

}  // namespace

namespace {

// Appends the safe form of `text` (at most `max_bytes` of it) to `out`.
void append_safe(std::string& out, std::string_view text, std::size_t max_bytes,
                 bool replace_quotes) {
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t length = utf8_sequence_length(text, i);
    if (i + std::max<std::size_t>(length, 1) > max_bytes) break;
    auto c = static_cast<unsigned char>(text[i]);
    if (length == 0 || c < 0x20 || c == 0x7f || (replace_quotes && (c == '\'' || c == '\\'))) {
      out.push_back('?');
      i += std::max<std::size_t>(length, 1);
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  if (i < text.size()) out.append("...");
}

}  // namespace

std::string error_quote(std::string_view text) {
  constexpr std::size_t kMaxBytes = 64;
  std::string out;
  out.reserve(std::min(text.size(), kMaxBytes) + 5);
  out.push_back('\'');
  append_safe(out, text, kMaxBytes, /*replace_quotes=*/true);
  out.push_back('\'');
  return out;
}

std::string error_safe(std::string_view text, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes) + 3);
  append_safe(out, text, max_bytes, /*replace_quotes=*/false);
  return out;
}

}  // namespace conflux::core::messages_detail
