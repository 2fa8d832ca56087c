// core/store/group_commit.cpp — the writer thread: collects queued jobs into
// one transaction (commit_batch jobs or commit_interval, whichever first),
// runs each job in a nested transaction, commits durably, grows the map on
// MDB_MAP_FULL and hands results to the completion thread.
//
// Batch algorithm (run_batch): jobs wait in `waiting`. A top-level transaction
// takes jobs from the front; a job that fails is aborted alone and reported;
// a job that hits a full map or transaction stops the batch there. The jobs
// already in the transaction are committed (they fit); the stopped job is
// retried first in the next transaction. A job that does not fit even when
// first grows the map (and is retried) or, at max_map_size, fails alone with
// "storage full". If the top-level commit itself hits a full map, its jobs
// are replayed after growing, or one per transaction when the map cannot
// grow. Every step commits a job, fails a job or grows the map, so the loop
// ends.
//
// Thread-safety: everything here runs on the writer thread.
#include <fmt/format.h>

#include <algorithm>
#include <exception>

#include "core/store/env_impl.h"

namespace conflux::core::store {
namespace {

thread_local bool t_on_writer_thread = false;

enum class Stop { none, map_full, txn_full };

// Runs one job; `threw` tells a store failure (exception) from an error the
// job returned on purpose.
Status run_job(const WriteFn& fn, WriteTxn& txn, bool& threw) {
  threw = false;
  try {
    if (!fn) return fail(ErrorCode::invalid_argument, "empty write job");
    return fn(txn);
  } catch (const std::exception& e) {
    threw = true;
    return fail(ErrorCode::internal, fmt::format("write job threw: {}", e.what()));
  } catch (...) {
    threw = true;
    return fail(ErrorCode::internal, "write job threw");
  }
}

}  // namespace

bool LmdbEnv::Impl::on_writer_thread() noexcept { return t_on_writer_thread; }

void LmdbEnv::Impl::writer_loop() {
  t_on_writer_thread = true;
  auto next_reader_check = std::chrono::steady_clock::now() + options.reader_check_interval;
  for (;;) {
    std::vector<WriterTask> batch;
    std::function<void()> control;
    {
      std::unique_lock lock(mu);
      while (queue.empty() && !stopping) {
        if (cv.wait_until(lock, next_reader_check) == std::cv_status::timeout && queue.empty()) {
          lock.unlock();
          check_stale_readers();
          next_reader_check = std::chrono::steady_clock::now() + options.reader_check_interval;
          lock.lock();
        }
      }
      if (queue.empty()) return;  // stopping and drained
      if (queue.front().control) {
        control = std::move(queue.front().control);
        queue.pop_front();
      } else {
        // Group commit: wait for more jobs until the batch is full or the
        // interval since the first job has passed.
        const auto deadline = std::chrono::steady_clock::now() + options.commit_interval;
        while (!stopping && pending < options.commit_batch &&
               cv.wait_until(lock, deadline) != std::cv_status::timeout) {
        }
        while (!queue.empty() && !queue.front().control && batch.size() < options.commit_batch) {
          batch.push_back(std::move(queue.front()));
          queue.pop_front();
          --pending;
        }
      }
    }
    if (control) {
      control();
    } else {
      run_batch(batch);
    }
    if (std::chrono::steady_clock::now() >= next_reader_check) {  // busy: check between batches
      check_stale_readers();
      next_reader_check = std::chrono::steady_clock::now() + options.reader_check_interval;
    }
  }
}

void LmdbEnv::Impl::check_stale_readers() {
  int dead = 0;
  if (int rc = mdb_reader_check(env, &dead); rc != MDB_SUCCESS) {
    log.error("store: reader check failed: {}", mdb_strerror(rc));
  } else if (dead > 0) {
    log.warn("store: cleared {} stale reader slot(s)", dead);
  }
}

Status LmdbEnv::Impl::begin_write(MDB_txn** txn) {
  int rc = mdb_txn_begin(env, nullptr, 0, txn);
  if (rc == MDB_MAP_RESIZED) {
    // Another process grew the map: adopt its size (no transaction may be
    // open in this process meanwhile).
    if (!gate.close_for_resize(options.resize_wait)) {
      return fail(ErrorCode::unavailable, "storage resize blocked by open read transactions");
    }
    rc = mdb_env_set_mapsize(env, 0);
    gate.reopen();
    refresh_usage();
    if (rc == MDB_SUCCESS) rc = mdb_txn_begin(env, nullptr, 0, txn);
  }
  return lmdb_status(rc, "begin write");
}

Result<bool> LmdbEnv::Impl::grow() {
  const std::size_t current = map_size.load();
  if (options.max_map_size != 0 && current >= options.max_map_size) return false;
  std::size_t next = current * 2;
  if (options.max_map_size != 0) next = std::min(next, options.max_map_size);
  if (!gate.close_for_resize(options.resize_wait)) {
    return fail(ErrorCode::unavailable, "storage resize blocked by open read transactions");
  }
  int rc = mdb_env_set_mapsize(env, next);
  gate.reopen();
  if (rc != MDB_SUCCESS) {
    log.error("store: growing the map to {} bytes failed: {}", next, mdb_strerror(rc));
    return std::unexpected(lmdb_status(rc, "grow map").error());
  }
  refresh_usage();
  log.info("store: map grown from {} to {} MiB", current >> 20, map_size.load() >> 20);
  return true;
}

void LmdbEnv::Impl::refresh_usage() {
  MDB_envinfo info{};
  mdb_env_info(env, &info);
  map_size.store(info.me_mapsize);
  used_bytes.store((info.me_last_pgno + 1) * page_size);
  metrics.map_size.set(static_cast<double>(info.me_mapsize));
  metrics.map_used.set(static_cast<double>(used_bytes.load()));
}

void LmdbEnv::Impl::run_batch(std::vector<WriterTask>& jobs) {
  std::vector<Completion> finished;
  finished.reserve(jobs.size());
  auto report = [&](std::size_t j, Status s, bool store_error) {
    if (store_error && !s) metrics.write_errors.inc();
    finished.emplace_back(std::move(jobs[j].done), std::move(s));
  };
  auto storage_full = [] { return Status(fail(ErrorCode::resource_exhausted, "storage full")); };

  std::deque<std::size_t> waiting;
  for (std::size_t j = 0; j < jobs.size(); ++j) waiting.push_back(j);
  std::size_t solo_left = 0;  // transactions that must carry one job each

  while (!waiting.empty()) {
    MDB_txn* parent = nullptr;
    if (auto s = begin_write(&parent); !s) {
      for (auto j : waiting) report(j, s, true);
      waiting.clear();
      break;
    }
    std::vector<std::size_t> in_txn;
    Stop stop = Stop::none;
    while (!waiting.empty() && !(solo_left > 0 && !in_txn.empty())) {
      const std::size_t j = waiting.front();
      MDB_txn* child = nullptr;
      int rc = mdb_txn_begin(env, parent, 0, &child);
      if (rc == MDB_MAP_FULL || rc == MDB_TXN_FULL) {
        stop = rc == MDB_MAP_FULL ? Stop::map_full : Stop::txn_full;
        break;
      }
      if (rc != MDB_SUCCESS) {
        report(j, lmdb_status(rc, "begin job"), true);
        waiting.pop_front();
        continue;
      }
      WriteTxn txn(child);
      bool threw = false;
      Status s = run_job(jobs[j].fn, txn, threw);
      if (txn.faults() != 0) {
        mdb_txn_abort(child);
        stop = (txn.faults() & WriteTxn::kMapFull) != 0 ? Stop::map_full : Stop::txn_full;
        break;
      }
      if (!s) {
        mdb_txn_abort(child);
        report(j, std::move(s), threw);
        waiting.pop_front();
        continue;
      }
      rc = mdb_txn_commit(child);
      if (rc == MDB_MAP_FULL || rc == MDB_TXN_FULL) {
        stop = rc == MDB_MAP_FULL ? Stop::map_full : Stop::txn_full;
        break;
      }
      if (rc != MDB_SUCCESS) {
        report(j, lmdb_status(rc, "commit job"), true);
        waiting.pop_front();
        continue;
      }
      in_txn.push_back(j);
      waiting.pop_front();
    }
    if (solo_left > 0) --solo_left;

    if (in_txn.empty()) {
      mdb_txn_abort(parent);
      if (stop == Stop::map_full) {
        auto grown = grow();
        if (!grown) {
          report(waiting.front(), std::unexpected(grown.error()), true);
          waiting.pop_front();
        } else if (!*grown) {
          report(waiting.front(), storage_full(), true);
          waiting.pop_front();
        }
      } else if (stop == Stop::txn_full) {
        report(waiting.front(), fail(ErrorCode::resource_exhausted, "transaction too large"), true);
        waiting.pop_front();
      }
      continue;
    }

    int rc = mdb_txn_commit(parent);
    if (rc == MDB_SUCCESS) {
      metrics.commits.inc();
      metrics.commit_jobs.observe(static_cast<double>(in_txn.size()));
      for (auto j : in_txn) report(j, ok(), false);
      continue;
    }
    if (rc == MDB_MAP_FULL || rc == MDB_TXN_FULL) {
      // Nothing of this transaction was written: replay its jobs first.
      for (auto it = in_txn.rbegin(); it != in_txn.rend(); ++it) waiting.push_front(*it);
      auto grown = rc == MDB_MAP_FULL ? grow() : Result<bool>(false);
      if (!grown) {
        for (auto j : in_txn) report(j, std::unexpected(grown.error()), true);
        waiting.erase(waiting.begin(),
                      waiting.begin() + static_cast<std::ptrdiff_t>(in_txn.size()));
      } else if (!*grown) {
        if (in_txn.size() == 1) {
          report(in_txn.front(),
                 rc == MDB_MAP_FULL
                     ? storage_full()
                     : Status(fail(ErrorCode::resource_exhausted, "transaction too large")),
                 true);
          waiting.pop_front();
        } else {
          solo_left = in_txn.size();
        }
      }
      continue;
    }
    const Status failed = lmdb_status(rc, "commit");
    log.error("store: commit of {} job(s) failed: {}", in_txn.size(), failed.error().message);
    for (auto j : in_txn) report(j, failed, true);
  }
  refresh_usage();
  completions->post(std::move(finished));
}

}  // namespace conflux::core::store
