// core/http — RequestMetrics: the server's per-request instruments, cached.
//
// Private to core/http. Records conflux_http_requests_total{method,route,status}
// and conflux_http_request_duration_seconds{route}. Instruments are looked up
// in the registry once per (method, route, status) and then reused, so the hot
// path takes a shared lock and scans a few entries. Every registry call is made
// under the cache's exclusive lock, so a registry that is not itself
// thread-safe (e.g. testing::FakeMetrics) is still used safely.
//
// Thread-safety: `record` may be called from any thread.
#pragma once

#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "conflux/metrics.h"

namespace conflux::core {

class RequestMetrics {
 public:
  static constexpr std::string_view kRequestsTotal = "conflux_http_requests_total";
  static constexpr std::string_view kDurationSeconds = "conflux_http_request_duration_seconds";
  // The route label of requests no route matched (404, 405, 400, ...).
  static constexpr std::string_view kUnmatched = "unmatched";

  explicit RequestMetrics(Metrics& registry) : registry_(registry) {}

  // Counts one request and observes its duration. `route` is the matched
  // pattern or kUnmatched; `method` a method name ("GET", or "OTHER").
  void record(std::string_view method, std::string_view route, int status, double seconds) noexcept;

 private:
  struct CounterEntry {
    std::string method;
    int status;
    Counter* counter;
  };
  struct RouteEntry {
    Histogram* duration = nullptr;
    std::vector<CounterEntry> counters;
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };

  // Looks up `counter` in `entry`; nullptr when not cached yet.
  static Counter* find(const RouteEntry& entry, std::string_view method, int status) noexcept;

  Metrics& registry_;
  std::shared_mutex mu_;
  std::unordered_map<std::string, std::unique_ptr<RouteEntry>, Hash, std::equal_to<>> routes_;
};

}  // namespace conflux::core
