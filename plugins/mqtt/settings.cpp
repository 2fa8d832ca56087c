// plugins/mqtt — config schema and reading.
#include "settings.h"

#include "topics.h"

namespace conflux::mqtt {
namespace {

using namespace std::chrono_literals;

ConfigField field(std::string key, ConfigType type, ConfigValue value, std::string description,
                  bool required = false, bool secret = false) {
  return ConfigField{std::move(key),         type,     std::move(value),
                     std::move(description), required, secret};
}

bool starts_with_any(const std::string& s, std::initializer_list<const char*> prefixes) {
  for (const char* p : prefixes)
    if (s.starts_with(p)) return true;
  return false;
}

}  // namespace

bool MqttSettings::tls() const noexcept {
  return starts_with_any(broker, {"ssl://", "mqtts://", "wss://"});
}

std::vector<ConfigField> mqtt_schema() {
  return {
      field("broker", ConfigType::string, std::string(kDefaultBroker),
            "Broker URL: tcp://host:port or ssl://host:port (the default is the local broker "
            "`make run` starts; unreachable: the plugin is degraded and retries)"),
      field("client_id", ConfigType::string, std::string("conflux"),
            "Stable MQTT client id of the persistent session (one per Conflux instance)"),
      field("username", ConfigType::string, std::string("conflux"),
            "The Conflux service client's username at the broker (allowed everywhere)"),
      field("password", ConfigType::string, std::string(),
            "The Conflux service client's password (shared with the broker auth plugin)", false,
            true),
      field("tls_ca_file", ConfigType::string, std::string(), "CA bundle for ssl:// brokers"),
      field("tls_cert_file", ConfigType::string, std::string(), "Client certificate (PEM)"),
      field("tls_key_file", ConfigType::string, std::string(), "Client private key (PEM)"),
      field("tls_verify", ConfigType::boolean, true, "Verify the broker's certificate and name"),
      field("keep_alive", ConfigType::duration, std::chrono::milliseconds(30s),
            "MQTT keep-alive interval"),
      field("connect_timeout", ConfigType::duration, std::chrono::milliseconds(5s),
            "Timeout of one connection attempt"),
      field("reconnect_max", ConfigType::duration, std::chrono::milliseconds(30s),
            "Longest pause between reconnection attempts (exponential backoff)"),
      field("shared_group", ConfigType::string, std::string(),
            "Subscribe as $share/<group>/... so several Conflux instances split the device "
            "topics (\"\" = off)"),
      field("state_dir", ConfigType::string, std::string(),
            "Directory of the inbound log (\"\" = <CONFLUX_STORAGE_PATH or ./data>/mqtt)"),
      field("state_sync", ConfigType::boolean, false,
            "fdatasync every inbound log record (survives power loss; much slower)"),
      field("max_in_flight", ConfigType::integer, std::int64_t{1024},
            "Messages handed to the pipeline and not yet committed, at most; when reached, "
            "reading from the broker pauses"),
      field("republish_topic", ConfigType::string, std::string(),
            "Publish every processed message to this topic template, e.g. "
            "conflux/things/{thing_id}/messages/{subtopic} (\"\" = off)"),
      field("republish_qos", ConfigType::integer, std::int64_t{0}, "QoS of republished messages"),
      ConfigField{.key = "bridges",
                  .type = ConfigType::table_list,
                  .default_value = std::vector<ConfigSection>{},
                  .description = "[[plugins.mqtt.bridges]] rules mapping foreign topics "
                                 "(Tasmota, Zigbee2MQTT) to things",
                  .fields = bridge_fields()},
      field("auth_routes", ConfigType::boolean, true,
            "Serve POST /mqtt/auth and POST /mqtt/acl for the broker"),
      field("commands", ConfigType::boolean, true,
            "Deliver commands to things/{id}/commands and groups/{id}/commands"),
  };
}

Result<MqttSettings> read_settings(const ConfigSection& section,
                                   const std::string& env_storage_path) {
  MqttSettings s;
  auto bad = [&](std::string_view key, std::string what) {
    return fail(ErrorCode::invalid_argument,
                section.name() + "." + std::string(key) + ": " + std::move(what));
  };
  s.broker = section.get_string("broker", std::string(kDefaultBroker));
  if (s.broker.starts_with("mqtt://")) s.broker = "tcp://" + s.broker.substr(7);
  if (s.broker.starts_with("mqtts://")) s.broker = "ssl://" + s.broker.substr(8);
  if (!starts_with_any(s.broker, {"tcp://", "ssl://", "ws://", "wss://"}) ||
      s.broker.find(':', s.broker.find("://") + 3) == std::string::npos)
    return bad("broker", "expected tcp://host:port or ssl://host:port, got \"" + s.broker + "\"");
  s.client_id = section.get_string("client_id", "conflux");
  if (s.client_id.empty() || s.client_id.size() > 65535)
    return bad("client_id", "must not be empty");
  s.username = section.get_string("username");
  s.password = section.get_string("password");
  s.tls_ca_file = section.get_string("tls_ca_file");
  s.tls_cert_file = section.get_string("tls_cert_file");
  s.tls_key_file = section.get_string("tls_key_file");
  s.tls_verify = section.get_bool("tls_verify", true);
  s.keep_alive = section.get_duration("keep_alive", 30s);
  s.connect_timeout = section.get_duration("connect_timeout", 5s);
  s.reconnect_max = section.get_duration("reconnect_max", 30s);
  if (s.keep_alive < 1s) return bad("keep_alive", "must be at least 1s");
  if (s.connect_timeout < 1s) return bad("connect_timeout", "must be at least 1s");
  if (s.reconnect_max < 100ms) return bad("reconnect_max", "must be at least 100ms");
  s.shared_group = section.get_string("shared_group");
  if (s.shared_group.find_first_of("/+#") != std::string::npos)
    return bad("shared_group", "must not contain '/', '+' or '#'");
  s.state_dir = section.get_string("state_dir");
  if (s.state_dir.empty())
    s.state_dir = (env_storage_path.empty() ? std::string("./data") : env_storage_path) + "/mqtt";
  s.state_sync = section.get_bool("state_sync", false);
  s.max_in_flight = section.get_int("max_in_flight", 1024);
  if (s.max_in_flight < 1 || s.max_in_flight > 1'000'000)
    return bad("max_in_flight", "must be between 1 and 1000000");
  s.republish_topic = section.get_string("republish_topic");
  if (!s.republish_topic.empty() && !valid_topic_template(s.republish_topic))
    return bad("republish_topic",
               "must be a topic without wildcards using only {thing_id}, {group_id}, "
               "{profile_id}, {protocol} and {subtopic}");
  if (!s.republish_topic.empty()) {
    Message probe;
    probe.publisher = "thing";
    if (parse_messages_topic(render_topic(s.republish_topic, probe)))
      return bad("republish_topic",
                 "must not be a things/{id}/messages topic: republished messages would be "
                 "ingested again");
  }
  auto qos = section.get_int("republish_qos", 0);
  if (qos < 0 || qos > 1) return bad("republish_qos", "must be 0 or 1");
  s.republish_qos = static_cast<int>(qos);
  for (const auto& entry : section.get_tables("bridges")) {
    CONFLUX_ASSIGN_OR_RETURN(auto rule, read_bridge_rule(entry));
    s.bridges.push_back(std::move(rule));
  }
  s.auth_routes = section.get_bool("auth_routes", true);
  s.commands = section.get_bool("commands", true);
  return s;
}

}  // namespace conflux::mqtt
