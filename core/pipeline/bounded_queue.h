// core/pipeline — BoundedQueue<T>: a fixed-capacity multi-producer,
// multi-consumer FIFO. Producers never block: `try_push` fails at once when
// the queue is full or closed. Consumers block in `pop_batch` until items
// arrive or the queue is closed; after `close` the remaining items are still
// handed out (a drain), then `pop_batch` returns false.
//
// The ring buffer is allocated once at construction, so memory stays bounded
// by `capacity` items whatever the load.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <algorithm>
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
    {
      std::lock_guard lock(mu_);
      if (closed_ || size_ == slots_.size()) return false;
      slots_[(head_ + size_) % slots_.size()].emplace(std::move(item));
      ++size_;
    }
    not_empty_.notify_one();
    return true;
  }

  // Moves up to `max` items into `out` (appended), waiting while the queue is
  // empty and open. Returns false once the queue is closed and empty.
  bool pop_batch(std::vector<T>& out, std::size_t max) {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return size_ > 0 || closed_; });
    if (size_ == 0) return false;
    std::size_t n = std::min(max, size_);
    for (std::size_t i = 0; i < n; ++i) {
      auto& slot = slots_[head_];
      out.push_back(std::move(*slot));
      slot.reset();
      head_ = (head_ + 1) % slots_.size();
    }
    size_ -= n;
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
  mutable std::mutex mu_;
  std::condition_variable not_empty_;
  std::vector<std::optional<T>> slots_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
  bool closed_ = false;
};

}  // namespace conflux::core
