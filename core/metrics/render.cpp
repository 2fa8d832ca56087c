// core/metrics — MetricsRegistry::render: collectors, then every family in
// Prometheus text format 0.0.4, sorted by name.
//
// Thread-safety: collectors run without the registry lock (they register and
// set instruments); the families are then rendered under the lock. Concurrent
// renders run collectors concurrently, so collectors must be thread-safe.
#include <cstdint>
#include <vector>

#include "core/metrics/exposition.h"
#include "core/metrics/registry.h"
#include "core/metrics/registry_impl.h"

namespace conflux::core {
namespace {

std::string_view type_name(MetricKind kind) {
  switch (kind) {
    case MetricKind::counter:
      return "counter";
    case MetricKind::gauge:
      return "gauge";
    case MetricKind::histogram:
      return "histogram";
  }
  return "untyped";
}

void append_sample(std::string& out, std::string_view name, std::string_view suffix,
                   const MetricLabels& labels, std::string_view value, std::string_view le = {}) {
  out += name;
  out += suffix;
  append_labels(out, labels, le.empty() ? std::string_view{} : "le", le);
  out.push_back(' ');
  out += value;
  out.push_back('\n');
}

void append_histogram(std::string& out, std::string_view name, const MetricLabels& labels,
                      const Histogram& histogram) {
  // Read each bucket once so the +Inf bucket and _count agree.
  const std::vector<double>& bounds = histogram.bounds();
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= bounds.size(); ++i) {
    cumulative += histogram.bucket(i);
    std::string le = i < bounds.size() ? format_metric_value(bounds[i]) : "+Inf";
    append_sample(out, name, "_bucket", labels, std::to_string(cumulative), le);
  }
  append_sample(out, name, "_sum", labels, format_metric_value(histogram.sum()));
  append_sample(out, name, "_count", labels, std::to_string(cumulative));
}

}  // namespace

std::string MetricsRegistry::render() const {
  std::vector<std::function<void(MetricsRegistry&)>> collectors;
  {
    std::lock_guard<std::mutex> lock(impl_->collectors_mutex);
    collectors = impl_->collectors;
  }
  // Collectors update instruments, which live behind impl_, not in *this.
  auto& self = const_cast<MetricsRegistry&>(*this);
  for (auto& collect : collectors) collect(self);

  std::string out;
  std::lock_guard<std::mutex> lock(impl_->mutex);
  for (const auto& [name, family] : impl_->families) {
    out += "# HELP ";
    out += name;
    out.push_back(' ');
    append_help(out, family.help);
    out += "\n# TYPE ";
    out += name;
    out.push_back(' ');
    out += type_name(family.kind);
    out.push_back('\n');
    for (const auto& [labels, series] : family.series) {
      switch (family.kind) {
        case MetricKind::counter:
          append_sample(out, name, "", labels, std::to_string(series.counter->value()));
          break;
        case MetricKind::gauge:
          append_sample(out, name, "", labels, format_metric_value(series.gauge->value()));
          break;
        case MetricKind::histogram:
          append_histogram(out, name, labels, *series.histogram);
          break;
      }
    }
  }
  return out;
}

}  // namespace conflux::core
