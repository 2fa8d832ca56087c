// core/plugin_host — PluginContext, the conflux::Host one plugin receives: its
// scoped logger and validated config, the shared services, route
// registration open only while its start() runs, and set_state reported into
// the PluginStates table.
//
// Thread-safety: every Host method is thread-safe. open_routes/close_routes
// and begin_start/end are called by the plugin host's thread. The context
// outlives its plugin object.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "conflux/host.h"
#include "core/plugin_host/plugin_host.h"
#include "core/plugin_host/plugin_states.h"

namespace conflux::core {

// Forwards to the shared route table while open; refuses with
// failed_precondition otherwise.
class GatedRoutes final : public HttpRoutes {
 public:
  GatedRoutes(std::string plugin, HttpRoutes& target);
  Status add(HttpMethod method, std::string_view pattern, HttpHandler handler) noexcept override;
  Status add_with_options(HttpMethod method, std::string_view pattern, HttpRouteOptions options,
                          HttpHandler handler) noexcept override;
  void set_open(bool open) noexcept { open_.store(open); }

 private:
  std::string plugin_;
  HttpRoutes& target_;
  std::atomic<bool> open_{false};
};

class PluginContext final : public Host {
 public:
  // `services` must have every pointer set and outlive the context, as must
  // `states`.
  PluginContext(std::string name, std::size_t index, const PluginServices& services,
                std::unique_ptr<Logger> logger, ConfigSection config, PluginStates& states);

  Logger& logger() noexcept override { return *logger_; }
  const ConfigSection& config() const noexcept override { return config_; }
  boost::asio::io_context& io() noexcept override { return *services_.io; }
  Clock& clock() noexcept override { return *services_.clock; }
  HttpRoutes& routes() noexcept override { return routes_; }
  HttpClient& http_client() noexcept override { return *services_.http_client; }
  Metrics& metrics() noexcept override { return *services_.metrics; }
  void set_state(PluginState state, std::string_view detail) noexcept override;
  void* find_interface(std::string_view name) noexcept override;

  // Around start(): opens routes and starts accepting set_state.
  void begin_start() noexcept;
  // After start() returned: closes routes. True when the plugin reported a
  // state itself during start().
  bool end_start() noexcept;
  // After stop() (or a failed start): later set_state calls are ignored.
  void retire() noexcept { active_.store(false); }

 private:
  std::string name_;
  std::size_t index_;
  const PluginServices& services_;
  std::unique_ptr<Logger> logger_;
  ConfigSection config_;
  PluginStates& states_;
  GatedRoutes routes_;
  std::atomic<bool> active_{false};
  std::atomic<bool> reported_{false};
};

}  // namespace conflux::core
