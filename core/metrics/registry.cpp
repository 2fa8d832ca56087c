// core/metrics — MetricsRegistry: handing out instruments by (name, labels)
// and registering collectors. Rendering lives in render.cpp.
//
// Thread-safety: lookups lock the registry mutex; instruments are atomic and
// updated without it.
#include "core/metrics/registry.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "core/metrics/exposition.h"
#include "core/metrics/registry_impl.h"

namespace conflux::core {
namespace {

constexpr std::string_view kErrorsName = "conflux_metrics_errors_total";
constexpr std::string_view kErrorsHelp =
    "Metric registrations refused: a name reused with another kind, or an invalid "
    "metric or label name.";

// Labels sorted by name, or nullopt when a label name is invalid, repeated or
// (for histograms) "le".
std::optional<MetricLabels> normalize_labels(const MetricLabels& labels, MetricKind kind) {
  MetricLabels sorted = labels;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const std::string& name = sorted[i].first;
    if (!is_valid_label_name(name)) return std::nullopt;
    if (i > 0 && sorted[i - 1].first == name) return std::nullopt;
    if (kind == MetricKind::histogram && name == "le") return std::nullopt;
  }
  return sorted;
}

// Finite bounds, ascending, without duplicates (+Inf is implicit).
std::vector<double> normalize_bounds(const std::vector<double>& bounds) {
  std::vector<double> out;
  out.reserve(bounds.size());
  for (double b : bounds) {
    if (std::isfinite(b)) out.push_back(b);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The series for (name, labels) of `kind`, created on first use; nullptr with
// the matching error counted when the request is invalid.
MetricSeries* find_or_create(MetricsState& impl, std::string_view name, std::string_view help,
                             MetricKind kind, const MetricLabels& labels,
                             const std::vector<double>* bounds) {
  auto sorted = normalize_labels(labels, kind);
  if (!is_valid_metric_name(name) || !sorted) {
    impl.invalid_name_errors->inc();
    return nullptr;
  }
  std::lock_guard<std::mutex> lock(impl.mutex);
  auto family_it = impl.families.find(name);
  if (family_it == impl.families.end()) {
    MetricFamily family{.kind = kind, .help = std::string(help)};
    if (bounds != nullptr) family.bounds = normalize_bounds(*bounds);
    family_it = impl.families.emplace(std::string(name), std::move(family)).first;
  } else if (family_it->second.kind != kind) {
    impl.kind_mismatch_errors->inc();
    return nullptr;
  }
  MetricFamily& family = family_it->second;
  auto [series_it, inserted] = family.series.try_emplace(std::move(*sorted));
  if (inserted) {
    MetricSeries& series = series_it->second;
    switch (kind) {
      case MetricKind::counter:
        series.counter = std::make_unique<Counter>();
        break;
      case MetricKind::gauge:
        series.gauge = std::make_unique<Gauge>();
        break;
      case MetricKind::histogram:
        series.histogram = std::make_unique<Histogram>(family.bounds);
        break;
    }
  }
  return &series_it->second;
}

}  // namespace

MetricsRegistry::MetricsRegistry() : impl_(std::make_unique<Impl>()) {
  impl_->kind_mismatch_errors =
      find_or_create(*impl_, kErrorsName, kErrorsHelp, MetricKind::counter,
                     {{"reason", "kind_mismatch"}}, nullptr)
          ->counter.get();
  impl_->invalid_name_errors = find_or_create(*impl_, kErrorsName, kErrorsHelp, MetricKind::counter,
                                              {{"reason", "invalid_name"}}, nullptr)
                                   ->counter.get();
}

MetricsRegistry::~MetricsRegistry() = default;

Counter& MetricsRegistry::counter(std::string_view name, std::string_view help,
                                  const MetricLabels& labels) noexcept {
  try {
    if (auto* series = find_or_create(*impl_, name, help, MetricKind::counter, labels, nullptr)) {
      return *series->counter;
    }
  } catch (...) {
    // Out of memory: hand out the dummy rather than fail the caller.
  }
  return impl_->dummy_counter;
}

Gauge& MetricsRegistry::gauge(std::string_view name, std::string_view help,
                              const MetricLabels& labels) noexcept {
  try {
    if (auto* series = find_or_create(*impl_, name, help, MetricKind::gauge, labels, nullptr)) {
      return *series->gauge;
    }
  } catch (...) {
    // Out of memory: hand out the dummy rather than fail the caller.
  }
  return impl_->dummy_gauge;
}

Histogram& MetricsRegistry::histogram(std::string_view name, std::string_view help,
                                      const std::vector<double>& bounds,
                                      const MetricLabels& labels) noexcept {
  try {
    if (auto* series = find_or_create(*impl_, name, help, MetricKind::histogram, labels, &bounds)) {
      return *series->histogram;
    }
  } catch (...) {
    // Out of memory: hand out the dummy rather than fail the caller.
  }
  return impl_->dummy_histogram;
}

void MetricsRegistry::add_collector(std::function<void(MetricsRegistry&)> collector) {
  std::lock_guard<std::mutex> lock(impl_->collectors_mutex);
  impl_->collectors.push_back(std::move(collector));
}

}  // namespace conflux::core
