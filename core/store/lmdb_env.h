// core/store/lmdb_env.h — the one LMDB environment of the process: named
// databases, RAII read transactions usable from any thread, and a single
// writer thread doing group commit (DESIGN §5, §6).
//
// Writing. `write(fn, done)` queues a job. The writer thread collects jobs
// into one top-level transaction until `commit_batch` jobs are queued or
// `commit_interval` has passed since the first of them arrived (0: commit
// whatever is queued at once), then commits durably. Each job runs in its own
// nested transaction: a job that returns an error (or throws) leaves no trace
// and its batch-mates still commit. `done` runs after the durable commit that
// holds the job (or with the job's error) on the env's completion thread —
// never on the writer thread — in commit order; a slow callback delays later
// callbacks, never commits. A job's `fn` may run MORE THAN ONCE (the batch
// is replayed after the map grows): it must have no side effects outside the
// transaction; hand results to `done` through captured state that each run
// overwrites. One job may write many rows: the pipeline should submit one
// job per pipeline batch (nested transactions cost a little per job).
//
// Map size. On MDB_MAP_FULL the writer commits the jobs that fit, grows the
// map (doubling, capped at `max_map_size`; 0 = no cap) and replays the job
// that did not fit. mdb_env_set_mapsize needs no transaction open in this
// process, so every ReadTxn holds a shared "reader gate" while it is open and
// the writer takes it exclusively (new readers wait) only while resizing; if
// readers do not finish within `resize_wait`, the waiting jobs fail with
// `unavailable` and nothing is changed. When the map cannot grow, a job that
// alone does not fit fails with resource_exhausted "storage full"; the store
// stays consistent and smaller writes (deletes) still go through.
//
// Reading. `read()` returns a ReadTxn (MDB_NOTLS: not tied to a thread, may
// be moved between threads, but used by one thread at a time). Readers never
// block the writer, but a ReadTxn kept open pins old pages (the file grows)
// and delays a resize: keep them short and never wait for a write while
// holding one. Stale reader slots of dead processes are cleared at open and
// every `reader_check_interval`.
//
// Metrics: conflux_store_commits_total, conflux_store_commit_jobs (jobs per
// committed transaction), conflux_store_map_size_bytes and
// conflux_store_map_used_bytes (gauges, refreshed after every batch),
// conflux_store_write_errors_total (jobs failed by the store: full map, failed
// commit, an exception; not errors a job returns on purpose).
//
// Errors: LMDB codes map to Status via `lmdb_status` (MDB_NOTFOUND is a
// value, not an error, in every wrapper; MDB_KEYEXIST → already_exists;
// MDB_MAP_FULL → resource_exhausted "storage full"; MDB_READERS_FULL →
// resource_exhausted; everything else → internal with mdb_strerror text).
//
// Thread-safety: LmdbEnv methods may be called from any thread. `write_sync`
// blocks until the commit: never call it on an io thread, from a job, from a
// `done` callback (it fails with failed_precondition on the writer and
// completion threads) or while holding a ReadTxn. A WriteTxn is used only by
// the writer thread inside a job; a ReadTxn or Cursor by one thread at a time.
// Logger and Metrics passed to `open` must outlive the env.
#pragma once

#include <lmdb.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "conflux/log.h"
#include "conflux/metrics.h"
#include "conflux/status.h"

namespace conflux::core::store {

struct EnvOptions {
  std::filesystem::path path;                    // a directory; created if missing
  std::size_t map_size = std::size_t{64} << 20;  // initial map; an existing larger file wins
  std::size_t max_map_size = 0;                  // growth cap in bytes; 0 = unlimited
  unsigned max_dbs = 128;
  unsigned max_readers = 510;  // concurrent ReadTxns (LMDB reader slots)
  std::chrono::milliseconds commit_interval{0};
  std::size_t commit_batch = 4096;         // jobs per transaction at most
  std::size_t max_pending_jobs = 1 << 16;  // more queued jobs: done(unavailable) at once
  bool sync = true;                        // false: MDB_NOSYNC (tests, benchmarks)
  std::chrono::milliseconds resize_wait{10'000};
  std::chrono::milliseconds reader_check_interval{30'000};
};

using Dbi = MDB_dbi;

// Maps an LMDB return code to a Status (see the header comment). `what`
// names the operation for the message, e.g. "put things".
Status lmdb_status(int rc, std::string_view what);

class ReaderGate;

// One key/value pair inside a transaction. The views point into the LMDB map
// and stay valid until the transaction ends or (write transactions) the next
// write to the same database.
struct Entry {
  std::string_view key;
  std::string_view value;
};

// A cursor over one database. Movable; closed by the destructor. Must not
// outlive its transaction. Each positioning call returns the entry there or
// nullopt when there is none (MDB_NOTFOUND).
class Cursor {
 public:
  using Found = Result<std::optional<Entry>>;

  Cursor(Cursor&& other) noexcept;
  Cursor& operator=(Cursor&& other) noexcept;
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  ~Cursor();

  Found first();
  Found last();
  Found next();
  Found prev();
  Found current();
  // First entry with key >= `key`.
  Found seek(std::string_view key);
  // The entry with exactly `key` (DUPSORT: its first value).
  Found find(std::string_view key);
  // DUPSORT: first value >= `value` under exactly `key`.
  Found seek_dup(std::string_view key, std::string_view value);
  Found next_dup();                 // DUPSORT: next value of the current key
  Found next_key();                 // DUPSORT: first value of the next key
  Found prev_key();                 // DUPSORT: last value of the previous key
  Result<std::size_t> dup_count();  // DUPSORT: values of the current key

  // Write transactions only.
  Status put(std::string_view key, std::string_view value, unsigned flags = 0);
  Status del(unsigned flags = 0);  // the current entry (MDB_NODUPDATA: all its values)

  MDB_cursor* raw() const noexcept { return cursor_; }

 private:
  friend class Txn;
  Cursor(MDB_cursor* cursor, unsigned* faults) noexcept : cursor_(cursor), faults_(faults) {}
  Found move(MDB_cursor_op op, std::string_view key = {}, std::string_view value = {});

  MDB_cursor* cursor_ = nullptr;
  unsigned* faults_ = nullptr;  // the owning WriteTxn's fault flags; null when reading
};

// Operations shared by read and write transactions.
class Txn {
 public:
  // The value of `key` (DUPSORT: its first value), or nullopt.
  Result<std::optional<std::string_view>> get(Dbi dbi, std::string_view key) const;
  Result<Cursor> cursor(Dbi dbi) const;
  // Entries in `dbi`.
  Result<std::size_t> count(Dbi dbi) const;

  // Raw access for code that calls LMDB directly (the message store). In a
  // WriteTxn pass every LMDB return code through `check` so a full map is
  // noticed and the job replayed after growing.
  MDB_txn* raw() const noexcept { return txn_; }
  Status check(int rc, std::string_view what) const;

 protected:
  Txn() = default;
  explicit Txn(MDB_txn* txn) noexcept : txn_(txn) {}

  MDB_txn* txn_ = nullptr;
  mutable unsigned faults_ = 0;  // WriteTxn: kMapFull / kTxnFull seen
  bool writable_ = false;
};

// A read snapshot. Movable; aborted (slot and gate released) by the
// destructor or `close()`.
class ReadTxn : public Txn {
 public:
  ReadTxn(ReadTxn&& other) noexcept;
  ReadTxn& operator=(ReadTxn&& other) noexcept;
  ReadTxn(const ReadTxn&) = delete;
  ReadTxn& operator=(const ReadTxn&) = delete;
  ~ReadTxn();

  void close() noexcept;

 private:
  friend class LmdbEnv;
  ReadTxn(MDB_txn* txn, ReaderGate* gate) noexcept : Txn(txn), gate_(gate) {}

  ReaderGate* gate_ = nullptr;
};

// The transaction a write job runs in (a nested transaction of the batch).
// Not movable; only valid inside the job.
class WriteTxn : public Txn {
 public:
  static constexpr unsigned kMapFull = 1;
  static constexpr unsigned kTxnFull = 2;

  explicit WriteTxn(MDB_txn* txn) noexcept : Txn(txn) { writable_ = true; }
  WriteTxn(const WriteTxn&) = delete;
  WriteTxn& operator=(const WriteTxn&) = delete;

  // MDB_NOOVERWRITE / MDB_NODUPDATA conflicts give already_exists.
  Status put(Dbi dbi, std::string_view key, std::string_view value, unsigned flags = 0);
  // Room for `size` bytes stored under `key` (MDB_RESERVE), to fill in place
  // before the next write to `dbi`.
  Result<std::span<char>> reserve(Dbi dbi, std::string_view key, std::size_t size,
                                  unsigned flags = 0);
  // True when something was deleted. The value form deletes one DUPSORT value.
  Result<bool> del(Dbi dbi, std::string_view key);
  Result<bool> del(Dbi dbi, std::string_view key, std::string_view value);
  // Removes every entry of `dbi` (keeps the database).
  Status clear(Dbi dbi);

  unsigned faults() const noexcept { return faults_; }
};

using WriteFn = std::function<Status(WriteTxn&)>;
using DoneFn = std::function<void(Status)>;

struct WriteJob {
  WriteFn fn;
  DoneFn done;  // may be empty
};

struct EnvStats {
  std::size_t map_size = 0;    // bytes mapped
  std::size_t used_bytes = 0;  // bytes up to the last used page
  std::size_t page_size = 0;
  unsigned reader_slots = 0;  // reader slots ever used (LMDB high-water mark)
};

class LmdbEnv {
 public:
  // Opens (creating the directory and files when missing) and starts the
  // writer and completion threads. Fails with unavailable/internal naming
  // the path when LMDB cannot open it.
  static Result<std::unique_ptr<LmdbEnv>> open(EnvOptions options, Logger& log, Metrics& metrics);
  // Commits every queued job, stops the threads and closes the environment.
  // Jobs written afterwards get `cancelled`. Every ReadTxn must be gone.
  ~LmdbEnv();
  LmdbEnv(const LmdbEnv&) = delete;
  LmdbEnv& operator=(const LmdbEnv&) = delete;

  // The named database, created when missing, opened once and cached (call
  // at start-up; later calls return the cached handle). `flags` are
  // MDB_DUPSORT, MDB_DUPFIXED, MDB_INTEGERKEY, ...; asking again for the
  // same name with other flags is invalid_argument. Blocks on the writer:
  // same rules as write_sync.
  Result<Dbi> database(std::string_view name, unsigned flags = 0);

  Result<ReadTxn> read();

  void write(WriteFn fn, DoneFn done);
  // Queues several jobs at once (one lock); each is still isolated.
  void write(std::vector<WriteJob> jobs);
  // Queues `fn` and waits for its commit.
  Status write_sync(WriteFn fn);

  // Clears reader slots of dead processes now; returns how many.
  Result<int> clear_stale_readers();
  EnvStats stats() const;
  const EnvOptions& options() const noexcept;
  MDB_env* raw() const noexcept;

  struct Impl;

 private:
  explicit LmdbEnv(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace conflux::core::store
