// core/config — owns reading conflux.toml, the CONFLUX_* environment
// overrides, and validating a section against a schema (core sections and
// plugin sections alike).
//
// Thread-safety: a loaded Config is immutable; const methods are thread-safe.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/config.h"
#include "conflux/status.h"

namespace conflux::core {

// Environment variables, name -> value.
using Environment = std::map<std::string, std::string, std::less<>>;

// The CONFLUX_* variables of this process.
Environment process_environment();

// Parses "250ms", "10s", "5m", "1h", "2d" (also "1h30m"); a bare integer is
// seconds. Fails with invalid_argument naming the input.
Result<std::chrono::milliseconds> parse_duration(std::string_view text);

class Config {
 public:
  // Reads and parses a TOML file. Syntax errors name the file, line and column.
  static Result<Config> load_file(const std::filesystem::path& file, Environment env);
  // Parses TOML text; `source` names it in errors.
  static Result<Config> parse(std::string_view toml, std::string source, Environment env);
  // No file: embedded defaults, environment overrides still apply.
  static Config defaults(Environment env);

  Config(Config&&) noexcept;
  Config& operator=(Config&&) noexcept;
  ~Config();

  // Validates the table at dotted `path` ("http", "plugins.mqtt"; absent = empty)
  // against `schema`: an unknown key or a wrong type fails with
  // invalid_argument naming `<path>.<key>` and the expected type. Then applies
  // environment overrides: for each key, the first set variable among
  // `CONFLUX_<PREFIX>_<KEY>` for each prefix in `env_prefixes` (upper-cased,
  // e.g. {"HTTP"} or {"PLUGINS_MQTT", "MQTT"}), parsed as the key's type (bad
  // value: error naming the variable). Then fills defaults; a required key
  // without a value fails naming it. With `allow_subtables`, table-valued
  // keys are skipped instead of refused (the [plugins] section holds the
  // [plugins.<name>] tables, validated separately).
  Result<ConfigSection> section(std::string_view path, std::span<const ConfigField> schema,
                                std::span<const std::string> env_prefixes,
                                bool allow_subtables = false) const;

  // True when the file has a table at dotted `path`.
  bool has_table(std::string_view path) const;
  // Names of the [plugins.<name>] tables in the file.
  std::vector<std::string> plugin_sections() const;
  // Fails naming the first top-level key that is not in `known`.
  Status check_top_level(std::span<const std::string_view> known) const;
  // Where the config came from ("(defaults)" or the file path).
  const std::string& source() const noexcept;

 private:
  struct Impl;
  explicit Config(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace conflux::core
