// core/plugin_host — resolving one plugin's `[plugins.<name>]` section: the
// plugin's schema plus the host key `enabled`, environment prefixes
// PLUGINS_<NAME> and <NAME>, and the decision run / skip / fail.
//
// Thread-safety: pure functions over an immutable Config; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "conflux/config.h"
#include "conflux/plugin.h"
#include "core/config/config.h"

namespace conflux::core {

enum class PluginConfigOutcome {
  run,       // section valid and enabled
  disabled,  // enabled = false, or absent section with a required key unset
  failed,    // invalid section (unknown key, wrong type, bad env value, ...)
};

struct PluginConfig {
  PluginConfigOutcome outcome = PluginConfigOutcome::failed;
  ConfigSection section;  // valid when outcome == run
  std::string detail;     // why disabled or failed
};

// {"PLUGINS_<NAME>", "<NAME>"}: NAME upper-cased, '-' becomes '_'.
std::vector<std::string> plugin_env_prefixes(std::string_view name);

// The plugin's schema plus `enabled` (boolean, default true) unless the plugin
// declares that key itself.
std::vector<ConfigField> plugin_schema(const PluginDescriptor& descriptor);

// Validates the plugin's section and decides whether it runs. Details:
//   disabled: "disabled by config" or "not configured: <key> is required";
//   failed:   the Config error text, or "plugins.<name>.<key> is required ..."
//             when the section exists but a required key has no value.
PluginConfig resolve_plugin_config(const Config& config, const PluginDescriptor& descriptor);

}  // namespace conflux::core
