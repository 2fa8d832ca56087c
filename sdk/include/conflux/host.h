// conflux/host.h — what the core offers a running plugin.
//
// The Host outlives the plugin's start..stop window; every reference it returns
// stays valid until `stop()` returns. Capabilities added later are appended to
// this interface (minor ABI bump) or published as separate interfaces found by
// name with `find<Interface>()`.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <string_view>

#include "conflux/clock.h"
#include "conflux/config.h"
#include "conflux/http.h"
#include "conflux/http_client.h"
#include "conflux/log.h"
#include "conflux/metrics.h"

namespace boost::asio {
class io_context;
}

namespace conflux {

// The lifecycle state a plugin reports; shown in /health and /metrics.
enum class PluginState {
  loaded,    // loaded and configured, not started
  starting,  // start() running, or waiting for its first connection
  running,   // fully working
  degraded,  // running, but an external component is unreachable (retrying)
  failed,    // refused at load, or start() failed; not running
  stopped,   // stop() has run
};

constexpr std::string_view to_string(PluginState s) noexcept {
  switch (s) {
    case PluginState::loaded:
      return "loaded";
    case PluginState::starting:
      return "starting";
    case PluginState::running:
      return "running";
    case PluginState::degraded:
      return "degraded";
    case PluginState::failed:
      return "failed";
    case PluginState::stopped:
      return "stopped";
  }
  return "unknown";
}

class Host {
 public:
  virtual ~Host() = default;

  // The logger scoped to this plugin ("[plugin:<name>]").
  virtual Logger& logger() noexcept = 0;
  // This plugin's validated config section (every declared key has a value).
  virtual const ConfigSection& config() const noexcept = 0;
  // The shared io_context, run by the runtime's threads.
  virtual boost::asio::io_context& io() noexcept = 0;
  virtual Clock& clock() noexcept = 0;
  virtual HttpRoutes& routes() noexcept = 0;
  virtual HttpClient& http_client() noexcept = 0;
  virtual Metrics& metrics() noexcept = 0;
  // Reports this plugin's state with a human-readable detail ("" for none).
  // After a successful start() the state is `running` unless the plugin has
  // set another one.
  virtual void set_state(PluginState state, std::string_view detail) noexcept = 0;
  // A capability published under `name`, or nullptr.
  virtual void* find_interface(std::string_view name) noexcept = 0;

  // Typed lookup: `I` declares `static constexpr std::string_view kInterfaceName`.
  template <class I>
  I* find() noexcept {
    return static_cast<I*>(find_interface(I::kInterfaceName));
  }
};

}  // namespace conflux
