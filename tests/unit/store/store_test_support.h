// tests/unit/store/store_test_support.h — helpers for the store tests: a
// temporary directory under /tmp removed afterwards, an env opener with small
// test defaults, and a latch-like gate to hold the writer inside a job so
// later jobs form one batch.
//
// Thread-safety: TempDir is single-threaded; WriterHold may be released from
// any thread.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <future>
#include <memory>
#include <string>

#include "conflux/testing.h"
#include "core/store/lmdb_env.h"

namespace conflux::core::store::testing {

class TempDir {
 public:
  TempDir() {
    std::string templ = "/tmp/conflux-store-XXXXXX";
    char* made = mkdtemp(templ.data());
    if (made == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline EnvOptions test_options(const std::filesystem::path& path) {
  EnvOptions o;
  o.path = path;
  o.map_size = std::size_t{4} << 20;
  o.commit_interval = std::chrono::milliseconds(0);
  o.sync = false;
  return o;
}

inline std::unique_ptr<LmdbEnv> open_env(const EnvOptions& options, Logger& log, Metrics& metrics) {
  auto env = LmdbEnv::open(options, log, metrics);
  EXPECT_TRUE(env) << (env ? "" : env.error().message);
  return env ? std::move(*env) : nullptr;
}

// Queues a job that blocks the writer until `release()` (or destruction);
// the constructor returns once the writer runs it. The shared state outlives
// the object, so the job and its callback may finish after it is gone.
class WriterHold {
 public:
  explicit WriterHold(LmdbEnv& env) : state_(std::make_shared<State>()) {
    auto entered = state_->entered.get_future();
    env.write(
        [state = state_](WriteTxn&) -> Status {
          state->entered.set_value();
          state->released.wait();
          return ok();
        },
        [state = state_](Status s) { state->done.set_value(std::move(s)); });
    entered.wait();
  }
  ~WriterHold() { release(); }
  WriterHold(const WriterHold&) = delete;
  WriterHold& operator=(const WriterHold&) = delete;

  void release() {
    if (!released_) state_->release.set_value();
    released_ = true;
  }
  Status done() { return state_->done.get_future().get(); }

 private:
  struct State {
    std::promise<void> entered;
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::promise<Status> done;
  };
  std::shared_ptr<State> state_;
  bool released_ = false;
};

}  // namespace conflux::core::store::testing
