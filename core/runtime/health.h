// core/runtime — the operational routes: GET /health (health+json with one
// check per plugin) and GET /metrics (Prometheus text).
//
// Thread-safety: handlers run on io threads; they read thread-safe snapshots.
#pragma once

#include "conflux/http.h"
#include "core/metrics/registry.h"
#include "core/plugin_host/plugin_host.h"

namespace conflux::core {

// The /health document: status "pass" when every enabled plugin is running,
// "warn" when one is starting, degraded or failed; always HTTP 200 while the
// process serves.
std::string health_document(const std::vector<PluginInfo>& plugins);

// Registers /health and /metrics on `routes`. The metrics registry gets
// collectors for RSS, uptime, build info and plugin states.
Status add_operational_routes(HttpRoutes& routes, MetricsRegistry& metrics,
                              const PluginHost& plugins);

}  // namespace conflux::core
