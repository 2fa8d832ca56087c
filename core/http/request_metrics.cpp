// core/http — RequestMetrics implementation (see request_metrics.h).
#include "core/http/request_metrics.h"

#include <mutex>

namespace conflux::core {

Counter* RequestMetrics::find(const RouteEntry& entry, std::string_view method,
                              int status) noexcept {
  for (const auto& c : entry.counters)
    if (c.status == status && c.method == method) return c.counter;
  return nullptr;
}

void RequestMetrics::record(std::string_view method, std::string_view route, int status,
                            double seconds) noexcept {
  Counter* counter = nullptr;
  Histogram* duration = nullptr;
  {
    std::shared_lock lock(mu_);
    if (auto it = routes_.find(route); it != routes_.end()) {
      duration = it->second->duration;
      counter = find(*it->second, method, status);
    }
  }
  if (!counter) {
    try {
      std::unique_lock lock(mu_);
      auto it = routes_.find(route);
      if (it == routes_.end()) {
        auto entry = std::make_unique<RouteEntry>();
        entry->duration =
            &registry_.histogram(kDurationSeconds, "HTTP request duration by route",
                                 default_latency_buckets(), {{"route", std::string(route)}});
        it = routes_.emplace(std::string(route), std::move(entry)).first;
      }
      RouteEntry& entry = *it->second;
      duration = entry.duration;
      counter = find(entry, method, status);
      if (!counter) {
        counter = &registry_.counter(kRequestsTotal, "HTTP requests by method, route and status",
                                     {{"method", std::string(method)},
                                      {"route", std::string(route)},
                                      {"status", std::to_string(status)}});
        entry.counters.push_back({std::string(method), status, counter});
      }
    } catch (...) {
      return;  // out of memory: the request is served, just not counted
    }
  }
  counter->inc();
  duration->observe(seconds);
}

}  // namespace conflux::core
