// tests/integration — helpers for the MQTT integration tests and the MQTT
// benchmark: a real Mosquitto (/usr/sbin/mosquitto) with the Conflux auth
// plugin on a free loopback port, a Paho (synchronous) device client, the
// registry setup over REST, and reading the message store after Conflux
// stopped.
//
// Thread-safety: one test thread; MqttDevice instances are independent.
#pragma once

#include <MQTTClient.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "conflux/message_reader.h"

namespace conflux::test {

// A TCP port on 127.0.0.1 that was free a moment ago.
std::uint16_t free_port();

struct MosquittoOptions {
  std::uint16_t port = 0;
  std::uint16_t conflux_http_port = 0;  // where the auth plugin asks
  std::string service_username = "conflux";
  std::string service_password;
  bool auth_plugin = true;  // false: anonymous broker without the plugin (relay ceiling)
  // The plugin keeps client identities across restarts (plugin_opt_identity_file).
  bool identity_file = true;
};

// Mosquitto in `dir` (config, persistence, log). Started by the constructor.
class Mosquitto {
 public:
  Mosquitto(std::filesystem::path dir, MosquittoOptions options);
  ~Mosquitto();
  // Starts (again); waits until the port accepts connections.
  bool start();
  // SIGTERM and wait.
  void stop();
  std::string log() const;
  std::uint16_t port() const { return options_.port; }
  const std::filesystem::path& config() const { return config_; }

 private:
  std::filesystem::path dir_, config_;
  MosquittoOptions options_;
  pid_t pid_ = -1;
};

// A device (or any MQTT client) over Paho's synchronous API. Only a
// `receiver` gets messages (Paho's callback mode makes each synchronous
// publish wait for a polling loop, so publishers do without it).
class MqttDevice {
 public:
  MqttDevice(std::uint16_t port, std::string client_id, bool clean_session = true,
             bool receiver = false);
  ~MqttDevice();
  // The CONNACK return code (0 = accepted; 4 bad credentials, 5 not authorized).
  int connect(const std::string& username, const std::string& password);
  void disconnect();
  // Publishes and waits for the PUBACK at QoS 1; the Paho return code.
  int publish(const std::string& topic, const std::string& payload, int qos = 1);
  // Receivers only: publishes at QoS 1 without waiting (retrying while
  // Paho's in-flight window is full); returns the delivery token, or a
  // negative Paho error. `acknowledged()` lists the tokens PUBACKed so far.
  int publish_nowait(const std::string& topic, const std::string& payload);
  std::vector<int> acknowledged();
  // Subscribes; returns the granted QoS (0x80 when refused), or a negative
  // Paho error.
  int subscribe(const std::string& filter, int qos = 1);
  // The next message (topic, payload) within `timeout`.
  std::optional<std::pair<std::string, std::string>> receive(std::chrono::milliseconds timeout);

 private:
  static int arrived(void* context, char* topic, int topic_len, MQTTClient_message* m);
  static void delivered(void* context, MQTTClient_deliveryToken token);
  MQTTClient client_ = nullptr;
  bool clean_session_;
  std::mutex mu_;
  std::deque<std::pair<std::string, std::string>> inbox_;
  std::vector<int> acknowledged_;
};

struct TestThing {
  std::string id;
  std::string key;
};

// Creates an org, a group, a profile (with `profile_config` JSON) and
// things over the REST API as the root admin. Throws on any failure.
struct RegistrySetup {
  std::string token;
  std::string org_id, group_id, profile_id;
  std::vector<TestThing> things;
};
RegistrySetup create_things(std::uint16_t http_port, const std::string& admin_email,
                            const std::string& admin_password, int count,
                            const std::string& profile_config,
                            const std::vector<std::string>& metadata = {});

// Every stored SenML (or JSON) row of `publisher`, read from the LMDB store
// in `data_dir` (Conflux must not be running).
std::vector<StoredRecord> stored_rows(const std::filesystem::path& data_dir,
                                      const std::string& publisher,
                                      MessageFormat format = MessageFormat::senml);

// Polls GET /metrics until the sum of `metric` lines matching `label` is at
// least `value`; false after `timeout`.
bool wait_metric(std::uint16_t http_port, const std::string& metric_with_labels, double value,
                 std::chrono::milliseconds timeout);
// Polls GET /health until `needle` appears; false after `timeout`.
bool wait_health(std::uint16_t http_port, const std::string& needle,
                 std::chrono::milliseconds timeout);

}  // namespace conflux::test
