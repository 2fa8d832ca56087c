// tests/integration — the MQTT plugin with a real Mosquitto (Debian's
// /usr/sbin/mosquitto) running the Conflux auth plugin, and the real
// conflux binary: ingest through the broker, device authentication and
// ACLs, republish, a Tasmota bridge, a bridge with a Lua codec, no broker at
// the default address, a broker restart and a kill -9 of Conflux mid-stream,
// a command queued for an offline persistent session across a broker
// restart, no Paho client persistence on disk.
//
// Stored rows are read from the LMDB store after Conflux has stopped.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "tests/integration/mqtt_support.h"
#include "tests/support/conflux_process.h"
#include "tests/support/http_test_client.h"

namespace conflux::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kAdminEmail = "admin@example.com";
constexpr const char* kAdminPassword = "Admin-password-12";
constexpr const char* kServicePassword = "service-secret-1";
constexpr const char* kSenmlProfile = R"({"content_type":"application/senml+json"})";
const std::string kConnected = R"("plugin:mqtt":[{"status":"pass")";

// Paho's MQTTClient_subscribe answers 0 or the granted QoS on success, 0x80
// when the broker refused the filter.
bool granted(int rc) { return rc == 0 || rc == 1; }

// True when a TCP connection to 127.0.0.1:`port` succeeds.
bool port_accepts(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool open = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return open;
}

std::string senml(double v) { return R"([{"n":"seq","v":)" + std::to_string(v) + "}]"; }

class MqttIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "conflux-mqtt-").string() + std::string(6, 'X');
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    http_port_ = free_port();
    mqtt_port_ = free_port();
    broker_ = std::make_unique<Mosquitto>(
        dir_ / "broker",
        MosquittoOptions{mqtt_port_, http_port_, "conflux", kServicePassword, true});
  }
  void TearDown() override {
    conflux_.reset();
    broker_.reset();
    std::filesystem::remove_all(dir_);
  }

  // `connected`: also wait until the plugin is connected to the broker.
  void start_conflux(bool connected = true) {
    ConfluxOptions options;
    options.env = env_;
    options.config_toml = config_toml_;
    options.env["CONFLUX_MQTT_ENABLED"] = "true";
    options.env["CONFLUX_HTTP_LISTEN"] = "127.0.0.1:" + std::to_string(http_port_);
    options.env["CONFLUX_STORAGE_PATH"] = (dir_ / "data").string();
    options.env["CONFLUX_ADMIN_EMAIL"] = kAdminEmail;
    options.env["CONFLUX_ADMIN_PASSWORD"] = kAdminPassword;
    options.env["CONFLUX_MQTT_BROKER"] = "tcp://127.0.0.1:" + std::to_string(mqtt_port_);
    options.env["CONFLUX_MQTT_PASSWORD"] = kServicePassword;
    options.env["CONFLUX_MQTT_RECONNECT_MAX"] = "500ms";
    options.env["CONFLUX_LOG_LEVEL"] = "info";
    conflux_ = std::make_unique<ConfluxProcess>(options);
    ASSERT_TRUE(conflux_->wait_ready()) << conflux_->log();
    if (!connected) return;
    ASSERT_TRUE(wait_health(http_port_, kConnected, 20s)) << conflux_->log() << "\n--- broker ---\n"
                                                          << broker_->log();
  }
  // SIGTERM: the pipeline drains before exit.
  void stop_conflux() { ASSERT_EQ(conflux_->stop(), 0) << conflux_->log(); }
  bool stored_at_least(double n) {
    return wait_metric(http_port_, R"(conflux_mqtt_messages_total{result="stored"})", n, 20s);
  }
  std::set<int> stored_values(const std::string& thing) {
    std::set<int> values;
    for (const auto& r : stored_rows(dir_ / "data", thing))
      if (r.senml.value) values.insert(static_cast<int>(*r.senml.value));
    return values;
  }

  // POST /http/<target>/commands<suffix> as the user with `token`
  // (target: "things/<id>" or "groups/<id>").
  TestHttpResponse post_command(const std::string& token, const std::string& target,
                                const std::string& suffix, const std::string& body) {
    TestHeaders headers{{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}};
    return http_request("127.0.0.1", http_port_, "POST", "/http/" + target + "/commands" + suffix,
                        body, headers);
  }

  std::filesystem::path dir_;
  std::uint16_t http_port_ = 0, mqtt_port_ = 0;
  std::map<std::string, std::string> env_;
  std::optional<std::string> config_toml_;  // conflux.toml, when set
  std::unique_ptr<Mosquitto> broker_;
  std::unique_ptr<ConfluxProcess> conflux_;
  std::mutex sequence_mu_;
};

TEST_F(MqttIntegration, ThingsPublishThroughTheBrokerAndOnlyToTheirOwnTopics) {
  start_conflux();
  auto reg = create_things(http_port_, kAdminEmail, kAdminPassword, 2, kSenmlProfile);
  const auto& a = reg.things[0];
  const auto& b = reg.things[1];

  MqttDevice stranger(mqtt_port_, "stranger");
  EXPECT_NE(stranger.connect("internal", "no-such-key"), 0);
  MqttDevice wrong_kind(mqtt_port_, "wrong-kind");
  EXPECT_NE(wrong_kind.connect("external", a.key), 0);

  // Refused by the ACL: Mosquitto drops the message (and this client).
  for (const std::string& topic :
       {"things/" + b.id + "/messages", "things/" + a.id + "/messages/%zz"}) {
    MqttDevice intruder(mqtt_port_, "intruder");
    ASSERT_EQ(intruder.connect("internal", a.key), 0) << broker_->log();
    intruder.publish(topic, senml(99));
  }
  MqttDevice device(mqtt_port_, "device-a");
  ASSERT_EQ(device.connect("internal", a.key), 0) << broker_->log();
  EXPECT_EQ(device.subscribe("things/" + b.id + "/commands"), 0x80);
  EXPECT_TRUE(granted(device.subscribe("things/" + a.id + "/commands/#")));
  for (int i = 1; i <= 3; ++i)
    ASSERT_EQ(device.publish("things/" + a.id + "/messages/room/1", senml(i)), 0);
  ASSERT_TRUE(stored_at_least(3)) << conflux_->log();
  stop_conflux();

  auto rows = stored_rows(dir_ / "data", a.id);
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& r : rows) {
    EXPECT_EQ(r.protocol, "mqtt");
    EXPECT_EQ(r.subtopic, "room.1");
    EXPECT_EQ(r.senml.name, "seq");
  }
  EXPECT_EQ(stored_values(a.id), (std::set<int>{1, 2, 3}));
  EXPECT_TRUE(stored_rows(dir_ / "data", b.id).empty());
}

TEST_F(MqttIntegration, CommandsPostedOverHttpReachSubscribedThings) {
  start_conflux();
  auto reg = create_things(http_port_, kAdminEmail, kAdminPassword, 1, kSenmlProfile);
  const auto& a = reg.things[0];
  MqttDevice device(mqtt_port_, "device-a", true, true);
  ASSERT_EQ(device.connect("internal", a.key), 0);
  ASSERT_TRUE(granted(device.subscribe("things/" + a.id + "/commands/#")));
  ASSERT_TRUE(granted(device.subscribe("groups/" + reg.group_id + "/commands/#")));

  auto posted = post_command(reg.token, "things/" + a.id, "/relay/1", R"({"on":true})");
  ASSERT_EQ(posted.status, 202) << posted.body;
  auto command = device.receive(10s);
  ASSERT_TRUE(command) << conflux_->log();
  EXPECT_EQ(command->first, "things/" + a.id + "/commands/relay/1");
  EXPECT_EQ(command->second, R"({"on":true})");

  posted = post_command(reg.token, "groups/" + reg.group_id, "", R"({"reboot":1})");
  ASSERT_EQ(posted.status, 202) << posted.body;
  command = device.receive(10s);
  ASSERT_TRUE(command) << conflux_->log();
  EXPECT_EQ(command->first, "groups/" + reg.group_id + "/commands");
  EXPECT_EQ(command->second, R"({"reboot":1})");
}

// Outgoing messages live in the durable outbox only: Paho keeps no client
// persistence, so nothing on disk besides the outbox could send a message
// again after a restart (a duplicate). The <client_id>.journal an earlier
// version kept for Paho is removed at start-up.
TEST_F(MqttIntegration, OutgoingMessagesLeaveNoPahoStateOnDisk) {
  const auto state = dir_ / "data" / "mqtt";
  std::filesystem::create_directories(state);
  std::ofstream(state / "conflux.journal") << "kept by an earlier version";
  start_conflux();
  EXPECT_FALSE(std::filesystem::exists(state / "conflux.journal")) << conflux_->log();
  auto reg = create_things(http_port_, kAdminEmail, kAdminPassword, 1, kSenmlProfile);
  const auto& a = reg.things[0];
  MqttDevice device(mqtt_port_, "device-a", true, true);
  ASSERT_EQ(device.connect("internal", a.key), 0);
  ASSERT_TRUE(granted(device.subscribe("things/" + a.id + "/commands/#")));
  for (int i = 0; i < 3; ++i) {
    std::string payload = R"({"n":)" + std::to_string(i) + "}";
    auto posted = post_command(reg.token, "things/" + a.id, "", payload);
    ASSERT_EQ(posted.status, 202) << posted.body;
    auto command = device.receive(10s);
    ASSERT_TRUE(command) << conflux_->log();
    EXPECT_EQ(command->second, payload);
  }
  ASSERT_TRUE(
      wait_metric(http_port_, R"(conflux_mqtt_commands_total{result="delivered"})", 3, 20s));
  stop_conflux();
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(state))
    files.push_back(entry.path().filename().string());
  EXPECT_EQ(files, std::vector<std::string>{"conflux.inbound"});
}

// Durable outbound messages. After the broker is back, the receiving client
// (the service client, which the auth plugin checks without Conflux)
// subscribes before Conflux starts again, so the message finds a subscriber.

// Durable commands: a 202 means the command is in the outbox. Accepted while
// the broker is down, it survives Conflux restarts (one while the broker is
// still down) and reaches the subscribed client once both are back.
TEST_F(MqttIntegration, ACommandAcceptedWhileTheBrokerIsDownSurvivesARestart) {
  start_conflux();
  auto reg = create_things(http_port_, kAdminEmail, kAdminPassword, 1, kSenmlProfile);
  const auto& a = reg.things[0];
  broker_->stop();
  ASSERT_TRUE(wait_health(http_port_, R"("observedValue":"degraded")", 20s)) << conflux_->log();
  auto posted = post_command(reg.token, "things/" + a.id, "/relay/1", R"({"on":true})");
  ASSERT_EQ(posted.status, 202) << posted.body;
  stop_conflux();
  start_conflux(false);  // the broker is still down
  stop_conflux();

  ASSERT_TRUE(broker_->start()) << broker_->log();
  MqttDevice device(mqtt_port_, "device-a", true, true);
  ASSERT_EQ(device.connect("conflux", kServicePassword), 0) << broker_->log();
  ASSERT_TRUE(granted(device.subscribe("things/" + a.id + "/commands/#")));
  start_conflux();
  auto command = device.receive(20s);
  ASSERT_TRUE(command) << conflux_->log() << "\n--- metrics ---\n"
                       << http_request("127.0.0.1", http_port_, "GET", "/metrics").body
                       << "\n--- broker ---\n"
                       << broker_->log();
  EXPECT_EQ(command->first, "things/" + a.id + "/commands/relay/1");
  EXPECT_EQ(command->second, R"({"on":true})");
  ASSERT_TRUE(
      wait_metric(http_port_, R"(conflux_mqtt_commands_total{result="delivered"})", 1, 20s));
}

// The auth plugin keeps its client id → thing identities in its identity
// file, so after a broker restart Mosquitto may queue a command for a
// device's offline persistent session (it checks the read ACL of that
// session when the command arrives, before the device connects again).
TEST_F(MqttIntegration, AnOfflineDeviceGetsACommandPostedAfterABrokerRestart) {
  start_conflux();
  auto reg = create_things(http_port_, kAdminEmail, kAdminPassword, 1, kSenmlProfile);
  const auto& a = reg.things[0];
  {
    MqttDevice device(mqtt_port_, "device-a", false, true);
    ASSERT_EQ(device.connect("internal", a.key), 0) << broker_->log();
    ASSERT_TRUE(granted(device.subscribe("things/" + a.id + "/commands/#", 1)));
    device.disconnect();
  }
  broker_->stop();
  ASSERT_TRUE(wait_health(http_port_, R"("observedValue":"degraded")", 20s)) << conflux_->log();
  ASSERT_TRUE(broker_->start()) << broker_->log();
  ASSERT_TRUE(wait_health(http_port_, kConnected, 20s)) << conflux_->log();

  auto posted = post_command(reg.token, "things/" + a.id, "/relay/1", R"({"on":true})");
  ASSERT_EQ(posted.status, 202) << posted.body;
  // Accepted by the broker (PUBACK) while the device is offline.
  ASSERT_TRUE(wait_metric(http_port_, R"(conflux_mqtt_commands_total{result="delivered"})", 1, 20s))
      << conflux_->log();

  MqttDevice device(mqtt_port_, "device-a", false, true);
  ASSERT_EQ(device.connect("internal", a.key), 0) << broker_->log();
  auto command = device.receive(10s);
  ASSERT_TRUE(command) << broker_->log();
  EXPECT_EQ(command->first, "things/" + a.id + "/commands/relay/1");
  EXPECT_EQ(command->second, R"({"on":true})");
}

// Durable republish: a message stored while the broker is down is
// republished after Conflux restarts, once the broker is back.
TEST_F(MqttIntegration, AMessageStoredWhileTheBrokerIsDownIsRepublishedAfterARestart) {
  env_["CONFLUX_MQTT_REPUBLISH_TOPIC"] = "conflux/things/{thing_id}/messages/{subtopic}";
  env_["CONFLUX_MQTT_REPUBLISH_QOS"] = "1";
  start_conflux();
  auto reg = create_things(http_port_, kAdminEmail, kAdminPassword, 1, kSenmlProfile);
  const auto& a = reg.things[0];
  broker_->stop();
  ASSERT_TRUE(wait_health(http_port_, R"("observedValue":"degraded")", 20s)) << conflux_->log();
  auto posted = http_request(
      "127.0.0.1", http_port_, "POST", "/http/messages/room",
      R"([{"bn":"dev:","n":"temp","u":"Cel","v":21.5}])",
      {{"Content-Type", "application/senml+json"}, {"Authorization", "Thing " + a.key}});
  ASSERT_EQ(posted.status, 202) << posted.body;
  stop_conflux();
  start_conflux(false);  // the broker is still down
  stop_conflux();

  ASSERT_TRUE(broker_->start()) << broker_->log();
  MqttDevice consumer(mqtt_port_, "consumer", true, true);
  ASSERT_EQ(consumer.connect("conflux", kServicePassword), 0) << broker_->log();
  ASSERT_TRUE(granted(consumer.subscribe("conflux/things/#")));
  start_conflux();
  auto republished = consumer.receive(20s);
  ASSERT_TRUE(republished) << conflux_->log() << "\n--- metrics ---\n"
                           << http_request("127.0.0.1", http_port_, "GET", "/metrics").body
                           << "\n--- broker ---\n"
                           << broker_->log();
  EXPECT_EQ(republished->first, "conflux/things/" + a.id + "/messages/room");
  auto body = nlohmann::json::parse(republished->second);
  ASSERT_TRUE(body.is_array()) << republished->second;
  EXPECT_EQ(body.at(0).at("n"), "dev:temp");
  EXPECT_EQ(body.at(0).at("v"), 21.5);
}

TEST_F(MqttIntegration, AuthRoutesAnswerTheBroker) {
  start_conflux();
  auto reg = create_things(http_port_, kAdminEmail, kAdminPassword, 1, kSenmlProfile);
  auto auth = http_request(
      "127.0.0.1", http_port_, "POST", "/mqtt/auth",
      R"({"username":"internal","password":")" + reg.things[0].key + R"(","clientid":"x"})");
  EXPECT_EQ(auth.status, 200);
  EXPECT_NE(auth.body.find(R"("result":"allow")"), std::string::npos) << auth.body;
  EXPECT_NE(auth.body.find(reg.things[0].id), std::string::npos) << auth.body;
  auto deny = http_request("127.0.0.1", http_port_, "POST", "/mqtt/auth",
                           R"({"username":"internal","password":"nope","clientid":"x"})");
  EXPECT_EQ(deny.body, R"({"result":"deny"})");
  auto bad = http_request("127.0.0.1", http_port_, "POST", "/mqtt/acl", "[1]");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("\"error\""), std::string::npos);
}

TEST_F(MqttIntegration, ProcessedMessagesAreRepublishedAndBridgesIngestTasmota) {
  env_["CONFLUX_MQTT_REPUBLISH_TOPIC"] = "conflux/things/{thing_id}/messages/{subtopic}";
  config_toml_ = R"([[plugins.mqtt.bridges]]
topic = "tele/+/SENSOR"
thing = 2
match = "metadata:tasmota"
content_type = "application/json"
subtopic = "energy"
)";
  start_conflux();
  auto reg = create_things(http_port_, kAdminEmail, kAdminPassword, 2, kSenmlProfile,
                           {R"({"tasmota":"plug1"})", "{}"});
  const auto& plug = reg.things[0];
  const auto& sensor = reg.things[1];

  MqttDevice consumer(mqtt_port_, "consumer", true, true);
  ASSERT_EQ(consumer.connect("conflux", kServicePassword), 0);
  ASSERT_TRUE(granted(consumer.subscribe("conflux/things/#")));

  MqttDevice device(mqtt_port_, "sensor");
  ASSERT_EQ(device.connect("internal", sensor.key), 0);
  ASSERT_EQ(device.publish("things/" + sensor.id + "/messages/room",
                           R"([{"bn":"dev:","n":"temp","u":"Cel","v":21.5}])"),
            0);
  auto republished = consumer.receive(10s);
  ASSERT_TRUE(republished) << conflux_->log();
  EXPECT_EQ(republished->first, "conflux/things/" + sensor.id + "/messages/room");
  auto body = nlohmann::json::parse(republished->second);
  ASSERT_TRUE(body.is_array()) << republished->second;
  EXPECT_EQ(body.at(0).at("n"), "dev:temp");
  EXPECT_EQ(body.at(0).at("u"), "Cel");
  EXPECT_EQ(body.at(0).at("v"), 21.5);

  // A Tasmota plug on the same broker (here through the service account).
  MqttDevice tasmota(mqtt_port_, "tasmota-bridge");
  ASSERT_EQ(tasmota.connect("conflux", kServicePassword), 0);
  ASSERT_EQ(tasmota.publish("tele/plug1/SENSOR",
                            R"({"Time":"2024-01-01T00:00:00","ENERGY":{"Power":12.5}})"),
            0);
  ASSERT_EQ(tasmota.publish("tele/unknown-plug/SENSOR", R"({"ENERGY":{"Power":1}})"), 0);
  auto bridged = consumer.receive(10s);
  ASSERT_TRUE(bridged) << conflux_->log();
  EXPECT_EQ(bridged->first, "conflux/things/" + plug.id + "/messages/energy");
  ASSERT_TRUE(stored_at_least(2));
  stop_conflux();

  auto rows = stored_rows(dir_ / "data", plug.id, MessageFormat::json);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].subtopic, "energy");
  EXPECT_EQ(nlohmann::json::parse(rows[0].json).at("ENERGY").at("Power"), 12.5);
}

TEST_F(MqttIntegration, ABrokerRestartMidStreamLosesNothing) {
  start_conflux();
  auto reg = create_things(http_port_, kAdminEmail, kAdminPassword, 1, kSenmlProfile);
  const auto& a = reg.things[0];
  {
    MqttDevice device(mqtt_port_, "device-a", true, true);
    ASSERT_EQ(device.connect("internal", a.key), 0);
    for (int i = 0; i < 50; ++i)
      ASSERT_GT(device.publish_nowait("things/" + a.id + "/messages", senml(i)), 0);
    while (device.acknowledged().size() < 50) std::this_thread::sleep_for(1ms);
  }
  broker_->stop();
  ASSERT_TRUE(wait_health(http_port_, R"("observedValue":"degraded")", 20s)) << conflux_->log();
  ASSERT_TRUE(broker_->start()) << broker_->log();
  ASSERT_TRUE(wait_health(http_port_, kConnected, 20s)) << conflux_->log();
  {
    MqttDevice device(mqtt_port_, "device-a", true, true);
    ASSERT_EQ(device.connect("internal", a.key), 0);
    for (int i = 50; i < 100; ++i)
      ASSERT_GT(device.publish_nowait("things/" + a.id + "/messages", senml(i)), 0);
    while (device.acknowledged().size() < 50) std::this_thread::sleep_for(1ms);
  }
  ASSERT_TRUE(stored_at_least(100)) << conflux_->log();
  stop_conflux();
  auto values = stored_values(a.id);
  EXPECT_EQ(values.size(), 100u);
  EXPECT_EQ(*values.begin(), 0);
  EXPECT_EQ(*values.rbegin(), 99);
}

TEST_F(MqttIntegration, KillingConfluxMidStreamLosesNoAcceptedMessage) {
  start_conflux();
  auto reg = create_things(http_port_, kAdminEmail, kAdminPassword, 1, kSenmlProfile);
  const auto& a = reg.things[0];

  constexpr int kMessages = 600;
  MqttDevice device(mqtt_port_, "device-a", false, true);
  ASSERT_EQ(device.connect("internal", a.key), 0);
  std::map<int, int> sequence_of;  // delivery token -> message number
  std::thread publisher([&] {
    for (int i = 0; i < kMessages; ++i) {
      int token = device.publish_nowait("things/" + a.id + "/messages", senml(i));
      if (token < 0) return;
      std::lock_guard lock(sequence_mu_);
      sequence_of[token] = i;
    }
  });
  while (device.acknowledged().size() < 150) std::this_thread::sleep_for(1ms);
  ASSERT_EQ(conflux_->stop(9), 128 + 9);
  auto before = stored_values(a.id).size();

  std::this_thread::sleep_for(200ms);  // the stream goes on into the broker
  start_conflux();
  publisher.join();
  // Every message the broker acknowledged to the device.
  std::set<int> accepted;
  for (auto deadline = std::chrono::steady_clock::now() + 20s;
       std::chrono::steady_clock::now() < deadline;) {
    auto acks = device.acknowledged();
    std::lock_guard lock(sequence_mu_);
    accepted.clear();
    for (int token : acks)
      if (auto it = sequence_of.find(token); it != sequence_of.end()) accepted.insert(it->second);
    if (accepted.size() == kMessages) break;
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_GE(accepted.size(), 150u);

  // Every accepted message must be stored (duplicates allowed). Stopping with
  // messages still in flight keeps them in the journal, so look again after
  // another start when some are not there yet.
  std::set<int> stored;
  for (int round = 0; round < 3; ++round) {
    stored_at_least(static_cast<double>(accepted.size() - before));
    stop_conflux();
    stored = stored_values(a.id);
    if (std::includes(stored.begin(), stored.end(), accepted.begin(), accepted.end())) break;
    start_conflux();
  }
  std::vector<int> missing;
  std::set_difference(accepted.begin(), accepted.end(), stored.begin(), stored.end(),
                      std::back_inserter(missing));
  EXPECT_TRUE(missing.empty()) << missing.size() << " accepted messages missing, first "
                               << (missing.empty() ? -1 : missing.front());
}

// A bridge with a Lua codec: a gateway publishes a binary payload (with a NUL
// byte) on its own topic; the codec decodes it into SenML records, stored for
// the thing whose metadata names the gateway and readable over HTTP. A
// payload the codec cannot decode is counted as malformed, nothing stored.
TEST_F(MqttIntegration, ABridgeWithALuaCodecDecodesBinaryPayloads) {
  start_conflux();
  auto reg = create_things(http_port_, kAdminEmail, kAdminPassword, 1, kSenmlProfile,
                           {R"({"serial":"gw-7"})"});
  const auto& gateway = reg.things[0];
  const std::string codec = R"(
function decode(bytes, meta)
  local raw = string.unpack(">i2", bytes)  -- errors on a payload shorter than 3 bytes
  return {
    {n = "temperature", u = "Cel", v = raw / 10},
    {n = "humidity", u = "%RH", v = string.byte(bytes, 3) / 2},
    {n = "topic", vs = meta.topic},
  }
end
)";
  nlohmann::json body = {{"scripts", {{{"name", "gateway-codec"}, {"script", codec}}}}};
  auto created = http_request(
      "127.0.0.1", http_port_, "POST", "/groups/" + reg.group_id + "/scripts", body.dump(),
      {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + reg.token}});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string script_id = nlohmann::json::parse(created.body).at("scripts").at(0).at("id");

  // The bridge names the script: configured, then Conflux restarted.
  stop_conflux();
  config_toml_ =
      "[[plugins.mqtt.bridges]]\n"
      "topic = \"sensors/+/raw\"\n"
      "thing = 2\n"
      "match = \"metadata:serial\"\n"
      "subtopic = \"decoded\"\n"
      "codec = \"" +
      script_id + "\"\n";
  start_conflux();

  MqttDevice device(mqtt_port_, "gateway");
  ASSERT_EQ(device.connect("conflux", kServicePassword), 0);
  ASSERT_EQ(device.publish("sensors/gw-7/raw", std::string("\x00\xd7\x5a", 3)), 0);  // 21.5, 45
  ASSERT_EQ(device.publish("sensors/gw-7/raw", std::string("\x01", 1)), 0);          // too short
  ASSERT_TRUE(stored_at_least(1)) << conflux_->log();
  ASSERT_TRUE(wait_metric(http_port_, R"(conflux_mqtt_messages_total{result="malformed"})", 1, 20s))
      << conflux_->log();

  auto read =
      http_request("127.0.0.1", http_port_, "GET", "/reader/senml?dir=asc&publisher=" + gateway.id,
                   {}, {{"Authorization", "Thing " + gateway.key}});
  ASSERT_EQ(read.status, 200) << read.body;
  auto page = nlohmann::json::parse(read.body);
  ASSERT_EQ(page.at("total"), 3) << read.body;
  std::map<std::string, nlohmann::json> by_name;
  for (const auto& m : page.at("messages")) by_name[m.at("name")] = m;
  ASSERT_EQ(by_name.size(), 3u) << read.body;
  EXPECT_EQ(by_name["temperature"].at("value"), 21.5);
  EXPECT_EQ(by_name["temperature"].at("unit"), "Cel");
  EXPECT_EQ(by_name["humidity"].at("value"), 45);
  EXPECT_EQ(by_name["topic"].at("string_value"), "sensors/gw-7/raw");
  for (const auto& [name, m] : by_name) {
    EXPECT_EQ(m.at("subtopic"), "decoded") << name;
    EXPECT_EQ(m.at("protocol"), "mqtt") << name;
  }
  stop_conflux();
  EXPECT_EQ(stored_rows(dir_ / "data", gateway.id).size(), 3u);
}

// The default broker (tcp://127.0.0.1:1883) with nothing there: Conflux
// starts and serves, the MQTT plugin is reported degraded (not failed), and
// a stop does not wait on the broker.
TEST_F(MqttIntegration, WithoutAReachableBrokerConfluxStartsAndStaysUsable) {
  broker_->stop();
  if (port_accepts(1883)) GTEST_SKIP() << "something listens on 127.0.0.1:1883";
  ConfluxOptions options;
  options.env = {{"CONFLUX_HTTP_LISTEN", "127.0.0.1:" + std::to_string(http_port_)},
                 {"CONFLUX_STORAGE_PATH", (dir_ / "data").string()},
                 {"CONFLUX_ADMIN_EMAIL", kAdminEmail},
                 {"CONFLUX_ADMIN_PASSWORD", kAdminPassword},
                 {"CONFLUX_MQTT_ENABLED", "true"},
                 {"CONFLUX_LOG_LEVEL", "info"}};
  conflux_ = std::make_unique<ConfluxProcess>(options);
  ASSERT_TRUE(conflux_->wait_ready()) << conflux_->log();
  ASSERT_TRUE(wait_health(
      http_port_,
      R"("plugin:mqtt":[{"status":"warn","observedValue":"degraded","output":"broker tcp://127.0.0.1:1883 unreachable)",
      20s))
      << conflux_->log();
  // The rest of Conflux works: the registry over REST, the broker auth routes.
  auto reg = create_things(http_port_, kAdminEmail, kAdminPassword, 1, kSenmlProfile);
  auto auth = http_request(
      "127.0.0.1", http_port_, "POST", "/mqtt/auth",
      R"({"username":"internal","password":")" + reg.things[0].key + R"(","clientid":"x"})");
  EXPECT_NE(auth.body.find(R"("result":"allow")"), std::string::npos) << auth.body;
  stop_conflux();
  EXPECT_NE(conflux_->log().find("MQTT broker tcp://127.0.0.1:1883 unavailable"), std::string::npos)
      << conflux_->log();
}

}  // namespace
}  // namespace conflux::test
