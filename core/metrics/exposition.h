// core/metrics (internal) — pieces of the Prometheus text exposition format
// 0.0.4: number formatting, escaping, and the names Prometheus accepts.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "conflux/metrics.h"

namespace conflux::core {

// A sample value Prometheus parses: integral values below 2^53 without
// exponent or decimal point ("42"), others shortest round-trip ("0.005",
// "1e+20"), and "+Inf", "-Inf", "NaN".
std::string format_metric_value(double value);

// Appends a label value with \, " and newline escaped.
void append_label_value(std::string& out, std::string_view value);

// Appends HELP text with \ and newline escaped.
void append_help(std::string& out, std::string_view help);

// Appends `{a="x",b="y"}` for `labels` plus an optional extra label (the
// histogram `le`); nothing when there are no labels at all.
void append_labels(std::string& out, const MetricLabels& labels, std::string_view extra_name = {},
                   std::string_view extra_value = {});

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool is_valid_metric_name(std::string_view name) noexcept;
// [a-zA-Z_][a-zA-Z0-9_]* and not starting with "__" (reserved).
bool is_valid_label_name(std::string_view name) noexcept;

}  // namespace conflux::core
