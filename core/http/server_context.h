// core/http — ServerContext: what every session of one server shares.
//
// Private to core/http. Held by shared_ptr by the server and by each of its
// sessions, so a session that outlives the HttpServer object still finds its
// options, metrics cache and registry (the Router, Logger and Metrics
// referenced here must outlive the io_context's threads).
//
// Thread-safety: the members are immutable or thread-safe themselves.
#pragma once

#include <utility>

#include "conflux/log.h"
#include "conflux/metrics.h"
#include "core/http/connection_registry.h"
#include "core/http/request_metrics.h"
#include "core/http/router.h"
#include "core/http/server.h"

namespace conflux::core {

struct ServerContext {
  ServerContext(const Router& r, Metrics& m, Logger& l, HttpServerOptions o)
      : router(r), logger(l), options(std::move(o)), metrics(m) {}

  const Router& router;
  Logger& logger;
  const HttpServerOptions options;
  RequestMetrics metrics;
  ConnectionRegistry connections;
};

}  // namespace conflux::core
