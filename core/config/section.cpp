// core/config — Config::section: validate one table against a schema, apply
// CONFLUX_* environment overrides, fill defaults, enforce required keys.
//
// Thread-safety: const and pure over an immutable Config; thread-safe.
#include <string>
#include <vector>

#include "core/config/config.h"
#include "core/config/config_impl.h"
#include "core/config/env_value.h"
#include "core/config/suggest.h"
#include "core/config/toml_value.h"

namespace conflux::core {
namespace {

const ConfigField* find_field(std::span<const ConfigField> schema, std::string_view key) {
  for (const ConfigField& field : schema) {
    if (field.key == key) return &field;
  }
  return nullptr;
}

std::string qualify(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return std::string(path) + "." + std::string(key);
}

// " at conflux.toml:3:1" for a value read from a document, "" otherwise.
std::string location(const toml::source_region& region, const std::string& source) {
  if (region.begin.line == 0) return {};
  return " at " + source + ":" + std::to_string(region.begin.line) + ":" +
         std::to_string(region.begin.column);
}

std::unexpected<Error> unknown_key(std::string_view path, std::string_view key,
                                   std::span<const ConfigField> schema, std::string where) {
  std::vector<std::string_view> known;
  known.reserve(schema.size());
  for (const ConfigField& field : schema) known.push_back(field.key);
  std::string message = "unknown key '" + qualify(path, key) + "'";
  if (std::string suggestion = closest_match(key, known); !suggestion.empty()) {
    message += " (did you mean '" + qualify(path, suggestion) + "'?)";
  }
  return fail(ErrorCode::invalid_argument, message + where);
}

bool holds_type(const ConfigValue& value, ConfigType type) {
  switch (type) {
    case ConfigType::string:
      return std::holds_alternative<std::string>(value);
    case ConfigType::integer:
      return std::holds_alternative<std::int64_t>(value);
    case ConfigType::number:
      return std::holds_alternative<double>(value) || std::holds_alternative<std::int64_t>(value);
    case ConfigType::boolean:
      return std::holds_alternative<bool>(value);
    case ConfigType::duration:
      return std::holds_alternative<std::chrono::milliseconds>(value);
    case ConfigType::string_list:
      return std::holds_alternative<std::vector<std::string>>(value);
  }
  return false;
}

// The schema default, checked against the declared type (a number default
// given as an integer becomes a double, like a number read from TOML).
Result<ConfigValue> checked_default(const ConfigField& field, std::string_view path) {
  if (!holds_type(field.default_value, field.type)) {
    return fail(ErrorCode::internal, "the default value of '" + qualify(path, field.key) +
                                         "' is not a " + std::string(to_string(field.type)));
  }
  if (const auto* integer = std::get_if<std::int64_t>(&field.default_value);
      integer != nullptr && field.type == ConfigType::number) {
    return ConfigValue(static_cast<double>(*integer));
  }
  return field.default_value;
}

}  // namespace

Result<ConfigSection> Config::section(std::string_view path, std::span<const ConfigField> schema,
                                      std::span<const std::string> env_prefixes,
                                      bool allow_subtables) const {
  CONFLUX_ASSIGN_OR_RETURN(const toml::table* table, impl_->table_at(path));
  std::map<std::string, ConfigValue, std::less<>> values;

  if (table != nullptr) {
    for (const auto& [key, node] : *table) {
      const ConfigField* field = find_field(schema, key.str());
      if (field == nullptr && allow_subtables && node.is_table()) continue;
      if (field == nullptr) {
        return unknown_key(path, key.str(), schema, location(key.source(), impl_->source));
      }
      auto value = config_value_from_toml(node, field->type, qualify(path, field->key));
      if (!value) {
        return fail(ErrorCode::invalid_argument,
                    value.error().message + location(node.source(), impl_->source));
      }
      values.insert_or_assign(field->key, std::move(*value));
    }
  }

  for (const ConfigField& field : schema) {
    for (const std::string& prefix : env_prefixes) {
      std::string variable = env_variable_name(prefix, field.key);
      auto it = impl_->env.find(variable);
      if (it == impl_->env.end()) continue;
      CONFLUX_ASSIGN_OR_RETURN(ConfigValue value,
                               parse_env_value(variable, it->second, field.type));
      values.insert_or_assign(field.key, std::move(value));
      break;
    }
  }

  for (const ConfigField& field : schema) {
    if (values.contains(field.key)) continue;
    if (!std::holds_alternative<std::monostate>(field.default_value)) {
      CONFLUX_ASSIGN_OR_RETURN(ConfigValue value, checked_default(field, path));
      values.emplace(field.key, std::move(value));
    } else if (field.required) {
      std::string message = "missing required key '" + qualify(path, field.key) + "'";
      if (!env_prefixes.empty()) {
        message += " (set it in the config file or with " +
                   env_variable_name(env_prefixes.front(), field.key) + ")";
      }
      return fail(ErrorCode::invalid_argument, std::move(message));
    }
  }

  return ConfigSection(std::string(path), std::move(values));
}

}  // namespace conflux::core
