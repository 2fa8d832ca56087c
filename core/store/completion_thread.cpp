// core/store/completion_thread.cpp — CompletionThread: a deque drained by one
// thread; a callback that throws is logged and does not stop the others.
// Thread-safety: see completion_thread.h.
#include "core/store/completion_thread.h"

#include <exception>

#include "conflux/thread_name.h"

namespace conflux::core::store {
namespace {
thread_local bool t_on_completion_thread = false;
}

CompletionThread::CompletionThread(Logger& log) : log_(log) {
  thread_ = std::thread([this] {
    name_this_thread("cfx-lmdb-done");
    run();
  });
}

CompletionThread::~CompletionThread() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void CompletionThread::post(std::vector<Completion> batch) {
  if (batch.empty()) return;
  bool was_empty;
  {
    std::lock_guard lock(mu_);
    was_empty = queue_.empty();
    for (auto& c : batch) queue_.push_back(std::move(c));
  }
  if (was_empty) cv_.notify_one();
}

void CompletionThread::post(Completion one) {
  bool was_empty;
  {
    std::lock_guard lock(mu_);
    was_empty = queue_.empty();
    queue_.push_back(std::move(one));
  }
  if (was_empty) cv_.notify_one();
}

bool CompletionThread::on_completion_thread() noexcept { return t_on_completion_thread; }

void CompletionThread::run() {
  t_on_completion_thread = true;
  std::deque<Completion> work;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      work.swap(queue_);
    }
    for (auto& [done, status] : work) {
      if (!done) continue;
      try {
        done(std::move(status));
      } catch (const std::exception& e) {
        log_.error("store: a write callback threw: {}", e.what());
      } catch (...) {
        log_.error("store: a write callback threw");
      }
    }
    work.clear();
  }
}

}  // namespace conflux::core::store
