// core/pipeline — SubscriptionRegistry: who receives messages after the
// pipeline has processed them.
//
// Each subscription belongs to an owner (the plugin that subscribed; "" for
// the core) and has a unique name. A durable subscription also has an outbox
// queue, "subscription:<name>" (a core-owned queue its owner is granted to
// drain), that the pipeline appends every matching message to inside the
// storing transaction.
//
// Readers take an immutable snapshot (one shared_ptr copy per batch), so the
// hot path never waits on subscribe/unsubscribe. `remove` waits until no
// handler call of that subscription is running (unless called from inside its
// own handler), so after unsubscribe returns the handler is never called again
// and the subscriber may be destroyed.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/pipeline.h"

namespace conflux::core {

// The outbox queue a durable subscription named `name` fills.
std::string subscription_queue(std::string_view name);

class Subscription {
 public:
  Subscription(SubscriptionId id, std::string owner, SubscriptionOptions options,
               MessageHandler handler);

  SubscriptionId id() const noexcept { return id_; }
  const std::string& owner() const noexcept { return owner_; }
  const std::string& name() const noexcept { return options_.name; }
  bool durable() const noexcept { return options_.durable; }
  const std::string& queue() const noexcept { return queue_; }
  bool active() const noexcept { return active_.load(); }

  // The filter's verdict (true without a filter; false when it throws).
  bool matches(const Message& message) const noexcept;
  // Calls the handler unless the subscription was removed; exceptions are
  // swallowed (the boundary is noexcept).
  void deliver(const Message& message) noexcept;

 private:
  friend class SubscriptionRegistry;
  void deactivate_and_wait() noexcept;

  SubscriptionId id_;
  std::string owner_;
  SubscriptionOptions options_;
  std::string queue_;
  MessageHandler handler_;
  std::atomic<bool> active_{true};
  std::atomic<int> calls_{0};
};

using SubscriptionList = std::vector<std::shared_ptr<Subscription>>;

class SubscriptionRegistry {
 public:
  // invalid_argument for an empty name, a name with NUL or a missing
  // handler; already_exists when the name is taken. Returns the new
  // subscription.
  Result<std::shared_ptr<Subscription>> add(std::string_view owner, SubscriptionOptions options,
                                            MessageHandler handler);
  // Each returns what it removed, after its handlers have returned.
  // Removes one subscription (nothing for an unknown id).
  SubscriptionList remove(SubscriptionId id);
  // Removes one subscription if `owner` owns it.
  SubscriptionList remove(std::string_view owner, SubscriptionId id);
  // Removes every subscription of `owner`.
  SubscriptionList remove_owner(std::string_view owner);
  // Removes every subscription.
  SubscriptionList clear();

  // The current subscriptions; never null.
  std::shared_ptr<const SubscriptionList> snapshot() const;

 private:
  SubscriptionList remove_if(const std::function<bool(const Subscription&)>& pred);

  mutable std::mutex mu_;
  std::shared_ptr<const SubscriptionList> list_ = std::make_shared<const SubscriptionList>();
  SubscriptionId next_id_ = 0;
};

}  // namespace conflux::core
