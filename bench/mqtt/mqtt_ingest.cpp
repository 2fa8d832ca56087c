// bench/mqtt — bench_mqtt_ingest: N publishers at QoS 1 through Mosquitto
// into Conflux (durable commit), against Mosquitto's own relay rate in the
// same run.
//
//   ceiling: N publishers → Mosquitto (no auth plugin) → one QoS 1 subscriber
//   conflux: N things publish things/{id}/messages → Mosquitto (Conflux auth
//            plugin) → Conflux (pipeline, LMDB group commit, fsync on) →
//            republish → one QoS 1 subscriber
// Each message carries its send time; the subscriber measures end-to-end
// latency (for Conflux: device → stored → republished) and the rate.
//
//   bench_mqtt_ingest BUILD_DIR [publishers] [messages per publisher]
// Prints one line: "<conflux msg/s> <conflux p99 ms> <ceiling msg/s> <ceiling p99 ms>".
#include <MQTTAsync.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "plugins/mqtt/mosquitto/http_post.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;
namespace auth = conflux::mosquitto_auth;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

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

pid_t spawn(std::vector<std::string> args, const std::vector<std::string>& env,
            const fs::path& log) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> envs;
  for (char** e = environ; *e; ++e)
    if (std::string(*e).rfind("CONFLUX_", 0) != 0) envs.emplace_back(*e);
  for (const auto& e : env) envs.push_back(e);
  std::vector<char*> envp;
  for (auto& e : envs) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data()) != 0)
    throw std::runtime_error("cannot start " + args[0]);
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

void stop(pid_t pid) {
  if (pid <= 0) return;
  ::kill(pid, SIGTERM);
  int status;
  waitpid(pid, &status, 0);
}

void wait_port(std::uint16_t port) {
  for (int i = 0; i < 400; ++i) {
    if (port_open(port)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  throw std::runtime_error("port " + std::to_string(port) + " never opened");
}

// One MQTTAsync client; publish() keeps at most `window` messages unacknowledged.
class Client {
 public:
  Client(std::uint16_t port, const std::string& id, const std::string& user,
         const std::string& password, int window = 64)
      : window_(window) {
    std::string uri = "tcp://127.0.0.1:" + std::to_string(port);
    MQTTAsync_create(&c_, uri.c_str(), id.c_str(), MQTTCLIENT_PERSISTENCE_NONE, nullptr);
    MQTTAsync_setCallbacks(c_, this, nullptr, &Client::arrived, nullptr);
    MQTTAsync_connectOptions o = MQTTAsync_connectOptions_initializer;
    o.cleansession = 1;
    o.keepAliveInterval = 30;
    o.maxInflight = window * 2;
    if (!user.empty()) o.username = user.c_str();
    if (!password.empty()) o.password = password.c_str();
    o.onSuccess = [](void* ctx, MQTTAsync_successData*) { static_cast<Client*>(ctx)->up_ = 1; };
    o.onFailure = [](void* ctx, MQTTAsync_failureData*) { static_cast<Client*>(ctx)->up_ = -1; };
    o.context = this;
    MQTTAsync_connect(c_, &o);
    for (int i = 0; i < 500 && up_ == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (up_ != 1) throw std::runtime_error("cannot connect " + id);
  }
  ~Client() {
    MQTTAsync_disconnectOptions d = MQTTAsync_disconnectOptions_initializer;
    MQTTAsync_disconnect(c_, &d);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    MQTTAsync_destroy(&c_);
  }
  void subscribe(const std::string& filter) {
    MQTTAsync_responseOptions r = MQTTAsync_responseOptions_initializer;
    r.onSuccess = [](void* ctx, MQTTAsync_successData*) {
      static_cast<Client*>(ctx)->subscribed_ = true;
    };
    r.context = this;
    MQTTAsync_subscribe(c_, filter.c_str(), 1, &r);
    for (int i = 0; i < 500 && !subscribed_; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  void publish(const std::string& topic, const std::string& payload) {
    while (pending_.load() >= window_) std::this_thread::sleep_for(std::chrono::microseconds(50));
    MQTTAsync_message m = MQTTAsync_message_initializer;
    m.payload = const_cast<char*>(payload.data());
    m.payloadlen = static_cast<int>(payload.size());
    m.qos = 1;
    MQTTAsync_responseOptions r = MQTTAsync_responseOptions_initializer;
    r.onSuccess = [](void* ctx, MQTTAsync_successData*) { --static_cast<Client*>(ctx)->pending_; };
    r.onFailure = [](void* ctx, MQTTAsync_failureData*) { --static_cast<Client*>(ctx)->pending_; };
    r.context = this;
    ++pending_;
    while (MQTTAsync_sendMessage(c_, topic.c_str(), &m, &r) != MQTTASYNC_SUCCESS)
      std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  void drain() {
    while (pending_.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  std::atomic<std::int64_t> received{0};
  std::atomic<std::int64_t> last_ns{0};
  std::mutex mu;
  std::vector<double> latencies_ms;

 private:
  static int arrived(void* ctx, char* topic, int, MQTTAsync_message* m) {
    auto* self = static_cast<Client*>(ctx);
    std::int64_t t = now_ns();
    std::string_view p(static_cast<const char*>(m->payload), m->payloadlen);
    auto at = p.find("\"vs\":\"");
    if (at != std::string_view::npos) {
      std::int64_t sent = std::atoll(std::string(p.substr(at + 6, 20)).c_str());
      std::lock_guard lock(self->mu);
      self->latencies_ms.push_back(static_cast<double>(t - sent) / 1e6);
    }
    self->last_ns = t;
    ++self->received;
    MQTTAsync_freeMessage(&m);
    MQTTAsync_free(topic);
    return 1;
  }
  MQTTAsync c_ = nullptr;
  int window_;
  std::atomic<int> up_{0};
  std::atomic<bool> subscribed_{false};
  std::atomic<int> pending_{0};
};

struct Result {
  double rate = 0;
  double p99_ms = 0;
  std::int64_t received = 0;
};

// Runs `publishers` threads publishing `messages` each to topic(i); the
// subscriber counts what arrives.
Result run(Client& subscriber, std::vector<std::unique_ptr<Client>>& pubs,
           const std::vector<std::string>& topics, int messages) {
  std::int64_t total = static_cast<std::int64_t>(pubs.size()) * messages;
  std::int64_t start = now_ns();
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < pubs.size(); ++i)
    threads.emplace_back([&, i] {
      for (int k = 0; k < messages; ++k) {
        std::string payload = "[{\"n\":\"bench\",\"vs\":\"" + std::to_string(now_ns()) + "\"}]";
        pubs[i]->publish(topics[i], payload);
      }
      pubs[i]->drain();
    });
  for (auto& t : threads) t.join();
  auto deadline = Clock::now() + std::chrono::seconds(120);
  while (subscriber.received.load() < total && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  Result r;
  r.received = subscriber.received.load();
  r.rate =
      static_cast<double>(r.received) / (static_cast<double>(subscriber.last_ns - start) / 1e9);
  std::lock_guard lock(subscriber.mu);
  auto& l = subscriber.latencies_ms;
  if (!l.empty()) {
    std::sort(l.begin(), l.end());
    r.p99_ms = l[std::min(l.size() - 1, static_cast<std::size_t>(l.size() * 0.99))];
  }
  return r;
}

std::string location_id(const auth::HttpResult& r) {
  auto at = r.headers.find("Location: ");
  if (at == std::string::npos) at = r.headers.find("location: ");
  if (at == std::string::npos) throw std::runtime_error("no Location: " + r.body);
  auto end = r.headers.find("\r\n", at);
  auto loc =
      r.headers.substr(at + 10, end == std::string::npos ? std::string::npos : end - at - 10);
  return loc.substr(loc.rfind('/') + 1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: bench_mqtt_ingest BUILD_DIR [publishers] [messages]\n";
    return 2;
  }
  fs::path build = argv[1];
  int publishers = argc > 2 ? std::atoi(argv[2]) : 4;
  int messages = argc > 3 ? std::atoi(argv[3]) : 5000;
  std::string tmpl = "/tmp/conflux-mqtt-bench-" + std::string(6, 'X');
  fs::path dir = mkdtemp(tmpl.data());
  const std::string service_password = "bench-service-secret";
  try {
    // Ceiling: Mosquitto relaying publishers → subscriber.
    Result ceiling;
    {
      auto port = free_port();
      std::ofstream(dir / "relay.conf")
          << "listener " << port << " 127.0.0.1\nallow_anonymous true\n"
          << "user " << ::getpwuid(::getuid())->pw_name << "\n"
          << "max_queued_messages 0\n";
      pid_t broker = spawn({"/usr/sbin/mosquitto", "-c", (dir / "relay.conf").string()}, {},
                           dir / "relay.log");
      wait_port(port);
      Client sub(port, "sub", "", "", 64);
      sub.subscribe("bench/#");
      std::vector<std::unique_ptr<Client>> pubs;
      std::vector<std::string> topics;
      for (int i = 0; i < publishers; ++i) {
        pubs.push_back(std::make_unique<Client>(port, "pub" + std::to_string(i), "", ""));
        topics.push_back("bench/" + std::to_string(i));
      }
      ceiling = run(sub, pubs, topics, messages);
      pubs.clear();
      stop(broker);
    }

    // Conflux: devices → Mosquitto (auth plugin) → Conflux → republish → subscriber.
    Result conflux;
    {
      auto mqtt_port = free_port();
      auto http_port = free_port();
      std::ofstream(dir / "broker.conf")
          << "listener " << mqtt_port << " 127.0.0.1\nallow_anonymous false\n"
          << "user " << ::getpwuid(::getuid())->pw_name << "\n"
          << "plugin " << (build / "plugins/mosquitto/conflux_mosquitto_auth.so").string() << "\n"
          << "plugin_opt_url http://127.0.0.1:" << http_port << "\nplugin_opt_cache_ttl 60\n"
          << "plugin_opt_service_username conflux\nplugin_opt_service_password " << service_password
          << "\nmax_queued_messages 0\n";
      pid_t broker = spawn({"/usr/sbin/mosquitto", "-c", (dir / "broker.conf").string()}, {},
                           dir / "broker.log");
      wait_port(mqtt_port);
      pid_t cfx = spawn(
          {(build / "conflux").string(), "serve"},
          {"CONFLUX_HTTP_LISTEN=127.0.0.1:" + std::to_string(http_port),
           "CONFLUX_STORAGE_PATH=" + (dir / "data").string(),
           "CONFLUX_PLUGINS_DIR=" + (build / "plugins").string(), "CONFLUX_LOG_LEVEL=warn",
           "CONFLUX_ADMIN_EMAIL=bench@example.com", "CONFLUX_ADMIN_PASSWORD=Bench-password-12",
           "CONFLUX_MQTT_BROKER=tcp://127.0.0.1:" + std::to_string(mqtt_port),
           "CONFLUX_MQTT_PASSWORD=" + service_password,
           "CONFLUX_MQTT_REPUBLISH_TOPIC=bench/out/{thing_id}"},
          dir / "conflux.log");
      wait_port(http_port);
      auth::Endpoint ep{"127.0.0.1", std::to_string(http_port), ""};
      auto t = std::chrono::seconds(10);
      auto tok =
          auth::request(ep, "POST", "/tokens",
                        R"({"email":"bench@example.com","password":"Bench-password-12"})", t);
      std::string token = nlohmann::json::parse(tok.body).at("token");
      std::string bearer = "Authorization: Bearer " + token + "\r\n";
      auto org = auth::request(ep, "POST", "/orgs", R"({"name":"bench"})", t, bearer);
      auto group = auth::request(ep, "POST", "/orgs/" + location_id(org) + "/groups",
                                 R"({"name":"bench"})", t, bearer);
      auto profile = auth::request(
          ep, "POST", "/groups/" + location_id(group) + "/profiles",
          R"([{"name":"bench","config":{"content_type":"application/senml+json"}}])", t, bearer);
      std::string profile_id = nlohmann::json::parse(profile.body)["profiles"][0]["id"];
      nlohmann::json things = nlohmann::json::array();
      for (int i = 0; i < publishers; ++i)
        things.push_back({{"name", "bench-" + std::to_string(i)}, {"type", "device"}});
      auto created = auth::request(ep, "POST", "/profiles/" + profile_id + "/things", things.dump(),
                                   t, bearer);
      auto list = nlohmann::json::parse(created.body).at("things");

      Client sub(mqtt_port, "bench-sub", "conflux", service_password, 64);
      sub.subscribe("bench/out/#");
      std::vector<std::unique_ptr<Client>> pubs;
      std::vector<std::string> topics;
      for (int i = 0; i < publishers; ++i) {
        std::string id = list[i]["id"], key = list[i]["key"];
        pubs.push_back(
            std::make_unique<Client>(mqtt_port, "dev" + std::to_string(i), "internal", key));
        topics.push_back("things/" + id + "/messages");
      }
      // Conflux must be subscribed before the stream starts.
      for (int i = 0; i < 400; ++i) {
        auto h = auth::request(ep, "GET", "/health", "", t);
        if (h.body.find("\"plugin:mqtt\":[{\"status\":\"pass\"") != std::string::npos) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
      }
      conflux = run(sub, pubs, topics, messages);
      pubs.clear();
      stop(cfx);
      stop(broker);
    }
    std::cerr << "ceiling: " << ceiling.received << " msgs, " << ceiling.rate << " msg/s, p99 "
              << ceiling.p99_ms << " ms\nconflux: " << conflux.received << " msgs, " << conflux.rate
              << " msg/s, p99 " << conflux.p99_ms << " ms\n";
    std::printf("%.0f %.2f %.0f %.2f\n", conflux.rate, conflux.p99_ms, ceiling.rate,
                ceiling.p99_ms);
    if (conflux.received < static_cast<std::int64_t>(publishers) * messages) {
      std::cerr << "bench_mqtt_ingest: messages missing (logs in " << dir << ")\n";
      return 1;
    }
  } catch (const std::exception& e) {
    std::cerr << "bench_mqtt_ingest: " << e.what() << " (logs in " << dir << ")\n";
    return 1;
  }
  fs::remove_all(dir);
  return 0;
}
