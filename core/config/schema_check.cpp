// core/config (internal) — schema validation of one table, defaults and
// required keys, and table lists (arrays of tables validated per entry).
//
// Thread-safety: pure functions; safe from any thread.
#include "core/config/schema_check.h"

#include <vector>

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
    case ConfigType::table_list:
      return std::holds_alternative<std::vector<ConfigSection>>(value);
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

std::unexpected<Error> not_a_table_list(std::string_view qualified_key, std::string detail,
                                        const toml::node& node, const std::string& source) {
  return fail(ErrorCode::invalid_argument, "'" + std::string(qualified_key) +
                                               "' must be a table list ([[" +
                                               std::string(qualified_key) + "]] entries), got " +
                                               std::move(detail) + location(node.source(), source));
}

}  // namespace

std::string qualify(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return std::string(path) + "." + std::string(key);
}

std::string location(const toml::source_region& region, const std::string& source) {
  if (region.begin.line == 0) return {};
  return " at " + source + ":" + std::to_string(region.begin.line) + ":" +
         std::to_string(region.begin.column);
}

Result<ConfigValues> values_from_table(const toml::table& table, std::string_view path,
                                       std::span<const ConfigField> schema,
                                       const std::string& source, bool allow_subtables) {
  ConfigValues values;
  for (const auto& [key, node] : table) {
    const ConfigField* field = find_field(schema, key.str());
    if (field == nullptr && allow_subtables && node.is_table()) continue;
    if (field == nullptr)
      return unknown_key(path, key.str(), schema, location(key.source(), source));
    std::string qualified = qualify(path, field->key);
    if (field->type == ConfigType::table_list) {
      CONFLUX_ASSIGN_OR_RETURN(ConfigValue value,
                               table_list_from_toml(node, *field, qualified, source));
      values.insert_or_assign(field->key, std::move(value));
      continue;
    }
    auto value = config_value_from_toml(node, field->type, qualified);
    if (!value) {
      return fail(ErrorCode::invalid_argument,
                  value.error().message + location(node.source(), source));
    }
    values.insert_or_assign(field->key, std::move(*value));
  }
  return values;
}

Status fill_defaults(ConfigValues& values, std::string_view path,
                     std::span<const ConfigField> schema, std::string_view env_prefix,
                     std::string_view where) {
  for (const ConfigField& field : schema) {
    if (values.contains(field.key)) continue;
    if (!std::holds_alternative<std::monostate>(field.default_value)) {
      CONFLUX_ASSIGN_OR_RETURN(ConfigValue value, checked_default(field, path));
      values.emplace(field.key, std::move(value));
    } else if (field.required) {
      std::string message = "missing required key '" + qualify(path, field.key) + "'";
      if (!env_prefix.empty()) {
        message +=
            " (set it in the config file or with " + env_variable_name(env_prefix, field.key) + ")";
      }
      return fail(ErrorCode::invalid_argument, message + std::string(where));
    }
  }
  return ok();
}

Result<ConfigValue> table_list_from_toml(const toml::node& node, const ConfigField& field,
                                         std::string_view qualified_key,
                                         const std::string& source) {
  const auto* array = node.as_array();
  if (array == nullptr) {
    return not_a_table_list(qualified_key, std::string(toml_type_name(node.type())), node, source);
  }
  std::vector<ConfigSection> entries;
  entries.reserve(array->size());
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    const auto* table = element.as_table();
    if (table == nullptr) {
      return not_a_table_list(
          qualified_key,
          std::string(toml_type_name(element.type())) + " at index " + std::to_string(i), element,
          source);
    }
    std::string name = std::string(qualified_key) + "[" + std::to_string(i) + "]";
    CONFLUX_ASSIGN_OR_RETURN(ConfigValues values,
                             values_from_table(*table, name, field.fields, source, false));
    CONFLUX_RETURN_IF_ERROR(
        fill_defaults(values, name, field.fields, {}, location(table->source(), source)));
    entries.emplace_back(std::move(name), std::move(values));
  }
  return ConfigValue(std::move(entries));
}

}  // namespace conflux::core
