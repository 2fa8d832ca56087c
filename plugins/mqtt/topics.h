// plugins/mqtt — the Conflux MQTT topic scheme (Mainflux's):
//   things/{thing_id}/messages[/<subtopic>]   a thing publishes its messages
//   things/{thing_id}/commands[/<subtopic>]   Conflux publishes commands to a thing
//   groups/{group_id}/commands[/<subtopic>]   Conflux publishes commands to a group
// plus MQTT topic-filter matching, topic segments and the republish topic
// template.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/message.h"

namespace conflux::mqtt {

// A parsed `things/{thing_id}/messages[/<tail>]` topic.
struct MessagesTopic {
  std::string thing_id;
  std::string subtopic;  // the tail, raw (not normalized); "" for none
};

// The parts of a messages topic; nullopt for any other topic (also an empty
// thing id, or wildcards in the id).
std::optional<MessagesTopic> parse_messages_topic(std::string_view topic);

// "things/<id>/commands" + "/<sub>" ("/"-joined from a dotted subtopic).
std::string thing_commands_topic(std::string_view thing_id, std::string_view subtopic);
// "groups/<id>/commands" + "/<sub>".
std::string group_commands_topic(std::string_view group_id, std::string_view subtopic);

// MQTT topic-filter matching ('+' one level, '#' this level and below, as the
// last level only). Topics starting with '$' never match a filter starting
// with a wildcard (MQTT 3.1.1 §4.7.2).
bool topic_matches(std::string_view filter, std::string_view topic);

// Splits a topic into its '/'-separated levels (empty levels kept).
std::vector<std::string_view> topic_levels(std::string_view topic);

// True when `filter` is a well-formed MQTT topic filter.
bool valid_filter(std::string_view filter);

// Renders a republish topic template. Fields: {thing_id} (alias
// {publisher}), {group_id}, {profile_id}, {protocol}, {subtopic} (dots
// become '/'). Empty levels produced by an empty field are dropped, so
// "conflux/things/{thing_id}/messages/{subtopic}" with no subtopic gives
// "conflux/things/<id>/messages".
std::string render_topic(std::string_view pattern, const Message& message);

// True when `pattern` only uses the fields above and renders to a
// valid topic (no wildcards).
bool valid_topic_template(std::string_view pattern);

}  // namespace conflux::mqtt
