// core/pipeline — routing a publish's messages to subscriptions and fanning
// them out (see publish_batch.h). Called by one thread per batch.
#include "core/pipeline/publish_batch.h"

#include "core/pipeline/outbox_payload.h"

namespace conflux::core {

void route_unit(const SubscriptionList& subscriptions, CommitUnit& unit, PublishSlot& slot) {
  auto& receipt = slot.receipt;
  receipt.stored = unit.store;
  receipt.message_ids.reserve(unit.messages.size());
  for (std::uint32_t i = 0; i < unit.messages.size(); ++i) {
    const Message& m = unit.messages[i];
    receipt.message_ids.push_back(m.id);
    if (unit.store) receipt.records += m.records.size();
    std::string payload;
    for (const auto& s : subscriptions) {
      if (!s->active() || !s->matches(m)) continue;
      slot.deliveries.push_back(Delivery{i, s.get()});
      if (!s->durable()) continue;
      if (payload.empty()) payload = encode_outbox_payload(m);
      unit.items.push_back(DurableItem{s->queue(), payload});
    }
  }
}

void fan_out(const CommitUnit& unit, const PublishSlot& slot) noexcept {
  for (const auto& d : slot.deliveries) d.subscription->deliver(unit.messages[d.message]);
}

}  // namespace conflux::core
