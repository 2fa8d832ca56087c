// core/config (internal) — TOML value to ConfigValue conversion.
//
// Thread-safety: pure functions; safe from any thread.
#include "core/config/toml_value.h"

#include <cstdint>
#include <string>
#include <vector>

#include "core/config/config.h"

namespace conflux::core {

std::string_view toml_type_name(toml::node_type type) {
  switch (type) {
    case toml::node_type::none:
      return "nothing";
    case toml::node_type::table:
      return "table";
    case toml::node_type::array:
      return "array";
    case toml::node_type::string:
      return "string";
    case toml::node_type::integer:
      return "integer";
    case toml::node_type::floating_point:
      return "float";
    case toml::node_type::boolean:
      return "boolean";
    case toml::node_type::date:
      return "date";
    case toml::node_type::time:
      return "time";
    case toml::node_type::date_time:
      return "date-time";
  }
  return "unknown";
}

namespace {

std::string with_article(ConfigType type) {
  std::string_view name = to_string(type);
  bool vowel =
      !name.empty() && std::string_view("aeiou").find(name.front()) != std::string_view::npos;
  return (vowel ? "an " : "a ") + std::string(name);
}

Result<ConfigValue> wrong_type(std::string_view qualified_key, ConfigType type,
                               std::string_view detail) {
  return fail(ErrorCode::invalid_argument, "'" + std::string(qualified_key) + "' must be " +
                                               with_article(type) + ", got " + std::string(detail));
}

Result<ConfigValue> wrong_type(std::string_view qualified_key, ConfigType type,
                               const toml::node& node) {
  return wrong_type(qualified_key, type, toml_type_name(node.type()));
}

Result<ConfigValue> duration_from_toml(const toml::node& node, std::string_view qualified_key) {
  if (const auto* text = node.as_string()) {
    auto duration = parse_duration(text->get());
    if (!duration) {
      return fail(
          ErrorCode::invalid_argument,
          "'" + std::string(qualified_key) + "' must be a duration: " + duration.error().message);
    }
    return ConfigValue(*duration);
  }
  if (const auto* seconds = node.as_integer()) {
    std::int64_t ms = 0;
    if (seconds->get() < 0 || __builtin_mul_overflow(seconds->get(), 1000, &ms)) {
      return wrong_type(qualified_key, ConfigType::duration,
                        "out-of-range integer " + std::to_string(seconds->get()));
    }
    return ConfigValue(std::chrono::milliseconds(ms));
  }
  return wrong_type(qualified_key, ConfigType::duration, node);
}

Result<ConfigValue> string_list_from_toml(const toml::node& node, std::string_view qualified_key) {
  const auto* array = node.as_array();
  if (array == nullptr) return wrong_type(qualified_key, ConfigType::string_list, node);
  std::vector<std::string> items;
  items.reserve(array->size());
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    const auto* text = element.as_string();
    if (text == nullptr) {
      return wrong_type(
          qualified_key, ConfigType::string_list,
          std::string(toml_type_name(element.type())) + " at index " + std::to_string(i));
    }
    items.push_back(text->get());
  }
  return ConfigValue(std::move(items));
}

}  // namespace

Result<ConfigValue> config_value_from_toml(const toml::node& node, ConfigType type,
                                           std::string_view qualified_key) {
  switch (type) {
    case ConfigType::string:
      if (const auto* v = node.as_string()) return ConfigValue(v->get());
      break;
    case ConfigType::integer:
      if (const auto* v = node.as_integer()) return ConfigValue(v->get());
      break;
    case ConfigType::number:
      if (const auto* v = node.as_floating_point()) return ConfigValue(v->get());
      if (const auto* v = node.as_integer()) return ConfigValue(static_cast<double>(v->get()));
      break;
    case ConfigType::boolean:
      if (const auto* v = node.as_boolean()) return ConfigValue(v->get());
      break;
    case ConfigType::duration:
      return duration_from_toml(node, qualified_key);
    case ConfigType::string_list:
      return string_list_from_toml(node, qualified_key);
    case ConfigType::table_list:
      return fail(ErrorCode::internal, "'" + std::string(qualified_key) +
                                           "' is a table list: it needs its entry schema");
  }
  return wrong_type(qualified_key, type, node);
}

}  // namespace conflux::core
