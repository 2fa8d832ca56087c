// core/store/message_rows.h — inserting and erasing message rows with their
// time index entries, row counts and state, inside a write job. Every writer
// of the message store (append, restore, remove, retention) goes through
// these functions, so the index and the bookkeeping cannot drift apart.
//
// Thread-safety: used on the writer thread inside one transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "conflux/message.h"
#include "conflux/status.h"
#include "core/store/lmdb_env.h"
#include "core/store/message_encoded_rows.h"
#include "core/store/message_keys.h"
#include "core/store/message_state.h"

namespace conflux::core::store {

// Stores pre-encoded rows (sequence numbers state.next_seq++ in row order)
// through cursors kept open for the whole job: consecutive keys of one
// publisher then skip LMDB's tree descent, and index keys newer than every
// stored one are appended at the B-tree's right edge. Lives inside one write
// job (the cursors close with it). Other writes to messages.by_time in the
// same job only make the append guess wrong (slower), never the result.
class RowWriter {
 public:
  RowWriter(WriteTxn& txn, const MessageDbs& dbs) : txn_(txn), dbs_(dbs) {}
  Status insert(const EncodedRows& rows, MessageState& state, CountDeltas& counts);

 private:
  Result<MDB_cursor*> cursor(std::optional<Cursor>& slot, Dbi dbi);

  WriteTxn& txn_;
  const MessageDbs& dbs_;
  std::optional<Cursor> senml_;
  std::optional<Cursor> json_;
  std::optional<Cursor> index_;
  // The largest messages.by_time key (empty: none), read once per job and
  // kept up to date, so only keys that can be appended are tried.
  std::string index_max_;
  bool index_max_known_ = false;
};

// Stores `value` as a new row of `format` (sequence state.next_seq++).
Status insert_row(WriteTxn& txn, const MessageDbs& dbs, MessageFormat format,
                  const PublisherKey& publisher, std::int64_t time_ns, std::string_view value,
                  MessageState& state, CountDeltas& counts);

// Removes the row `key` of `format` whose value is `value_size` bytes long,
// and its index entry.
Status erase_row(WriteTxn& txn, const MessageDbs& dbs, MessageFormat format, const RowKeyParts& key,
                 std::size_t value_size, MessageState& state, CountDeltas& counts);

// True when a row of `format` with exactly `value` is stored for
// (publisher, time) — restore's duplicate test.
Result<bool> row_exists(const Txn& txn, const MessageDbs& dbs, MessageFormat format,
                        const PublisherKey& publisher, std::int64_t time_ns,
                        std::string_view value);

}  // namespace conflux::core::store
