// core/config (internal) — converting a TOML value to a typed ConfigValue.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <toml++/toml.h>

#include <string_view>

#include "conflux/config.h"
#include "conflux/status.h"

namespace conflux::core {

// "string", "integer", "float", "table", "array", ... for error messages.
std::string_view toml_type_name(toml::node_type type);

// Converts `node` to `type` (see ConfigType; a number is stored as double, a
// duration accepts a parse_duration string or integer seconds). A mismatch
// fails with invalid_argument "'<qualified_key>' must be a <type>, got <toml type>".
// Table lists need their entry schema: see table_list_from_toml (schema_check.h).
Result<ConfigValue> config_value_from_toml(const toml::node& node, ConfigType type,
                                           std::string_view qualified_key);

}  // namespace conflux::core
