// core/messages/error_text.h — quoting device-supplied text inside error
// messages: bounded length, valid UTF-8, no control bytes, so an error about a
// hostile payload stays one short printable line that any JSON encoder
// accepts.
//
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace conflux::core::messages_detail {

// `text` in single quotes, cut to at most 64 bytes (then "...") on a
// character boundary; control bytes, quotes, backslashes and bytes that are
// not part of a valid UTF-8 sequence become '?'.
std::string error_quote(std::string_view text);

// `text` made safe the same way without quotes, cut to `max_bytes` (then
// "..."); quotes and backslashes are kept.
std::string error_safe(std::string_view text, std::size_t max_bytes);

}  // namespace conflux::core::messages_detail
