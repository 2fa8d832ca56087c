// plugins/mqtt — recovery of uncommitted queue entries.
#include "recovery.h"

#include <cstring>

namespace conflux::mqtt {

bool is_paho_queue_key(std::string_view key) noexcept {
  return key.starts_with("q-") || key.starts_with("q5-");
}

std::optional<QueuedMessage> parse_queue_entry(std::string_view value) {
  auto read_int = [&](int& out) {
    if (value.size() < sizeof(int)) return false;
    std::memcpy(&out, value.data(), sizeof(int));
    value.remove_prefix(sizeof(int));
    return true;
  };
  int payloadlen = 0;
  if (!read_int(payloadlen) || payloadlen < 0 ||
      value.size() < static_cast<std::size_t>(payloadlen))
    return std::nullopt;
  QueuedMessage m;
  m.payload = std::string(value.substr(0, static_cast<std::size_t>(payloadlen)));
  value.remove_prefix(static_cast<std::size_t>(payloadlen));
  int qos = 0, retained = 0, dup = 0, msgid = 0;
  if (!read_int(qos) || !read_int(retained) || !read_int(dup) || !read_int(msgid))
    return std::nullopt;
  auto nul = value.find('\0');
  if (nul == std::string_view::npos || nul == 0) return std::nullopt;
  m.topic = std::string(value.substr(0, nul));
  return m;
}

Result<std::size_t> move_queue_entries(SessionJournal& paho, SessionJournal& recovered) {
  std::size_t moved = 0;
  for (const auto& key : paho.keys()) {
    if (!is_paho_queue_key(key)) continue;
    auto value = paho.get(key);
    if (!value) continue;
    // A key already taken in `recovered` (an earlier, unfinished move) gets
    // a fresh name so neither entry is overwritten.
    std::string target = key;
    for (int n = 1; recovered.contains(target); ++n) target = key + "." + std::to_string(n);
    CONFLUX_RETURN_IF_ERROR(recovered.put(target, {*value}));
    CONFLUX_RETURN_IF_ERROR(paho.remove(key));
    ++moved;
  }
  return moved;
}

}  // namespace conflux::mqtt
