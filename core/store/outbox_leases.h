// core/store/outbox_leases.h — in-memory leases of claimed outbox items
// (never persisted: after a restart every pending item is claimable again).
//
// Each queue has a mutex that `claim` holds across its whole read (snapshot
// + lease marking) and that `release` takes after a complete/retry commit.
// That ordering keeps a claim from re-leasing an item whose completion has
// committed but whose lease is not yet released: either the claim's snapshot
// is newer than the commit (the item is gone or rescheduled) or the lease is
// still held.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace conflux::core::store {

class OutboxLeases {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // One queue's leases; lock `mu` while using `by_id`.
  struct Queue {
    std::mutex mu;
    std::unordered_map<std::uint64_t, TimePoint> by_id;  // id → lease expiry

    bool leased(std::uint64_t id, TimePoint now) const {
      auto it = by_id.find(id);
      return it != by_id.end() && it->second > now;
    }
    // Drops expired leases once the table has grown.
    void sweep(TimePoint now);
  };

  // The queue's leases (created on first use; stable reference).
  Queue& queue(std::string_view full_queue_name);
  void release(std::string_view full_queue_name, std::uint64_t id);

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::unique_ptr<Queue>> queues_;
};

}  // namespace conflux::core::store
