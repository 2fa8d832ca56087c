// Tests for MetricsRegistry: identity of instruments, rendering, kind
// mismatches, concurrency, collectors and the RSS reading.
#include "core/metrics/registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <thread>
#include <vector>

namespace conflux::core {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(MetricsRegistry, SameNameAndLabelsGiveSameInstrument) {
  MetricsRegistry registry;
  Counter& a = registry.counter("x_total", "X.", {{"a", "1"}, {"b", "2"}});
  Counter& b = registry.counter("x_total", "X.", {{"b", "2"}, {"a", "1"}});
  Counter& other = registry.counter("x_total", "X.", {{"a", "1"}, {"b", "3"}});
  Counter& unlabelled = registry.counter("x_total", "X.");
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &other);
  EXPECT_NE(&a, &unlabelled);
  EXPECT_EQ(&registry.gauge("g", "G."), &registry.gauge("g", "G."));
  EXPECT_EQ(&registry.histogram("h", "H.", {1}), &registry.histogram("h", "H.", {2, 3}));
}

TEST(MetricsRegistry, RendersExactPrometheusText) {
  MetricsRegistry registry;
  registry.counter("app_requests_total", "Requests handled.", {{"method", "GET"}, {"code", "200"}})
      .inc(3);
  registry.counter("app_requests_total", "Requests handled.", {{"code", "500"}, {"method", "POST"}})
      .inc();
  registry.gauge("app_temperature_celsius", "Current temperature.").set(21.5);
  Histogram& latency =
      registry.histogram("app_latency_seconds", "Latency.", {0.005, 0.5, 1}, {{"route", "/a"}});
  for (double v : {0.25, 0.5, 0.5, 3.0}) latency.observe(v);

  EXPECT_EQ(registry.render(),
            "# HELP app_latency_seconds Latency.\n"
            "# TYPE app_latency_seconds histogram\n"
            "app_latency_seconds_bucket{route=\"/a\",le=\"0.005\"} 0\n"
            "app_latency_seconds_bucket{route=\"/a\",le=\"0.5\"} 3\n"
            "app_latency_seconds_bucket{route=\"/a\",le=\"1\"} 3\n"
            "app_latency_seconds_bucket{route=\"/a\",le=\"+Inf\"} 4\n"
            "app_latency_seconds_sum{route=\"/a\"} 4.25\n"
            "app_latency_seconds_count{route=\"/a\"} 4\n"
            "# HELP app_requests_total Requests handled.\n"
            "# TYPE app_requests_total counter\n"
            "app_requests_total{code=\"200\",method=\"GET\"} 3\n"
            "app_requests_total{code=\"500\",method=\"POST\"} 1\n"
            "# HELP app_temperature_celsius Current temperature.\n"
            "# TYPE app_temperature_celsius gauge\n"
            "app_temperature_celsius 21.5\n"
            "# HELP conflux_metrics_errors_total Metric registrations refused: a name reused "
            "with another kind, or an invalid metric or label name.\n"
            "# TYPE conflux_metrics_errors_total counter\n"
            "conflux_metrics_errors_total{reason=\"invalid_name\"} 0\n"
            "conflux_metrics_errors_total{reason=\"kind_mismatch\"} 0\n");
}

TEST(MetricsRegistry, UnlabelledHistogramHasOnlyLe) {
  MetricsRegistry registry;
  registry.histogram("h_seconds", "H.", {1}).observe(2);
  std::string text = registry.render();
  EXPECT_THAT(text, HasSubstr("h_seconds_bucket{le=\"1\"} 0\n"
                              "h_seconds_bucket{le=\"+Inf\"} 1\n"
                              "h_seconds_sum 2\n"
                              "h_seconds_count 1\n"));
}

TEST(MetricsRegistry, EscapesLabelValuesAndHelp) {
  MetricsRegistry registry;
  registry
      .counter("esc_total", "Help with \\ and\nnewline \"quoted\".", {{"path", "C:\\dir\n\"x\""}})
      .inc();
  std::string text = registry.render();
  EXPECT_THAT(text, HasSubstr("# HELP esc_total Help with \\\\ and\\nnewline \"quoted\".\n"));
  EXPECT_THAT(text, HasSubstr("esc_total{path=\"C:\\\\dir\\n\\\"x\\\"\"} 1\n"));
}

TEST(MetricsRegistry, KindMismatchReturnsDetachedDummyAndCounts) {
  MetricsRegistry registry;
  Counter& real = registry.counter("dual", "Dual.");
  real.inc(2);
  Gauge& dummy = registry.gauge("dual", "Dual.");
  dummy.set(99);
  Histogram& dummy_histogram = registry.histogram("dual", "Dual.", {1});
  dummy_histogram.observe(5);
  EXPECT_EQ(real.value(), 2u);
  std::string text = registry.render();
  EXPECT_THAT(text, HasSubstr("# TYPE dual counter\ndual 2\n"));
  EXPECT_THAT(text, Not(HasSubstr("99")));
  EXPECT_THAT(text, Not(HasSubstr("dual_bucket")));
  EXPECT_THAT(text, HasSubstr("conflux_metrics_errors_total{reason=\"kind_mismatch\"} 2\n"));
}

TEST(MetricsRegistry, InvalidNamesReturnDummyAndCount) {
  MetricsRegistry registry;
  registry.counter("bad-name", "Bad.").inc();
  registry.counter("ok_total", "Ok.", {{"bad-label", "x"}}).inc();
  registry.counter("ok_total", "Ok.", {{"a", "1"}, {"a", "2"}}).inc();
  registry.histogram("h", "H.", {1}, {{"le", "1"}}).observe(1);
  std::string text = registry.render();
  EXPECT_THAT(text, Not(HasSubstr("bad")));
  EXPECT_THAT(text, Not(HasSubstr("ok_total")));
  EXPECT_THAT(text, Not(HasSubstr("# TYPE h ")));
  EXPECT_THAT(text, HasSubstr("conflux_metrics_errors_total{reason=\"invalid_name\"} 4\n"));
}

TEST(MetricsRegistry, HistogramBoundsAreSortedAndFinite) {
  MetricsRegistry registry;
  Histogram& h =
      registry.histogram("h", "H.", {1, 0.1, 1, std::numeric_limits<double>::infinity()});
  EXPECT_EQ(h.bounds(), (std::vector<double>{0.1, 1}));
}

TEST(MetricsRegistry, SpecialGaugeValues) {
  MetricsRegistry registry;
  registry.gauge("g_inf", "G.").set(std::numeric_limits<double>::infinity());
  registry.gauge("g_nan", "G.").set(std::numeric_limits<double>::quiet_NaN());
  std::string text = registry.render();
  EXPECT_THAT(text, HasSubstr("g_inf +Inf\n"));
  EXPECT_THAT(text, HasSubstr("g_nan NaN\n"));
}

TEST(MetricsRegistry, CollectorsRunBeforeEveryRender) {
  MetricsRegistry registry;
  int runs = 0;
  registry.add_collector([&runs](MetricsRegistry& r) {
    ++runs;
    r.gauge("collected", "Collected.").set(runs);
  });
  EXPECT_THAT(registry.render(), HasSubstr("collected 1\n"));
  EXPECT_THAT(registry.render(), HasSubstr("collected 2\n"));
}

TEST(MetricsRegistry, ConcurrentUpdatesSumCorrectly) {
  MetricsRegistry registry;
  constexpr int kThreads = 4;
  constexpr int kIterations = 50000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&registry, t] {
      Counter& shared = registry.counter("shared_total", "Shared.", {{"k", "v"}});
      Gauge& gauge = registry.gauge("shared_gauge", "Shared.");
      Histogram& histogram = registry.histogram("shared_seconds", "Shared.", {0.5});
      for (int i = 0; i < kIterations; ++i) {
        shared.inc();
        gauge.add(1);
        histogram.observe(i % 2 == 0 ? 0.25 : 1);
        if (i % 1000 == 0) {
          registry.counter("per_thread_total", "Per thread.", {{"t", std::to_string(t)}}).inc();
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(registry.counter("shared_total", "Shared.", {{"k", "v"}}).value(),
            static_cast<std::uint64_t>(kThreads * kIterations));
  EXPECT_EQ(registry.gauge("shared_gauge", "Shared.").value(), kThreads * kIterations);
  Histogram& histogram = registry.histogram("shared_seconds", "Shared.", {0.5});
  EXPECT_EQ(histogram.count(), static_cast<std::uint64_t>(kThreads * kIterations));
  EXPECT_EQ(histogram.bucket(0), static_cast<std::uint64_t>(kThreads * kIterations / 2));
  EXPECT_DOUBLE_EQ(histogram.sum(), kThreads * kIterations / 2 * 1.25);
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(
        registry.counter("per_thread_total", "Per thread.", {{"t", std::to_string(t)}}).value(),
        static_cast<std::uint64_t>(kIterations / 1000));
  }
}

TEST(ProcessResidentBytes, IsPositive) {
  double rss = process_resident_bytes();
  EXPECT_GT(rss, 0);
  EXPECT_EQ(rss, static_cast<double>(static_cast<std::uint64_t>(rss)));
}

}  // namespace
}  // namespace conflux::core
