// plugins/mqtt — bridge rule parsing and matching.
#include "bridges.h"

#include <charconv>

#include "conflux/message.h"
#include "topics.h"

namespace conflux::mqtt {

Result<BridgeRule> parse_bridge_rule(std::string_view text) {
  BridgeRule rule;
  rule.text = std::string(text);
  auto bad = [&](std::string what) {
    return fail(ErrorCode::invalid_argument,
                "bridge rule \"" + std::string(text) + "\": " + std::move(what));
  };
  std::size_t pos = 0;
  bool have_thing = false;
  while (pos < text.size()) {
    while (pos < text.size() && text[pos] == ' ') ++pos;
    if (pos >= text.size()) break;
    auto end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view pair = text.substr(pos, end - pos);
    pos = end;
    auto eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0)
      return bad("expected key=value, got \"" + std::string(pair) + "\"");
    std::string_view key = pair.substr(0, eq), value = pair.substr(eq + 1);
    if (key == "topic") {
      if (!valid_filter(value)) return bad("topic is not a valid MQTT topic filter");
      rule.topic = std::string(value);
    } else if (key == "thing") {
      std::size_t level = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), level);
      if (ec != std::errc() || p != value.data() + value.size() || level == 0)
        return bad("thing must be a topic level number starting at 1");
      rule.thing_level = level;
      have_thing = true;
    } else if (key == "match") {
      if (value == "external_key") {
        rule.metadata_field.clear();
      } else if (value.starts_with("metadata:") && value.size() > 9) {
        rule.metadata_field = std::string(value.substr(9));
      } else {
        return bad("match must be external_key or metadata:<field>");
      }
    } else if (key == "content_type") {
      if (value != "application/json" && value != "application/senml+json")
        return bad("content_type must be application/json or application/senml+json");
      rule.content_type = std::string(value);
    } else if (key == "subtopic") {
      auto normalized = normalize_subtopic(value);
      if (!normalized) return bad(normalized.error().message);
      rule.subtopic = *normalized;
    } else if (key == "codec") {
      rule.codec = std::string(value);
    } else {
      return bad("unknown key \"" + std::string(key) +
                 "\" (known: topic, thing, match, content_type, subtopic, codec)");
    }
  }
  if (rule.topic.empty()) return bad("topic is required");
  if (!have_thing) return bad("thing (the topic level naming the thing) is required");
  auto levels = topic_levels(rule.topic);
  if (rule.thing_level > levels.size() && levels.back() != "#")
    return bad("thing level " + std::to_string(rule.thing_level) + " is beyond the topic's " +
               std::to_string(levels.size()) + " levels");
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
