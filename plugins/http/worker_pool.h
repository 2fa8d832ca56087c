// plugins/http — WorkerPool: a few threads of the plugin's own for work that
// may block (store queries, deletes and restores waiting for their commit,
// streaming backups and exports to slow clients), so io threads never do.
//
// The queue is bounded: `post` returns false when it is full (the caller
// answers 503) or when the pool is stopping. The destructor finishes the
// queued tasks, then joins.
//
// Thread-safety: post may be called from any thread.
#pragma once

#include <conflux/thread_name.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace conflux::http_adapter {

class WorkerPool {
 public:
  // `name` names the threads ("<name>-<n>", see conflux/thread_name.h).
  WorkerPool(std::string_view name, std::size_t threads, std::size_t queue_limit)
      : limit_(queue_limit) {
    for (std::size_t i = 0; i < threads; ++i)
      threads_.emplace_back([this, thread_name = std::string(name) + "-" + std::to_string(i)] {
        name_this_thread(thread_name);
        run();
      });
  }
  ~WorkerPool() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
  }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; false when the queue is full or the pool is stopping.
  bool post(std::function<void()> task) {
    {
      std::lock_guard lock(mu_);
      if (stopping_ || tasks_.size() >= limit_) return false;
      tasks_.push_back(std::move(task));
    }
    cv_.notify_one();
    return true;
  }

 private:
  void run() {
    while (true) {
      std::function<void()> task;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
        if (tasks_.empty()) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      try {
        task();
      } catch (...) {
      }
    }
  }

  std::size_t limit_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> threads_;
  bool stopping_ = false;
};

}  // namespace conflux::http_adapter
