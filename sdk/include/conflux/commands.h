// conflux/commands.h — commands to things, from whoever sends them (the HTTP
// adapter's /http/things/{id}/commands, downlinks, scripts) to whichever
// protocol plugin can deliver them (MQTT, LoRa, Modbus, ...).
//
// The bus is an in-process fan-out: `publish` hands the command to every
// subscriber, synchronously, on the caller's thread, and returns how many
// took it. Commands are not stored: a command published while no subscriber
// is registered is dropped (publish still succeeds and returns 0; the core
// counts it in conflux_commands_undelivered_total). A subscriber that must
// not lose commands puts them in its own durable outbox from its handler and
// returns after the commit; a handler that cannot take a command throws (any
// exception): publish then fails with unavailable naming the subscriber, so
// the sender answers an error and its client retries (subscribers that took
// the command may see it again).
//
// Found with `host.find<conflux::CommandBus>()`.
//
// Thread-safety: every method may be called from any thread. Handlers run on
// the publisher's thread and may block for a durable commit, so publish from
// a thread that may block (a worker, not an io thread). Never call
// publish/subscribe/unsubscribe from a handler. After `unsubscribe` returns,
// the handler is not running and will not run again.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "conflux/status.h"

namespace conflux {

struct Command {
  enum class Target : std::uint8_t { thing, group };
  std::string id;  // UUID; assigned by the bus when empty
  Target target = Target::thing;
  std::string target_id;     // the thing id or group id
  std::string group_id;      // the target's group (the group itself for group commands)
  std::string subtopic;      // normalized like message subtopics; "" for none
  std::string content_type;  // as sent, e.g. "application/json"
  std::string payload;       // the raw bytes as sent
  std::string sender;        // who sent it: a thing id or a user id
  bool sender_is_thing = false;
  std::string protocol;      // the sender's protocol, e.g. "http"
  std::int64_t created = 0;  // ns since epoch; set by the bus when 0
};

using CommandHandler = std::function<void(const Command&)>;
using CommandSubscriptionId = std::uint64_t;

class CommandBus {
 public:
  static constexpr std::string_view kInterfaceName = "conflux.commands.v1";
  virtual ~CommandBus() = default;

  // Hands `command` to every subscriber; returns how many took it (0: none
  // is registered, the command is dropped). invalid_argument when target_id
  // is empty; unavailable when a subscriber's handler threw.
  virtual Result<std::size_t> publish(Command command) noexcept = 0;
  // Registers `handler` under `name` (unique, e.g. "mqtt"); already_exists
  // for a taken name.
  virtual Result<CommandSubscriptionId> subscribe(std::string_view name,
                                                  CommandHandler handler) noexcept = 0;
  virtual void unsubscribe(CommandSubscriptionId id) noexcept = 0;
};

}  // namespace conflux
