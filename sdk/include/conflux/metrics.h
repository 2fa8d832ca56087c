// conflux/metrics.h — counters, gauges and histograms exported at /metrics.
//
// `Host::metrics()` hands out instruments by (name, labels); asking twice for
// the same pair returns the same instrument, which lives as long as the host.
// Names follow Prometheus conventions: `conflux_<plugin>_<what>_<unit>`,
// counters end in `_total`.
//
// Thread-safety: instruments are lock-free and may be updated from any thread;
// the registry methods may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace conflux {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
  void add(double d) noexcept {
    double cur = value_.load(std::memory_order_relaxed);
    while (!value_.compare_exchange_weak(cur, cur + d, std::memory_order_relaxed)) {
    }
  }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Cumulative histogram with fixed upper bounds (an implicit +Inf bucket).
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds)
      : bounds_(std::move(bounds)),
        counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {}

  void observe(double v) noexcept {
    std::size_t i = 0;
    while (i < bounds_.size() && v > bounds_[i]) ++i;
    counts_[i].fetch_add(1, std::memory_order_relaxed);
    double cur = sum_.load(std::memory_order_relaxed);
    while (!sum_.compare_exchange_weak(cur, cur + v, std::memory_order_relaxed)) {
    }
  }
  const std::vector<double>& bounds() const noexcept { return bounds_; }
  // Non-cumulative count of bucket i (i == bounds().size() is +Inf).
  std::uint64_t bucket(std::size_t i) const noexcept {
    return counts_[i].load(std::memory_order_relaxed);
  }
  std::uint64_t count() const noexcept {
    std::uint64_t n = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) n += bucket(i);
    return n;
  }
  double sum() const noexcept { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
  std::atomic<double> sum_{0};
};

// Latency buckets in seconds, 0.5 ms .. 10 s.
inline std::vector<double> default_latency_buckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

class Metrics {
 public:
  virtual ~Metrics() = default;
  virtual Counter& counter(std::string_view name, std::string_view help,
                           const MetricLabels& labels = {}) noexcept = 0;
  virtual Gauge& gauge(std::string_view name, std::string_view help,
                       const MetricLabels& labels = {}) noexcept = 0;
  // `bounds` applies when the histogram is first created.
  virtual Histogram& histogram(std::string_view name, std::string_view help,
                               const std::vector<double>& bounds,
                               const MetricLabels& labels = {}) noexcept = 0;
};

}  // namespace conflux
