// plugins/mqtt — Republisher: every processed message (a pipeline
// subscription) published to the broker on a topic template as its
// normalized SenML/JSON body, so MQTT consumers see what HTTP, LoRa or
// Modbus things send.
//
// Delivery: best effort while Conflux runs (QoS 0 or 1 towards the broker;
// Paho buffers up to 10000 messages while disconnected, dropping the oldest).
// Messages processed while Conflux is down are not republished.
//
// Thread-safety: the handler runs on pipeline threads; construction and
// destruction on the plugin's thread.
#pragma once

#include <memory>
#include <string>

#include "broker_client.h"
#include "conflux/log.h"
#include "conflux/metrics.h"
#include "conflux/pipeline.h"

namespace conflux::mqtt {

class Republisher {
 public:
  static Result<std::unique_ptr<Republisher>> start(Pipeline& pipeline, BrokerClient& client,
                                                    std::string pattern, int qos, Metrics& metrics,
                                                    Logger& log);
  ~Republisher();  // unsubscribes

 private:
  Republisher(Pipeline& pipeline) : pipeline_(pipeline) {}
  Pipeline& pipeline_;
  SubscriptionId id_ = 0;
};

}  // namespace conflux::mqtt
