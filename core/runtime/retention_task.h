// core/runtime — RetentionTask: applies the message store's retention
// (storage.retention_max_age / retention_max_size) incrementally. Every
// `interval` a periodic Clock timer wakes the task's own thread (retention
// waits for commits, so it never runs on an io thread; a wake-up during a
// sweep starts the next sweep right after it); each step deletes at most
// `max_rows_per_step` rows and the next step follows at once while a step
// hits that cap, so a large backlog is worked off in bounded transactions.
//
// Thread-safety: construct and stop from one thread; the timer callback may
// run on any thread. The clock, store and logger must outlive the task.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "conflux/clock.h"
#include "conflux/log.h"
#include "core/store/message_store.h"

namespace conflux::core {

struct RetentionOptions {
  std::chrono::milliseconds max_age{0};  // 0: no age limit
  std::uint64_t max_size_bytes = 0;      // 0: no size limit
  std::chrono::milliseconds interval{10'000};
  std::size_t max_rows_per_step = 10'000;

  bool enabled() const noexcept { return max_age.count() > 0 || max_size_bytes > 0; }
};

class RetentionTask {
 public:
  // Starts the thread and the first timer (nothing when !options.enabled()).
  RetentionTask(RetentionOptions options, Clock& clock, store::MessageStore& messages, Logger& log);
  ~RetentionTask();  // stop()
  RetentionTask(const RetentionTask&) = delete;
  RetentionTask& operator=(const RetentionTask&) = delete;

  // Cancels the timer and joins the thread (a running step finishes first).
  void stop();
  // Rows deleted so far.
  std::uint64_t deleted() const;

 private:
  // Shared with timer callbacks, which may outlive the task.
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    bool due = false;
    bool stopping = false;
    TimerId timer = 0;
    std::uint64_t deleted = 0;
  };

  static void arm(const std::shared_ptr<State>& state, Clock& clock,
                  std::chrono::milliseconds interval);
  void run();
  void sweep();

  RetentionOptions options_;
  Clock& clock_;
  store::MessageStore& messages_;
  Logger& log_;
  std::shared_ptr<State> state_ = std::make_shared<State>();
  std::thread thread_;
};

}  // namespace conflux::core
