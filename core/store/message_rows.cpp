// core/store/message_rows.cpp — row insert/erase with index and bookkeeping.
//
// Thread-safety: see the header.
#include "core/store/message_rows.h"

#include <limits>

namespace conflux::core::store {

Status insert_row(WriteTxn& txn, const MessageDbs& dbs, MessageFormat format,
                  const PublisherKey& publisher, std::int64_t time_ns, std::string_view value,
                  MessageState& state, CountDeltas& counts) {
  const std::uint64_t seq = state.next_seq++;
  CONFLUX_RETURN_IF_ERROR(
      txn.put(dbs.rows(format), as_view(make_row_key(publisher, time_ns, seq)), value));
  // Index keys mostly arrive in time order: try the cheap append at the
  // B-tree's right edge first (LMDB refuses it with MDB_KEYEXIST, writing
  // nothing, when the key is not the largest), then the ordinary put.
  const auto index_key = make_index_key(format, time_ns, publisher, seq);
  if (auto appended = txn.put(dbs.by_time, as_view(index_key), {}, MDB_APPEND); !appended) {
    if (appended.error().code != ErrorCode::already_exists) return appended;
    CONFLUX_RETURN_IF_ERROR(txn.put(dbs.by_time, as_view(index_key), {}));
  }
  state.bytes += row_footprint(value.size());
  ++state.rows(format);
  counts.add(format, publisher, time_ns, 1);
  return ok();
}

Status erase_row(WriteTxn& txn, const MessageDbs& dbs, MessageFormat format, const RowKeyParts& key,
                 std::size_t value_size, MessageState& state, CountDeltas& counts) {
  CONFLUX_ASSIGN_OR_RETURN(bool had_row, txn.del(dbs.rows(format), as_view(row_key_of(key))));
  CONFLUX_RETURN_IF_ERROR(txn.del(dbs.by_time, as_view(index_key_of(format, key))));
  if (!had_row) return ok();
  const std::uint64_t footprint = row_footprint(value_size);
  state.bytes = state.bytes > footprint ? state.bytes - footprint : 0;
  auto& rows = state.rows(format);
  if (rows > 0) --rows;
  counts.add(format, key.publisher, key.time, -1);
  return ok();
}

Result<bool> row_exists(const Txn& txn, const MessageDbs& dbs, MessageFormat format,
                        const PublisherKey& publisher, std::int64_t time_ns,
                        std::string_view value) {
  std::string lo(as_view(make_row_key(publisher, time_ns, 0)));
  std::string hi(
      as_view(make_row_key(publisher, time_ns, std::numeric_limits<std::uint64_t>::max())));
  CONFLUX_ASSIGN_OR_RETURN(auto cursor, txn.cursor(dbs.rows(format)));
  for (auto found = cursor.seek(lo);; found = cursor.next()) {
    if (!found) return std::unexpected(found.error());
    if (!*found || (*found)->key > hi) return false;
    if ((*found)->value == value) return true;
  }
}

}  // namespace conflux::core::store
