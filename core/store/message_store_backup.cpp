// core/store/message_store_backup.cpp — MessageStore backup (one read
// snapshot streamed frame by frame) and restore (incremental parse, batched
// idempotent writes).
//
// Thread-safety: see message_store.h.
#include <memory>
#include <vector>

#include "core/store/message_backup_format.h"
#include "core/store/message_rows.h"
#include "core/store/message_store.h"

namespace conflux::core::store {
namespace {

constexpr std::size_t kRestoreRowsPerJob = 1000;

}  // namespace

Status MessageStore::run_backup(const ChunkSink& sink) {
  ChunkWriter out(sink);
  BackupWriter writer(out);
  CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
  writer.begin();
  for (MessageFormat format : {MessageFormat::senml, MessageFormat::json}) {
    CONFLUX_ASSIGN_OR_RETURN(auto cursor, txn.cursor(dbs_.rows(format)));
    RowView row;
    for (auto found = cursor.first(); !out.stopped(); found = cursor.next()) {
      if (!found) return std::unexpected(found.error());
      if (!*found) break;
      auto key = parse_row_key((*found)->key);
      if (!key) continue;
      auto outcome = decode_row(format, *key, (*found)->value, &row);
      if (outcome != DecodeOutcome::ok) {
        report_data_loss(format, *key, outcome);
        continue;
      }
      writer.row(format, *key, (*found)->value);
    }
  }
  if (out.stopped()) return ok();
  writer.end();
  return ok();
}

Result<std::uint64_t> MessageStore::run_restore(const ChunkSource& source) {
  BackupReader reader(source);
  std::uint64_t restored = 0;
  std::vector<BackupRow> batch;
  batch.reserve(kRestoreRowsPerJob);

  auto write_batch = [&]() -> Status {
    if (batch.empty()) return ok();
    std::uint64_t added = 0;
    // The job may run more than once: it recomputes `added` from scratch.
    CONFLUX_RETURN_IF_ERROR(env_.write_sync([&](WriteTxn& txn) -> Status {
      added = 0;
      CONFLUX_ASSIGN_OR_RETURN(auto state, load_state(txn, dbs_));
      CountDeltas counts;
      for (const BackupRow& row : batch) {
        CONFLUX_ASSIGN_OR_RETURN(bool present, row_exists(txn, dbs_, row.format, row.key.publisher,
                                                          row.key.time, row.value));
        if (present) continue;
        CONFLUX_RETURN_IF_ERROR(insert_row(txn, dbs_, row.format, row.key.publisher, row.key.time,
                                           row.value, state, counts));
        ++added;
      }
      CONFLUX_RETURN_IF_ERROR(counts.apply(txn, dbs_));
      return save_state(txn, dbs_, state);
    }));
    restored += added;
    rows_restored_.inc(added);
    batch.clear();
    return ok();
  };

  while (true) {
    auto next = reader.next();
    if (!next) {
      // Keep what was read before the bad frame, then report it.
      CONFLUX_RETURN_IF_ERROR(write_batch());
      return std::unexpected(next.error());
    }
    if (!*next) break;
    batch.push_back(std::move(**next));
    if (batch.size() >= kRestoreRowsPerJob) CONFLUX_RETURN_IF_ERROR(write_batch());
  }
  CONFLUX_RETURN_IF_ERROR(write_batch());
  return restored;
}

}  // namespace conflux::core::store
