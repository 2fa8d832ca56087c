// plugins/mqtt — CommandDelivery: commands from the command bus (e.g. HTTP
// POST /http/things/{id}/commands) published to
//   things/{thing_id}/commands[/<subtopic>]   for a thing,
//   groups/{group_id}/commands[/<subtopic>]   for a group,
// at QoS 1 with the payload as sent.
//
// Durable: the bus handler appends each command to the plugin's outbox
// queue "commands" and returns only after that commit, so the sender's
// acknowledgement (HTTP 202) means the command is on disk. When the commit
// fails or does not come within `commit_timeout`, the handler throws: the
// bus then fails the publish (the sender answers 503 and the client retries).
// An OutboundQueue delivers the queue to the broker: an item is removed when
// the broker PUBACKs it, retried with backoff while the broker is away, and
// sent after a restart when Conflux stopped first (at least once; the broker
// keeps it for offline devices with persistent sessions).
//
// Outbox item: a topic frame (topic_frame.h): topic length (u32 LE) | topic
// | payload.
//
// Thread-safety: the handler runs on the bus publisher's thread (it blocks
// for one commit); wake() from any thread; construction and destruction on
// the plugin's thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "conflux/clock.h"
#include "conflux/commands.h"
#include "conflux/log.h"
#include "conflux/metrics.h"
#include "conflux/outbox.h"
#include "outbound.h"

namespace conflux::mqtt {

inline constexpr std::string_view kCommandsQueue = "commands";

// The command in an outbox item (encode_topic_frame(topic, payload)),
// published at QoS 1.
Result<OutboundMessage> decode_command_item(std::string_view item);

class CommandDelivery {
 public:
  static Result<std::unique_ptr<CommandDelivery>> start(
      CommandBus& bus, Outbox& outbox, ConfirmedPublisher& publisher, Clock& clock,
      Metrics& metrics, Logger& log,
      std::chrono::milliseconds commit_timeout = std::chrono::seconds(10));
  ~CommandDelivery();  // unsubscribes, then stops delivering

  // The broker (re)connected: deliver what waits.
  void wake() noexcept;

 private:
  explicit CommandDelivery(CommandBus& bus) : bus_(bus) {}
  CommandBus& bus_;
  CommandSubscriptionId id_ = 0;
  std::unique_ptr<OutboundQueue> queue_;
};

}  // namespace conflux::mqtt
