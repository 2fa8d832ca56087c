// bench/mqtt — bench_mqtt_ingest: N publishers at QoS 1 through Mosquitto
// into Conflux (durable commit), against Mosquitto's own relay rate in the
// same run. Both sides are one broker hop:
//
//   ceiling:    N publishers → Mosquitto (no auth plugin) → one QoS 1
//               subscriber; rate = messages / (last arrival - first publish),
//               p99 of publish → arrival.
//   throughput: N things publish things/{id}/messages → Mosquitto (Conflux
//               auth plugin) → Conflux (inbound log, pipeline, LMDB group
//               commit, fsync on), republish off; rate = messages /
//               (moment Conflux's conflux_mqtt_messages_total{result="stored"}
//               reaches N, polled every 10 ms - first publish).
//   latency:    the same publishers paced at half the measured ingest rate
//               (payloads carry their scheduled send time):
//               - publish → durably stored, republish still off: the
//                 distance between the cumulative sent curve and the stored
//                 counter sampled every 2 ms (see paced_stored);
//               - publish → republished arrival: Conflux restarted with
//                 republish on, one subscriber. Conflux republishes after
//                 the durable commit (through its durable outbox: one more
//                 commit and one more broker hop), so this is an upper bound;
//               - the relay broker under the same paced load, for comparison.
//
//   bench_mqtt_ingest BUILD_DIR [publishers] [messages per publisher]
// Environment: BENCH_MQTT_PERF=<file>: `perf record -g` of the conflux
// process during the throughput run, into <file>.
// Prints one line: "<conflux stored msg/s> <relay msg/s> <relay p99 ms>
// <paced msg/s> <conflux publish→stored p99 ms> <conflux publish→republished
// p99 ms> <relay paced p99 ms> <conflux cores> <broker cores>" (cores: CPU
// seconds / wall seconds of the conflux process and of its broker during the
// throughput run).
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
#include <iterator>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
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
  double max_gap_ms = 0;  // paced_stored: the longest time between two samples
};

double p99_of(std::vector<double>& l) {
  if (l.empty()) return 0;
  std::sort(l.begin(), l.end());
  return l[std::min(l.size() - 1, static_cast<std::size_t>(l.size() * 0.99))];
}

// Each publisher thread sends `messages` to its topic. rate == 0: flat out
// (window-limited). rate > 0: paced to `rate` msg/s in total; each payload
// carries its scheduled send time, so a publisher that falls behind does
// not hide the delay (no coordinated omission).
// `stamps`: when given, receives every payload's send time.
void publish_all(std::vector<std::unique_ptr<Client>>& pubs, const std::vector<std::string>& topics,
                 int messages, double rate, std::vector<std::int64_t>* stamps = nullptr) {
  std::int64_t start = now_ns();
  std::mutex stamps_mu;
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < pubs.size(); ++i)
    threads.emplace_back([&, i] {
      double interval_ns = rate > 0 ? 1e9 * static_cast<double>(pubs.size()) / rate : 0;
      // Stagger the publishers over one interval.
      auto offset = static_cast<std::int64_t>(interval_ns * static_cast<double>(i) /
                                              static_cast<double>(pubs.size()));
      for (int k = 0; k < messages; ++k) {
        std::int64_t stamp = now_ns();
        if (rate > 0) {
          stamp = start + offset + static_cast<std::int64_t>(interval_ns * k);
          auto wait = stamp - now_ns();
          if (wait > 0) std::this_thread::sleep_for(std::chrono::nanoseconds(wait));
        }
        std::string payload = "[{\"n\":\"bench\",\"vs\":\"" + std::to_string(stamp) + "\"}]";
        pubs[i]->publish(topics[i], payload);
        if (stamps != nullptr) {
          std::lock_guard lock(stamps_mu);
          stamps->push_back(stamp);
        }
      }
      pubs[i]->drain();
    });
  for (auto& t : threads) t.join();
}

// Publishes and waits until the subscriber received everything: rate (from
// the first publish to the last arrival) and p99 of send → arrival.
Result relay(Client& subscriber, std::vector<std::unique_ptr<Client>>& pubs,
             const std::vector<std::string>& topics, int messages, double rate = 0) {
  std::int64_t total = static_cast<std::int64_t>(pubs.size()) * messages;
  std::int64_t before = subscriber.received.load();
  {
    std::lock_guard lock(subscriber.mu);
    subscriber.latencies_ms.clear();
  }
  std::int64_t start = now_ns();
  publish_all(pubs, topics, messages, rate);
  auto deadline = Clock::now() + std::chrono::seconds(120);
  while (subscriber.received.load() - before < total && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  Result r;
  r.received = subscriber.received.load() - before;
  r.rate =
      static_cast<double>(r.received) / (static_cast<double>(subscriber.last_ns - start) / 1e9);
  std::lock_guard lock(subscriber.mu);
  r.p99_ms = p99_of(subscriber.latencies_ms);
  return r;
}

// The sum of the `name` samples in a Prometheus text exposition; -1 if absent.
double metric_value(const std::string& text, const std::string& name) {
  double sum = -1;
  std::size_t at = 0;
  while ((at = text.find(name, at)) != std::string::npos) {
    if (at == 0 || text[at - 1] == '\n') {
      auto space = text.find(' ', at + name.size());
      if (space != std::string::npos) sum = std::max(sum, 0.0) + std::atof(text.c_str() + space);
    }
    at += name.size();
  }
  return sum;
}

const std::string kStored = "conflux_mqtt_messages_total{result=\"stored\"}";

// Conflux's count of MQTT messages durably stored (its /metrics counter).
double stored_count(const auth::Endpoint& ep) {
  auto r = auth::request(ep, "GET", "/metrics", "", std::chrono::seconds(5));
  return r.status == 200 ? metric_value(r.body, kStored) : -1;
}

// Publishes flat out and polls Conflux's stored counter (every 10 ms) until
// all messages are stored: rate = messages / (all stored - first publish).
Result ingest(const auth::Endpoint& ep, std::vector<std::unique_ptr<Client>>& pubs,
              const std::vector<std::string>& topics, int messages) {
  std::int64_t total = static_cast<std::int64_t>(pubs.size()) * messages;
  double before = std::max(0.0, stored_count(ep));
  std::int64_t start = now_ns();
  std::thread publisher([&] { publish_all(pubs, topics, messages, 0); });
  Result r;
  std::int64_t done = 0;
  auto deadline = Clock::now() + std::chrono::seconds(180);
  while (Clock::now() < deadline) {
    double n = stored_count(ep) - before;
    std::int64_t t = now_ns();
    r.received = static_cast<std::int64_t>(n);
    if (r.received >= total) {
      done = t;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  publisher.join();
  if (done == 0) done = now_ns();
  r.rate = static_cast<double>(r.received) / (static_cast<double>(done - start) / 1e9);
  return r;
}

// Publishes paced at `rate` (republish off) and samples Conflux's stored
// counter every 2 ms. The i-th message sent (in send-time order) counts as
// stored at the first sample where the counter reached i + 1: the horizontal
// distance between the cumulative sent and stored curves, exact when
// messages are stored in the order they were sent, otherwise the same
// distribution of delays. Resolution: the sampling period plus one GET
// /metrics (about 2-4 ms). Returns the p99 of those delays.
Result paced_stored(const auth::Endpoint& ep, std::vector<std::unique_ptr<Client>>& pubs,
                    const std::vector<std::string>& topics, int messages, double rate) {
  std::int64_t total = static_cast<std::int64_t>(pubs.size()) * messages;
  double before = std::max(0.0, stored_count(ep));
  std::vector<std::int64_t> stamps;
  std::thread publisher([&] { publish_all(pubs, topics, messages, rate, &stamps); });
  std::vector<std::pair<std::int64_t, std::int64_t>> samples;  // (time, stored)
  auto deadline = Clock::now() + std::chrono::seconds(180);
  while (Clock::now() < deadline) {
    auto n = static_cast<std::int64_t>(stored_count(ep) - before);
    samples.emplace_back(now_ns(), n);
    if (n >= total) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  publisher.join();
  std::sort(stamps.begin(), stamps.end());
  std::vector<double> delays;
  std::size_t at = 0;
  for (std::size_t i = 0; i < stamps.size(); ++i) {
    while (at < samples.size() && samples[at].second < static_cast<std::int64_t>(i) + 1) ++at;
    if (at == samples.size()) break;
    delays.push_back(static_cast<double>(samples[at].first - stamps[i]) / 1e6);
  }
  Result r;
  r.received = samples.empty() ? 0 : samples.back().second;
  for (std::size_t i = 1; i < samples.size(); ++i)
    r.max_gap_ms =
        std::max(r.max_gap_ms, static_cast<double>(samples[i].first - samples[i - 1].first) / 1e6);
  r.rate = rate;
  r.p99_ms = p99_of(delays);
  return r;
}

// CPU seconds (user + system) used so far by `pid`.
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), {});
  auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(stat.substr(close + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::atof(field.c_str());
    if (i == 15) stime = std::atof(field.c_str());
  }
  return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
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
  const char* perf_out = std::getenv("BENCH_MQTT_PERF");
  std::string tmpl = "/tmp/conflux-mqtt-bench-" + std::string(6, 'X');
  fs::path dir = mkdtemp(tmpl.data());
  const std::string service_password = "bench-service-secret";
  const std::string user = ::getpwuid(::getuid())->pw_name;
  std::vector<pid_t> started;
  try {
    // Ceiling: Mosquitto relaying publishers → subscriber (kept running for
    // the paced relay run at the end).
    auto relay_port = free_port();
    std::ofstream(dir / "relay.conf")
        << "listener " << relay_port << " 127.0.0.1\nallow_anonymous true\n"
        << "user " << user << "\nmax_queued_messages 0\n";
    started.push_back(
        spawn({"/usr/sbin/mosquitto", "-c", (dir / "relay.conf").string()}, {}, dir / "relay.log"));
    wait_port(relay_port);
    Client relay_sub(relay_port, "sub", "", "", 64);
    relay_sub.subscribe("bench/#");
    std::vector<std::unique_ptr<Client>> relay_pubs;
    std::vector<std::string> relay_topics;
    for (int i = 0; i < publishers; ++i) {
      relay_pubs.push_back(std::make_unique<Client>(relay_port, "pub" + std::to_string(i), "", ""));
      relay_topics.push_back("bench/" + std::to_string(i));
    }
    Result ceiling = relay(relay_sub, relay_pubs, relay_topics, messages);

    // Conflux: devices → Mosquitto (auth plugin) → Conflux (stored).
    auto mqtt_port = free_port();
    auto http_port = free_port();
    std::ofstream(dir / "broker.conf")
        << "listener " << mqtt_port << " 127.0.0.1\nallow_anonymous false\n"
        << "user " << user << "\n"
        << "plugin " << (build / "plugins/mosquitto/conflux_mosquitto_auth.so").string() << "\n"
        << "plugin_opt_url http://127.0.0.1:" << http_port << "\nplugin_opt_cache_ttl 60\n"
        << "plugin_opt_service_username conflux\nplugin_opt_service_password " << service_password
        << "\nmax_queued_messages 0\n";
    pid_t broker = spawn({"/usr/sbin/mosquitto", "-c", (dir / "broker.conf").string()}, {},
                         dir / "broker.log");
    started.push_back(broker);
    wait_port(mqtt_port);
    auth::Endpoint ep{"127.0.0.1", std::to_string(http_port), ""};
    auto t = std::chrono::seconds(10);
    auto start_conflux = [&](bool republish) {
      std::vector<std::string> env{
          "CONFLUX_HTTP_LISTEN=127.0.0.1:" + std::to_string(http_port),
          "CONFLUX_STORAGE_PATH=" + (dir / "data").string(),
          "CONFLUX_PLUGINS_DIR=" + (build / "plugins").string(),
          "CONFLUX_LOG_LEVEL=warn",
          "CONFLUX_ADMIN_EMAIL=bench@example.com",
          "CONFLUX_ADMIN_PASSWORD=Bench-password-12",
          "CONFLUX_MQTT_BROKER=tcp://127.0.0.1:" + std::to_string(mqtt_port),
          "CONFLUX_MQTT_PASSWORD=" + service_password};
      if (republish) env.push_back("CONFLUX_MQTT_REPUBLISH_TOPIC=bench/out/{thing_id}");
      pid_t pid = spawn({(build / "conflux").string(), "serve"}, env, dir / "conflux.log");
      started.push_back(pid);
      wait_port(http_port);
      // The plugin must be subscribed before the stream starts.
      for (int i = 0; i < 400; ++i) {
        auto h = auth::request(ep, "GET", "/health", "", t);
        if (h.body.find("\"plugin:mqtt\":[{\"status\":\"pass\"") != std::string::npos) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
      }
      return pid;
    };
    pid_t cfx = start_conflux(false);
    auto tok = auth::request(ep, "POST", "/tokens",
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
    auto created =
        auth::request(ep, "POST", "/profiles/" + profile_id + "/things", things.dump(), t, bearer);
    auto list = nlohmann::json::parse(created.body).at("things");
    std::vector<std::unique_ptr<Client>> pubs;
    std::vector<std::string> topics;
    for (int i = 0; i < publishers; ++i) {
      std::string id = list[i]["id"], key = list[i]["key"];
      pubs.push_back(
          std::make_unique<Client>(mqtt_port, "dev" + std::to_string(i), "internal", key));
      topics.push_back("things/" + id + "/messages");
    }

    // 1. Throughput: flat out, republish off; messages durably stored per second.
    pid_t perf = -1;
    if (perf_out != nullptr) {
      perf = spawn(
          {"/usr/bin/perf", "record", "-F", "999", "-g", "-o", perf_out, "-p", std::to_string(cfx)},
          {}, dir / "perf.log");
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    double cfx_cpu = cpu_seconds(cfx), broker_cpu = cpu_seconds(broker);
    std::int64_t t0 = now_ns();
    Result conflux = ingest(ep, pubs, topics, messages);
    double wall = static_cast<double>(now_ns() - t0) / 1e9;
    cfx_cpu = cpu_seconds(cfx) - cfx_cpu;
    broker_cpu = cpu_seconds(broker) - broker_cpu;
    if (perf > 0) {
      ::kill(perf, SIGINT);
      int status;
      waitpid(perf, &status, 0);
    }
    std::int64_t total = static_cast<std::int64_t>(publishers) * messages;
    if (conflux.received < total) throw std::runtime_error("messages missing in the ingest run");

    // 2. Latency, paced at half the measured ingest rate: publish → stored
    // (counter curves, same process, republish still off), then publish →
    // republished (Conflux restarted with republish on).
    double paced_rate = conflux.rate / 2;
    int paced = std::clamp(static_cast<int>(paced_rate * 5 / publishers), 100, messages);
    Result stored_latency = paced_stored(ep, pubs, topics, paced, paced_rate);
    std::int64_t total_paced = static_cast<std::int64_t>(publishers) * paced;
    if (stored_latency.received < static_cast<std::int64_t>(publishers) * paced)
      throw std::runtime_error("messages missing in the paced run");
    // Republish on, same paced load.
    // Conflux republishes a message after its durable commit, so publish →
    // republished arrival bounds publish → durably stored from above.
    stop(cfx);
    std::erase(started, cfx);
    cfx = start_conflux(true);
    Client sub(mqtt_port, "bench-sub", "conflux", service_password, 64);
    sub.subscribe("bench/out/#");
    // Both measures in this run: the subscriber's, and the counter curves
    // again (a check: a message is republished only after it is stored).
    Result latency;
    {
      std::lock_guard lock(sub.mu);
      sub.latencies_ms.clear();
    }
    Result stored_with_republish = paced_stored(ep, pubs, topics, paced, paced_rate);
    auto until = Clock::now() + std::chrono::seconds(120);
    while (sub.received.load() < total_paced && Clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    latency.received = sub.received.load();
    {
      std::lock_guard lock(sub.mu);
      latency.p99_ms = p99_of(sub.latencies_ms);
    }
    // The same paced load through the relay broker: its p99 for comparison.
    Result relay_paced = relay(relay_sub, relay_pubs, relay_topics, paced, paced_rate);
    pubs.clear();
    relay_pubs.clear();

    std::cerr << "ceiling: " << ceiling.received << " msgs relayed, " << ceiling.rate
              << " msg/s, p99 " << ceiling.p99_ms << " ms\nconflux: " << conflux.received
              << " msgs stored, " << conflux.rate << " msg/s; CPU over " << wall << " s: conflux "
              << cfx_cpu << " s, broker " << broker_cpu << " s\n"
              << "paced at " << paced_rate << " msg/s (" << paced * publishers
              << " msgs): conflux publish -> stored p99 " << stored_latency.p99_ms
              << " ms (samples at most " << stored_latency.max_gap_ms
              << " ms apart); with republish on: publish -> stored p99 "
              << stored_with_republish.p99_ms << " ms, publish -> republished p99 "
              << latency.p99_ms << " ms (" << latency.received << " received), relay p99 "
              << relay_paced.p99_ms << " ms\n";
    std::printf("%.0f %.0f %.2f %.0f %.2f %.2f %.2f %.2f %.2f\n", conflux.rate, ceiling.rate,
                ceiling.p99_ms, paced_rate, stored_latency.p99_ms, latency.p99_ms,
                relay_paced.p99_ms, cfx_cpu / wall, broker_cpu / wall);
    if (latency.received < static_cast<std::int64_t>(publishers) * paced)
      throw std::runtime_error("republished messages missing in the paced run");
  } catch (const std::exception& e) {
    for (auto it = started.rbegin(); it != started.rend(); ++it) stop(*it);
    std::cerr << "bench_mqtt_ingest: " << e.what() << " (logs in " << dir << ")\n";
    return 1;
  }
  for (auto it = started.rbegin(); it != started.rend(); ++it) stop(*it);
  fs::remove_all(dir);
  return 0;
}
