// core/store/outbox_codec.cpp — encoding of outbox keys, items and queue
// metadata (see outbox_codec.h). Thread-safety: pure functions.
#include "core/store/outbox_codec.h"

#include "core/store/key_codec.h"
#include "core/store/value_version.h"

namespace conflux::core::store {
namespace {
constexpr std::uint8_t kItemVersion = 1;
constexpr std::uint8_t kMetaVersion = 1;
}  // namespace

Status check_queue_name(std::string_view q) {
  if (q.empty() || q.size() > 400 || q.find('\0') != std::string_view::npos) {
    return fail(ErrorCode::invalid_argument, "outbox: queue names are 1-400 bytes without NUL");
  }
  return ok();
}

std::string outbox_queue_prefix(std::string_view queue) {
  std::string k(queue);
  k.push_back('\0');
  return k;
}

std::string outbox_item_key(std::string_view queue, std::uint64_t id) {
  std::string k = outbox_queue_prefix(queue);
  append_u64(k, id);
  return k;
}

std::string outbox_due_key(std::string_view queue, std::int64_t due, std::uint64_t id) {
  std::string k = outbox_queue_prefix(queue);
  append_i64(k, due);
  append_u64(k, id);
  return k;
}

Result<std::pair<std::int64_t, std::uint64_t>> parse_due_key(std::string_view key,
                                                             std::size_t prefix_size) {
  if (key.size() != prefix_size + 16) return std::unexpected(data_loss("outbox due key: bad size"));
  key.remove_prefix(prefix_size);
  auto due = take_i64(key);
  auto id = take_u64(key);
  return std::make_pair(*due, *id);
}

std::string encode_outbox_item(const OutboxItem& item) {
  std::string out;
  out.reserve(1 + 8 + 8 + 4 + 4 + item.last_error.size() + item.payload.size());
  append_version(out, kItemVersion);
  append_i64(out, item.created);
  append_i64(out, item.due);
  append_u32(out, item.attempts);
  append_bytes(out, item.last_error);
  out.append(item.payload);
  return out;
}

Result<OutboxItem> decode_outbox_item(std::uint64_t id, std::string_view value) {
  CONFLUX_ASSIGN_OR_RETURN(auto body, unversioned(value, kItemVersion, "outbox item"));
  OutboxItem item;
  item.id = id;
  auto created = take_i64(body);
  auto due = take_i64(body);
  auto attempts = take_u32(body);
  auto error = take_bytes(body);
  if (!created || !due || !attempts || !error) {
    return std::unexpected(data_loss("outbox item: truncated"));
  }
  item.created = *created;
  item.due = *due;
  item.attempts = *attempts;
  item.last_error = *error;
  item.payload = body;
  return item;
}

std::string encode_outbox_meta(const OutboxMeta& meta) {
  std::string out;
  append_version(out, kMetaVersion);
  append_u64(out, meta.next_id);
  append_u64(out, meta.pending);
  append_u64(out, meta.dead);
  return out;
}

Result<OutboxMeta> decode_outbox_meta(std::string_view value) {
  CONFLUX_ASSIGN_OR_RETURN(auto body, unversioned(value, kMetaVersion, "outbox meta"));
  auto next = take_u64(body);
  auto pending = take_u64(body);
  auto dead = take_u64(body);
  if (!next || !pending || !dead) return std::unexpected(data_loss("outbox meta: truncated"));
  return OutboxMeta{*next, *pending, *dead};
}

}  // namespace conflux::core::store
