// bench/pipeline — BenchClock: a conflux::Clock on the real system and
// steady clocks for the benchmark, which needs no timers (call_after runs
// nothing and returns 0).
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>

#include "conflux/clock.h"

namespace conflux::bench {

class BenchClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const noexcept override {
    return std::chrono::system_clock::now();
  }
  std::chrono::steady_clock::time_point monotonic() const noexcept override {
    return std::chrono::steady_clock::now();
  }
  TimerId call_after(std::chrono::nanoseconds, std::function<void()>) noexcept override {
    return 0;
  }
  bool cancel(TimerId) noexcept override { return false; }
};

}  // namespace conflux::bench
