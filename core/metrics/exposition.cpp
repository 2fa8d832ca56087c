// core/metrics (internal) — Prometheus text format helpers.
//
// Thread-safety: pure functions; safe from any thread.
#include "core/metrics/exposition.h"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace conflux::core {
namespace {

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string format_metric_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  constexpr double kExactIntegerLimit = 9007199254740992.0;  // 2^53
  char buffer[64];
  std::to_chars_result result;
  if (value == std::trunc(value) && std::fabs(value) < kExactIntegerLimit) {
    result = std::to_chars(buffer, buffer + sizeof buffer, static_cast<std::int64_t>(value));
  } else {
    result = std::to_chars(buffer, buffer + sizeof buffer, value);
  }
  return std::string(buffer, result.ptr);
}

void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out.push_back(c);
    }
  }
}

void append_help(std::string& out, std::string_view help) {
  for (char c : help) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out.push_back(c);
    }
  }
}

void append_labels(std::string& out, const MetricLabels& labels, std::string_view extra_name,
                   std::string_view extra_value) {
  if (labels.empty() && extra_name.empty()) return;
  out.push_back('{');
  bool first = true;
  auto append_one = [&](std::string_view name, std::string_view value) {
    if (!first) out.push_back(',');
    first = false;
    out += name;
    out += "=\"";
    append_label_value(out, value);
    out.push_back('"');
  };
  for (const auto& [name, value] : labels) append_one(name, value);
  if (!extra_name.empty()) append_one(extra_name, extra_value);
  out.push_back('}');
}

bool is_valid_metric_name(std::string_view name) noexcept {
  if (name.empty() || is_digit(name.front())) return false;
  for (char c : name) {
    if (!is_letter(c) && !is_digit(c) && c != '_' && c != ':') return false;
  }
  return true;
}

bool is_valid_label_name(std::string_view name) noexcept {
  if (name.empty() || is_digit(name.front()) || name.starts_with("__")) return false;
  for (char c : name) {
    if (!is_letter(c) && !is_digit(c) && c != '_') return false;
  }
  return true;
}

}  // namespace conflux::core
