// plugins/mqtt — topic scheme helpers.
#include "topics.h"

namespace conflux::mqtt {
namespace {

bool has_wildcard(std::string_view s) { return s.find_first_of("+#") != std::string_view::npos; }

std::string join_subtopic(std::string_view subtopic) {
  std::string out;
  for (char c : subtopic) out.push_back(c == '.' ? '/' : c);
  return out;
}

std::string commands_topic(std::string_view root, std::string_view id, std::string_view sub) {
  std::string t(root);
  t += '/';
  t += id;
  t += "/commands";
  if (!sub.empty()) {
    t += '/';
    t += join_subtopic(sub);
  }
  return t;
}

}  // namespace

std::vector<std::string_view> topic_levels(std::string_view topic) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    auto slash = topic.find('/', start);
    if (slash == std::string_view::npos) {
      out.push_back(topic.substr(start));
      break;
    }
    out.push_back(topic.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

std::optional<MessagesTopic> parse_messages_topic(std::string_view topic) {
  constexpr std::string_view kRoot = "things/";
  if (!topic.starts_with(kRoot)) return std::nullopt;
  topic.remove_prefix(kRoot.size());
  auto slash = topic.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  std::string_view id = topic.substr(0, slash);
  if (has_wildcard(id)) return std::nullopt;
  std::string_view rest = topic.substr(slash + 1);
  constexpr std::string_view kMessages = "messages";
  if (!rest.starts_with(kMessages)) return std::nullopt;
  rest.remove_prefix(kMessages.size());
  if (!rest.empty() && rest.front() != '/') return std::nullopt;
  if (!rest.empty()) rest.remove_prefix(1);
  return MessagesTopic{std::string(id), std::string(rest)};
}

std::string thing_commands_topic(std::string_view thing_id, std::string_view subtopic) {
  return commands_topic("things", thing_id, subtopic);
}

std::string group_commands_topic(std::string_view group_id, std::string_view subtopic) {
  return commands_topic("groups", group_id, subtopic);
}

bool valid_filter(std::string_view filter) {
  if (filter.empty()) return false;
  auto levels = topic_levels(filter);
  for (std::size_t i = 0; i < levels.size(); ++i) {
    auto level = levels[i];
    if (level == "#") {
      if (i + 1 != levels.size()) return false;
    } else if (level == "+") {
    } else if (has_wildcard(level)) {
      return false;
    }
  }
  return true;
}

bool topic_matches(std::string_view filter, std::string_view topic) {
  if (!topic.empty() && topic.front() == '$' && !filter.empty() &&
      (filter.front() == '+' || filter.front() == '#'))
    return false;
  auto f = topic_levels(filter);
  auto t = topic_levels(topic);
  std::size_t i = 0;
  for (; i < f.size(); ++i) {
    if (f[i] == "#") return true;  // matches the parent level too
    if (i >= t.size()) return false;
    if (f[i] == "+") continue;
    if (f[i] != t[i]) return false;
  }
  return i == t.size();
}

std::string render_topic(std::string_view pattern, const Message& message) {
  std::string rendered;
  rendered.reserve(pattern.size() + 64);
  std::size_t i = 0;
  while (i < pattern.size()) {
    char c = pattern[i];
    if (c == '{') {
      auto close = pattern.find('}', i);
      if (close != std::string_view::npos) {
        std::string_view name = pattern.substr(i + 1, close - i - 1);
        if (name == "thing_id" || name == "publisher")
          rendered += message.publisher;
        else if (name == "group_id")
          rendered += message.group;
        else if (name == "profile_id")
          rendered += message.profile;
        else if (name == "protocol")
          rendered += message.protocol;
        else if (name == "subtopic")
          rendered += join_subtopic(message.subtopic);
        else
          rendered.append(pattern.substr(i, close - i + 1));
        i = close + 1;
        continue;
      }
    }
    rendered.push_back(c);
    ++i;
  }
  // Drop empty levels (an empty field), keeping a leading '/'-free form.
  std::string out;
  out.reserve(rendered.size());
  for (auto level : topic_levels(rendered)) {
    if (level.empty()) continue;
    if (!out.empty()) out.push_back('/');
    out.append(level);
  }
  return out;
}

bool valid_topic_template(std::string_view pattern) {
  if (pattern.empty()) return false;
  std::size_t i = 0;
  while ((i = pattern.find('{', i)) != std::string_view::npos) {
    auto close = pattern.find('}', i);
    if (close == std::string_view::npos) return false;
    std::string_view name = pattern.substr(i + 1, close - i - 1);
    if (name != "thing_id" && name != "publisher" && name != "group_id" && name != "profile_id" &&
        name != "protocol" && name != "subtopic")
      return false;
    i = close + 1;
  }
  Message probe;
  probe.publisher = "t";
  return !has_wildcard(render_topic(pattern, probe)) && !render_topic(pattern, probe).empty();
}

}  // namespace conflux::mqtt
