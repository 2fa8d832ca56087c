// plugins/mqtt — the [plugins.mqtt] config schema and its typed form.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bridges.h"
#include "conflux/config.h"
#include "conflux/status.h"

namespace conflux::mqtt {

// The broker when none is configured: the local Mosquitto of `make run`.
inline constexpr std::string_view kDefaultBroker = "tcp://127.0.0.1:1883";

struct MqttSettings {
  std::string broker;  // tcp://host:port, ssl://host:port (also mqtt://, mqtts://)
  std::string client_id;
  std::string username;  // the Conflux service client (shared with the broker plugin)
  std::string password;
  std::string tls_ca_file, tls_cert_file, tls_key_file;
  bool tls_verify = true;
  std::chrono::milliseconds keep_alive{30'000};
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds reconnect_max{30'000};
  std::string shared_group;  // "" = plain subscriptions
  std::string state_dir;
  bool state_sync = false;
  std::int64_t max_in_flight = 1024;
  std::string republish_topic;  // "" = off
  int republish_qos = 0;
  std::vector<BridgeRule> bridges;
  bool auth_routes = true;
  bool commands = true;

  bool tls() const noexcept;
};

// The schema of [plugins.mqtt].
std::vector<ConfigField> mqtt_schema();

// Reads a validated section; invalid_argument naming the key for values the
// schema types cannot express (bad broker URL, bad template, bad bridge).
// `env_storage_path` is CONFLUX_STORAGE_PATH ("" when unset): the default
// state_dir is <it or ./data>/mqtt.
Result<MqttSettings> read_settings(const ConfigSection& section,
                                   const std::string& env_storage_path);

}  // namespace conflux::mqtt
