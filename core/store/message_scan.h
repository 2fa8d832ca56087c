// core/store/message_scan.h — walks the rows of one format in time order
// inside a transaction, choosing the access path:
// - with publishers: one cursor per publisher over its key range
//   publisher16|from .. publisher16|to of the row database, merged by
//   (time, seq) — a short walk for "newest N of a publisher";
// - without: the time index range format|from .. format|to, each entry
//   looked up in the row database.
// A scan can resume strictly after a position of an earlier scan (in a new
// transaction), which exports use to keep read transactions short.
//
// Thread-safety: a RowScan belongs to one thread and must not outlive its
// transaction.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/message.h"
#include "conflux/status.h"
#include "core/store/lmdb_env.h"
#include "core/store/message_keys.h"
#include "core/store/message_state.h"

namespace conflux::core::store {

// [from, to) in ns; `to` unbounded includes INT64_MAX itself.
struct TimeRange {
  std::int64_t from = std::numeric_limits<std::int64_t>::min();
  std::int64_t to = std::numeric_limits<std::int64_t>::max();
  bool unbounded_to = true;

  bool empty() const noexcept { return !unbounded_to && from >= to; }
};

// Byte-string bounds [lo, hi) of a publisher's rows in `range`.
std::pair<std::string, std::string> row_bounds(const PublisherKey& publisher,
                                               const TimeRange& range);
// Byte-string bounds [lo, hi) of a format's time index entries in `range`.
std::pair<std::string, std::string> index_bounds(MessageFormat format, const TimeRange& range);

class RowScan {
 public:
  static Result<RowScan> open(const Txn& txn, const MessageDbs& dbs, MessageFormat format,
                              std::span<const std::string> publishers, const TimeRange& range,
                              bool ascending,
                              const std::optional<RowKeyParts>& resume_after = std::nullopt);
  RowScan(RowScan&&) noexcept;
  RowScan& operator=(RowScan&&) noexcept;
  ~RowScan();

  // Advances to the next row; false at the end.
  Result<bool> next();
  // The current row's key parts (valid after next() returned true).
  const RowKeyParts& key() const noexcept;
  // The current row's value; nullopt for an index entry without its row.
  Result<std::optional<std::string_view>> value();
  // True when the current row came from a publisher lane whose id is not a
  // UUID (its rows must be checked against the id after decoding).
  bool needs_publisher_check() const noexcept;
  // The publisher id of the lane (publisher scans only), else "".
  std::string_view lane_publisher() const noexcept;

 private:
  struct Impl;
  explicit RowScan(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace conflux::core::store
