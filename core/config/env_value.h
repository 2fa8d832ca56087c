// core/config (internal) — CONFLUX_* environment overrides: variable names
// and parsing a variable's text as a configuration type.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "conflux/config.h"
#include "conflux/status.h"

namespace conflux::core {

// "CONFLUX_<PREFIX>_<KEY>", upper-cased; any character that is not a letter
// or digit becomes '_' ("plugins.my-mqtt" -> "PLUGINS_MY_MQTT").
std::string env_variable_name(std::string_view prefix, std::string_view key);

// Parses the value of environment variable `variable` as `type`:
//   string       verbatim
//   integer      a whole signed 64-bit decimal number, nothing else
//   number       a finite decimal floating-point number
//   boolean      true/false, 1/0, yes/no, on/off (any case)
//   duration     parse_duration
//   string_list  comma-separated, items trimmed, empty items dropped; "" is []
//   table_list   not here: table_list_from_env
// A bad value fails with invalid_argument naming the variable and the type.
Result<ConfigValue> parse_env_value(std::string_view variable, std::string_view text,
                                    ConfigType type);

// A table list from the environment: a JSON array of objects, e.g.
// `[{"topic":"tele/+/SENSOR","thing":2}]` ("" is []). Each object is an entry
// validated against `field.fields` exactly like a [[table]] of the file
// (JSON strings, integers, floats, booleans, arrays and objects map to the
// TOML types; null is refused). It replaces the file's entries. Errors name
// the variable, and the entry as `<qualified_key>[<index>].<key>`.
Result<ConfigValue> table_list_from_env(std::string_view variable, std::string_view text,
                                        const ConfigField& field, std::string_view qualified_key);

}  // namespace conflux::core
