// core/store/reader_gate.h — lets read transactions run freely and, rarely,
// stops them so the writer can resize the LMDB map (mdb_env_set_mapsize needs
// no transaction open in the process).
//
// Readers `enter` before beginning a read transaction and `leave` after
// ending it: two atomic operations when no resize is pending. The writer
// calls `close_for_resize`, which stops new readers (they wait) and waits for
// open ones to leave, then `reopen`. Writer-preferring: a stream of readers
// cannot starve a resize.
//
// Thread-safety: all methods may be called from any thread; only one thread
// (the writer) calls close_for_resize/reopen.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace conflux::core::store {

class ReaderGate {
 public:
  // Blocks while a resize is in progress.
  void enter();
  void leave() noexcept;
  // Stops new readers and waits up to `wait` for open ones to leave. On
  // timeout lets readers in again and returns false; on success the caller
  // must call `reopen` after resizing.
  bool close_for_resize(std::chrono::milliseconds wait);
  void reopen() noexcept;

 private:
  std::atomic<std::int64_t> readers_{0};
  std::atomic<bool> resizing_{false};
  std::mutex mu_;
  std::condition_variable cv_;
};

}  // namespace conflux::core::store
