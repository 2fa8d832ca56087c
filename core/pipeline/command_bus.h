// core/pipeline — CommandBus: the in-process fan-out of commands to the
// protocol plugins that deliver them (conflux/commands.h is the contract).
//
// Subscribers are kept in a list guarded by a shared mutex: publish holds it
// shared while it calls the handlers (publishers never wait for each other),
// unsubscribe takes it exclusively, so once unsubscribe returns no handler
// call of that subscription is running or will start. Every publish counts
// conflux_commands_published_total; one that no subscriber took, or that a
// subscriber refused (its handler threw), also counts
// conflux_commands_undelivered_total; a refusal fails the publish with
// unavailable.
//
// Thread-safety: every method may be called from any thread; handlers must
// not call back into the bus.
#pragma once

#include <cstdint>
#include <shared_mutex>
#include <string>
#include <vector>

#include "conflux/clock.h"
#include "conflux/commands.h"
#include "conflux/metrics.h"

namespace conflux::core {

class InProcessCommandBus final : public CommandBus {
 public:
  InProcessCommandBus(Clock& clock, Metrics& metrics);

  Result<std::size_t> publish(Command command) noexcept override;
  Result<CommandSubscriptionId> subscribe(std::string_view name,
                                          CommandHandler handler) noexcept override;
  void unsubscribe(CommandSubscriptionId id) noexcept override;
  // Drops every subscription (shutdown).
  void unsubscribe_all() noexcept;

 private:
  struct Subscriber {
    CommandSubscriptionId id;
    std::string name;
    CommandHandler handler;
  };
  Clock& clock_;
  Counter& published_;
  Counter& undelivered_;
  std::shared_mutex mu_;
  std::vector<Subscriber> subscribers_;
  CommandSubscriptionId next_id_ = 0;
};

}  // namespace conflux::core
