// core/pipeline — StoreCommitStage (see store_commit_stage.h).
// Thread-safety: as documented in store_commit_stage.h.
#include "core/pipeline/store_commit_stage.h"

namespace conflux::core {

void StoreCommitStage::commit(std::shared_ptr<const CommitBatch> batch,
                              std::function<void(Status)> done) noexcept {
  auto job = [this, batch = std::move(batch)](store::WriteTxn& txn) -> Status {
    CONFLUX_ASSIGN_OR_RETURN(auto stored, messages_.begin_batch(txn));
    for (const auto& unit : batch->units) {
      if (unit.store)
        for (const auto& m : unit.messages) CONFLUX_RETURN_IF_ERROR(stored.add(m));
      for (const auto& item : unit.items) {
        auto id = outbox_.enqueue_in(txn, item.queue, item.payload, 0);
        if (!id) return std::unexpected(std::move(id).error());
      }
    }
    return stored.finish();
  };
  auto on_error = done;  // `write` takes its arguments by value
  try {
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
