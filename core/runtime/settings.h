// core/runtime — Settings: the core's own configuration sections, their
// schema (the single source for validation, env overrides and docs) and the
// typed values the runtime uses.
//
// Thread-safety: plain values.
#pragma once

#include <chrono>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "conflux/config.h"
#include "conflux/log.h"
#include "core/config/config.h"
#include "core/http/server.h"
#include "core/log/logging.h"

namespace conflux::core {

// One core section and its keys.
struct CoreSection {
  std::string_view name;
  std::span<const ConfigField> fields;
};

// Every core section: runtime, http, storage, pipeline, log, admin, auth,
// plugins.
std::span<const CoreSection> core_sections();

struct StorageSettings {
  std::size_t map_size = std::size_t{256} << 20;
  std::size_t max_map_size = 0;  // 0 = unlimited
  std::chrono::milliseconds commit_interval{0};
  std::size_t commit_batch = 4096;
  bool sync = true;
  std::chrono::milliseconds retention_max_age{0};  // 0 = forever
  std::uint64_t retention_max_size = 0;            // bytes; 0 = unlimited
};

struct Settings {
  unsigned threads = 1;
  std::chrono::milliseconds shutdown_timeout{10000};
  HttpServerOptions http;
  std::filesystem::path storage_path;
  StorageSettings storage;
  std::size_t pipeline_queue_size = 10000;
  unsigned pipeline_workers = 1;
  LogLevel log_level = LogLevel::info;
  LogFormat log_format = LogFormat::text;
  std::string admin_email;
  std::string admin_password;
  std::string auth_secret;
  std::chrono::milliseconds token_ttl{std::chrono::hours(10)};
  std::chrono::milliseconds invite_ttl{std::chrono::hours(24 * 7)};
  bool self_register = false;
  std::filesystem::path plugins_dir;
};

// Validates every core section (and rejects unknown top-level sections) and
// returns the typed settings. Errors name the key.
Result<Settings> load_settings(const Config& config);

// The default plugins directory: `plugins/` beside the running executable.
std::filesystem::path default_plugins_dir();

}  // namespace conflux::core
