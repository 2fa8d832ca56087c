// core/plugin_host — resolve_plugin_config and its helpers.
//
// Required keys are checked here rather than by Config::section so that an
// unset required key can be told apart from an invalid section: the section
// is validated with `required` cleared, then the required keys without a
// value decide between "not configured" (no section in the file) and failed.
//
// Thread-safety: see plugin_config.h.
#include "core/plugin_host/plugin_config.h"

#include <algorithm>
#include <cctype>

namespace conflux::core {
namespace {

constexpr std::string_view kEnabledKey = "enabled";

std::string upper_env_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    out.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

std::vector<std::string> plugin_env_prefixes(std::string_view name) {
  std::string upper = upper_env_name(name);
  return {"PLUGINS_" + upper, upper};
}

std::vector<ConfigField> plugin_schema(const PluginDescriptor& descriptor) {
  std::vector<ConfigField> schema = descriptor.config;
  bool declared = std::ranges::any_of(
      schema, [](const ConfigField& field) { return field.key == kEnabledKey; });
  if (!declared) {
    schema.push_back(ConfigField{
        .key = std::string(kEnabledKey),
        .type = ConfigType::boolean,
        .default_value = true,
        .description = "Load and start this plugin",
    });
  }
  return schema;
}

PluginConfig resolve_plugin_config(const Config& config, const PluginDescriptor& descriptor) {
  const std::string path = "plugins." + descriptor.name;
  std::vector<ConfigField> schema = plugin_schema(descriptor);
  std::vector<std::string> required;
  for (auto& field : schema) {
    if (field.required) required.push_back(field.key);
    field.required = false;
  }

  auto section = config.section(path, schema, plugin_env_prefixes(descriptor.name));
  if (!section) return {PluginConfigOutcome::failed, {}, section.error().message};
  if (!section->get_bool(kEnabledKey, true)) {
    return {PluginConfigOutcome::disabled, {}, "disabled by config"};
  }
  for (const auto& key : required) {
    if (section->has(key)) continue;
    if (!config.has_table(path)) {
      return {PluginConfigOutcome::disabled, {}, "not configured: " + key + " is required"};
    }
    return {PluginConfigOutcome::failed,
            {},
            path + "." + key + " is required but has no value (set it in [" + path +
                "] or CONFLUX_" + plugin_env_prefixes(descriptor.name).front() + "_" +
                upper_env_name(key) + ")"};
  }
  return {PluginConfigOutcome::run, std::move(*section), {}};
}

}  // namespace conflux::core
