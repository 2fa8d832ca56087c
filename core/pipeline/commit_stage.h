// core/pipeline — CommitStage: the durable end of the pipeline. One call
// commits one worker batch atomically: the messages of its units that are
// stored into the message store and every unit's outbox items (durable
// subscriptions) into their queues, in the same transaction. `done` runs
// once, after the durable commit or with the error (then nothing of the batch
// is stored).
//
// StoreCommitStage (store_commit_stage.h) implements it on the LMDB env;
// tests may substitute their own.
//
// Thread-safety: `commit` may be called from any thread; `done` runs on a
// thread of the implementation (never inside `commit`'s caller frame for the
// LMDB implementation). The batch is shared and read-only once submitted.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/message.h"
#include "conflux/status.h"

namespace conflux::core {

// One item for a durable subscription's outbox queue.
struct DurableItem {
  std::string queue;    // "subscription:<name>"
  std::string payload;  // encode_outbox_payload(message)
};

// What one publish commits.
struct CommitUnit {
  bool store = true;              // append `messages` to the message store
  std::vector<Message> messages;  // formatted and transformed, in order
  std::vector<DurableItem> items;
};

struct CommitBatch {
  std::vector<CommitUnit> units;
};

class CommitStage {
 public:
  virtual ~CommitStage() = default;
  virtual void commit(std::shared_ptr<const CommitBatch> batch,
                      std::function<void(Status)> done) noexcept = 0;
  // A durable subscription `name` of plugin `owner` ("" = core) was added
  // (`active`) or removed: lets the owner drain its queue (or stops it).
  virtual void durable_subscription(std::string_view owner, std::string_view name,
                                    bool active) noexcept {}
};

}  // namespace conflux::core
