// core/store/lmdb_env.cpp — LmdbEnv: opening the environment, the database
// handle cache, read transactions and queueing write jobs for the writer
// thread (group_commit.cpp). Thread-safety: see lmdb_env.h.
#include "core/store/lmdb_env.h"

#include <fmt/format.h>
#include <unistd.h>

#include <future>
#include <system_error>

#include "conflux/thread_name.h"
#include "core/store/env_impl.h"

namespace conflux::core::store {
namespace {

std::size_t round_up(std::size_t n, std::size_t unit) { return (n + unit - 1) / unit * unit; }

std::vector<double> batch_size_buckets() {
  return {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192};
}

}  // namespace

LmdbEnv::LmdbEnv(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<LmdbEnv>> LmdbEnv::open(EnvOptions options, Logger& log, Metrics& metrics) {
  if (options.path.empty()) return fail(ErrorCode::invalid_argument, "storage path is empty");
  std::error_code ec;
  std::filesystem::create_directories(options.path, ec);
  if (ec) {
    return fail(ErrorCode::unavailable,
                fmt::format("storage path {}: {}", options.path.string(), ec.message()));
  }
  const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  options.map_size = round_up(std::max(options.map_size, std::size_t{1} << 20), page);
  if (options.max_map_size != 0) {
    options.max_map_size = round_up(options.max_map_size, page);
    options.map_size = std::min(options.map_size, options.max_map_size);
  }
  if (options.commit_batch == 0) options.commit_batch = 1;
  const auto data_file = options.path / "data.mdb";
  if (auto size = std::filesystem::file_size(data_file, ec); !ec && size > options.map_size) {
    options.map_size = round_up(static_cast<std::size_t>(size), page);
  }

  StoreInstruments inst{
      metrics.counter("conflux_store_commits_total", "LMDB write transactions committed"),
      metrics.histogram("conflux_store_commit_jobs", "Write jobs per committed transaction",
                        batch_size_buckets()),
      metrics.gauge("conflux_store_map_size_bytes", "LMDB map size"),
      metrics.gauge("conflux_store_map_used_bytes", "LMDB map bytes in use"),
      metrics.counter("conflux_store_write_errors_total",
                      "Write jobs failed by the store (full, commit failure, exception)"),
  };
  auto impl = std::make_unique<Impl>(options, log, inst);
  impl->page_size = page;

  MDB_env* env = nullptr;
  auto failed = [&](int rc, std::string_view what) -> Result<std::unique_ptr<LmdbEnv>> {
    if (env != nullptr) mdb_env_close(env);
    return fail(
        rc == EACCES || rc == ENOENT || rc == EROFS ? ErrorCode::unavailable : ErrorCode::internal,
        fmt::format("storage {}: {}: {}", options.path.string(), what, mdb_strerror(rc)));
  };
  if (int rc = mdb_env_create(&env); rc != 0) return failed(rc, "create");
  if (int rc = mdb_env_set_maxdbs(env, options.max_dbs); rc != 0) return failed(rc, "max dbs");
  if (int rc = mdb_env_set_maxreaders(env, options.max_readers); rc != 0) {
    return failed(rc, "max readers");
  }
  if (int rc = mdb_env_set_mapsize(env, options.map_size); rc != 0) return failed(rc, "map size");
  unsigned flags = MDB_NOTLS | (options.sync ? 0u : unsigned{MDB_NOSYNC});
  if (int rc = mdb_env_open(env, options.path.c_str(), flags, 0640); rc != 0) {
    return failed(rc, "open");
  }
  impl->env = env;
  int dead = 0;
  mdb_reader_check(env, &dead);
  if (dead > 0) log.warn("store: cleared {} stale reader slot(s) at open", dead);

  impl->refresh_usage();
  impl->completions = std::make_unique<CompletionThread>(log);
  Impl* raw = impl.get();
  impl->writer = std::thread([raw] {
    name_this_thread("cfx-lmdb-writer");
    raw->writer_loop();
  });
  log.info("store: opened {} (map {} MiB)", options.path.string(), raw->map_size.load() >> 20);
  return std::unique_ptr<LmdbEnv>(new LmdbEnv(std::move(impl)));
}

LmdbEnv::~LmdbEnv() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  impl_->writer.join();
  impl_->completions.reset();  // runs the callbacks already posted
  mdb_env_close(impl_->env);
}

Result<Dbi> LmdbEnv::database(std::string_view name, unsigned flags) {
  if (name.empty()) return fail(ErrorCode::invalid_argument, "database name is empty");
  {
    std::lock_guard lock(impl_->dbs_mu);
    if (auto it = impl_->dbs.find(name); it != impl_->dbs.end()) {
      if (it->second.second != flags) {
        return fail(ErrorCode::invalid_argument,
                    fmt::format("database {} was opened with other flags", name));
      }
      return it->second.first;
    }
  }
  if (Impl::on_writer_thread() || CompletionThread::on_completion_thread()) {
    return fail(ErrorCode::failed_precondition,
                "database() cannot wait for the writer on a store thread");
  }
  auto promise = std::make_shared<std::promise<Result<Dbi>>>();
  auto future = promise->get_future();
  std::string owned(name);
  Impl* impl = impl_.get();
  auto control = [impl, owned, flags, promise] {
    {
      std::lock_guard lock(impl->dbs_mu);
      if (auto it = impl->dbs.find(owned); it != impl->dbs.end()) {
        promise->set_value(it->second.second == flags
                               ? Result<Dbi>(it->second.first)
                               : Result<Dbi>(fail(ErrorCode::invalid_argument,
                                                  fmt::format("database {} was opened with "
                                                              "other flags",
                                                              owned))));
        return;
      }
    }
    MDB_txn* txn = nullptr;
    if (auto s = impl->begin_write(&txn); !s) {
      promise->set_value(std::unexpected(std::move(s).error()));
      return;
    }
    Dbi dbi = 0;
    int rc = mdb_dbi_open(txn, owned.c_str(), flags | MDB_CREATE, &dbi);
    if (rc == MDB_SUCCESS)
      rc = mdb_txn_commit(txn);
    else
      mdb_txn_abort(txn);
    if (rc == MDB_MAP_FULL) {
      if (auto grown = impl->grow(); grown && *grown) {
        if (impl->begin_write(&txn)) {
          rc = mdb_dbi_open(txn, owned.c_str(), flags | MDB_CREATE, &dbi);
          if (rc == MDB_SUCCESS)
            rc = mdb_txn_commit(txn);
          else
            mdb_txn_abort(txn);
        }
      }
    }
    if (rc != MDB_SUCCESS) {
      promise->set_value(
          std::unexpected(lmdb_status(rc, fmt::format("open database {}", owned)).error()));
      return;
    }
    {
      std::lock_guard lock(impl->dbs_mu);
      impl->dbs.emplace(owned, std::make_pair(dbi, flags));
    }
    promise->set_value(dbi);
  };
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopping) return fail(ErrorCode::cancelled, "store is closing");
    impl_->queue.push_back(WriterTask{{}, {}, std::move(control)});
  }
  impl_->cv.notify_all();
  return future.get();
}

Result<ReadTxn> LmdbEnv::read() {
  impl_->gate.enter();
  MDB_txn* txn = nullptr;
  int rc = mdb_txn_begin(impl_->env, nullptr, MDB_RDONLY, &txn);
  if (rc != MDB_SUCCESS) {
    impl_->gate.leave();
    return std::unexpected(lmdb_status(rc, "begin read").error());
  }
  return ReadTxn(txn, &impl_->gate);
}

void LmdbEnv::write(WriteFn fn, DoneFn done) {
  std::vector<WriteJob> one;
  one.push_back(WriteJob{std::move(fn), std::move(done)});
  write(std::move(one));
}

void LmdbEnv::write(std::vector<WriteJob> jobs) {
  if (jobs.empty()) return;
  std::vector<Completion> refused;
  bool wake = false;
  {
    std::lock_guard lock(impl_->mu);
    for (auto& job : jobs) {
      if (impl_->stopping) {
        refused.emplace_back(std::move(job.done), fail(ErrorCode::cancelled, "store is closing"));
      } else if (impl_->pending >= impl_->options.max_pending_jobs) {
        refused.emplace_back(std::move(job.done),
                             fail(ErrorCode::unavailable, "store write queue is full"));
      } else {
        impl_->queue.push_back(WriterTask{std::move(job.fn), std::move(job.done), {}});
        ++impl_->pending;
        wake = wake || impl_->pending == 1 || impl_->pending == impl_->options.commit_batch;
      }
    }
  }
  if (wake) impl_->cv.notify_all();
  if (!refused.empty()) impl_->completions->post(std::move(refused));
}

Status LmdbEnv::write_sync(WriteFn fn) {
  if (Impl::on_writer_thread() || CompletionThread::on_completion_thread()) {
    return fail(ErrorCode::failed_precondition,
                "write_sync cannot wait for the writer on a store thread");
  }
  // Shared so the callback never touches a promise the caller has dropped.
  auto promise = std::make_shared<std::promise<Status>>();
  auto future = promise->get_future();
  write(std::move(fn), [promise](Status s) { promise->set_value(std::move(s)); });
  return future.get();
}

Result<int> LmdbEnv::clear_stale_readers() {
  int dead = 0;
  if (int rc = mdb_reader_check(impl_->env, &dead); rc != MDB_SUCCESS) {
    return std::unexpected(lmdb_status(rc, "reader check").error());
  }
  if (dead > 0) impl_->log.warn("store: cleared {} stale reader slot(s)", dead);
  return dead;
}

EnvStats LmdbEnv::stats() const {
  MDB_envinfo info{};
  mdb_env_info(impl_->env, &info);
  EnvStats s;
  s.map_size = impl_->map_size.load();
  s.used_bytes = impl_->used_bytes.load();
  s.page_size = impl_->page_size;
  s.reader_slots = info.me_numreaders;
  return s;
}

const EnvOptions& LmdbEnv::options() const noexcept { return impl_->options; }

MDB_env* LmdbEnv::raw() const noexcept { return impl_->env; }

}  // namespace conflux::core::store
