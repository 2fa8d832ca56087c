// plugins/mqtt — thing ACL rules.
#include "acl.h"

#include "conflux/message.h"
#include "topics.h"

namespace conflux::mqtt {
namespace {

// `topic` is "<root>/<id>/commands" or "<root>/<id>/commands/<tail>" with
// wildcards only in the tail.
bool is_commands_filter(std::string_view topic, std::string_view root, std::string_view id) {
  if (id.empty()) return false;
  auto levels = topic_levels(topic);
  if (levels.size() < 3) return false;
  if (levels[0] != root || levels[1] != id) return false;
  if (levels[2] == "#" && levels.size() == 3) return false;  // "things/<id>/#": too wide
  if (levels[2] != "commands") return false;
  return valid_filter(topic);
}

}  // namespace

std::optional<AclAction> parse_acl_action(std::string_view s) noexcept {
  if (s == "publish" || s == "write" || s == "pub") return AclAction::publish;
  if (s == "subscribe" || s == "read" || s == "sub") return AclAction::subscribe;
  return std::nullopt;
}

bool thing_may(std::string_view thing_id, std::string_view group_id, AclAction action,
               std::string_view topic) {
  if (thing_id.empty() || topic.empty()) return false;
  if (action == AclAction::publish) {
    if (topic.find_first_of("+#") != std::string_view::npos) return false;
    auto parsed = parse_messages_topic(topic);
    if (!parsed || parsed->thing_id != thing_id) return false;
    return normalize_subtopic(parsed->subtopic).has_value();
  }
  return is_commands_filter(topic, "things", thing_id) ||
         is_commands_filter(topic, "groups", group_id);
}

}  // namespace conflux::mqtt
