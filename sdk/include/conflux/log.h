// conflux/log.h — the logger a plugin receives from its Host.
//
// Messages are fmt format strings checked at compile time. The level is
// checked before formatting, so a disabled debug line costs one virtual call.
// The host prefixes every line with `[plugin:<name>]`.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <fmt/format.h>

#include <string_view>

namespace conflux {

enum class LogLevel { trace, debug, info, warn, error, critical, off };

class Logger {
 public:
  virtual ~Logger() = default;

  // True when a message at `level` would be written.
  virtual bool enabled(LogLevel level) const noexcept = 0;
  // Writes one already formatted message. Never throws.
  virtual void write(LogLevel level, std::string_view message) noexcept = 0;

  template <class... Args>
  void log(LogLevel level, fmt::format_string<Args...> format, Args&&... args) noexcept {
    if (!enabled(level)) return;
    try {
      write(level, fmt::vformat(format, fmt::make_format_args(args...)));
    } catch (...) {
      write(level, "(log message could not be formatted)");
    }
  }
  template <class... Args>
  void trace(fmt::format_string<Args...> f, Args&&... a) noexcept {
    log(LogLevel::trace, f, std::forward<Args>(a)...);
  }
  template <class... Args>
  void debug(fmt::format_string<Args...> f, Args&&... a) noexcept {
    log(LogLevel::debug, f, std::forward<Args>(a)...);
  }
  template <class... Args>
  void info(fmt::format_string<Args...> f, Args&&... a) noexcept {
    log(LogLevel::info, f, std::forward<Args>(a)...);
  }
  template <class... Args>
  void warn(fmt::format_string<Args...> f, Args&&... a) noexcept {
    log(LogLevel::warn, f, std::forward<Args>(a)...);
  }
  template <class... Args>
  void error(fmt::format_string<Args...> f, Args&&... a) noexcept {
    log(LogLevel::error, f, std::forward<Args>(a)...);
  }
};

}  // namespace conflux
