// core/store/message_query.h — validating a MessageQuery and testing rows
// against its filters.
//
// Rules (Mainflux reader semantics):
// - format is senml or json; limit 1..1000 (ignored by exports);
// - name / value / string_value / bool_value / data_value apply to SenML rows
//   only and `filter` to JSON rows only: the other combination is
//   invalid_argument (rather than a silently ignored filter);
// - subtopic, protocol, name, string_value, data_value: exact equality;
//   value: `row.value <comparator> query.value`, rows without a numeric
//   value never match; bool_value: equality;
// - from inclusive, to exclusive (ns); from >= to is an empty range;
// - duplicate publishers are ignored.
// Aggregation is validated here too (see message_aggregation.h).
//
// Thread-safety: a CompiledQuery is immutable; `matches` is thread-safe.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "conflux/message_reader.h"
#include "conflux/status.h"
#include "core/store/message_aggregation.h"
#include "core/store/message_codec.h"
#include "core/store/message_json_path.h"

namespace conflux::core::store {

inline constexpr std::size_t kMaxQueryLimit = 1000;

struct CompiledQuery {
  MessageQuery query;  // the original, publishers deduplicated
  std::int64_t from = std::numeric_limits<std::int64_t>::min();  // inclusive
  std::int64_t to = std::numeric_limits<std::int64_t>::max();    // exclusive
  bool unbounded_to = true;  // no `to`: INT64_MAX itself is included
  std::optional<JsonFilter> filter;
  std::optional<AggregationSpec> aggregation;
  // True when some filter needs the row value (anything beyond publisher and
  // time); totals then need a full scan of the range.
  bool has_row_filters = false;

  bool empty_range() const noexcept { return !unbounded_to && from >= to; }
  bool time_in_range(std::int64_t t) const noexcept {
    return t >= from && (unbounded_to || t < to);
  }
};

enum class QueryUse { page, export_rows };

Result<CompiledQuery> compile_query(const MessageQuery& query, QueryUse use);

// Row-level filters (subtopic, protocol, SenML fields, JSON filter). The
// caller has already restricted publisher and time by key range.
bool matches_row_filters(const CompiledQuery& query, const RowView& row) noexcept;

}  // namespace conflux::core::store
