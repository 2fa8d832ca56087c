// core/store/outbox_leases.cpp — OutboxLeases: per-queue lease tables.
// Thread-safety: see outbox_leases.h.
#include "core/store/outbox_leases.h"

#include <iterator>

namespace conflux::core::store {

void OutboxLeases::Queue::sweep(TimePoint now) {
  if (by_id.size() < 1024) return;
  for (auto it = by_id.begin(); it != by_id.end();) {
    it = it->second <= now ? by_id.erase(it) : std::next(it);
  }
}

OutboxLeases::Queue& OutboxLeases::queue(std::string_view full_queue_name) {
  std::lock_guard lock(mu_);
  auto& q = queues_[std::string(full_queue_name)];
  if (!q) q = std::make_unique<Queue>();
  return *q;
}

void OutboxLeases::release(std::string_view full_queue_name, std::uint64_t id) {
  Queue& q = queue(full_queue_name);
  std::lock_guard lock(q.mu);
  q.by_id.erase(id);
}

}  // namespace conflux::core::store
