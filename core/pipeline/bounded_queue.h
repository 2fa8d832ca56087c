// core/pipeline — BoundedQueue<T>: a fixed-capacity multi-producer,
// multi-consumer FIFO. Producers never block: `try_push` fails at once when
// the queue is full or closed. Consumers block in `pop_batch` until items
// arrive or the queue is closed; after `close` the remaining items are still
// handed out (a drain), then `pop_batch` returns false.
//
// The ring buffer is allocated once at construction, so memory stays bounded
// by `capacity` items whatever the load.
//
// Wake-ups: a push wakes a waiting consumer only when the item needs one —
// no consumer is busy with a batch (a busy one takes the item with its next
// `pop_batch`), or `kWakeBacklog` items wait, or the newest batch was taken
// more than `kWakeAfter` ago (a consumer stuck in slow work); while a
// consumer is busy the waiting ones also look every `kWakeAfter`, so an item
// never waits longer than that for a slow batch. Under load one consumer then
// takes larger batches instead of every push waking a thread.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <vector>

namespace conflux::core {

template <class T>
class BoundedQueue {
 public:
  explicit BoundedQueue(std::size_t capacity) : slots_(std::max<std::size_t>(capacity, 1)) {}
  BoundedQueue(const BoundedQueue&) = delete;
  BoundedQueue& operator=(const BoundedQueue&) = delete;

  // Appends `item` unless the queue is full or closed; on failure `item` is
  // left untouched so the caller can still answer it.
  bool try_push(T& item) {
    bool wake = false;
    {
      std::lock_guard lock(mu_);
      if (closed_ || size_ == slots_.size()) return false;
      slots_[(head_ + size_) % slots_.size()].emplace(std::move(item));
      ++size_;
      wake = waiting_ > 0 &&
             (busy_ == 0 || size_ >= kWakeBacklog || Clock::now() - last_take_ > kWakeAfter);
    }
    if (wake) not_empty_.notify_one();
    return true;
  }

  // Moves up to `max` items into `out` (appended), waiting while the queue is
  // empty and open. Returns false once the queue is closed and empty.
  // The caller counts as busy until it calls again.
  bool pop_batch(std::vector<T>& out, std::size_t max) {
    std::unique_lock lock(mu_);
    // The caller's previous batch is done (a first call may end another
    // consumer's count early: that only costs an extra wake-up, never a
    // missed one).
    if (busy_ > 0) --busy_;
    ++waiting_;
    while (size_ == 0 && !closed_) {
      // While another consumer is busy, pushes may not wake this one: look
      // every kWakeAfter, so no item waits longer for a slow batch.
      if (busy_ > 0)
        not_empty_.wait_for(lock, kWakeAfter);
      else
        not_empty_.wait(lock);
    }
    --waiting_;
    if (size_ == 0) return false;
    ++busy_;
    last_take_ = Clock::now();
    std::size_t n = std::min(max, size_);
    for (std::size_t i = 0; i < n; ++i) {
      auto& slot = slots_[head_];
      out.push_back(std::move(*slot));
      slot.reset();
      head_ = (head_ + 1) % slots_.size();
    }
    size_ -= n;
    if (size_ >= kWakeBacklog && waiting_ > 0) not_empty_.notify_one();  // share the rest
    return true;
  }

  // Refuses further pushes and wakes every consumer; queued items remain
  // poppable.
  void close() {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
    }
    not_empty_.notify_all();
  }

  std::size_t size() const {
    std::lock_guard lock(mu_);
    return size_;
  }
  std::size_t capacity() const noexcept { return slots_.size(); }

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kWakeBacklog = 32;
  static constexpr auto kWakeAfter = std::chrono::milliseconds(1);

  mutable std::mutex mu_;
  std::condition_variable not_empty_;
  std::size_t waiting_ = 0;  // consumers blocked in pop_batch
  std::size_t busy_ = 0;     // consumers working on a batch (never over-counted)
  Clock::time_point last_take_{};
  std::vector<std::optional<T>> slots_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
  bool closed_ = false;
};

}  // namespace conflux::core
