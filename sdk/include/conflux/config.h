// conflux/config.h — configuration schema and a validated config section.
//
// A plugin declares its keys in `PluginDescriptor::config` (key, type, default,
// description). Before `start()`, the host reads the plugin's TOML section
// `[plugins.<name>]` and the environment overrides `CONFLUX_<NAME>_<KEY>`,
// rejects unknown keys and wrong types with an error naming the key, fills in
// defaults, and hands the plugin a `ConfigSection` in which every declared key
// has a value of its declared type.
//
// A `table_list` key is a TOML array of tables (`[[plugins.<name>.<key>]]`
// entries). The field declares the keys of one entry in `fields`; the host
// validates every entry like a section (unknown keys, types, defaults,
// required keys; errors name `<section>.<key>[<index>].<entry key>`, index
// from 0) and the plugin reads them with `get_tables`, one ConfigSection per
// entry. In the environment a table list is a JSON array of objects.
//
// Thread-safety: immutable after the host builds it; safe to read anywhere.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace conflux {

enum class ConfigType {
  string,       // TOML string
  integer,      // TOML integer
  number,       // TOML float or integer
  boolean,      // TOML boolean
  duration,     // TOML string "250ms", "10s", "5m", "1h", "2d"; or integer seconds
  string_list,  // TOML array of strings
  table_list,   // TOML array of tables ([[section.key]]); entries declared in ConfigField::fields
};

constexpr std::string_view to_string(ConfigType type) noexcept {
  switch (type) {
    case ConfigType::string:
      return "string";
    case ConfigType::integer:
      return "integer";
    case ConfigType::number:
      return "number";
    case ConfigType::boolean:
      return "boolean";
    case ConfigType::duration:
      return "duration";
    case ConfigType::string_list:
      return "string list";
    case ConfigType::table_list:
      return "table list";
  }
  return "unknown";
}

class ConfigSection;

// A configuration value. monostate means "no value" (a key without default).
// A table list holds one ConfigSection per entry.
using ConfigValue =
    std::variant<std::monostate, std::string, std::int64_t, double, bool, std::chrono::milliseconds,
                 std::vector<std::string>, std::vector<ConfigSection>>;

// The validated configuration of one plugin (or one core section).
class ConfigSection {
 public:
  ConfigSection() = default;
  ConfigSection(std::string name, std::map<std::string, ConfigValue, std::less<>> values)
      : name_(std::move(name)), values_(std::move(values)) {}

  // The section name, e.g. "plugins.mqtt" or "http".
  const std::string& name() const noexcept { return name_; }
  // True when `key` has a value.
  bool has(std::string_view key) const noexcept {
    auto it = values_.find(key);
    return it != values_.end() && !std::holds_alternative<std::monostate>(it->second);
  }
  // Typed getters: the value of a declared key, or `fallback` when the key has
  // no value of that type (which cannot happen for declared keys after
  // validation).
  std::string get_string(std::string_view key, std::string fallback = {}) const {
    return get<std::string>(key, std::move(fallback));
  }
  std::int64_t get_int(std::string_view key, std::int64_t fallback = 0) const {
    return get<std::int64_t>(key, fallback);
  }
  double get_number(std::string_view key, double fallback = 0) const {
    if (auto* i = find<std::int64_t>(key)) return static_cast<double>(*i);
    return get<double>(key, fallback);
  }
  bool get_bool(std::string_view key, bool fallback = false) const {
    return get<bool>(key, fallback);
  }
  std::chrono::milliseconds get_duration(std::string_view key,
                                         std::chrono::milliseconds fallback = {}) const {
    return get<std::chrono::milliseconds>(key, fallback);
  }
  std::vector<std::string> get_strings(std::string_view key) const {
    return get<std::vector<std::string>>(key, {});
  }
  // The entries of a table list, in file order; each is named
  // "<section>.<key>[<index>]" and holds the entry's validated keys.
  std::vector<ConfigSection> get_tables(std::string_view key) const {
    return get<std::vector<ConfigSection>>(key, {});
  }
  const std::map<std::string, ConfigValue, std::less<>>& values() const noexcept { return values_; }

 private:
  template <class T>
  const T* find(std::string_view key) const noexcept {
    auto it = values_.find(key);
    return it == values_.end() ? nullptr : std::get_if<T>(&it->second);
  }
  template <class T>
  T get(std::string_view key, T fallback) const {
    const T* v = find<T>(key);
    return v ? *v : std::move(fallback);
  }

  std::string name_;
  std::map<std::string, ConfigValue, std::less<>> values_;
};

// One declared key.
struct ConfigField {
  std::string key;  // lower_snake_case
  ConfigType type = ConfigType::string;
  ConfigValue default_value;  // monostate: no default
  std::string description;
  bool required = false;  // true: the host refuses to start without a value
  bool secret = false;    // true: never printed (describe, logs)
  // table_list only: the keys of one entry (validated like a section's).
  std::vector<ConfigField> fields;
};

}  // namespace conflux
