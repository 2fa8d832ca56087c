// core/pipeline — InProcessCommandBus (see command_bus.h).
#include "core/pipeline/command_bus.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <mutex>
#include <string>
#include <utility>

#include "core/pipeline/message_ids.h"

namespace conflux::core {

InProcessCommandBus::InProcessCommandBus(Clock& clock, Metrics& metrics)
    : clock_(clock),
      published_(metrics.counter("conflux_commands_published_total",
                                 "Commands published on the command bus", {})),
      undelivered_(metrics.counter("conflux_commands_undelivered_total",
                                   "Commands no protocol plugin took (dropped)", {})) {}

Result<std::size_t> InProcessCommandBus::publish(Command command) noexcept {
  try {
    if (command.target_id.empty())
      return fail(ErrorCode::invalid_argument, "a command needs a target thing or group");
    if (command.id.empty()) command.id = new_message_id();
    if (command.created == 0)
      command.created =
          std::chrono::duration_cast<std::chrono::nanoseconds>(clock_.now().time_since_epoch())
              .count();
    published_.inc();
    std::size_t taken = 0;
    std::string refused;  // why a subscriber could not take it
    std::shared_lock lock(mu_);
    for (const auto& s : subscribers_) {
      try {
        s.handler(command);
        ++taken;
      } catch (const std::exception& e) {
        refused = s.name + ": " + e.what();
      } catch (...) {
        refused = s.name + ": unknown error";
      }
    }
    if (!refused.empty()) {
      undelivered_.inc();
      return fail(ErrorCode::unavailable, "the command could not be accepted (" + refused + ")");
    }
    if (taken == 0) undelivered_.inc();
    return taken;
  } catch (...) {
    return fail(ErrorCode::internal, "cannot publish the command");
  }
}

Result<CommandSubscriptionId> InProcessCommandBus::subscribe(std::string_view name,
                                                             CommandHandler handler) noexcept {
  try {
    if (!handler) return fail(ErrorCode::invalid_argument, "empty command handler");
    std::unique_lock lock(mu_);
    for (const auto& s : subscribers_)
      if (s.name == name)
        return fail(ErrorCode::already_exists,
                    "command subscription name taken: " + std::string(name));
    auto id = ++next_id_;
    subscribers_.push_back({id, std::string(name), std::move(handler)});
    return id;
  } catch (...) {
    return fail(ErrorCode::internal, "cannot subscribe to commands");
  }
}

void InProcessCommandBus::unsubscribe(CommandSubscriptionId id) noexcept {
  std::unique_lock lock(mu_);
  std::erase_if(subscribers_, [id](const Subscriber& s) { return s.id == id; });
}

void InProcessCommandBus::unsubscribe_all() noexcept {
  std::unique_lock lock(mu_);
  subscribers_.clear();
}

}  // namespace conflux::core
