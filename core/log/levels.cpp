// core/log — parse_log_level and parse_log_format.
//
// Thread-safety: pure functions; safe from any thread.
#include <cctype>
#include <string>

#include "core/log/logging.h"

namespace conflux::core {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Result<LogLevel> parse_log_level(std::string_view text) {
  std::string name = lower(text);
  if (name == "trace") return LogLevel::trace;
  if (name == "debug") return LogLevel::debug;
  if (name == "info") return LogLevel::info;
  if (name == "warn" || name == "warning") return LogLevel::warn;
  if (name == "error") return LogLevel::error;
  if (name == "critical") return LogLevel::critical;
  if (name == "off") return LogLevel::off;
  return fail(ErrorCode::invalid_argument,
              "unknown log level '" + std::string(text) +
                  "' (valid: trace, debug, info, warn, error, critical, off)");
}

Result<LogFormat> parse_log_format(std::string_view text) {
  std::string name = lower(text);
  if (name == "text") return LogFormat::text;
  if (name == "json") return LogFormat::json;
  return fail(ErrorCode::invalid_argument,
              "unknown log format '" + std::string(text) + "' (valid: text, json)");
}

}  // namespace conflux::core
