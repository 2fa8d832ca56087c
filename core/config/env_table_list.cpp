// core/config (internal) — a table list from a CONFLUX_* variable: the JSON
// array of objects is turned into TOML nodes and validated like the file's
// [[tables]], so both forms accept and refuse the same values.
//
// Thread-safety: pure functions; safe from any thread.
#include <toml++/toml.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/config/env_value.h"
#include "core/config/schema_check.h"

namespace conflux::core {
namespace {

using NodePtr = std::unique_ptr<toml::node>;

// The TOML node of a JSON value, or the reason it has none.
Result<NodePtr> to_toml(const nlohmann::json& value, const std::string& where) {
  using Type = nlohmann::json::value_t;
  switch (value.type()) {
    case Type::string:
      return NodePtr(new toml::value<std::string>(value.get<std::string>()));
    case Type::boolean:
      return NodePtr(new toml::value<bool>(value.get<bool>()));
    case Type::number_integer:
      return NodePtr(new toml::value<std::int64_t>(value.get<std::int64_t>()));
    case Type::number_unsigned: {
      auto number = value.get<std::uint64_t>();
      if (number > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return fail(ErrorCode::invalid_argument, where + " is out of range");
      return NodePtr(new toml::value<std::int64_t>(static_cast<std::int64_t>(number)));
    }
    case Type::number_float:
      return NodePtr(new toml::value<double>(value.get<double>()));
    case Type::array: {
      auto array = std::make_unique<toml::array>();
      for (std::size_t i = 0; i < value.size(); ++i) {
        CONFLUX_ASSIGN_OR_RETURN(auto item,
                                 to_toml(value[i], where + "[" + std::to_string(i) + "]"));
        item->visit([&](auto& concrete) { array->push_back(std::move(concrete)); });
      }
      return NodePtr(array.release());
    }
    case Type::object: {
      auto table = std::make_unique<toml::table>();
      for (const auto& [key, item] : value.items()) {
        CONFLUX_ASSIGN_OR_RETURN(auto node, to_toml(item, where + "." + key));
        node->visit([&](auto& concrete) { table->insert_or_assign(key, std::move(concrete)); });
      }
      return NodePtr(table.release());
    }
    case Type::null:
    case Type::binary:
    case Type::discarded:
      break;
  }
  return fail(ErrorCode::invalid_argument, where + " must not be null");
}

}  // namespace

Result<ConfigValue> table_list_from_env(std::string_view variable, std::string_view text,
                                        const ConfigField& field, std::string_view qualified_key) {
  auto bad = [&](const std::string& why) {
    return fail(ErrorCode::invalid_argument,
                "environment variable " + std::string(variable) + ": " + why);
  };
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return ConfigValue(std::vector<ConfigSection>{});
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_array()) {
    return bad("must be a JSON array of objects (the entries of table list '" +
               std::string(qualified_key) + "'), e.g. [{\"key\":\"value\"}]");
  }
  auto node = to_toml(json, std::string(qualified_key));
  if (!node) return bad(node.error().message);
  auto value = table_list_from_toml(**node, field, qualified_key, std::string(variable));
  if (!value) return bad(value.error().message);
  return value;
}

}  // namespace conflux::core
