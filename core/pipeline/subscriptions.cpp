// core/pipeline — SubscriptionRegistry (see subscriptions.h). Thread-safe.
#include "core/pipeline/subscriptions.h"

#include <thread>

namespace conflux::core {
namespace {

// The subscription whose handler this thread is running, so that an
// unsubscribe from inside the handler does not wait for itself.
thread_local const Subscription* current_delivery = nullptr;

}  // namespace

std::string subscription_queue(std::string_view name) {
  return "subscription:" + std::string(name);
}

Subscription::Subscription(SubscriptionId id, std::string owner, SubscriptionOptions options,
                           MessageHandler handler)
    : id_(id),
      owner_(std::move(owner)),
      options_(std::move(options)),
      queue_(options_.durable ? subscription_queue(options_.name) : std::string()),
      handler_(std::move(handler)) {}

bool Subscription::matches(const Message& message) const noexcept {
  if (!options_.filter) return true;
  try {
    return options_.filter(message);
  } catch (...) {
    return false;
  }
}

void Subscription::deliver(const Message& message) noexcept {
  calls_.fetch_add(1);  // seq_cst: pairs with deactivate_and_wait (Dekker)
  if (active_.load()) {
    const Subscription* outer = current_delivery;
    current_delivery = this;
    try {
      handler_(message);
    } catch (...) {
    }
    current_delivery = outer;
  }
  calls_.fetch_sub(1);
}

void Subscription::deactivate_and_wait() noexcept {
  active_.store(false);
  int self = current_delivery == this ? 1 : 0;
  while (calls_.load() > self) std::this_thread::yield();
}

Result<std::shared_ptr<Subscription>> SubscriptionRegistry::add(std::string_view owner,
                                                                SubscriptionOptions options,
                                                                MessageHandler handler) {
  if (options.name.empty())
    return fail(ErrorCode::invalid_argument, "subscription name must not be empty");
  if (options.name.find('\0') != std::string::npos)
    return fail(ErrorCode::invalid_argument, "subscription name must not contain NUL");
  if (!handler) return fail(ErrorCode::invalid_argument, "subscription handler must be set");
  std::lock_guard lock(mu_);
  for (const auto& s : *list_)
    if (s->name() == options.name)
      return fail(ErrorCode::already_exists, "subscription name already taken: " + options.name);
  auto id = ++next_id_;
  auto next = std::make_shared<SubscriptionList>(*list_);
  auto sub = std::make_shared<Subscription>(id, std::string(owner), std::move(options),
                                            std::move(handler));
  next->push_back(sub);
  list_ = std::move(next);
  return sub;
}

SubscriptionList SubscriptionRegistry::remove_if(
    const std::function<bool(const Subscription&)>& pred) {
  SubscriptionList removed;
  {
    std::lock_guard lock(mu_);
    auto next = std::make_shared<SubscriptionList>();
    for (const auto& s : *list_) (pred(*s) ? removed : *next).push_back(s);
    if (removed.empty()) return removed;
    list_ = std::move(next);
  }
  for (auto& s : removed) s->deactivate_and_wait();
  return removed;
}

SubscriptionList SubscriptionRegistry::remove(SubscriptionId id) {
  return remove_if([id](const Subscription& s) { return s.id() == id; });
}

SubscriptionList SubscriptionRegistry::remove(std::string_view owner, SubscriptionId id) {
  return remove_if(
      [owner, id](const Subscription& s) { return s.id() == id && s.owner() == owner; });
}

SubscriptionList SubscriptionRegistry::remove_owner(std::string_view owner) {
  return remove_if([owner](const Subscription& s) { return s.owner() == owner; });
}

SubscriptionList SubscriptionRegistry::clear() {
  return remove_if([](const Subscription&) { return true; });
}

std::shared_ptr<const SubscriptionList> SubscriptionRegistry::snapshot() const {
  std::lock_guard lock(mu_);
  return list_;
}

}  // namespace conflux::core
