// core/store/completion_thread.h — runs `done` callbacks of committed (or
// failed) write jobs on one thread, in the order they were posted, so slow
// callbacks never stall the writer.
//
// Thread-safety: `post` may be called from any thread. Callbacks run on the
// completion thread; `on_completion_thread()` tells code (write_sync) where
// it runs. The destructor runs every callback already posted, then joins.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "conflux/log.h"
#include "conflux/status.h"

namespace conflux::core::store {

using Completion = std::pair<std::function<void(Status)>, Status>;

class CompletionThread {
 public:
  explicit CompletionThread(Logger& log);
  ~CompletionThread();
  CompletionThread(const CompletionThread&) = delete;
  CompletionThread& operator=(const CompletionThread&) = delete;

  void post(std::vector<Completion> batch);
  void post(Completion one);
  static bool on_completion_thread() noexcept;

 private:
  void run();

  Logger& log_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Completion> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace conflux::core::store
