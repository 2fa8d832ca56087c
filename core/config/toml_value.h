// core/config (internal) — converting a TOML value to a typed ConfigValue.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <toml++/toml.h>

#include <string_view>

#include "conflux/config.h"
#include "conflux/status.h"

namespace conflux::core {

// Converts `node` to `type` (see ConfigType; a number is stored as double, a
// duration accepts a parse_duration string or integer seconds). A mismatch
// fails with invalid_argument "'<qualified_key>' must be a <type>, got <toml type>".
Result<ConfigValue> config_value_from_toml(const toml::node& node, ConfigType type,
                                           std::string_view qualified_key);

}  // namespace conflux::core
