// core/runtime — AsioClock: the real conflux::Clock. Wall and monotonic time
// from std::chrono; timers are Asio steady timers on the shared io_context.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <memory>

#include "conflux/clock.h"

namespace boost::asio {
class io_context;
}

namespace conflux::core {

class AsioClock final : public Clock {
 public:
  explicit AsioClock(boost::asio::io_context& io);
  ~AsioClock() override;

  std::chrono::system_clock::time_point now() const noexcept override;
  std::chrono::steady_clock::time_point monotonic() const noexcept override;
  TimerId call_after(std::chrono::nanoseconds delay,
                     std::function<void()> callback) noexcept override;
  bool cancel(TimerId id) noexcept override;
  // Cancels every pending timer (their callbacks do not run).
  void cancel_all() noexcept;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace conflux::core
