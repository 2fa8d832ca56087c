// core/store/message_state.cpp — the message store's meta state and
// per-hour row counts.
//
// Thread-safety: see the header.
#include "core/store/message_state.h"

#include <iterator>
#include <string>

#include "core/store/value_version.h"

namespace conflux::core::store {
namespace {

constexpr std::string_view kStateKey = "state";
constexpr std::uint8_t kStateVersion = 1;
constexpr std::uint8_t kCountVersion = 1;
constexpr std::size_t kStateSize = 1 + 4 * 8;
constexpr std::size_t kCountSize = 1 + 8;

std::uint64_t read_u64(std::string_view v, std::size_t at) {
  return get_u64_be(reinterpret_cast<const std::uint8_t*>(v.data() + at));
}

void write_u64(char* out, std::uint64_t v) { put_u64_be(reinterpret_cast<std::uint8_t*>(out), v); }

}  // namespace

Result<MessageState> load_state(const Txn& txn, const MessageDbs& dbs) {
  CONFLUX_ASSIGN_OR_RETURN(auto value, txn.get(dbs.meta, kStateKey));
  MessageState state;
  if (!value) return state;
  if (value->empty() || static_cast<std::uint8_t>((*value)[0]) != kStateVersion ||
      value->size() != kStateSize) {
    return std::unexpected(data_loss("messages.meta state has an unknown version or size"));
  }
  state.next_seq = read_u64(*value, 1);
  state.bytes = read_u64(*value, 9);
  state.senml_rows = read_u64(*value, 17);
  state.json_rows = read_u64(*value, 25);
  return state;
}

Status save_state(WriteTxn& txn, const MessageDbs& dbs, const MessageState& state) {
  char buf[kStateSize];
  buf[0] = static_cast<char>(kStateVersion);
  write_u64(buf + 1, state.next_seq);
  write_u64(buf + 9, state.bytes);
  write_u64(buf + 17, state.senml_rows);
  write_u64(buf + 25, state.json_rows);
  return txn.put(dbs.meta, kStateKey, std::string_view(buf, kStateSize));
}

void CountDeltas::add(MessageFormat format, const PublisherKey& publisher, std::int64_t time_ns,
                      std::int64_t delta) {
  deltas_[make_count_key(format, publisher, hour_of(time_ns))] += delta;
}

void CountDeltas::merge(const CountDeltas& other) {
  auto hint = deltas_.begin();
  for (const auto& [key, delta] : other.deltas_) {
    // Both maps are in key order: insert just before the next position.
    auto it = deltas_.try_emplace(hint, key, 0);
    it->second += delta;
    hint = std::next(it);
  }
}

std::optional<std::uint64_t> decode_count(std::string_view value) noexcept {
  if (value.size() != kCountSize || static_cast<std::uint8_t>(value[0]) != kCountVersion)
    return std::nullopt;
  return read_u64(value, 1);
}

Status CountDeltas::apply(WriteTxn& txn, const MessageDbs& dbs) const {
  if (deltas_.empty()) return ok();
  CONFLUX_ASSIGN_OR_RETURN(auto cursor, txn.cursor(dbs.counts));
  for (const auto& [key, delta] : deltas_) {
    if (delta == 0) continue;
    CONFLUX_ASSIGN_OR_RETURN(auto old, cursor.find(as_view(key)));
    std::int64_t current = 0;
    if (old) {
      auto decoded = decode_count(old->value);
      if (!decoded)
        return std::unexpected(data_loss("messages.counts entry has an unknown version"));
      current = static_cast<std::int64_t>(*decoded);
    }
    std::int64_t next = current + delta;
    if (next <= 0) {
      if (old) CONFLUX_RETURN_IF_ERROR(cursor.del());
      continue;
    }
    char buf[kCountSize];
    buf[0] = static_cast<char>(kCountVersion);
    write_u64(buf + 1, static_cast<std::uint64_t>(next));
    CONFLUX_RETURN_IF_ERROR(cursor.put(as_view(key), std::string_view(buf, kCountSize)));
  }
  return ok();
}

}  // namespace conflux::core::store
