// conflux/outbox.h — the durable outbox: at-least-once delivery queues with a
// per-item retry schedule, for sinks (webhooks, downlinks, notifiers).
//
// A sink enqueues (or, with a durable Pipeline subscription, receives items
// the pipeline enqueued in the message's own transaction), then loops:
// `claim` due items, deliver them, and `complete` each success or `retry` a
// failure at a later time. Items survive restarts and kill -9. A claimed item
// is leased: it is not claimed again until the lease expires, so a sink that
// crashes mid-delivery gets it again after restart (hence "at least once").
//
// Queue names are per plugin (a plugin cannot see another's queues).
//
// Found with `host.find<conflux::Outbox>()`.
//
// Thread-safety: all methods may be called from any thread; callbacks run
// after the commit on a store thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/status.h"

namespace conflux {

struct OutboxItem {
  std::uint64_t id = 0;  // unique within the queue, increasing
  std::string payload;
  std::int64_t created = 0;  // ns
  std::int64_t due = 0;      // ns; claimable from then on
  std::uint32_t attempts = 0;
  std::string last_error;
};

struct OutboxStats {
  std::uint64_t pending = 0;    // waiting (due or not)
  std::uint64_t dead = 0;       // given up
  std::int64_t oldest_due = 0;  // ns; 0 when empty
};

class Outbox {
 public:
  static constexpr std::string_view kInterfaceName = "conflux.outbox.v1";
  virtual ~Outbox() = default;

  // Appends an item, claimable from `due` (ns; 0 = now). `done` gets its id
  // after the commit.
  virtual void enqueue(std::string_view queue, std::string payload, std::int64_t due,
                       std::function<void(Result<std::uint64_t>)> done) noexcept = 0;
  // Up to `max` due items, earliest due first, each leased for `lease`.
  virtual Result<std::vector<OutboxItem>> claim(std::string_view queue, std::size_t max,
                                                std::chrono::milliseconds lease) noexcept = 0;
  // Delivered: removes the item.
  virtual void complete(std::string_view queue, std::uint64_t id,
                        std::function<void(Status)> done) noexcept = 0;
  // Failed: attempts + 1, claimable again from `due`; `give_up` moves it to
  // the queue's dead letters instead.
  virtual void retry(std::string_view queue, std::uint64_t id, std::int64_t due, std::string error,
                     bool give_up, std::function<void(Status)> done) noexcept = 0;
  virtual Result<OutboxStats> stats(std::string_view queue) noexcept = 0;
  // Dead letters, oldest first (for inspection and replay).
  virtual Result<std::vector<OutboxItem>> dead_letters(std::string_view queue,
                                                       std::size_t max) noexcept = 0;
};

}  // namespace conflux
