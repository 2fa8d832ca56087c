// core/pipeline — PublishBatch: what a worker hands to the commit stage and
// gets back after the commit: per publish its callback, receipt, and the
// subscriptions each of its messages goes to; `commit->units[i]` belongs to
// `slots[i]`.
//
// Thread-safety: built by one worker, then read (and finally consumed) by the
// one thread that runs the commit callback.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "conflux/pipeline.h"
#include "core/pipeline/commit_stage.h"
#include "core/pipeline/subscriptions.h"

namespace conflux::core {

// One message of a unit for one subscription.
struct Delivery {
  std::uint32_t message = 0;             // index into the unit's messages
  Subscription* subscription = nullptr;  // kept alive by PublishBatch::subscriptions
};

struct PublishSlot {
  PublishCallback done;
  std::chrono::steady_clock::time_point accepted;
  PublishReceipt receipt;
  std::vector<Delivery> deliveries;
};

struct PublishBatch {
  std::shared_ptr<const SubscriptionList> subscriptions;
  std::shared_ptr<CommitBatch> commit = std::make_shared<CommitBatch>();
  std::vector<PublishSlot> slots;
};

// Fills `slot.deliveries` and `unit.items` from the subscriptions matching
// each of `unit.messages` (an outbox payload is encoded once per message that
// has a durable match), and the slot's receipt from the unit.
void route_unit(const SubscriptionList& subscriptions, CommitUnit& unit, PublishSlot& slot);

// Calls every delivery of `slot` (messages from `unit`).
void fan_out(const CommitUnit& unit, const PublishSlot& slot) noexcept;

}  // namespace conflux::core
