// core/config (internal) — parsing CONFLUX_* environment overrides.
//
// Thread-safety: pure functions; safe from any thread.
#include "core/config/env_value.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/config/config.h"

namespace conflux::core {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  std::size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  std::size_t last = text.find_last_not_of(kSpace);
  return text.substr(first, last - first + 1);
}

Result<ConfigValue> bad_value(std::string_view variable, std::string_view text,
                              std::string_view expected) {
  return fail(ErrorCode::invalid_argument, "environment variable " + std::string(variable) + "='" +
                                               std::string(text) + "' must be " +
                                               std::string(expected));
}

Result<ConfigValue> parse_integer(std::string_view variable, std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return bad_value(variable, text, "an integer");
  }
  return ConfigValue(value);
}

Result<ConfigValue> parse_number(std::string_view variable, std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    return bad_value(variable, text, "a number");
  }
  return ConfigValue(value);
}

Result<ConfigValue> parse_boolean(std::string_view variable, std::string_view text) {
  std::string word = lower(text);
  if (word == "true" || word == "1" || word == "yes" || word == "on") return ConfigValue(true);
  if (word == "false" || word == "0" || word == "no" || word == "off") return ConfigValue(false);
  return bad_value(variable, text, "a boolean (true/false, 1/0, yes/no, on/off)");
}

Result<ConfigValue> parse_duration_value(std::string_view variable, std::string_view text) {
  auto duration = parse_duration(text);
  if (!duration) {
    return fail(ErrorCode::invalid_argument,
                "environment variable " + std::string(variable) +
                    " must be a duration: " + duration.error().message);
  }
  return ConfigValue(*duration);
}

ConfigValue parse_string_list(std::string_view text) {
  std::vector<std::string> items;
  while (!text.empty()) {
    std::size_t comma = text.find(',');
    std::string_view item = trim(text.substr(0, comma));
    if (!item.empty()) items.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return ConfigValue(std::move(items));
}

}  // namespace

std::string env_variable_name(std::string_view prefix, std::string_view key) {
  std::string name = "CONFLUX_";
  auto append = [&name](std::string_view part) {
    for (char c : part) {
      unsigned char u = static_cast<unsigned char>(c);
      name.push_back(std::isalnum(u) ? static_cast<char>(std::toupper(u)) : '_');
    }
  };
  append(prefix);
  name.push_back('_');
  append(key);
  return name;
}

Result<ConfigValue> parse_env_value(std::string_view variable, std::string_view text,
                                    ConfigType type) {
  switch (type) {
    case ConfigType::string:
      return ConfigValue(std::string(text));
    case ConfigType::integer:
      return parse_integer(variable, text);
    case ConfigType::number:
      return parse_number(variable, text);
    case ConfigType::boolean:
      return parse_boolean(variable, text);
    case ConfigType::duration:
      return parse_duration_value(variable, text);
    case ConfigType::string_list:
      return parse_string_list(text);
    case ConfigType::table_list:
      return fail(ErrorCode::internal, "environment variable " + std::string(variable) +
                                           " is a table list: it needs its entry schema");
  }
  return fail(ErrorCode::internal, "unknown configuration type");
}

}  // namespace conflux::core
