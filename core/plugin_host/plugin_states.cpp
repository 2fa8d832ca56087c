// core/plugin_host — PluginStates: the plugin table and its state gauges.
//
// Thread-safety: see plugin_states.h.
#include "core/plugin_host/plugin_states.h"

#include <utility>

namespace conflux::core {
namespace {

constexpr std::array<PluginState, 6> kAllStates = {
    PluginState::loaded,   PluginState::starting, PluginState::running,
    PluginState::degraded, PluginState::failed,   PluginState::stopped,
};

LogLevel level_for(PluginState state) {
  switch (state) {
    case PluginState::failed:
      return LogLevel::error;
    case PluginState::degraded:
      return LogLevel::warn;
    default:
      return LogLevel::info;
  }
}

}  // namespace

PluginStates::PluginStates(Logger& logger, Metrics* metrics) : logger_(logger), metrics_(metrics) {}

void PluginStates::publish(const Record& record) {
  for (std::size_t i = 0; i < kStateCount; ++i) {
    if (!record.gauges[i]) continue;
    bool current = record.info.enabled && record.info.state == kAllStates[i];
    record.gauges[i]->set(current ? 1.0 : 0.0);
  }
}

std::size_t PluginStates::add(PluginInfo info) {
  Record record;
  if (metrics_) {
    for (std::size_t i = 0; i < kStateCount; ++i) {
      record.gauges[i] = &metrics_->gauge(
          "conflux_plugin_state", "Plugin lifecycle state (1 for the current state)",
          {{"plugin", info.name}, {"state", std::string(to_string(kAllStates[i]))}});
    }
  }
  record.info = std::move(info);
  std::lock_guard lock(mu_);
  records_.push_back(std::move(record));
  publish(records_.back());
  return records_.size() - 1;
}

void PluginStates::set_state(std::size_t index, PluginState state, std::string_view detail) {
  std::string name;
  {
    std::lock_guard lock(mu_);
    Record& record = records_.at(index);
    if (record.info.state == state && record.info.detail == detail) return;
    record.info.state = state;
    record.info.detail = std::string(detail);
    publish(record);
    name = record.info.name;
  }
  if (detail.empty()) {
    logger_.log(level_for(state), "plugin {}: {}", name, to_string(state));
  } else {
    logger_.log(level_for(state), "plugin {}: {} ({})", name, to_string(state), detail);
  }
}

void PluginStates::set_disabled(std::size_t index, std::string_view detail) {
  std::string name;
  {
    std::lock_guard lock(mu_);
    Record& record = records_.at(index);
    record.info.enabled = false;
    record.info.detail = std::string(detail);
    publish(record);
    name = record.info.name;
  }
  logger_.info("plugin {}: disabled ({})", name, detail);
}

PluginState PluginStates::state(std::size_t index) const {
  std::lock_guard lock(mu_);
  return records_.at(index).info.state;
}

std::vector<PluginInfo> PluginStates::snapshot() const {
  std::lock_guard lock(mu_);
  std::vector<PluginInfo> out;
  out.reserve(records_.size());
  for (const auto& record : records_) out.push_back(record.info);
  return out;
}

std::optional<PluginInfo> PluginStates::find(std::string_view name) const {
  std::lock_guard lock(mu_);
  for (const auto& record : records_) {
    if (record.info.name == name) return record.info;
  }
  return std::nullopt;
}

}  // namespace conflux::core
