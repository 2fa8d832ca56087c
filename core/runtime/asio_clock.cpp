// core/runtime — AsioClock implementation: a map of pending steady timers
// guarded by a mutex; a timer removes itself when it fires.
#include "core/runtime/asio_clock.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <mutex>

namespace conflux::core {

struct AsioClock::Impl : std::enable_shared_from_this<Impl> {
  explicit Impl(boost::asio::io_context& io) : io(io) {}
  boost::asio::io_context& io;
  std::mutex mu;
  TimerId next_id = 0;
  std::map<TimerId, std::shared_ptr<boost::asio::steady_timer>> timers;
};

AsioClock::AsioClock(boost::asio::io_context& io) : impl_(std::make_shared<Impl>(io)) {}

AsioClock::~AsioClock() { cancel_all(); }

std::chrono::system_clock::time_point AsioClock::now() const noexcept {
  return std::chrono::system_clock::now();
}

std::chrono::steady_clock::time_point AsioClock::monotonic() const noexcept {
  return std::chrono::steady_clock::now();
}

TimerId AsioClock::call_after(std::chrono::nanoseconds delay,
                              std::function<void()> callback) noexcept {
  try {
    auto timer = std::make_shared<boost::asio::steady_timer>(impl_->io);
    timer->expires_after(delay);
    TimerId id;
    {
      std::lock_guard lock(impl_->mu);
      id = ++impl_->next_id;
      impl_->timers.emplace(id, timer);
    }
    std::weak_ptr<Impl> weak = impl_;
    timer->async_wait(
        [weak, id, timer, cb = std::move(callback)](const boost::system::error_code& ec) {
          auto self = weak.lock();
          if (!self) return;
          {
            std::lock_guard lock(self->mu);
            self->timers.erase(id);
          }
          if (!ec) cb();
        });
    return id;
  } catch (...) {
    return 0;
  }
}

bool AsioClock::cancel(TimerId id) noexcept {
  std::shared_ptr<boost::asio::steady_timer> timer;
  {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->timers.find(id);
    if (it == impl_->timers.end()) return false;
    timer = std::move(it->second);
    impl_->timers.erase(it);
  }
  timer->cancel();
  return true;
}

void AsioClock::cancel_all() noexcept {
  std::map<TimerId, std::shared_ptr<boost::asio::steady_timer>> timers;
  {
    std::lock_guard lock(impl_->mu);
    timers.swap(impl_->timers);
  }
  for (auto& [id, timer] : timers) timer->cancel();
}

}  // namespace conflux::core
