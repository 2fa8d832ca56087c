// plugins/mqtt — what a thing may do at the broker (the rules behind
// POST /mqtt/acl and the Mosquitto plugin):
//   publish    only to its own things/{id}/messages[/<subtopic>] (a valid
//              subtopic: no wildcards, decodable escapes);
//   subscribe  only to its own things/{id}/commands[/...] and to its group's
//   and read   groups/{gid}/commands[/...] (wildcards allowed after
//              "commands" only).
// Anything else is denied; the Conflux service client is checked before
// these rules (it may do anything).
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string_view>

namespace conflux::mqtt {

enum class AclAction { publish, subscribe };

// "publish" | "subscribe" (also Mosquitto-style "write" | "read") → action.
std::optional<AclAction> parse_acl_action(std::string_view s) noexcept;

// True when the thing `thing_id` of group `group_id` may do `action` on
// `topic` (a topic name for publish, a topic filter for subscribe).
bool thing_may(std::string_view thing_id, std::string_view group_id, AclAction action,
               std::string_view topic);

}  // namespace conflux::mqtt
