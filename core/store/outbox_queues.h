// core/store/outbox_queues.h — the durable outbox (DESIGN §1.4): at-least-
// once delivery queues in the LMDB environment, handed to each plugin as a
// conflux::Outbox that sees only its own queues.
//
// Queue names on disk ("full names"):
//   "<plugin>/<queue>"      a plugin's own queue; PluginOutbox of <plugin>
//                           maps `queue` to it. Plugin names may not contain
//                           '/', ':' or NUL; queue names may not contain NUL.
//   "subscription:<name>"   a durable pipeline subscription's queue (core
//                           owned; see `subscription_queue`). The pipeline
//                           appends with `enqueue_in` inside the transaction
//                           that stores the message, and calls
//                           `grant_subscription(plugin, name)` when a plugin
//                           subscribes durably. That plugin then drains it
//                           through its Outbox under the queue name
//                           "subscription:<name>" (claim, complete, retry,
//                           stats, dead_letters; enqueue is refused).
//                           Without a grant the plugin gets permission_denied.
//                           Grants live in memory: re-grant at every start
//                           (plugins re-subscribe at start anyway).
//
// Delivery state: items are durable (payload, created, due, attempts,
// last_error); leases are in memory only, so after a restart every pending
// item is claimable again (at least once). `complete` deletes the item,
// `retry` reschedules it (attempts + 1) or moves it to the dead letters.
// Time comes from the injected Clock: due times are wall-clock ns
// (`Clock::now_ns`), leases run on `Clock::monotonic`.
//
// Thread-safety: every method may be called from any thread. `done`
// callbacks run on the env's completion thread after the durable commit.
// `enqueue_in` runs on the writer thread inside the caller's job.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/clock.h"
#include "conflux/outbox.h"
#include "conflux/status.h"
#include "core/store/lmdb_env.h"

namespace conflux::core::store {

class OutboxLeases;
class PluginOutbox;

// "subscription:<name>": the full queue name of a durable subscription.
std::string subscription_queue(std::string_view subscription_name);
// "<plugin>/<queue>": the full queue name of a plugin's own queue.
std::string plugin_queue(std::string_view plugin, std::string_view queue);

class OutboxQueues {
 public:
  // Opens (creates) the outbox databases. Call at start-up.
  static Result<std::unique_ptr<OutboxQueues>> open(LmdbEnv& env, Clock& clock);
  ~OutboxQueues();
  OutboxQueues(const OutboxQueues&) = delete;
  OutboxQueues& operator=(const OutboxQueues&) = delete;

  // The Outbox of `plugin` (created on first use; the pointer stays valid as
  // long as this object). invalid_argument for a bad plugin name.
  Result<conflux::Outbox*> plugin(std::string_view plugin_name);

  // Lets `plugin_name` drain "subscription:<subscription_name>".
  void grant_subscription(std::string_view plugin_name, std::string_view subscription_name);
  void revoke_subscription(std::string_view plugin_name, std::string_view subscription_name);
  bool granted(std::string_view plugin_name, std::string_view subscription_name) const;

  // Appends an item to `full_queue_name` inside the caller's write job
  // (writer thread); returns its id. `due_ns` 0 means now. The item becomes
  // visible when the caller's batch commits; when the caller's job fails it
  // leaves no trace.
  Result<std::uint64_t> enqueue_in(WriteTxn& txn, std::string_view full_queue_name,
                                   std::string_view payload, std::int64_t due_ns);

  // The same operations as conflux::Outbox, on full queue names (core use
  // and the per-plugin facades).
  void enqueue(std::string full_queue_name, std::string payload, std::int64_t due,
               std::function<void(Result<std::uint64_t>)> done);
  Result<std::vector<OutboxItem>> claim(std::string_view full_queue_name, std::size_t max,
                                        std::chrono::milliseconds lease);
  void complete(std::string full_queue_name, std::uint64_t id, std::function<void(Status)> done);
  void retry(std::string full_queue_name, std::uint64_t id, std::int64_t due, std::string error,
             bool give_up, std::function<void(Status)> done);
  Result<OutboxStats> stats(std::string_view full_queue_name);
  Result<std::vector<OutboxItem>> dead_letters(std::string_view full_queue_name, std::size_t max);

  LmdbEnv& env() noexcept { return env_; }
  Clock& clock() noexcept { return clock_; }

 private:
  struct Dbs {
    Dbi items = 0;  // "outbox_items": queue \0 id → item
    Dbi due = 0;    // "outbox_due":   queue \0 due \0... id → ""
    Dbi dead = 0;   // "outbox_dead":  queue \0 id → item
    Dbi meta = 0;   // "outbox_meta":  queue → next id, pending, dead
  };
  OutboxQueues(LmdbEnv& env, Clock& clock, Dbs dbs);

  LmdbEnv& env_;
  Clock& clock_;
  Dbs dbs_;
  std::unique_ptr<OutboxLeases> leases_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<PluginOutbox>, std::less<>> plugins_;
  std::set<std::pair<std::string, std::string>, std::less<>> grants_;
};

}  // namespace conflux::core::store
