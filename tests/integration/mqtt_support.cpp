// tests/integration — MQTT test helpers.
#include "tests/integration/mqtt_support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "conflux/testing.h"
#include "core/store/lmdb_env.h"
#include "core/store/message_store.h"
#include "tests/support/conflux_process.h"
#include "tests/support/http_test_client.h"

extern char** environ;

namespace conflux::test {
namespace {

bool port_open(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

std::string id_from_location(const TestHttpResponse& r) {
  auto loc = r.header("Location");
  if (!loc) throw std::runtime_error("no Location header: " + r.body);
  auto slash = loc->rfind('/');
  return std::string(loc->substr(slash + 1));
}

TestHttpResponse post(std::uint16_t port, const std::string& path, const std::string& body,
                      const std::string& token) {
  TestHeaders headers{{"Content-Type", "application/json"}};
  if (!token.empty()) headers.push_back({"Authorization", "Bearer " + token});
  return http_request("127.0.0.1", port, "POST", path, body, headers);
}

void expect_status(const TestHttpResponse& r, int status, const std::string& what) {
  if (r.status != status)
    throw std::runtime_error(what + ": HTTP " + std::to_string(r.status) + " " + r.body);
}

}  // namespace

std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

Mosquitto::Mosquitto(std::filesystem::path dir, MosquittoOptions options)
    : dir_(std::move(dir)), options_(std::move(options)) {
  std::filesystem::create_directories(dir_ / "persistence");
  config_ = dir_ / "mosquitto.conf";
  std::ofstream conf(config_);
  conf << "listener " << options_.port << " 127.0.0.1\n";
  // Run as the test's user (as root, Mosquitto would switch to "mosquitto",
  // which cannot write the test's directory).
  if (const passwd* pw = ::getpwuid(::getuid())) conf << "user " << pw->pw_name << "\n";
  if (options_.auth_plugin) {
    conf << "allow_anonymous false\n"
         << "plugin " << (build_dir() / "plugins/mosquitto/conflux_mosquitto_auth.so").string()
         << "\n"
         << "plugin_opt_url http://127.0.0.1:" << options_.conflux_http_port << "\n"
         << "plugin_opt_cache_ttl 2\n"
         << "plugin_opt_timeout_ms 2000\n";
    if (options_.identity_file)
      conf << "plugin_opt_identity_file " << (dir_ / "persistence" / "conflux-identities").string()
           << "\n";
    if (!options_.service_password.empty())
      conf << "plugin_opt_service_username " << options_.service_username << "\n"
           << "plugin_opt_service_password " << options_.service_password << "\n";
  } else {
    conf << "allow_anonymous true\n";
  }
  conf << "persistence true\n"
       << "persistence_location " << (dir_ / "persistence").string() << "/\n"
       << "autosave_interval 1\n"
       << "max_queued_messages 0\n"
       << "max_inflight_messages 0\n"
       << "set_tcp_nodelay true\n"
       << "log_dest file " << (dir_ / "mosquitto.log").string() << "\n"
       << "log_type error\nlog_type warning\nlog_type notice\nlog_type information\n";
  conf.close();
  if (!start()) throw std::runtime_error("mosquitto did not start: " + log());
}

Mosquitto::~Mosquitto() { stop(); }

bool Mosquitto::start() {
  std::vector<std::string> args{"/usr/sbin/mosquitto", "-c", config_.string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  std::string out = (dir_ / "stdout.log").string();
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return false;
  for (int i = 0; i < 200; ++i) {
    if (port_open(options_.port)) return true;
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return false;
}

void Mosquitto::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status;
  for (int i = 0; i < 400; ++i) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ::kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string Mosquitto::log() const {
  std::ifstream in(dir_ / "mosquitto.log");
  std::stringstream s;
  s << in.rdbuf();
  std::ifstream out(dir_ / "stdout.log");
  s << out.rdbuf();
  return s.str();
}

MqttDevice::MqttDevice(std::uint16_t port, std::string client_id, bool clean_session, bool receiver)
    : clean_session_(clean_session) {
  std::string uri = "tcp://127.0.0.1:" + std::to_string(port);
  if (MQTTClient_create(&client_, uri.c_str(), client_id.c_str(), MQTTCLIENT_PERSISTENCE_NONE,
                        nullptr) != MQTTCLIENT_SUCCESS)
    throw std::runtime_error("MQTTClient_create failed");
  if (receiver)
    MQTTClient_setCallbacks(client_, this, nullptr, &MqttDevice::arrived, &MqttDevice::delivered);
}

MqttDevice::~MqttDevice() {
  if (MQTTClient_isConnected(client_)) MQTTClient_disconnect(client_, 100);
  MQTTClient_destroy(&client_);
}

int MqttDevice::connect(const std::string& username, const std::string& password) {
  MQTTClient_connectOptions options = MQTTClient_connectOptions_initializer;
  options.keepAliveInterval = 30;
  options.cleansession = clean_session_ ? 1 : 0;
  options.username = username.c_str();
  options.password = password.c_str();
  options.connectTimeout = 5;
  return MQTTClient_connect(client_, &options);
}

void MqttDevice::disconnect() { MQTTClient_disconnect(client_, 1000); }

int MqttDevice::publish(const std::string& topic, const std::string& payload, int qos) {
  MQTTClient_message msg = MQTTClient_message_initializer;
  msg.payload = const_cast<char*>(payload.data());
  msg.payloadlen = static_cast<int>(payload.size());
  msg.qos = qos;
  MQTTClient_deliveryToken token;
  int rc = MQTTClient_publishMessage(client_, topic.c_str(), &msg, &token);
  if (rc != MQTTCLIENT_SUCCESS) return rc;
  return qos > 0 ? MQTTClient_waitForCompletion(client_, token, 10000) : rc;
}

int MqttDevice::publish_nowait(const std::string& topic, const std::string& payload) {
  MQTTClient_message msg = MQTTClient_message_initializer;
  msg.payload = const_cast<char*>(payload.data());
  msg.payloadlen = static_cast<int>(payload.size());
  msg.qos = 1;
  MQTTClient_deliveryToken token = 0;
  for (int i = 0; i < 10000; ++i) {
    int rc = MQTTClient_publishMessage(client_, topic.c_str(), &msg, &token);
    if (rc == MQTTCLIENT_SUCCESS) return token;
    if (rc != MQTTCLIENT_MAX_MESSAGES_INFLIGHT) return rc;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return MQTTCLIENT_MAX_MESSAGES_INFLIGHT;
}

void MqttDevice::delivered(void* context, MQTTClient_deliveryToken token) {
  auto* self = static_cast<MqttDevice*>(context);
  std::lock_guard lock(self->mu_);
  self->acknowledged_.push_back(token);
}

std::vector<int> MqttDevice::acknowledged() {
  std::lock_guard lock(mu_);
  return acknowledged_;
}

int MqttDevice::subscribe(const std::string& filter, int qos) {
  int rc = MQTTClient_subscribe(client_, filter.c_str(), qos);
  // Paho returns the granted QoS (or 0x80 for a refusal) on success.
  return rc;
}

int MqttDevice::arrived(void* context, char* topic, int topic_len, MQTTClient_message* m) {
  auto* self = static_cast<MqttDevice*>(context);
  std::string t = topic_len > 0 ? std::string(topic, topic_len) : std::string(topic);
  std::string payload(static_cast<const char*>(m->payload), m->payloadlen);
  {
    std::lock_guard lock(self->mu_);
    self->inbox_.emplace_back(std::move(t), std::move(payload));
  }
  MQTTClient_freeMessage(&m);
  MQTTClient_free(topic);
  return 1;
}

std::optional<std::pair<std::string, std::string>> MqttDevice::receive(
    std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(mu_);
      if (!inbox_.empty()) {
        auto m = std::move(inbox_.front());
        inbox_.pop_front();
        return m;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return std::nullopt;
}

RegistrySetup create_things(std::uint16_t http_port, const std::string& admin_email,
                            const std::string& admin_password, int count,
                            const std::string& profile_config,
                            const std::vector<std::string>& metadata) {
  RegistrySetup s;
  nlohmann::json login = {{"email", admin_email}, {"password", admin_password}};
  auto tok = post(http_port, "/tokens", login.dump(), "");
  expect_status(tok, 201, "POST /tokens");
  s.token = nlohmann::json::parse(tok.body).at("token").get<std::string>();

  auto org =
      post(http_port, "/orgs", R"({"name":"mqtt-org","description":"","metadata":{}})", s.token);
  expect_status(org, 201, "POST /orgs");
  s.org_id = id_from_location(org);

  auto group = post(http_port, "/orgs/" + s.org_id + "/groups",
                    R"({"name":"mqtt-group","description":"","metadata":{}})", s.token);
  expect_status(group, 201, "POST /orgs/{id}/groups");
  s.group_id = id_from_location(group);

  auto profile = post(http_port, "/groups/" + s.group_id + "/profiles",
                      R"([{"name":"mqtt-profile","config":)" + profile_config + "}]", s.token);
  expect_status(profile, 201, "POST /groups/{id}/profiles");
  s.profile_id =
      nlohmann::json::parse(profile.body).at("profiles").at(0).at("id").get<std::string>();

  nlohmann::json things = nlohmann::json::array();
  for (int i = 0; i < count; ++i) {
    nlohmann::json t = {{"name", "thing-" + std::to_string(i)}, {"type", "device"}};
    if (i < static_cast<int>(metadata.size())) t["metadata"] = nlohmann::json::parse(metadata[i]);
    things.push_back(t);
  }
  auto created = post(http_port, "/profiles/" + s.profile_id + "/things", things.dump(), s.token);
  expect_status(created, 201, "POST /profiles/{id}/things");
  auto created_body = nlohmann::json::parse(created.body);
  for (const auto& t : created_body.at("things"))
    s.things.push_back({t.at("id").get<std::string>(), t.at("key").get<std::string>()});
  return s;
}

std::vector<StoredRecord> stored_rows(const std::filesystem::path& data_dir,
                                      const std::string& publisher, MessageFormat format) {
  conflux::testing::CaptureLogger log;
  conflux::testing::FakeMetrics metrics;
  core::store::EnvOptions options;
  options.path = data_dir;
  auto env = core::store::LmdbEnv::open(options, log, metrics);
  if (!env) throw std::runtime_error("cannot open the store: " + env.error().message);
  auto store = core::store::MessageStore::open(**env, log, metrics);
  if (!store) throw std::runtime_error("cannot open the messages: " + store.error().message);
  std::vector<StoredRecord> rows;
  MessageQuery q;
  q.format = format;
  q.publishers = {publisher};
  q.limit = 1000;
  q.ascending = true;
  while (true) {
    auto page = (*store)->query(q);
    if (!page) throw std::runtime_error("query failed: " + page.error().message);
    rows.insert(rows.end(), page->records.begin(), page->records.end());
    if (page->records.size() < q.limit) break;
    q.offset += q.limit;
  }
  return rows;
}

namespace {

double metric_sum(const std::string& text, const std::string& prefix) {
  double sum = 0;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with(prefix)) continue;
    auto space = line.rfind(' ');
    sum += std::stod(line.substr(space + 1));
  }
  return sum;
}

}  // namespace

bool wait_metric(std::uint16_t http_port, const std::string& metric_with_labels, double value,
                 std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = http_request("127.0.0.1", http_port, "GET", "/metrics");
    if (r.status == 200 && metric_sum(r.body, metric_with_labels) >= value) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

bool wait_health(std::uint16_t http_port, const std::string& needle,
                 std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      auto r = http_request("127.0.0.1", http_port, "GET", "/health");
      if (r.body.find(needle) != std::string::npos) return true;
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace conflux::test
