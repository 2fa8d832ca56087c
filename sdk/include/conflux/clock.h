// conflux/clock.h — injected time.
//
// Logic asks a Clock for the time and for timers; it never calls
// `system_clock::now()` directly, so schedulers, retries and timeouts are
// tested with `conflux::testing::FakeClock`.
//
// Thread-safety: all methods may be called from any thread. Timer callbacks
// run on the host's io_context threads (FakeClock: inside `advance()`).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace conflux {

using TimerId = std::uint64_t;

class Clock {
 public:
  virtual ~Clock() = default;

  // Wall-clock time (for timestamps).
  virtual std::chrono::system_clock::time_point now() const noexcept = 0;
  // Monotonic time (for measuring intervals and deadlines).
  virtual std::chrono::steady_clock::time_point monotonic() const noexcept = 0;
  // Calls `callback` once after `delay`. Returns an id for `cancel`.
  virtual TimerId call_after(std::chrono::nanoseconds delay,
                             std::function<void()> callback) noexcept = 0;
  // Cancels a pending timer; false when it already ran or was cancelled.
  virtual bool cancel(TimerId id) noexcept = 0;

  // Nanoseconds since the Unix epoch, the unit of message timestamps.
  std::int64_t now_ns() const noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(now().time_since_epoch()).count();
  }
};

}  // namespace conflux
