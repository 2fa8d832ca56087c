// plugins/mqtt — bridge rules: reading config entries, matching topics.
#include "bridges.h"

#include "conflux/message.h"
#include "topics.h"

namespace conflux::mqtt {

std::vector<ConfigField> bridge_fields() {
  auto field = [](std::string key, ConfigType type, ConfigValue value, std::string description,
                  bool required = false) {
    return ConfigField{.key = std::move(key),
                       .type = type,
                       .default_value = std::move(value),
                       .description = std::move(description),
                       .required = required};
  };
  return {
      field("topic", ConfigType::string, std::monostate{},
            "Topic filter to subscribe to, e.g. tele/+/SENSOR", true),
      field("thing", ConfigType::integer, std::monostate{}, "1-based topic level naming the thing",
            true),
      field("match", ConfigType::string, std::string("external_key"),
            "external_key, or metadata:<field> (a thing whose metadata field equals the level)"),
      field("content_type", ConfigType::string, std::string(),
            "application/json or application/senml+json (\"\" = the profile's)"),
      field("subtopic", ConfigType::string, std::string(), "Subtopic of the stored messages"),
      field("codec", ConfigType::string, std::string(),
            "Id of a Lua script whose decode(bytes, meta) decodes the payload (\"\" = none)"),
  };
}

Result<BridgeRule> read_bridge_rule(const ConfigSection& entry) {
  BridgeRule rule;
  rule.name = entry.name();
  auto bad = [&](std::string_view key, std::string what) {
    return fail(ErrorCode::invalid_argument,
                entry.name() + "." + std::string(key) + ": " + std::move(what));
  };
  rule.topic = entry.get_string("topic");
  if (rule.topic.empty() || !valid_filter(rule.topic))
    return bad("topic", "\"" + rule.topic + "\" is not a valid MQTT topic filter");
  auto level = entry.get_int("thing");
  if (level < 1) return bad("thing", "must be a topic level number starting at 1");
  rule.thing_level = static_cast<std::size_t>(level);
  auto levels = topic_levels(rule.topic);
  if (rule.thing_level > levels.size() && levels.back() != "#")
    return bad("thing", "level " + std::to_string(rule.thing_level) + " is beyond the topic's " +
                            std::to_string(levels.size()) + " levels");
  std::string match = entry.get_string("match", "external_key");
  if (match.starts_with("metadata:") && match.size() > 9) {
    rule.metadata_field = match.substr(9);
  } else if (match != "external_key") {
    return bad("match", "must be external_key or metadata:<field>, got \"" + match + "\"");
  }
  rule.content_type = entry.get_string("content_type");
  if (!rule.content_type.empty() && rule.content_type != "application/json" &&
      rule.content_type != "application/senml+json")
    return bad("content_type", "must be application/json or application/senml+json");
  if (auto subtopic = entry.get_string("subtopic"); !subtopic.empty()) {
    auto normalized = normalize_subtopic(subtopic);
    if (!normalized) return bad("subtopic", normalized.error().message);
    rule.subtopic = *normalized;
  }
  rule.codec = entry.get_string("codec");
  return rule;
}

std::optional<std::string> bridge_thing_key(const BridgeRule& rule, std::string_view topic) {
  if (!topic_matches(rule.topic, topic)) return std::nullopt;
  auto levels = topic_levels(topic);
  if (rule.thing_level > levels.size()) return std::nullopt;
  auto level = levels[rule.thing_level - 1];
  if (level.empty()) return std::nullopt;
  return std::string(level);
}

const BridgeRule* find_bridge(const std::vector<BridgeRule>& rules, std::string_view topic) {
  for (const auto& r : rules)
    if (topic_matches(r.topic, topic)) return &r;
  return nullptr;
}

}  // namespace conflux::mqtt
