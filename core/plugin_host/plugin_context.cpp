// core/plugin_host — PluginContext and GatedRoutes.
//
// Thread-safety: see plugin_context.h.
#include "core/plugin_host/plugin_context.h"

#include <utility>

namespace conflux::core {

GatedRoutes::GatedRoutes(std::string plugin, HttpRoutes& target)
    : plugin_(std::move(plugin)), target_(target) {}

Status GatedRoutes::add(HttpMethod method, std::string_view pattern, HttpHandler handler) noexcept {
  if (!open_.load()) {
    try {
      return fail(ErrorCode::failed_precondition,
                  "plugin " + plugin_ + ": routes may be registered only during start() (" +
                      std::string(to_string(method)) + " " + std::string(pattern) + ")");
    } catch (...) {
      return std::unexpected(Error{ErrorCode::failed_precondition, {}});
    }
  }
  return target_.add(method, pattern, std::move(handler));
}

Status GatedRoutes::add_with_options(HttpMethod method, std::string_view pattern,
                                     HttpRouteOptions options, HttpHandler handler) noexcept {
  if (!open_.load())
    return add(method, pattern, std::move(handler));  // refused with the same message
  return target_.add_with_options(method, pattern, options, std::move(handler));
}

PluginContext::PluginContext(std::string name, std::size_t index, const PluginServices& services,
                             std::unique_ptr<Logger> logger, ConfigSection config,
                             PluginStates& states)
    : name_(std::move(name)),
      index_(index),
      services_(services),
      logger_(std::move(logger)),
      config_(std::move(config)),
      states_(states),
      routes_(name_, *services.routes) {}

void PluginContext::set_state(PluginState state, std::string_view detail) noexcept {
  if (!active_.load()) return;
  reported_.store(true);
  try {
    states_.set_state(index_, state, detail);
  } catch (...) {
    // Out of memory while recording a state: the previous state stays.
  }
}

void* PluginContext::find_interface(std::string_view name) noexcept {
  if (!services_.find_interface) return nullptr;
  try {
    return services_.find_interface(name_, name);
  } catch (...) {
    return nullptr;
  }
}

void PluginContext::begin_start() noexcept {
  reported_.store(false);
  active_.store(true);
  routes_.set_open(true);
}

bool PluginContext::end_start() noexcept {
  routes_.set_open(false);
  return reported_.load();
}

}  // namespace conflux::core
