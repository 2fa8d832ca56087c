// plugins/mqtt — OutageLogger: limits repeated warnings during a broker outage.
#include "outage_logger.h"

#include <string>

namespace conflux::mqtt {

void OutageLogger::write(LogLevel level, std::string_view message) noexcept {
  if (level != LogLevel::warn) {
    inner_.write(level, message);
    return;
  }
  bool demote = false;
  std::uint64_t held = 0;
  {
    std::lock_guard lock(mu_);
    if (outage_) {
      auto now = clock_.monotonic();
      if (now - last_ < reminder_) {
        demote = true;
        ++held_;
      } else {
        held = held_;
        held_ = 0;
        last_ = now;
      }
    }
  }
  if (demote) {
    if (inner_.enabled(LogLevel::debug)) inner_.write(LogLevel::debug, message);
    return;
  }
  if (held == 0) {
    inner_.write(level, message);
    return;
  }
  try {
    inner_.write(level, std::string(message) + " (" + std::to_string(held) +
                            " more since the last warning, logged at debug)");
  } catch (...) {
    inner_.write(level, message);
  }
}

void OutageLogger::set_connected(bool connected) noexcept {
  std::lock_guard lock(mu_);
  if (connected) {
    outage_ = false;
    held_ = 0;
  } else if (!outage_) {
    // The client reports a failure in the log before it calls the state
    // callback: that warning is the outage's first.
    outage_ = true;
    last_ = clock_.monotonic();
  }
}

}  // namespace conflux::mqtt
