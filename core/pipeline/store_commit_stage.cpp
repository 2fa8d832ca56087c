// core/pipeline — StoreCommitStage (see store_commit_stage.h).
// Thread-safety: as documented in store_commit_stage.h.
#include "core/pipeline/store_commit_stage.h"

namespace conflux::core {

namespace {

// The rows of the batch's stored messages, encoded on the calling (worker)
// thread so the writer thread only puts them.
Status encode_rows(const CommitBatch& batch, store::EncodedRows& rows) {
  std::size_t records = 0;
  std::size_t bytes = 0;
  for (const auto& unit : batch.units) {
    if (!unit.store) continue;
    for (const auto& m : unit.messages) {
      const std::size_t n = m.format == MessageFormat::json ? 1 : m.records.size();
      records += n;
      // Per row: version, flags, message id, subtopic, protocol, time delta,
      // presence, lengths and a double (an inline publisher id grows it).
      bytes += n * (m.subtopic.size() + m.protocol.size() + 48) + m.json.size();
      for (const auto& r : m.records) bytes += r.name.size() + r.unit.size();
    }
  }
  rows.reserve(records, bytes);
  for (const auto& unit : batch.units) {
    if (!unit.store) continue;
    for (const auto& m : unit.messages) CONFLUX_RETURN_IF_ERROR(rows.add(m));
  }
  return ok();
}

}  // namespace

void StoreCommitStage::commit(std::shared_ptr<const CommitBatch> batch,
                              std::function<void(Status)> done) noexcept {
  auto on_error = done;  // `write` takes its arguments by value
  try {
    auto rows = std::make_shared<store::EncodedRows>();
    if (auto encoded = encode_rows(*batch, *rows); !encoded) {
      // Fail through the env like a failing job: `done` runs on its
      // completion thread, never in this caller's frame.
      env_.write([error = std::move(encoded)](store::WriteTxn&) { return error; }, std::move(done));
      return;
    }
    auto job = [this, batch = std::move(batch),
                rows = std::move(rows)](store::WriteTxn& txn) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto stored, messages_.begin_batch(txn));
      CONFLUX_RETURN_IF_ERROR(stored.add(*rows));
      for (const auto& unit : batch->units) {
        for (const auto& item : unit.items) {
          auto id = outbox_.enqueue_in(txn, item.queue, item.payload, 0);
          if (!id) return std::unexpected(std::move(id).error());
        }
      }
      return stored.finish();
    };
    env_.write(std::move(job), std::move(done));
  } catch (const std::exception& e) {
    // Only allocation can throw here, before the job is queued.
    if (on_error)
      on_error(fail(ErrorCode::internal, std::string("store write failed: ") + e.what()));
  }
}

void StoreCommitStage::durable_subscription(std::string_view owner, std::string_view name,
                                            bool active) noexcept {
  if (owner.empty()) return;  // the core drains its own queues by full name
  try {
    if (active)
      outbox_.grant_subscription(owner, name);
    else
      outbox_.revoke_subscription(owner, name);
  } catch (...) {
  }
}

}  // namespace conflux::core
