// core/metrics (internal) — the state behind MetricsRegistry: metric families
// by name, each with its series by sorted label set. Instruments are held by
// unique_ptr inside std::map nodes, so references handed out stay valid for
// the registry's lifetime.
//
// Thread-safety: `mutex` guards `families` (the maps, not the instruments,
// which are atomic); `collectors_mutex` guards `collectors`.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/metrics/registry.h"

namespace conflux::core {

enum class MetricKind { counter, gauge, histogram };

// One labelled series; exactly the member matching the family's kind is set.
struct MetricSeries {
  std::unique_ptr<Counter> counter;
  std::unique_ptr<Gauge> gauge;
  std::unique_ptr<Histogram> histogram;
};

struct MetricFamily {
  MetricKind kind = MetricKind::counter;
  std::string help;
  std::vector<double> bounds;                   // histograms: the bounds of the first registration
  std::map<MetricLabels, MetricSeries> series;  // labels sorted by name
};

// The registry's state, nameable by the internal helpers.
struct MetricsState {
  mutable std::mutex mutex;
  std::map<std::string, MetricFamily, std::less<>> families;

  std::mutex collectors_mutex;
  std::vector<std::function<void(MetricsRegistry&)>> collectors;

  // Handed out on errors; never rendered.
  Counter dummy_counter;
  Gauge dummy_gauge;
  Histogram dummy_histogram{{}};

  // conflux_metrics_errors_total{reason="kind_mismatch"|"invalid_name"}.
  Counter* kind_mismatch_errors = nullptr;
  Counter* invalid_name_errors = nullptr;
};

struct MetricsRegistry::Impl : MetricsState {};

}  // namespace conflux::core
