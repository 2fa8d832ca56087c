// conflux/plugin.h — the interface every plugin implements, and the macro that
// exports it.
//
// A plugin is a shared library with one class deriving from `conflux::Plugin`
// and one `CONFLUX_PLUGIN(MyPlugin)` line. The host:
//   1. reads the exported ABI record and refuses a mismatch (see abi.h);
//   2. calls the factory and `describe()`;
//   3. validates the `[plugins.<name>]` config section against the schema;
//   4. calls `start(host)`; routes may be registered only here;
//   5. calls `stop()` at shutdown, in reverse start order.
//
// Boundary rules: return Status, never throw. The host still catches an
// exception escaping `start()` or `stop()` (it marks the plugin failed and
// keeps running), which is why these methods are not declared noexcept.
//
// Thread-safety: describe/start/stop are called from one thread, in order.
#pragma once

#include <boost/config.hpp>
#include <boost/dll/alias.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/abi.h"
#include "conflux/config.h"
#include "conflux/status.h"

namespace conflux {

class Host;

enum class PluginKind { protocol, sink, service };

constexpr std::string_view to_string(PluginKind kind) noexcept {
  switch (kind) {
    case PluginKind::protocol:
      return "protocol";
    case PluginKind::sink:
      return "sink";
    case PluginKind::service:
      return "service";
  }
  return "unknown";
}

struct PluginDescriptor {
  std::string name;     // lower-case identifier, unique, e.g. "mqtt"
  std::string version;  // the plugin's own version, e.g. "1.2.0"
  PluginKind kind = PluginKind::service;
  std::string description;          // one line for `conflux plugins list`
  std::vector<ConfigField> config;  // the schema of [plugins.<name>]
  // Plugins that must start before this one when they are present (e.g. a
  // sink that needs "rest"). Start order is topological, then by name.
  std::vector<std::string> after;
};

class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual PluginDescriptor describe() const = 0;
  // Starts the plugin. Must return promptly: long work (connecting to a broker)
  // belongs on the io_context with retries; report progress via
  // Host::set_state. An error marks the plugin failed; others keep running.
  virtual Status start(Host& host) = 0;
  // Stops the plugin: cancel timers, close connections. Called once, only
  // after a successful start.
  virtual void stop() = 0;
};

using PluginFactory = std::unique_ptr<Plugin>();

}  // namespace conflux

// Exports `Class` (default-constructible, derived from conflux::Plugin) as this
// library's plugin, with the ABI record the host checks first.
#define CONFLUX_PLUGIN(Class)                                                              \
  namespace conflux_plugin_entry_ {                                                        \
  const ::conflux::PluginAbi* abi() noexcept {                                             \
    static const ::conflux::PluginAbi record{CONFLUX_SDK_ABI_MAJOR, CONFLUX_SDK_ABI_MINOR, \
                                             CONFLUX_BUILD_KEY};                           \
    return &record;                                                                        \
  }                                                                                        \
  std::unique_ptr<::conflux::Plugin> create() { return std::make_unique<Class>(); }        \
  }                                                                                        \
  BOOST_DLL_ALIAS(conflux_plugin_entry_::abi, conflux_plugin_abi)                          \
  BOOST_DLL_ALIAS(conflux_plugin_entry_::create, conflux_plugin_create)
