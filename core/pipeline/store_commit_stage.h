// core/pipeline — StoreCommitStage: the CommitStage on the LMDB environment.
// Each pipeline batch is ONE env write job (the env's group commit batches
// jobs of all workers into one durable transaction): the rows of every
// stored message, encoded on the calling worker thread
// (store::EncodedRows) and put by the job, and OutboxQueues::enqueue_in for
// every durable subscription item. The job has no side effects outside the transaction, so
// the env may replay it after growing the map. Durable subscriptions are
// granted to (and revoked from) their plugin's outbox here.
//
// Thread-safety: every method may be called from any thread; `done` runs on
// the env's completion thread. The env, store and outbox must outlive it.
#pragma once

#include "core/pipeline/commit_stage.h"
#include "core/store/lmdb_env.h"
#include "core/store/message_store.h"
#include "core/store/outbox_queues.h"

namespace conflux::core {

class StoreCommitStage final : public CommitStage {
 public:
  StoreCommitStage(store::LmdbEnv& env, store::MessageStore& messages, store::OutboxQueues& outbox)
      : env_(env), messages_(messages), outbox_(outbox) {}

  void commit(std::shared_ptr<const CommitBatch> batch,
              std::function<void(Status)> done) noexcept override;
  void durable_subscription(std::string_view owner, std::string_view name,
                            bool active) noexcept override;

 private:
  store::LmdbEnv& env_;
  store::MessageStore& messages_;
  store::OutboxQueues& outbox_;
};

}  // namespace conflux::core
