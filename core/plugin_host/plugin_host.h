// core/plugin_host — owns loading plugins (Boost.DLL), the load-time checks,
// config validation against each plugin's schema, and the plugin lifecycle.
//
// Load: every `conflux-plugin-*.so` in the plugins dir. Refused, with the file
// and the reason logged and recorded (state `failed`): a library that cannot
// be opened, lacks `conflux_plugin_abi` or `conflux_plugin_create`, has
// another ABI major, a newer ABI minor, or another build key; a factory that
// throws or returns null; a duplicate plugin name.
//
// Config: `[plugins.<name>]` validated against the plugin's schema plus the
// host key `enabled` (boolean, default true); environment overrides
// CONFLUX_PLUGINS_<NAME>_<KEY> and CONFLUX_<NAME>_<KEY>. A plugin whose
// section is absent and that has a required key without a value is skipped as
// `disabled` ("not configured: <key> is required"), not failed. An invalid
// section fails that plugin with the error naming the key.
//
// Start: in dependency order (descriptor `after`), then by name. A plugin
// whose start() fails or throws is `failed`, others continue. Routes may be
// registered only during start(). Stop: reverse order, exceptions caught.
//
// Thread-safety: load/start/stop from one thread; `plugins()` and the Host
// methods given to plugins are thread-safe.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/host.h"
#include "conflux/plugin.h"
#include "core/config/config.h"

namespace conflux::core {

// What the core lends to every plugin.
struct PluginServices {
  boost::asio::io_context* io = nullptr;
  Clock* clock = nullptr;
  HttpRoutes* routes = nullptr;
  HttpClient* http_client = nullptr;
  Metrics* metrics = nullptr;
  // Makes the logger for a scope such as "plugin:mqtt".
  std::function<std::unique_ptr<Logger>(std::string scope)> make_logger;
  // Capabilities for Host::find_interface, by (asking plugin, interface
  // name): per-plugin capabilities such as the KV namespace and the outbox
  // queues depend on who asks. May be empty.
  std::function<void*(std::string_view plugin, std::string_view name)> find_interface;
};

struct PluginInfo {
  std::string name;  // from describe(); the file stem when refused before it
  std::string file;
  std::string version;
  PluginKind kind = PluginKind::service;
  std::string description;
  std::vector<ConfigField> config;
  // loaded | starting | running | degraded | failed | stopped, or "disabled"
  // (skipped by config) reported as `enabled == false`.
  PluginState state = PluginState::loaded;
  bool enabled = true;
  std::string detail;  // why failed/degraded/disabled
};

class PluginHost {
 public:
  PluginHost(PluginServices services, const Config& config, Logger& logger);
  ~PluginHost();  // stops running plugins, destroys them, then unloads libraries
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Loads every plugin in `dir` (sorted by file name). A missing dir is logged
  // and loads nothing. Returns the number of plugins loaded.
  std::size_t load_directory(const std::filesystem::path& dir);
  // Loads one library; the error says why it was refused (also recorded).
  Status load_file(const std::filesystem::path& file);
  // Validates config and starts every loaded, enabled plugin.
  void start_all();
  // Stops started plugins in reverse start order.
  void stop_all();

  // A snapshot of every plugin seen, including refused ones.
  std::vector<PluginInfo> plugins() const;
  std::optional<PluginInfo> find(std::string_view name) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace conflux::core
