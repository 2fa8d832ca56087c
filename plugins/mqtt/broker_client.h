// plugins/mqtt — BrokerClient: the Paho MQTT C (async) connection to the
// broker.
//
// A persistent session (clean session off, a stable client id: the broker
// keeps the subscriptions and queues messages while Conflux is away) without
// Paho client persistence (MQTTCLIENT_PERSISTENCE_NONE): nothing Paho holds
// needs to survive the process. Outgoing messages are the outbox's (removed
// only after the confirmation, sent again otherwise), incoming ones are in
// the InboundLog once Paho hands them over, and inbound QoS 2 state never
// exists (subscriptions are QoS 1). Publishing while disconnected is
// refused, not buffered by Paho. Connection attempts are
// retried forever with exponential backoff (the first one too: a broker that
// is down at start-up is not an error); after every successful connection the
// subscriptions are made again (QoS 1) before the state becomes connected.
// Outgoing messages (commands, republish) come from durable outbox queues
// (outbound.h) through publish_confirmed, which refuses while disconnected
// and reports the broker's confirmation.
//
// Thread-safety: publish_confirmed may be called from any thread; start/stop from the
// plugin's thread. Callbacks run on Paho's threads (on_message may block:
// that pauses reading from the broker) and on the clock's threads.
#pragma once

#include <MQTTAsync.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "conflux/backoff.h"
#include "conflux/clock.h"
#include "conflux/log.h"
#include "conflux/status.h"
#include "outbound.h"
#include "settings.h"

namespace conflux::mqtt {

class BrokerClient final : public ConfirmedPublisher {
 public:
  struct Callbacks {
    std::function<void(std::string topic, std::string payload)> on_message;
    // connected: true after (re)subscribing, false when the broker is lost
    // or unreachable; detail says why.
    std::function<void(bool connected, std::string detail)> on_state;
  };

  // `filters` are subscribed at QoS 1 after every connection.
  static Result<std::unique_ptr<BrokerClient>> create(const MqttSettings& settings, Clock& clock,
                                                      Logger& log, Callbacks callbacks,
                                                      std::vector<std::string> filters);
  ~BrokerClient();

  void start();
  // Disconnects and destroys the Paho client; no callback runs afterwards.
  void stop();

  // ConfirmedPublisher: unavailable while not connected; otherwise `done`
  // gets the PUBACK (QoS 1) or the write (QoS 0), or the failure.
  Status publish_confirmed(std::string_view topic, std::string_view payload, int qos,
                           std::function<void(Status)> done) override;
  bool connected() const noexcept override { return connected_.load(); }

 private:
  BrokerClient(const MqttSettings& settings, Clock& clock, Logger& log, Callbacks callbacks,
               std::vector<std::string> filters);
  void connect();
  void schedule_reconnect(std::string why);
  void subscribe();

  static int message_arrived(void* context, char* topic, int topic_len, MQTTAsync_message* m);
  static void connection_lost(void* context, char* cause);
  static void on_connect_success(void* context, MQTTAsync_successData* data);
  static void on_connect_failure(void* context, MQTTAsync_failureData* data);
  static void on_subscribe_success(void* context, MQTTAsync_successData* data);
  static void on_subscribe_failure(void* context, MQTTAsync_failureData* data);
  struct Confirmation;
  static void on_publish_success(void* context, MQTTAsync_successData* data);
  static void on_publish_failure(void* context, MQTTAsync_failureData* data);
  // Removes `c` from confirmations_; false when stop() already dropped it.
  bool take(Confirmation* c);

  MqttSettings settings_;
  Clock& clock_;
  Logger& log_;
  Callbacks callbacks_;
  std::vector<std::string> filters_;
  MQTTAsync client_ = nullptr;

  // Paho's API is never called under mu_ (its callbacks take mu_); life_
  // guards client_ against destruction while the API is in use (callbacks
  // never take it).
  std::shared_mutex life_;
  std::mutex mu_;  // timer_, timer_armed_, backoff_
  std::atomic<bool> stopped_{false};
  TimerId timer_ = 0;
  bool timer_armed_ = false;
  Backoff backoff_;
  std::atomic<bool> connected_{false};
  std::mutex confirmations_mu_;
  std::unordered_set<Confirmation*> confirmations_;  // owned; freed by callbacks or stop()
};

}  // namespace conflux::mqtt
