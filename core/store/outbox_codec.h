// core/store/outbox_codec.h — keys and values of the outbox databases (the
// layout is in docs/storage-format.md, "Outbox"):
//   outbox_items  "<queue>\0" id(u64 BE)                 → item v1
//   outbox_due    "<queue>\0" due(i64, sign-flipped BE) id → ""   (claim order)
//   outbox_dead   "<queue>\0" id(u64 BE)                 → item v1
//   outbox_meta   "<queue>"                              → meta v1
// item v1: [1] created(i64) due(i64) attempts(u32) len(u32) last_error payload
// meta v1: [1] next_id(u64) pending(u64) dead(u64)
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "conflux/outbox.h"
#include "conflux/status.h"

namespace conflux::core::store {

struct OutboxMeta {
  std::uint64_t next_id = 1;
  std::uint64_t pending = 0;
  std::uint64_t dead = 0;
};

// invalid_argument unless 1-400 bytes without NUL.
Status check_queue_name(std::string_view full_queue_name);

std::string outbox_queue_prefix(std::string_view queue);  // "<queue>\0"
std::string outbox_item_key(std::string_view queue, std::uint64_t id);
std::string outbox_due_key(std::string_view queue, std::int64_t due, std::uint64_t id);
// Parses the (due, id) after the queue prefix of an outbox_due key.
Result<std::pair<std::int64_t, std::uint64_t>> parse_due_key(std::string_view key,
                                                             std::size_t prefix_size);

std::string encode_outbox_item(const OutboxItem& item);
// `id` comes from the key; data loss on an unknown version or a short value.
Result<OutboxItem> decode_outbox_item(std::uint64_t id, std::string_view value);

std::string encode_outbox_meta(const OutboxMeta& meta);
Result<OutboxMeta> decode_outbox_meta(std::string_view value);

}  // namespace conflux::core::store
