// core/store/message_count.h — counting stored rows in a time range without
// reading them: per-publisher hour counts (messages.counts) for the whole
// hours of the range plus a key-only walk of the partial hours at its edges;
// without publishers the meta totals (unbounded range) or a key-only walk of
// the time index.
//
// Thread-safety: functions over one transaction.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "conflux/message.h"
#include "conflux/status.h"
#include "core/store/lmdb_env.h"
#include "core/store/message_scan.h"
#include "core/store/message_state.h"

namespace conflux::core::store {

// Entries of `dbi` with lo <= key < hi.
Result<std::uint64_t> count_keys(const Txn& txn, Dbi dbi, std::string_view lo, std::string_view hi);

// Rows of `format` of the (distinct) `publishers` (empty: all) in `range`.
Result<std::uint64_t> count_rows(const Txn& txn, const MessageDbs& dbs, MessageFormat format,
                                 std::span<const std::string> publishers, const TimeRange& range);

}  // namespace conflux::core::store
