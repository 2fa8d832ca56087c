// core/store/reader_gate.cpp — ReaderGate: an atomic reader count plus a
// resize flag (Dekker-style, sequentially consistent); the slow paths sleep
// on a condition variable. Thread-safety: see reader_gate.h.
#include "core/store/reader_gate.h"

namespace conflux::core::store {

void ReaderGate::enter() {
  for (;;) {
    readers_.fetch_add(1, std::memory_order_seq_cst);
    if (!resizing_.load(std::memory_order_seq_cst)) return;
    leave();
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return !resizing_.load(std::memory_order_seq_cst); });
  }
}

void ReaderGate::leave() noexcept {
  if (readers_.fetch_sub(1, std::memory_order_seq_cst) == 1 &&
      resizing_.load(std::memory_order_seq_cst)) {
    std::lock_guard lock(mu_);
    cv_.notify_all();
  }
}

bool ReaderGate::close_for_resize(std::chrono::milliseconds wait) {
  resizing_.store(true, std::memory_order_seq_cst);
  std::unique_lock lock(mu_);
  if (cv_.wait_for(lock, wait, [this] { return readers_.load(std::memory_order_seq_cst) == 0; })) {
    return true;
  }
  resizing_.store(false, std::memory_order_seq_cst);
  cv_.notify_all();
  return false;
}

void ReaderGate::reopen() noexcept {
  {
    std::lock_guard lock(mu_);
    resizing_.store(false, std::memory_order_seq_cst);
  }
  cv_.notify_all();
}

}  // namespace conflux::core::store
