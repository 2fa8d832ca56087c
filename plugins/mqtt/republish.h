// plugins/mqtt — Republisher: every processed message published to the
// broker on a topic template as its normalized SenML/JSON body, so MQTT
// consumers see what HTTP, LoRa or Modbus things send.
//
// Durable: a durable pipeline subscription ("mqtt-republish") has the
// pipeline append every message to the outbox queue
// "subscription:mqtt-republish" in the transaction that stores it; an
// OutboundQueue publishes the queue at `qos` and removes an item only after
// the broker confirmed it (PUBACK at QoS 1; written to the socket at QoS 0),
// retrying with backoff while the broker is away and after a restart (at
// least once). The subscription's live handler only wakes the queue.
//
// Thread-safety: the handler runs on pipeline threads; wake() from any
// thread; construction and destruction on the plugin's thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "conflux/clock.h"
#include "conflux/log.h"
#include "conflux/message.h"
#include "conflux/metrics.h"
#include "conflux/outbox.h"
#include "conflux/pipeline.h"
#include "outbound.h"

namespace conflux::mqtt {

inline constexpr std::string_view kRepublishSubscription = "mqtt-republish";

// A durable subscription's outbox payload (version 1, docs/pipeline.md) as
// a Message (id, thing, group, profile, protocol, subtopic, content type,
// created, format and body). invalid_argument for anything else.
Result<Message> decode_subscription_item(std::string_view payload);

class Republisher {
 public:
  static Result<std::unique_ptr<Republisher>> start(Pipeline& pipeline, Outbox& outbox,
                                                    ConfirmedPublisher& publisher, Clock& clock,
                                                    std::string pattern, int qos, Metrics& metrics,
                                                    Logger& log);
  ~Republisher();  // stops delivering, then unsubscribes

  // The broker (re)connected: deliver what waits.
  void wake() noexcept;

 private:
  explicit Republisher(Pipeline& pipeline) : pipeline_(pipeline) {}
  Pipeline& pipeline_;
  SubscriptionId id_ = 0;
  std::unique_ptr<OutboundQueue> queue_;
};

}  // namespace conflux::mqtt
