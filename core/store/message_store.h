// core/store/message_store.h — the LMDB message store: appends rows inside
// the pipeline's write jobs and serves conflux::MessageReader (queries,
// delete, export, backup, restore) plus incremental retention.
//
// Databases (docs/storage-format.md, "Messages"): messages.senml and
// messages.json (rows), messages.by_time (the global time index),
// messages.counts (per publisher-hour row counts), messages.meta (sequence,
// byte and row totals).
//
// Rows whose value has an unknown version (or does not decode) are skipped
// by every reader, counted in conflux_store_data_loss_total and logged at
// most once per 10 s.
//
// Thread-safety: `append` runs on the env's writer thread inside a job (it
// has no effect outside the transaction, so replayed jobs are safe; only
// the rows-stored counter can count a replayed job twice). Every other method
// may be called from any thread, but remove, restore and apply_retention
// block until their commits: never call them on an io thread, inside a write
// job or from a `done` callback. Readers use their own read transactions
// (exports renew theirs every 10000 rows; a backup keeps one open for its
// whole run, which delays a map resize meanwhile). Metrics:
// conflux_store_message_rows_{stored,deleted,restored}_total,
// conflux_store_message_query_duration_seconds, conflux_store_data_loss_total.
// The env, logger and metrics must outlive the store.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include "conflux/log.h"
#include "conflux/message.h"
#include "conflux/message_reader.h"
#include "conflux/metrics.h"
#include "core/store/lmdb_env.h"
#include "core/store/message_codec.h"
#include "core/store/message_encoded_rows.h"
#include "core/store/message_rows.h"
#include "core/store/message_state.h"

namespace conflux::core::store {

class RowScan;

class MessageStore final : public MessageReader {
 public:
  // Opens (creating) the message databases. Call at start-up, not on the
  // writer thread.
  static Result<std::unique_ptr<MessageStore>> open(LmdbEnv& env, Logger& log, Metrics& metrics);

  // Writes one row per SenML record (format senml) or one row for the JSON
  // document (format json) of `message`, with the index, counts and state
  // updates, in `txn`. invalid_argument for a message of unknown format or
  // without a publisher; a message without records writes nothing.
  Status append(WriteTxn& txn, const Message& message);

  // Appends several messages in one transaction with the counts and the
  // store state read and written once for all of them (the pipeline's write
  // job appends its whole batch this way): `add` each message (or rows
  // encoded beforehand, see message_encoded_rows.h), then `finish`. A failing
  // `add` leaves the transaction to be discarded by the caller's job. Lives
  // on the writer thread for the job's duration (it holds cursors of `txn`).
  class Batch {
   public:
    Status add(const Message& message);
    // The rows of EncodedRows::add, written as `add(message)` would.
    Status add(const EncodedRows& rows);
    Status finish();

   private:
    friend class MessageStore;
    Batch(MessageStore& store, WriteTxn& txn, MessageState state)
        : store_(store), txn_(txn), writer_(txn, store.dbs_), state_(state) {}
    MessageStore& store_;
    WriteTxn& txn_;
    RowWriter writer_;
    MessageState state_;
    CountDeltas counts_;
    EncodedRows scratch_;
    std::uint64_t rows_ = 0;
  };
  Result<Batch> begin_batch(WriteTxn& txn);

  // MessageReader. Notes beyond the interface contract:
  // - query: see message_query.h for validation and message_aggregation.h for
  //   aggregated pages (total = buckets);
  // - remove: deletes in jobs of up to 10000 rows, so a large delete is not
  //   one atomic transaction; returns the rows deleted;
  // - export_rows: aggregation, offset and limit are ignored; rows come in the
  //   query's order; the read transaction is renewed every 10000 rows (the
  //   export is not one snapshot); a sink returning false ends it with ok;
  // - backup: one read transaction (a consistent snapshot) over both formats;
  //   rows that do not decode are left out (and counted as data loss);
  // - restore: rows are written in jobs of 1000; a row equal (same format,
  //   publisher, time and value bytes — i.e. message id, subtopic, protocol,
  //   created and record) to one already stored is skipped, so restoring
  //   twice adds nothing; a bad stream fails with invalid_argument naming the
  //   byte offset, after the rows before it were restored.
  Result<MessagePage> query(const MessageQuery& query) noexcept override;
  Result<std::uint64_t> remove(MessageFormat format, std::span<const std::string> publishers,
                               std::optional<std::int64_t> from,
                               std::optional<std::int64_t> to) noexcept override;
  Status export_rows(const MessageQuery& query, ExportFormat format,
                     const ChunkSink& sink) noexcept override;
  Status backup(const ChunkSink& sink) noexcept override;
  Result<std::uint64_t> restore(const ChunkSource& source) noexcept override;

  // One retention step: deletes, oldest first across both formats, rows older
  // than now_ns - max_age (max_age 0: no age limit) and then rows while the
  // stored bytes exceed max_size_bytes (0: no size limit), at most
  // max_rows_per_step rows in one write job. Returns the rows deleted; call
  // again while it returns max_rows_per_step.
  Result<std::uint64_t> apply_retention(std::int64_t now_ns, std::chrono::milliseconds max_age,
                                        std::uint64_t max_size_bytes,
                                        std::size_t max_rows_per_step) noexcept;

  // The stored totals (next sequence, bytes, rows per format).
  Result<MessageState> state() noexcept;

  const MessageDbs& dbs() const noexcept { return dbs_; }

  // Internal: a row that failed to decode (counted and logged, rate-limited).
  void report_data_loss(MessageFormat format, const RowKeyParts& key,
                        DecodeOutcome outcome) noexcept;

 private:
  MessageStore(LmdbEnv& env, Logger& log, Metrics& metrics, MessageDbs dbs);

  Result<MessagePage> run_query(const MessageQuery& query);
  Status run_export(const MessageQuery& query, ExportFormat format, const ChunkSink& sink);
  Status run_backup(const ChunkSink& sink);
  Result<std::uint64_t> run_restore(const ChunkSource& source);
  Result<std::uint64_t> run_remove(MessageFormat format, std::span<const std::string> publishers,
                                   std::optional<std::int64_t> from,
                                   std::optional<std::int64_t> to);
  Result<std::uint64_t> run_retention(std::int64_t now_ns, std::chrono::milliseconds max_age,
                                      std::uint64_t max_size_bytes, std::size_t max_rows);
  Result<bool> retention_due(std::optional<std::int64_t> cutoff, std::uint64_t max_size_bytes);

  // Decodes the scan's current row into `row`; false (after reporting data
  // loss) for a missing or undecodable row or one of another publisher.
  Result<bool> load_row(RowScan& scan, MessageFormat format, RowView* row);

  LmdbEnv& env_;
  Logger& log_;
  MessageDbs dbs_;
  Counter& rows_stored_;
  Counter& rows_deleted_;
  Counter& rows_restored_;
  Counter& data_loss_;
  Histogram& query_seconds_;
  std::atomic<std::int64_t> last_loss_log_ns_{0};
  std::atomic<std::uint64_t> unlogged_losses_{0};
};

}  // namespace conflux::core::store
