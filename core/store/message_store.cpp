// core/store/message_store.cpp — opening the message store, appending rows,
// data-loss reporting, and the exception barrier of the MessageReader
// methods (their bodies live in message_store_*.cpp).
//
// Thread-safety: see the header.
#include "core/store/message_store.h"

#include <chrono>

namespace conflux::core::store {
namespace {

constexpr std::int64_t kLossLogIntervalNs = 10'000'000'000;

std::int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Runs `fn`, turning an escaping exception into an internal error.
template <class Fn>
auto guarded(Fn&& fn) noexcept -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, std::string("message store: ") + e.what());
  } catch (...) {
    return fail(ErrorCode::internal, "message store: unknown exception");
  }
}

}  // namespace

Result<std::unique_ptr<MessageStore>> MessageStore::open(LmdbEnv& env, Logger& log,
                                                         Metrics& metrics) {
  MessageDbs dbs;
  CONFLUX_ASSIGN_OR_RETURN(dbs.senml, env.database("messages.senml"));
  CONFLUX_ASSIGN_OR_RETURN(dbs.json, env.database("messages.json"));
  CONFLUX_ASSIGN_OR_RETURN(dbs.by_time, env.database("messages.by_time"));
  CONFLUX_ASSIGN_OR_RETURN(dbs.counts, env.database("messages.counts"));
  CONFLUX_ASSIGN_OR_RETURN(dbs.meta, env.database("messages.meta"));
  {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env.read());
    CONFLUX_RETURN_IF_ERROR(load_state(txn, dbs));
  }
  return std::unique_ptr<MessageStore>(new MessageStore(env, log, metrics, dbs));
}

MessageStore::MessageStore(LmdbEnv& env, Logger& log, Metrics& metrics, MessageDbs dbs)
    : env_(env),
      log_(log),
      dbs_(dbs),
      rows_stored_(metrics.counter("conflux_store_message_rows_stored_total",
                                   "Message rows written (one per SenML record or JSON message)")),
      rows_deleted_(metrics.counter("conflux_store_message_rows_deleted_total",
                                    "Message rows deleted by remove and retention")),
      rows_restored_(metrics.counter("conflux_store_message_rows_restored_total",
                                     "Message rows added by restore")),
      data_loss_(metrics.counter("conflux_store_data_loss_total",
                                 "Stored values skipped because their version is unknown or "
                                 "they do not decode")),
      query_seconds_(metrics.histogram("conflux_store_message_query_duration_seconds",
                                       "Message query latency", default_latency_buckets())) {}

Status MessageStore::append(WriteTxn& txn, const Message& message) {
  CONFLUX_ASSIGN_OR_RETURN(auto batch, begin_batch(txn));
  CONFLUX_RETURN_IF_ERROR(batch.add(message));
  return batch.finish();
}

Result<MessageStore::Batch> MessageStore::begin_batch(WriteTxn& txn) {
  CONFLUX_ASSIGN_OR_RETURN(auto state, load_state(txn, dbs_));
  return Batch(*this, txn, state);
}

Status MessageStore::Batch::add(const Message& message) {
  scratch_.clear();
  CONFLUX_RETURN_IF_ERROR(scratch_.add(message));
  return add(scratch_);
}

Status MessageStore::Batch::add(const EncodedRows& rows) {
  CONFLUX_RETURN_IF_ERROR(writer_.insert(rows, state_, counts_));
  rows_ += rows.size();
  return ok();
}

Status MessageStore::Batch::finish() {
  if (rows_ == 0) return ok();
  CONFLUX_RETURN_IF_ERROR(counts_.apply(txn_, store_.dbs_));
  CONFLUX_RETURN_IF_ERROR(save_state(txn_, store_.dbs_, state_));
  store_.rows_stored_.inc(rows_);
  rows_ = 0;
  return ok();
}

Result<MessageState> MessageStore::state() noexcept {
  return guarded([&]() -> Result<MessageState> {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    return load_state(txn, dbs_);
  });
}

void MessageStore::report_data_loss(MessageFormat format, const RowKeyParts& key,
                                    DecodeOutcome outcome) noexcept {
  data_loss_.inc();
  const std::int64_t now = steady_now_ns();
  std::int64_t last = last_loss_log_ns_.load(std::memory_order_relaxed);
  if (last != 0 && now - last < kLossLogIntervalNs) {
    unlogged_losses_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (!last_loss_log_ns_.compare_exchange_strong(last, now, std::memory_order_relaxed)) {
    unlogged_losses_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const std::uint64_t more = unlogged_losses_.exchange(0, std::memory_order_relaxed);
  log_.error(
      "data loss: skipped a stored {} message row (publisher key {}, time {} ns, seq {}): {}; "
      "{} more since the last report",
      to_string(format), format_uuid(key.publisher), key.time, key.seq,
      outcome == DecodeOutcome::unknown_version ? "unknown value version" : "corrupt value", more);
}

Result<MessagePage> MessageStore::query(const MessageQuery& query) noexcept {
  return guarded([&] {
    auto started = std::chrono::steady_clock::now();
    auto result = run_query(query);
    query_seconds_.observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return result;
  });
}

Result<std::uint64_t> MessageStore::remove(MessageFormat format,
                                           std::span<const std::string> publishers,
                                           std::optional<std::int64_t> from,
                                           std::optional<std::int64_t> to) noexcept {
  return guarded([&] { return run_remove(format, publishers, from, to); });
}

Status MessageStore::export_rows(const MessageQuery& query, ExportFormat format,
                                 const ChunkSink& sink) noexcept {
  return guarded([&] { return run_export(query, format, sink); });
}

Status MessageStore::backup(const ChunkSink& sink) noexcept {
  return guarded([&] { return run_backup(sink); });
}

Result<std::uint64_t> MessageStore::restore(const ChunkSource& source) noexcept {
  return guarded([&] { return run_restore(source); });
}

Result<std::uint64_t> MessageStore::apply_retention(std::int64_t now_ns,
                                                    std::chrono::milliseconds max_age,
                                                    std::uint64_t max_size_bytes,
                                                    std::size_t max_rows_per_step) noexcept {
  return guarded([&] { return run_retention(now_ns, max_age, max_size_bytes, max_rows_per_step); });
}

}  // namespace conflux::core::store
