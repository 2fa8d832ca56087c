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
// A bad value fails with invalid_argument naming the variable and the type.
Result<ConfigValue> parse_env_value(std::string_view variable, std::string_view text,
                                    ConfigType type);

}  // namespace conflux::core
