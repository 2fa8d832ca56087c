// core/plugin_host — the table of every plugin the host has seen (PluginInfo)
// and its state gauge `conflux_plugin_state{plugin,state}` (1 for the current
// state, 0 for the others; all 0 while disabled). State changes are logged.
//
// Thread-safety: every method is thread-safe (one mutex, which also orders
// gauge updates); logging happens outside it.
#pragma once

#include <array>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/host.h"
#include "conflux/log.h"
#include "conflux/metrics.h"
#include "core/plugin_host/plugin_host.h"

namespace conflux::core {

class PluginStates {
 public:
  // `metrics` may be null (no gauges). Both must outlive this table.
  PluginStates(Logger& logger, Metrics* metrics);

  // Records a plugin and publishes its gauges; returns its stable index.
  std::size_t add(PluginInfo info);
  // Sets state and detail; logs when either changes.
  void set_state(std::size_t index, PluginState state, std::string_view detail);
  // Marks the plugin skipped by config (enabled = false); clears its gauges.
  void set_disabled(std::size_t index, std::string_view detail);

  PluginState state(std::size_t index) const;
  std::vector<PluginInfo> snapshot() const;
  std::optional<PluginInfo> find(std::string_view name) const;

 private:
  static constexpr std::size_t kStateCount = 6;
  struct Record {
    PluginInfo info;
    std::array<Gauge*, kStateCount> gauges{};
  };
  static void publish(const Record& record);

  Logger& logger_;
  Metrics* metrics_;
  mutable std::mutex mu_;
  std::deque<Record> records_;  // guarded by mu_; deque keeps indices stable
};

}  // namespace conflux::core
