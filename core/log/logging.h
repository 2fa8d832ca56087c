// core/log — owns the process logger (spdlog on stderr, text or JSON lines)
// and the scoped loggers handed to core areas and plugins.
//
// Thread-safety: init_logging is called once at start-up before other threads
// run; loggers it hands out are thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "conflux/log.h"
#include "conflux/status.h"

namespace conflux::core {

enum class LogFormat { text, json };

// "trace", "debug", "info", "warn"/"warning", "error", "critical", "off".
Result<LogLevel> parse_log_level(std::string_view text);
// "text" or "json".
Result<LogFormat> parse_log_format(std::string_view text);

// Configures the process-wide sink on stderr. Text lines look like
//   2026-11-22T10:00:00.123Z info [plugin:mqtt] connected to broker
// JSON lines like
//   {"time":"2026-11-22T10:00:00.123Z","level":"info","scope":"plugin:mqtt","msg":"connected"}
void init_logging(LogLevel level, LogFormat format);

// A logger whose lines carry `scope` (e.g. "core:http", "plugin:mqtt").
std::unique_ptr<Logger> make_logger(std::string scope);

}  // namespace conflux::core
