// core/plugin_host — PrefixedLogger, the plugin logger used when the services
// bring no `make_logger`: lines go to the host's logger as "[<scope>] <msg>".
//
// Thread-safety: as thread-safe as the target logger (Logger requires it).
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "conflux/log.h"

namespace conflux::core {

class PrefixedLogger final : public Logger {
 public:
  // `target` must outlive this logger.
  PrefixedLogger(Logger& target, std::string scope)
      : target_(target), prefix_("[" + std::move(scope) + "] ") {}

  bool enabled(LogLevel level) const noexcept override { return target_.enabled(level); }
  void write(LogLevel level, std::string_view message) noexcept override {
    try {
      std::string line = prefix_;
      line.append(message);
      target_.write(level, line);
    } catch (...) {
      target_.write(level, message);
    }
  }

 private:
  Logger& target_;
  std::string prefix_;
};

}  // namespace conflux::core
