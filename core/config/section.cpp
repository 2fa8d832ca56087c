// core/config — Config::section: validate one table against a schema, apply
// CONFLUX_* environment overrides, fill defaults, enforce required keys.
//
// Thread-safety: const and pure over an immutable Config; thread-safe.
#include <string>

#include "core/config/config.h"
#include "core/config/config_impl.h"
#include "core/config/env_value.h"
#include "core/config/schema_check.h"

namespace conflux::core {

Result<ConfigSection> Config::section(std::string_view path, std::span<const ConfigField> schema,
                                      std::span<const std::string> env_prefixes,
                                      bool allow_subtables) const {
  CONFLUX_ASSIGN_OR_RETURN(const toml::table* table, impl_->table_at(path));
  ConfigValues values;
  if (table != nullptr) {
    CONFLUX_ASSIGN_OR_RETURN(
        values, values_from_table(*table, path, schema, impl_->source, allow_subtables));
  }

  for (const ConfigField& field : schema) {
    for (const std::string& prefix : env_prefixes) {
      std::string variable = env_variable_name(prefix, field.key);
      auto it = impl_->env.find(variable);
      if (it == impl_->env.end()) continue;
      auto value = field.type == ConfigType::table_list
                       ? table_list_from_env(variable, it->second, field, qualify(path, field.key))
                       : parse_env_value(variable, it->second, field.type);
      if (!value) return std::unexpected(value.error());
      values.insert_or_assign(field.key, std::move(*value));
      break;
    }
  }

  CONFLUX_RETURN_IF_ERROR(fill_defaults(
      values, path, schema, env_prefixes.empty() ? std::string_view() : env_prefixes.front(), {}));
  return ConfigSection(std::string(path), std::move(values));
}

}  // namespace conflux::core
