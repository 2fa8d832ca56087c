// core/store/message_rows.h — inserting and erasing one message row with its
// time index entry, row counts and state, inside a write job. Every writer of
// the message store (append, restore, remove, retention) goes through these
// two functions, so the index and the bookkeeping cannot drift apart.
//
// Thread-safety: used on the writer thread inside one transaction.
#pragma once

#include <cstdint>
#include <string_view>

#include "conflux/message.h"
#include "conflux/status.h"
#include "core/store/lmdb_env.h"
#include "core/store/message_keys.h"
#include "core/store/message_state.h"

namespace conflux::core::store {

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
