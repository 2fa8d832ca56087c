// plugins/mqtt — CommandDelivery: commands from the command bus (e.g. HTTP
// POST /http/things/{id}/commands) published to
//   things/{thing_id}/commands[/<subtopic>]   for a thing,
//   groups/{group_id}/commands[/<subtopic>]   for a group,
// at QoS 1 with the payload as sent. Paho buffers them while the broker is
// unreachable (up to 10000, oldest dropped first); the broker delivers them
// to subscribed devices (persistent sessions keep them for offline ones).
//
// Thread-safety: the handler runs on the publisher's thread; construction
// and destruction on the plugin's thread.
#pragma once

#include <memory>

#include "broker_client.h"
#include "conflux/commands.h"
#include "conflux/log.h"
#include "conflux/metrics.h"

namespace conflux::mqtt {

class CommandDelivery {
 public:
  static Result<std::unique_ptr<CommandDelivery>> start(CommandBus& bus, BrokerClient& client,
                                                        Metrics& metrics, Logger& log);
  ~CommandDelivery();  // unsubscribes

 private:
  explicit CommandDelivery(CommandBus& bus) : bus_(bus) {}
  CommandBus& bus_;
  CommandSubscriptionId id_ = 0;
};

}  // namespace conflux::mqtt
