// plugins/mqtt — bridge rules: topics outside the Conflux scheme (Tasmota
// `tele/+/SENSOR`, Zigbee2MQTT `zigbee2mqtt/+`, ...) mapped to things.
//
// A rule is one string of space-separated key=value pairs (the `bridges`
// string list of [plugins.mqtt]):
//   topic=tele/+/SENSOR        the topic filter to subscribe to (required)
//   thing=2                    the 1-based topic level naming the thing (required)
//   match=metadata:tasmota     how that level finds the thing: `external_key`
//                              (default) or `metadata:<field>` (a top-level
//                              string field of the thing's metadata)
//   content_type=application/json   overrides the profile's content type
//   subtopic=energy            the subtopic of the stored messages (default none)
//   codec=<script id>          a Lua codec decoding the payload (when the
//                              scripting service is available)
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/status.h"

namespace conflux::mqtt {

struct BridgeRule {
  std::string topic;            // the filter
  std::size_t thing_level = 0;  // 1-based
  std::string metadata_field;   // "" = match the external key
  std::string content_type;
  std::string subtopic;
  std::string codec;
  std::string text;  // the rule as configured (for logs)
};

// Parses one rule; invalid_argument naming the problem.
Result<BridgeRule> parse_bridge_rule(std::string_view text);

// The value of the rule's thing level in `topic` when `topic` matches the
// rule's filter; nullopt otherwise (also for an empty level).
std::optional<std::string> bridge_thing_key(const BridgeRule& rule, std::string_view topic);

// The first rule matching `topic`, or nullptr.
const BridgeRule* find_bridge(const std::vector<BridgeRule>& rules, std::string_view topic);

}  // namespace conflux::mqtt
