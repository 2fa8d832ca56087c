// core/runtime — owns the process: configuration, logging, the io_context and
// its threads, the core services (clock, metrics, HTTP server and client,
// storage and the message pipeline — see services.h), the plugin host, the
// operational routes (/health, /metrics), signal handling and the graceful
// stop.
//
// Start order: storage (LMDB env, stores, pipeline, retention) → io threads →
// core routes → plugins (dependency order; they register routes) → route
// table frozen → listener. Stop order (SIGINT, SIGTERM or request_stop):
// listener stops accepting and in-flight requests complete (bounded by
// runtime.shutdown_timeout) → plugins stop in reverse order → pipeline drains
// (every accepted message committed or answered) → storage closes → outbound
// HTTP cancelled → io threads joined.
//
// Thread-safety: create/start/wait/stop from the main thread; request_stop
// from any thread (signal handlers use it).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "conflux/status.h"
#include "core/config/config.h"
#include "core/runtime/settings.h"

namespace conflux::core {

class PluginHost;
class Services;

struct RuntimeOptions {
  std::optional<std::filesystem::path> config_file;  // none: embedded defaults
  Environment environment;                           // CONFLUX_* overrides
};

class Runtime {
 public:
  // Loads and validates the configuration and sets up logging. Fails on any
  // configuration error (the message names the file, line or key).
  static Result<std::unique_ptr<Runtime>> create(RuntimeOptions options);
  ~Runtime();

  // Opens storage, starts threads, plugins and the listener. Fails when the
  // storage cannot be opened (the message names storage.path and the reason)
  // or the listener cannot bind; a failing plugin does not fail the start.
  Status start();
  // Blocks until a stop is requested (signal or request_stop).
  void wait();
  // Performs the graceful stop; idempotent.
  void stop();
  // Asks the runtime to stop; returns at once. Thread-safe.
  void request_stop() noexcept;

  // The bound listener address (after start), e.g. "127.0.0.1:8080".
  std::string http_endpoint() const;
  const Settings& settings() const noexcept;
  PluginHost& plugins() noexcept;
  // Storage and the pipeline; null before start() and after stop().
  Services* services() noexcept;

 private:
  struct Impl;
  explicit Runtime(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace conflux::core
