// core/log (internal) — formats one log line, text or JSON, and the string
// escaping both formats use. Free of spdlog so tests can call it directly.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "conflux/log.h"
#include "core/log/logging.h"

namespace conflux::core {

// "trace", "debug", "info", "warn", "error", "critical", "off".
std::string_view log_level_name(LogLevel level) noexcept;

// "2026-11-22T10:00:00.123Z": UTC, ISO 8601, milliseconds.
std::string format_log_time(std::chrono::system_clock::time_point time);

// Appends `text` as the body of a JSON string (no quotes): ", \ and control
// characters escaped, invalid UTF-8 replaced by \ufffd.
void append_json_escaped(std::string& out, std::string_view text);

// Appends `text` for a text log line: control characters other than tab are
// escaped (\n, \r, \xNN) so one message is always one line.
void append_text_escaped(std::string& out, std::string_view text);

// One complete line including the trailing '\n':
//   text: 2026-11-22T10:00:00.123Z info [scope] message
//   json: {"time":"...","level":"info","scope":"scope","msg":"message"}
std::string format_log_line(LogFormat format, std::chrono::system_clock::time_point time,
                            LogLevel level, std::string_view scope, std::string_view message);

}  // namespace conflux::core
