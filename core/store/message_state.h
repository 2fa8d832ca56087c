// core/store/message_state.h — the message store's bookkeeping, kept in the
// same write transaction as the rows it describes:
//   messages.meta   "state" -> u8 version (1) | next_seq u64be | bytes u64be |
//                              senml rows u64be | json rows u64be
//   messages.counts count key (format | publisher16 | hour8) ->
//                              u8 version (1) | rows u64be
// `bytes` is the sum over stored rows of row key + row value + index key
// sizes (what retention by size compares against).
//
// Thread-safety: plain values and functions used inside one transaction.
#pragma once

#include <cstdint>
#include <map>
#include <string_view>
#include <utility>

#include "conflux/message.h"
#include "conflux/status.h"
#include "core/store/lmdb_env.h"
#include "core/store/message_keys.h"

namespace conflux::core::store {

// The databases of the message store.
struct MessageDbs {
  Dbi senml = 0;
  Dbi json = 0;
  Dbi by_time = 0;
  Dbi counts = 0;
  Dbi meta = 0;

  Dbi rows(MessageFormat format) const noexcept {
    return format == MessageFormat::json ? json : senml;
  }
};

struct MessageState {
  std::uint64_t next_seq = 1;
  std::uint64_t bytes = 0;
  std::uint64_t senml_rows = 0;
  std::uint64_t json_rows = 0;

  std::uint64_t& rows(MessageFormat f) noexcept {
    return f == MessageFormat::json ? json_rows : senml_rows;
  }
  std::uint64_t rows(MessageFormat f) const noexcept {
    return f == MessageFormat::json ? json_rows : senml_rows;
  }
};

// The stored state (defaults when absent). An unknown version is a data-loss
// error: writers must not overwrite what they cannot read.
Result<MessageState> load_state(const Txn& txn, const MessageDbs& dbs);
Status save_state(WriteTxn& txn, const MessageDbs& dbs, const MessageState& state);

// Bytes a row adds to MessageState::bytes.
inline std::uint64_t row_footprint(std::size_t value_size) noexcept {
  return kRowKeySize + value_size + kIndexKeySize;
}

// Per (format, publisher, hour) row-count changes collected during a job.
class CountDeltas {
 public:
  void add(MessageFormat format, const PublisherKey& publisher, std::int64_t time_ns,
           std::int64_t delta);
  // Adds every change of `other`.
  void merge(const CountDeltas& other);
  // Writes the changes (entries reaching 0 are deleted), in key order
  // through one cursor.
  Status apply(WriteTxn& txn, const MessageDbs& dbs) const;
  bool empty() const noexcept { return deltas_.empty(); }

 private:
  std::map<CountKey, std::int64_t> deltas_;
};

// The row count stored under one count key; nullopt when the value has an
// unknown version (callers fall back to counting rows).
std::optional<std::uint64_t> decode_count(std::string_view value) noexcept;

}  // namespace conflux::core::store
