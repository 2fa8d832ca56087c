// plugins/mqtt — bridge rules: topics outside the Conflux scheme (Tasmota
// `tele/+/SENSOR`, Zigbee2MQTT `zigbee2mqtt/+`, ...) mapped to things.
//
// A rule is one `[[plugins.mqtt.bridges]]` entry (a table list entry, see
// conflux/config.h):
//   topic = "tele/+/SENSOR"        the topic filter to subscribe to (required)
//   thing = 2                      the 1-based topic level naming the thing (required)
//   match = "metadata:tasmota"     how that level finds the thing: "external_key"
//                                  (default) or "metadata:<field>" (a top-level
//                                  string field of the thing's metadata)
//   content_type = "application/json"   overrides the profile's content type
//   subtopic = "energy"            the subtopic of the stored messages (default none)
//   codec = "<script id>"          a Lua script whose decode(bytes, meta) turns the
//                                  payload into SenML records or a JSON document
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/config.h"
#include "conflux/status.h"

namespace conflux::mqtt {

struct BridgeRule {
  std::string topic;            // the filter
  std::size_t thing_level = 0;  // 1-based
  std::string metadata_field;   // "" = match the external key
  std::string content_type;
  std::string subtopic;
  std::string codec;  // "" = none
  std::string name;   // "plugins.mqtt.bridges[<index>]" (for logs)
};

// The keys of one entry: ConfigField::fields of the `bridges` table list.
std::vector<ConfigField> bridge_fields();

// Reads one validated entry (types, required keys and defaults checked by
// the host); invalid_argument naming `<entry>.<key>` for values the schema
// types cannot express (bad filter, level, match, content type, subtopic).
Result<BridgeRule> read_bridge_rule(const ConfigSection& entry);

// The value of the rule's thing level in `topic` when `topic` matches the
// rule's filter; nullopt otherwise (also for an empty level).
std::optional<std::string> bridge_thing_key(const BridgeRule& rule, std::string_view topic);

// The first rule matching `topic`, or nullptr.
const BridgeRule* find_bridge(const std::vector<BridgeRule>& rules, std::string_view topic);

}  // namespace conflux::mqtt
