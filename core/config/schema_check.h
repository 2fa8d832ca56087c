// core/config (internal) — validating one TOML table against a schema: the
// shared step of Config::section and of every table-list entry.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <toml++/toml.h>

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "conflux/config.h"
#include "conflux/status.h"

namespace conflux::core {

using ConfigValues = std::map<std::string, ConfigValue, std::less<>>;

// "<path>.<key>" ("<key>" when `path` is empty).
std::string qualify(std::string_view path, std::string_view key);

// " at <source>:<line>:<column>" for a node read from a document, "" for one
// built in memory (environment values).
std::string location(const toml::source_region& region, const std::string& source);

// The typed values of `table` (named `path` in errors): an unknown key fails
// with a "did you mean" suggestion, a wrong type names `<path>.<key>` and the
// expected type; table lists are validated entry by entry. With
// `allow_subtables`, table-valued keys the schema does not declare are
// skipped. Every error ends with the location in `source`.
Result<ConfigValues> values_from_table(const toml::table& table, std::string_view path,
                                       std::span<const ConfigField> schema,
                                       const std::string& source, bool allow_subtables);

// Adds the schema defaults of the keys `values` lacks; a required key without
// a value fails with "missing required key '<path>.<key>'", then, when
// `env_prefix` is set, "(set it in the config file or with
// CONFLUX_<PREFIX>_<KEY>)", then `where`.
Status fill_defaults(ConfigValues& values, std::string_view path,
                     std::span<const ConfigField> schema, std::string_view env_prefix,
                     std::string_view where);

// A table list: `node` must be an array of tables; entry i is validated
// against `field.fields` (values_from_table, then fill_defaults) and becomes
// a ConfigSection named "<qualified_key>[i]".
Result<ConfigValue> table_list_from_toml(const toml::node& node, const ConfigField& field,
                                         std::string_view qualified_key, const std::string& source);

}  // namespace conflux::core
