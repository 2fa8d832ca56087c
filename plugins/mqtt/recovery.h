// plugins/mqtt — recovering the messages a previous run had acknowledged to
// the broker but not committed.
//
// Paho restores its persisted queue entries ("q-<n>") into its in-memory
// queue at start-up, but delivers a queued message only when a packet
// arrives on the socket (one per packet), so a restored backlog would drain
// at the pace of keep-alive pings. Instead, at start-up the plugin moves
// those entries into a second journal (`<client_id>.recovered`, put first,
// then removed from Paho's: a crash in between only duplicates) and feeds
// them to the pipeline itself; each is removed after its commit.
//
// Thread-safety: pure functions over thread-safe journals.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "conflux/status.h"
#include "session_journal.h"

namespace conflux::mqtt {

struct QueuedMessage {
  std::string topic;
  std::string payload;
};

// True for Paho queue-entry keys ("q-<n>", "q5-<n>").
bool is_paho_queue_key(std::string_view key) noexcept;

// Decodes a Paho (1.3) queue entry: int payloadlen, payload, int qos, int
// retained, int dup, int msgid, NUL-terminated topic, int topic length
// (MQTT 5 entries append properties, ignored here). nullopt when truncated.
std::optional<QueuedMessage> parse_queue_entry(std::string_view value);

// Moves every queue entry of `paho` into `recovered`. Returns how many moved.
Result<std::size_t> move_queue_entries(SessionJournal& paho, SessionJournal& recovered);

}  // namespace conflux::mqtt
