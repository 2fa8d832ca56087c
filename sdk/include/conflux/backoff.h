// conflux/backoff.h — exponential backoff with full jitter for reconnects and
// retries.
//
// Thread-safety: a plain value; one owner.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>

namespace conflux {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial = std::chrono::milliseconds(250),
          std::chrono::milliseconds max = std::chrono::seconds(30))
      : initial_(initial), max_(max) {}

  // The delay before the next attempt: a random value in
  // [ceiling/2, ceiling], where ceiling doubles per attempt up to `max`.
  std::chrono::milliseconds next() {
    auto ceiling = initial_.count() << std::min<std::uint32_t>(attempt_, 20);
    ceiling = std::min<std::int64_t>(ceiling, max_.count());
    if (attempt_ < 63) ++attempt_;
    if (!seeded_) {  // on first use: std::random_device is costly, most Backoffs never retry
      rng_.seed(std::random_device{}());
      seeded_ = true;
    }
    std::uniform_int_distribution<std::int64_t> pick(ceiling / 2, ceiling);
    return std::chrono::milliseconds(pick(rng_));
  }
  // Call after a success: the next failure starts from `initial` again.
  void reset() noexcept { attempt_ = 0; }
  std::uint32_t attempts() const noexcept { return attempt_; }

 private:
  std::chrono::milliseconds initial_, max_;
  std::uint32_t attempt_ = 0;
  bool seeded_ = false;
  std::minstd_rand rng_;
};

}  // namespace conflux
