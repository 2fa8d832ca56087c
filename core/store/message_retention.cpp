// core/store/message_retention.cpp — MessageStore::apply_retention: one
// bounded step deleting the oldest rows of both formats (merged by time via
// the time index) while they are older than the age limit or the store is
// over its size limit.
//
// Thread-safety: see message_store.h.
#include <limits>
#include <optional>
#include <vector>

#include "core/store/message_rows.h"
#include "core/store/message_scan.h"
#include "core/store/message_store.h"

namespace conflux::core::store {
namespace {

struct Oldest {
  MessageFormat format;
  RowKeyParts key;
  std::size_t value_size = 0;
};

// The time index entries of one format, oldest first.
struct IndexHead {
  MessageFormat format;
  Cursor cursor;
  std::string hi;
  std::optional<RowKeyParts> at;

  Status settle(Cursor::Found found) {
    if (!found) return std::unexpected(found.error());
    at.reset();
    if (*found && (*found)->key < hi) at = parse_index_key((*found)->key, nullptr);
    return ok();
  }
};

}  // namespace

Result<bool> MessageStore::retention_due(std::optional<std::int64_t> cutoff,
                                         std::uint64_t max_size_bytes) {
  CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
  CONFLUX_ASSIGN_OR_RETURN(auto state, load_state(txn, dbs_));
  if (max_size_bytes != 0 && state.bytes > max_size_bytes) return true;
  if (!cutoff) return false;
  CONFLUX_ASSIGN_OR_RETURN(auto cursor, txn.cursor(dbs_.by_time));
  for (MessageFormat format : {MessageFormat::senml, MessageFormat::json}) {
    auto [lo, hi] = index_bounds(format, TimeRange{});
    auto found = cursor.seek(lo);
    if (!found) return std::unexpected(found.error());
    if (!*found || (*found)->key >= hi) continue;
    auto key = parse_index_key((*found)->key, nullptr);
    if (key && key->time < *cutoff) return true;
  }
  return false;
}

Result<std::uint64_t> MessageStore::run_retention(std::int64_t now_ns,
                                                  std::chrono::milliseconds max_age,
                                                  std::uint64_t max_size_bytes,
                                                  std::size_t max_rows) {
  if (max_rows == 0 || (max_age.count() <= 0 && max_size_bytes == 0)) return std::uint64_t{0};
  std::optional<std::int64_t> cutoff;
  if (max_age.count() > 0) {
    __int128 c = __int128{now_ns} -
                 __int128{std::chrono::duration_cast<std::chrono::nanoseconds>(max_age).count()};
    cutoff = c < std::numeric_limits<std::int64_t>::min() ? std::numeric_limits<std::int64_t>::min()
                                                          : static_cast<std::int64_t>(c);
  }
  CONFLUX_ASSIGN_OR_RETURN(bool due, retention_due(cutoff, max_size_bytes));
  if (!due) return std::uint64_t{0};  // no write job (and no commit) when idle
  std::uint64_t deleted = 0;
  CONFLUX_RETURN_IF_ERROR(env_.write_sync([&](WriteTxn& txn) -> Status {
    deleted = 0;
    CONFLUX_ASSIGN_OR_RETURN(auto state, load_state(txn, dbs_));
    std::uint64_t bytes = state.bytes;
    std::vector<Oldest> doomed;
    {
      std::vector<IndexHead> heads;
      for (MessageFormat format : {MessageFormat::senml, MessageFormat::json}) {
        CONFLUX_ASSIGN_OR_RETURN(auto cursor, txn.cursor(dbs_.by_time));
        auto [lo, hi] = index_bounds(format, TimeRange{});
        heads.push_back(IndexHead{format, std::move(cursor), hi, std::nullopt});
        CONFLUX_RETURN_IF_ERROR(heads.back().settle(heads.back().cursor.seek(lo)));
      }
      while (doomed.size() < max_rows) {
        IndexHead* oldest = nullptr;
        for (auto& head : heads)
          if (head.at && (!oldest || head.at->time < oldest->at->time)) oldest = &head;
        if (!oldest) break;
        const bool expired = cutoff && oldest->at->time < *cutoff;
        const bool oversize = max_size_bytes != 0 && bytes > max_size_bytes;
        if (!expired && !oversize) break;
        CONFLUX_ASSIGN_OR_RETURN(
            auto row, txn.get(dbs_.rows(oldest->format), as_view(row_key_of(*oldest->at))));
        const std::size_t size = row ? row->size() : 0;
        if (row) bytes -= std::min(bytes, row_footprint(size));
        doomed.push_back(Oldest{oldest->format, *oldest->at, size});
        CONFLUX_RETURN_IF_ERROR(oldest->settle(oldest->cursor.next()));
      }
    }
    CountDeltas counts;
    for (const Oldest& d : doomed)
      CONFLUX_RETURN_IF_ERROR(erase_row(txn, dbs_, d.format, d.key, d.value_size, state, counts));
    CONFLUX_RETURN_IF_ERROR(counts.apply(txn, dbs_));
    deleted = doomed.size();
    if (doomed.empty()) return ok();
    return save_state(txn, dbs_, state);
  }));
  rows_deleted_.inc(deleted);
  return deleted;
}

}  // namespace conflux::core::store
