// plugins/mqtt — OutageLogger: the logger of the broker connection, so that
// a broker that stays away (the default tcp://127.0.0.1:1883 with no broker
// running, a long outage) does not fill the log.
//
// An outage runs from the first set_connected(false) to set_connected(true).
// The warning logged just before it started (the broker client logs a
// failure, then reports the state) is its first; later warnings are written
// at debug, except one per `reminder` interval, which passes with the number
// held back since the previous one. Other levels, and warnings outside an
// outage, pass unchanged.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

#include "conflux/clock.h"
#include "conflux/log.h"

namespace conflux::mqtt {

class OutageLogger final : public Logger {
 public:
  OutageLogger(Logger& inner, Clock& clock,
               std::chrono::milliseconds reminder = std::chrono::minutes(5))
      : inner_(inner), clock_(clock), reminder_(reminder) {}

  bool enabled(LogLevel level) const noexcept override { return inner_.enabled(level); }
  void write(LogLevel level, std::string_view message) noexcept override;

  // The connection state, from the broker client's state callback.
  void set_connected(bool connected) noexcept;

 private:
  Logger& inner_;
  Clock& clock_;
  const std::chrono::milliseconds reminder_;
  std::mutex mu_;
  bool outage_ = false;
  std::uint64_t held_ = 0;  // warnings written at debug since the last one passed
  std::chrono::steady_clock::time_point last_{};  // when the last warning passed
};

}  // namespace conflux::mqtt
