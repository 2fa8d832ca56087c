// core/runtime — /health and /metrics.
#include "core/runtime/health.h"

#include <chrono>
#include <string>

#include "core/runtime/version.h"

namespace conflux::core {

std::string health_document(const std::vector<PluginInfo>& plugins) {
  bool warn = false;
  std::string checks;
  for (const auto& p : plugins) {
    if (!p.enabled) continue;
    bool pass = p.state == PluginState::running;
    warn = warn || !pass;
    if (!checks.empty()) checks += ',';
    checks += "\"plugin:" + json_escape(p.name) + "\":[{\"status\":\"" + (pass ? "pass" : "warn") +
              "\",\"observedValue\":\"" + std::string(to_string(p.state)) + "\"";
    if (!p.detail.empty()) checks += ",\"output\":\"" + json_escape(p.detail) + "\"";
    checks += "}]";
  }
  return std::string("{\"status\":\"") + (warn ? "warn" : "pass") + "\",\"version\":\"" +
         std::string(kVersion) + "\",\"checks\":{" + checks + "}}";
}

Status add_operational_routes(HttpRoutes& routes, MetricsRegistry& metrics,
                              const PluginHost& plugins) {
  auto started = std::chrono::steady_clock::now();
  metrics.add_collector([started](MetricsRegistry& m) {
    m.gauge("process_resident_memory_bytes", "Resident memory size in bytes.")
        .set(process_resident_bytes());
    m.gauge("conflux_uptime_seconds", "Seconds since the process started.")
        .set(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    m.gauge("conflux_build_info", "Conflux version.", {{"version", std::string(kVersion)}}).set(1);
  });

  CONFLUX_RETURN_IF_ERROR(
      routes.add(HttpMethod::get, "/health", [&plugins](HttpRequest, HttpReply reply) {
        reply.send(HttpResponse::with_body(200, health_document(plugins.plugins()),
                                           "application/health+json"));
      }));
  CONFLUX_RETURN_IF_ERROR(
      routes.add(HttpMethod::get, "/metrics", [&metrics](HttpRequest, HttpReply reply) {
        reply.send(HttpResponse::with_body(200, metrics.render(),
                                           "text/plain; version=0.0.4; charset=utf-8"));
      }));
  return ok();
}

}  // namespace conflux::core
