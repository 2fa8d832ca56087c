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

Result<MDB_cursor*> RowWriter::cursor(std::optional<Cursor>& slot, Dbi dbi) {
  if (!slot) {
    CONFLUX_ASSIGN_OR_RETURN(auto opened, txn_.cursor(dbi));
    slot.emplace(std::move(opened));
  }
  return slot->raw();
}

Status RowWriter::insert(const EncodedRows& rows, MessageState& state, CountDeltas& counts) {
  if (rows.empty()) return ok();
  CONFLUX_ASSIGN_OR_RETURN(MDB_cursor * index, cursor(index_, dbs_.by_time));
  if (!index_max_known_) {
    MDB_val key{0, nullptr};
    MDB_val value{0, nullptr};
    const int rc = mdb_cursor_get(index, &key, &value, MDB_LAST);
    if (rc == MDB_SUCCESS)
      index_max_.assign(static_cast<const char*>(key.mv_data), key.mv_size);
    else if (rc != MDB_NOTFOUND)
      return txn_.check(rc, "read message index");
    index_max_known_ = true;
  }
  for (const auto& row : rows.rows()) {
    const bool json = row.format == MessageFormat::json;
    CONFLUX_ASSIGN_OR_RETURN(MDB_cursor * data,
                             json ? cursor(json_, dbs_.json) : cursor(senml_, dbs_.senml));
    const std::uint64_t seq = state.next_seq++;
    auto row_key = make_row_key(row.publisher, row.time, seq);
    MDB_val key{row_key.size(), row_key.data()};
    MDB_val value{row.size, const_cast<char*>(rows.value(row).data())};
    if (int rc = mdb_cursor_put(data, &key, &value, 0); rc != MDB_SUCCESS)
      return txn_.check(rc, "put message row");
    // A key above the index's largest goes in with the cheap append at the
    // B-tree's right edge (should LMDB still refuse it, with MDB_KEYEXIST and
    // nothing written, the ordinary put follows).
    auto index_key = make_index_key(row.format, row.time, row.publisher, seq);
    MDB_val ikey{index_key.size(), index_key.data()};
    MDB_val empty{0, nullptr};
    const bool newest = as_view(index_key) > std::string_view(index_max_);
    int rc = mdb_cursor_put(index, &ikey, &empty, newest ? MDB_APPEND : 0);
    if (rc == MDB_KEYEXIST && newest) rc = mdb_cursor_put(index, &ikey, &empty, 0);
    if (rc != MDB_SUCCESS) return txn_.check(rc, "put message index");
    if (newest) index_max_.assign(as_view(index_key));
  }
  state.bytes += rows.bytes();
  state.senml_rows += rows.rows_of(MessageFormat::senml);
  state.json_rows += rows.rows_of(MessageFormat::json);
  counts.merge(rows.counts());
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
