// plugins/mqtt — BrokerClient: the Paho MQTT C (async) connection to the
// broker.
//
// A persistent session (clean session off, a stable client id) with the
// SessionJournal as Paho's client persistence. Connection attempts are
// retried forever with exponential backoff (the first one too: a broker that
// is down at start-up is not an error); after every successful connection the
// subscriptions are made again (QoS 1) before the state becomes connected.
// Outgoing messages (commands, republish) are buffered by Paho while
// disconnected, up to a bound.
//
// Thread-safety: publish may be called from any thread; start/stop from the
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
#include <vector>

#include "conflux/backoff.h"
#include "conflux/clock.h"
#include "conflux/log.h"
#include "conflux/status.h"
#include "paho_persistence.h"
#include "settings.h"

namespace conflux::mqtt {

class BrokerClient {
 public:
  struct Callbacks {
    std::function<void(std::string topic, std::string payload)> on_message;
    // connected: true after (re)subscribing, false when the broker is lost
    // or unreachable; detail says why.
    std::function<void(bool connected, std::string detail)> on_state;
  };

  // `filters` are subscribed at QoS 1 after every connection.
  static Result<std::unique_ptr<BrokerClient>> create(const MqttSettings& settings,
                                                      SessionJournal& journal, Clock& clock,
                                                      Logger& log, Callbacks callbacks,
                                                      std::vector<std::string> filters);
  ~BrokerClient();

  void start();
  // Disconnects and destroys the Paho client; no callback runs afterwards.
  void stop();

  // Queues a message for the broker (buffered while disconnected).
  Status publish(std::string_view topic, std::string_view payload, int qos);
  bool connected() const noexcept { return connected_.load(); }

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

  MqttSettings settings_;
  Clock& clock_;
  Logger& log_;
  Callbacks callbacks_;
  std::vector<std::string> filters_;
  MQTTClient_persistence persistence_{};
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
};

}  // namespace conflux::mqtt
