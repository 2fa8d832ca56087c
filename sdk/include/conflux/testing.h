// conflux/testing.h — fakes for unit-testing a plugin without the core.
//
//   conflux::testing::FakeHost host;
//   host.set_config({{"greeting", std::string("hi")}});
//   MyPlugin plugin;
//   ASSERT_TRUE(plugin.start(host));
//   auto res = host.call(conflux::HttpMethod::get, "/hello");
//   EXPECT_EQ(res.status, 200);
//   host.clock().advance(std::chrono::seconds(5));  // fires due timers
//
// FakeHost applies the plugin's schema defaults when given its descriptor
// (`set_config(descriptor, values)`), answers `call()` synchronously when the
// handler replies synchronously, records log lines, and lets the test script
// the HTTP client. Its io_context is never run unless the test runs it.
//
// Thread-safety: single-threaded test use.
#pragma once

#include <stdlib.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "conflux/conflux.h"

namespace conflux::testing {

// A clock that moves only when told to. Timers fire inside `advance`.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::chrono::system_clock::time_point start =
                         std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000)))
      : wall_(start) {}

  std::chrono::system_clock::time_point now() const noexcept override { return wall_; }
  std::chrono::steady_clock::time_point monotonic() const noexcept override { return steady_; }
  TimerId call_after(std::chrono::nanoseconds delay,
                     std::function<void()> callback) noexcept override {
    TimerId id = ++next_id_;
    timers_.emplace(std::make_pair(steady_ + delay, id), std::move(callback));
    return id;
  }
  bool cancel(TimerId id) noexcept override {
    for (auto it = timers_.begin(); it != timers_.end(); ++it)
      if (it->first.second == id) {
        timers_.erase(it);
        return true;
      }
    return false;
  }
  // Moves time forward by `d`, running every timer that falls due, in order
  // (timers scheduled by callbacks run too when they fall inside `d`).
  void advance(std::chrono::nanoseconds d) {
    auto target = steady_ + d;
    while (!timers_.empty() && timers_.begin()->first.first <= target) {
      auto node = timers_.extract(timers_.begin());
      wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(node.key().first -
                                                                               steady_);
      steady_ = node.key().first;
      node.mapped()();
    }
    wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(target - steady_);
    steady_ = target;
  }
  void set_now(std::chrono::system_clock::time_point t) { wall_ = t; }
  std::size_t pending() const noexcept { return timers_.size(); }

 private:
  std::chrono::system_clock::time_point wall_;
  std::chrono::steady_clock::time_point steady_{};
  TimerId next_id_ = 0;
  std::multimap<std::pair<std::chrono::steady_clock::time_point, TimerId>, std::function<void()>>
      timers_;
};

// A logger that keeps every line.
class CaptureLogger final : public Logger {
 public:
  struct Line {
    LogLevel level;
    std::string text;
  };
  bool enabled(LogLevel level) const noexcept override { return level >= level_; }
  void write(LogLevel level, std::string_view message) noexcept override {
    std::lock_guard lock(mu_);
    lines_.push_back({level, std::string(message)});
  }
  void set_level(LogLevel level) { level_ = level; }
  std::vector<Line> lines() const {
    std::lock_guard lock(mu_);
    return lines_;
  }
  // True when some line contains `needle`.
  bool contains(std::string_view needle) const {
    std::lock_guard lock(mu_);
    for (const auto& l : lines_)
      if (l.text.find(needle) != std::string::npos) return true;
    return false;
  }

 private:
  mutable std::mutex mu_;
  LogLevel level_ = LogLevel::trace;
  std::vector<Line> lines_;
};

// An in-memory metrics registry.
class FakeMetrics final : public Metrics {
 public:
  Counter& counter(std::string_view name, std::string_view,
                   const MetricLabels& labels) noexcept override {
    return counters_[key(name, labels)];
  }
  Gauge& gauge(std::string_view name, std::string_view,
               const MetricLabels& labels) noexcept override {
    return gauges_[key(name, labels)];
  }
  Histogram& histogram(std::string_view name, std::string_view, const std::vector<double>& bounds,
                       const MetricLabels& labels) noexcept override {
    auto k = key(name, labels);
    auto it = histograms_.find(k);
    if (it == histograms_.end()) it = histograms_.try_emplace(k, bounds).first;
    return it->second;
  }
  // The value of a counter, 0 when never created.
  std::uint64_t counter_value(std::string_view name, const MetricLabels& labels = {}) const {
    auto it = counters_.find(key(name, labels));
    return it == counters_.end() ? 0 : it->second.value();
  }

 private:
  static std::string key(std::string_view name, const MetricLabels& labels) {
    std::string k(name);
    for (const auto& [n, v] : labels) k += "|" + n + "=" + v;
    return k;
  }
  std::map<std::string, Counter> counters_;
  std::map<std::string, Gauge> gauges_;
  std::map<std::string, Histogram> histograms_;
};

// Routes kept in registration order; `dispatch` finds the best match the way
// the core router does (literal segments beat parameters).
class FakeRoutes final : public HttpRoutes {
 public:
  Status add(HttpMethod method, std::string_view pattern, HttpHandler handler) noexcept override {
    auto parsed = RoutePattern::parse(pattern);
    if (!parsed) return std::unexpected(parsed.error());
    for (const auto& r : routes_)
      if (r.method == method && r.pattern.text() == pattern)
        return fail(ErrorCode::already_exists, "route already registered: " + std::string(pattern));
    routes_.push_back({method, std::move(*parsed), std::move(handler)});
    return ok();
  }
  // Keeps the options: a spool_to_file route gets its body as a temporary
  // file (HttpRequest::body_file); a body over body_limit is answered 413.
  Status add_with_options(HttpMethod method, std::string_view pattern, HttpRouteOptions options,
                          HttpHandler handler) noexcept override {
    auto added = add(method, pattern, std::move(handler));
    if (added) routes_.back().options = options;
    return added;
  }
  std::size_t size() const noexcept { return routes_.size(); }

  // Runs the handler for `request`; the reply goes to `reply`. Answers 404/405
  // itself.
  void dispatch(HttpRequest request, HttpReply reply) const {
    auto segments = RoutePattern::split(request.path);
    const Route* best = nullptr;
    bool path_matched = false;
    for (const auto& r : routes_) {
      if (!r.pattern.match(segments, nullptr)) continue;
      path_matched = true;
      if (r.method != request.method) continue;
      if (!best || more_specific(r.pattern, best->pattern)) best = &r;
    }
    if (!best) {
      reply.send(path_matched ? HttpResponse::error(405, "method not allowed")
                              : HttpResponse::error(404, "not found"));
      return;
    }
    best->pattern.match(segments, &request.params);
    request.route = best->pattern.text();
    if (best->options.body_limit && request.body.size() > best->options.body_limit) {
      reply.send(HttpResponse::error(413, "request body too large"));
      return;
    }
    if (best->options.spool_to_file) {
      std::string path = "/tmp/conflux-fake-spool-" + std::string(6, 'X');  // mkstemp template
      int fd = ::mkstemp(path.data());
      if (fd < 0) {
        reply.send(HttpResponse::error(500, "cannot spool the body"));
        return;
      }
      std::FILE* f = ::fdopen(fd, "wb");
      std::fwrite(request.body.data(), 1, request.body.size(), f);
      std::fclose(f);
      request.body_file = std::make_shared<HttpBodyFile>(path, request.body.size());
      request.body.clear();
    }
    best->handler(std::move(request), std::move(reply));
  }

 private:
  struct Route {
    HttpMethod method;
    RoutePattern pattern;
    HttpHandler handler;
    HttpRouteOptions options{};
  };
  // Segment by segment: a literal beats a parameter, a parameter beats a tail.
  static bool more_specific(const RoutePattern& a, const RoutePattern& b) {
    auto rank = [](const RoutePattern::Segment& s) { return s.is_tail ? 2 : s.is_param ? 1 : 0; };
    auto n = std::min(a.segments().size(), b.segments().size());
    for (std::size_t i = 0; i < n; ++i) {
      int ra = rank(a.segments()[i]), rb = rank(b.segments()[i]);
      if (ra != rb) return ra < rb;
    }
    return a.segments().size() > b.segments().size();
  }
  std::vector<Route> routes_;
};

// An HTTP client whose answers the test decides. Requests are recorded; each
// is answered by `responder` (default: 200 with an empty body).
class FakeHttpClient final : public HttpClient {
 public:
  using Responder = std::function<Result<HttpClientResponse>(const HttpClientRequest&)>;

  void send(HttpClientRequest request, HttpClientCallback done) noexcept override {
    Result<HttpClientResponse> res =
        responder_ ? responder_(request)
                   : Result<HttpClientResponse>(HttpClientResponse{200, {}, {}});
    requests_.push_back(std::move(request));
    done(std::move(res));
  }
  void set_responder(Responder r) { responder_ = std::move(r); }
  const std::vector<HttpClientRequest>& requests() const noexcept { return requests_; }

 private:
  Responder responder_;
  std::vector<HttpClientRequest> requests_;
};

class FakeHost final : public Host {
 public:
  Logger& logger() noexcept override { return logger_; }
  const ConfigSection& config() const noexcept override { return config_; }
  boost::asio::io_context& io() noexcept override { return io_; }
  FakeClock& clock() noexcept override { return clock_; }
  FakeRoutes& routes() noexcept override { return routes_; }
  FakeHttpClient& http_client() noexcept override { return http_client_; }
  FakeMetrics& metrics() noexcept override { return metrics_; }
  void set_state(PluginState state, std::string_view detail) noexcept override {
    state_ = state;
    state_detail_ = std::string(detail);
  }
  void* find_interface(std::string_view name) noexcept override {
    auto it = interfaces_.find(std::string(name));
    return it == interfaces_.end() ? nullptr : it->second;
  }

  CaptureLogger& capture() noexcept { return logger_; }
  PluginState state() const noexcept { return state_; }
  const std::string& state_detail() const noexcept { return state_detail_; }

  // Sets the config section verbatim.
  void set_config(std::map<std::string, ConfigValue, std::less<>> values) {
    config_ = ConfigSection("plugins.test", std::move(values));
  }
  // Sets the config section from the plugin's schema defaults, then `values`.
  void set_config(const PluginDescriptor& d,
                  std::map<std::string, ConfigValue, std::less<>> values = {}) {
    std::map<std::string, ConfigValue, std::less<>> all;
    for (const auto& f : d.config) all[f.key] = f.default_value;
    for (auto& [k, v] : values) all[k] = std::move(v);
    config_ = ConfigSection("plugins." + d.name, std::move(all));
  }
  // Publishes a capability for `find_interface`.
  void provide(std::string name, void* iface) { interfaces_[std::move(name)] = iface; }

  // Sends a request through the registered routes. Returns the response when
  // the handler replied before returning (otherwise status 0: run `io()` or
  // advance the clock, then use `call_async`).
  HttpResponse call(HttpMethod method, std::string target, std::string body = {},
                    HttpHeaders headers = {}) {
    auto out = std::make_shared<HttpResponse>();
    out->status = 0;
    call_async(method, std::move(target), std::move(body), std::move(headers),
               [out](HttpResponse r) { *out = std::move(r); });
    return *out;
  }
  void call_async(HttpMethod method, std::string target, std::string body, HttpHeaders headers,
                  std::function<void(HttpResponse)> done) {
    HttpRequest req;
    req.method = method;
    auto q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.query = target.substr(q + 1);
    req.body = std::move(body);
    req.headers = std::move(headers);
    req.remote = "127.0.0.1:40000";
    routes_.dispatch(std::move(req), HttpReply(std::move(done)));
  }

 private:
  CaptureLogger logger_;
  ConfigSection config_;
  boost::asio::io_context io_;
  FakeClock clock_;
  FakeRoutes routes_;
  FakeHttpClient http_client_;
  FakeMetrics metrics_;
  PluginState state_ = PluginState::loaded;
  std::string state_detail_;
  std::map<std::string, void*> interfaces_;
};

}  // namespace conflux::testing
