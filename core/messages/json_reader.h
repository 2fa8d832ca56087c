// core/messages/json_reader.h — parses untrusted JSON text into an
// nlohmann::json document with a nesting limit, so later recursive work on
// the document (dump, copy, compare) cannot exhaust the stack, and turns
// parser failures into one-line invalid_argument errors.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "conflux/status.h"

namespace conflux::core::messages_detail {

// Objects and arrays may nest this deep; deeper input is rejected.
inline constexpr std::size_t kMaxJsonDepth = 128;

// Parses `text` (one JSON value, UTF-8, no comments). Errors are
// invalid_argument "<what> is not valid JSON: <parser message>" or
// "<what> nests deeper than 128 levels", where `what` names the input
// (e.g. "payload").
Result<nlohmann::json> parse_json_document(std::string_view text, std::string_view what);

// The nlohmann parse error text without its "[json.exception...] " prefix,
// made safe and short with error_safe (it quotes the input it last read).
std::string describe_parse_error(const std::exception& error);

}  // namespace conflux::core::messages_detail
