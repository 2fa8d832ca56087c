// core/store/env_impl.h — LmdbEnv's private state, shared by lmdb_env.cpp
// (open, reads, queueing) and group_commit.cpp (the writer thread). Internal
// to core/store.
//
// Thread-safety: `mu` guards `queue`, `stopping` and `pending`; `dbs_mu`
// guards `dbs`; the writer thread alone begins write transactions and
// resizes; `map_size` is atomic for stats().
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/store/completion_thread.h"
#include "core/store/lmdb_env.h"
#include "core/store/reader_gate.h"

namespace conflux::core::store {

// One entry of the writer's queue: a write job, or (`control` set) work the
// writer runs alone between batches (opening a database).
struct WriterTask {
  WriteFn fn;
  DoneFn done;
  std::function<void()> control;
};

struct StoreInstruments {
  Counter& commits;
  Histogram& commit_jobs;
  Gauge& map_size;
  Gauge& map_used;
  Counter& write_errors;
};

struct LmdbEnv::Impl {
  Impl(EnvOptions o, Logger& l, StoreInstruments m) : options(std::move(o)), log(l), metrics(m) {}

  // group_commit.cpp
  void writer_loop();
  void run_batch(std::vector<WriterTask>& jobs);
  // Grows the map one step: true when grown, false when at max_map_size,
  // an error when readers kept the gate open or LMDB refused.
  Result<bool> grow();
  Status begin_write(MDB_txn** txn);
  void refresh_usage();
  void check_stale_readers();
  static bool on_writer_thread() noexcept;

  EnvOptions options;
  Logger& log;
  StoreInstruments metrics;
  MDB_env* env = nullptr;
  std::size_t page_size = 4096;
  std::atomic<std::size_t> map_size{0};
  std::atomic<std::size_t> used_bytes{0};
  ReaderGate gate;

  std::mutex mu;
  std::condition_variable cv;
  std::deque<WriterTask> queue;
  std::size_t pending = 0;  // write jobs in `queue`
  bool stopping = false;

  std::mutex dbs_mu;
  std::map<std::string, std::pair<Dbi, unsigned>, std::less<>> dbs;

  std::unique_ptr<CompletionThread> completions;
  std::thread writer;
};

}  // namespace conflux::core::store
