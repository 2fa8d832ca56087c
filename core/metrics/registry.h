// core/metrics — owns the process metrics registry and its Prometheus text
// rendering (exposition format 0.0.4) served at GET /metrics.
//
// Thread-safety: all methods are thread-safe; instruments are lock-free.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/metrics.h"

namespace conflux::core {

class MetricsRegistry final : public Metrics {
 public:
  MetricsRegistry();
  ~MetricsRegistry() override;

  // Same (name, labels) -> same instrument. A name first registered as one
  // kind and then asked for as another is a programming error: the returned
  // instrument is a detached dummy and the mismatch is counted in
  // conflux_metrics_errors_total.
  Counter& counter(std::string_view name, std::string_view help,
                   const MetricLabels& labels = {}) noexcept override;
  Gauge& gauge(std::string_view name, std::string_view help,
               const MetricLabels& labels = {}) noexcept override;
  Histogram& histogram(std::string_view name, std::string_view help,
                       const std::vector<double>& bounds,
                       const MetricLabels& labels = {}) noexcept override;

  // Runs before every render (e.g. to refresh the RSS gauge).
  void add_collector(std::function<void(MetricsRegistry&)> collector);

  // Prometheus text: families sorted by name, one HELP and TYPE line each,
  // label values escaped, histograms with cumulative _bucket{le=...}, _sum,
  // _count.
  std::string render() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Resident set size of this process in bytes (from /proc/self/statm), 0 when
// unknown.
double process_resident_bytes();

}  // namespace conflux::core
