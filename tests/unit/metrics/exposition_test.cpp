// Tests for the Prometheus text format helpers: numbers, escaping, names.
#include "core/metrics/exposition.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace conflux::core {
namespace {

TEST(FormatMetricValue, IntegersHaveNoExponentOrDecimalPoint) {
  EXPECT_EQ(format_metric_value(0), "0");
  EXPECT_EQ(format_metric_value(-0.0), "0");
  EXPECT_EQ(format_metric_value(42), "42");
  EXPECT_EQ(format_metric_value(-7), "-7");
  EXPECT_EQ(format_metric_value(1e15), "1000000000000000");
  EXPECT_EQ(format_metric_value(123456789012.0), "123456789012");
}

TEST(FormatMetricValue, FractionsAreShortestRoundTrip) {
  EXPECT_EQ(format_metric_value(0.005), "0.005");
  EXPECT_EQ(format_metric_value(21.5), "21.5");
  EXPECT_EQ(format_metric_value(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(format_metric_value(1e20), "1e+20");
  EXPECT_EQ(format_metric_value(1.5e-7), "1.5e-07");
}

TEST(FormatMetricValue, SpecialValuesAreSpelledForPrometheus) {
  EXPECT_EQ(format_metric_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_metric_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_metric_value(std::nan("")), "NaN");
}

TEST(Escaping, LabelValues) {
  std::string out;
  append_label_value(out, "a\\b\"c\nd\te");
  EXPECT_EQ(out, "a\\\\b\\\"c\\nd\te");
}

TEST(Escaping, HelpKeepsQuotes) {
  std::string out;
  append_help(out, "say \"hi\"\\\nnext");
  EXPECT_EQ(out, "say \"hi\"\\\\\\nnext");
}

TEST(Escaping, LabelSets) {
  std::string out;
  append_labels(out, {});
  EXPECT_EQ(out, "");
  append_labels(out, {{"a", "x"}, {"b", "y\""}});
  EXPECT_EQ(out, "{a=\"x\",b=\"y\\\"\"}");
  out.clear();
  append_labels(out, {}, "le", "+Inf");
  EXPECT_EQ(out, "{le=\"+Inf\"}");
}

TEST(Names, MetricNames) {
  EXPECT_TRUE(is_valid_metric_name("conflux_http_requests_total"));
  EXPECT_TRUE(is_valid_metric_name("job:rate5m"));
  EXPECT_TRUE(is_valid_metric_name("_x"));
  EXPECT_FALSE(is_valid_metric_name(""));
  EXPECT_FALSE(is_valid_metric_name("1abc"));
  EXPECT_FALSE(is_valid_metric_name("has-dash"));
  EXPECT_FALSE(is_valid_metric_name("has space"));
}

TEST(Names, LabelNames) {
  EXPECT_TRUE(is_valid_label_name("method"));
  EXPECT_TRUE(is_valid_label_name("_x1"));
  EXPECT_FALSE(is_valid_label_name(""));
  EXPECT_FALSE(is_valid_label_name("__reserved"));
  EXPECT_FALSE(is_valid_label_name("a:b"));
  EXPECT_FALSE(is_valid_label_name("9a"));
}

}  // namespace
}  // namespace conflux::core
