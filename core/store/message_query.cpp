// core/store/message_query.cpp — query validation and row filters.
//
// Thread-safety: see the header.
#include "core/store/message_query.h"

#include <algorithm>
#include <cmath>

namespace conflux::core::store {

Result<CompiledQuery> compile_query(const MessageQuery& query, QueryUse use) {
  if (query.format != MessageFormat::senml && query.format != MessageFormat::json)
    return fail(ErrorCode::invalid_argument, "format must be senml or json");
  if (use == QueryUse::page && (query.limit == 0 || query.limit > kMaxQueryLimit))
    return fail(ErrorCode::invalid_argument, "limit must be between 1 and 1000");
  const bool senml = query.format == MessageFormat::senml;
  if (!senml && (!query.name.empty() || query.value || query.string_value || query.bool_value ||
                 query.data_value))
    return fail(ErrorCode::invalid_argument,
                "name, v, vs, vb and vd filters apply to SenML messages only");
  if (senml && !query.filter.empty())
    return fail(ErrorCode::invalid_argument, "filter applies to JSON messages only");
  if (query.value && std::isnan(*query.value))
    return fail(ErrorCode::invalid_argument, "v must be a number");
  switch (query.comparator) {
    case Comparator::eq:
    case Comparator::lt:
    case Comparator::le:
    case Comparator::gt:
    case Comparator::ge:
      break;
    default:
      return fail(ErrorCode::invalid_argument, "unknown comparator");
  }

  CompiledQuery out;
  out.query = query;
  auto& pubs = out.query.publishers;
  std::sort(pubs.begin(), pubs.end());
  pubs.erase(std::unique(pubs.begin(), pubs.end()), pubs.end());
  if (query.from) out.from = *query.from;
  if (query.to) {
    out.to = *query.to;
    out.unbounded_to = false;
  }
  if (!query.filter.empty()) {
    CONFLUX_ASSIGN_OR_RETURN(out.filter, JsonFilter::parse(query.filter));
  }
  if (query.aggregation.type != AggregationType::none && use == QueryUse::page) {
    CONFLUX_ASSIGN_OR_RETURN(out.aggregation, compile_aggregation(query.aggregation, query.format));
  }
  out.has_row_filters = !query.subtopic.empty() || !query.protocol.empty() || !query.name.empty() ||
                        query.value || query.string_value || query.bool_value || query.data_value ||
                        out.filter;
  return out;
}

bool matches_row_filters(const CompiledQuery& compiled, const RowView& row) noexcept {
  const MessageQuery& q = compiled.query;
  if (!q.subtopic.empty() && row.subtopic != q.subtopic) return false;
  if (!q.protocol.empty() && row.protocol != q.protocol) return false;
  if (row.format == MessageFormat::json) {
    return !compiled.filter || compiled.filter->matches_text(row.json);
  }
  if (!q.name.empty() && row.name != q.name) return false;
  if (q.value) {
    if (!row.value) return false;
    const double v = *row.value, want = *q.value;
    bool ok = false;
    switch (q.comparator) {
      case Comparator::eq:
        ok = v == want;
        break;
      case Comparator::lt:
        ok = v < want;
        break;
      case Comparator::le:
        ok = v <= want;
        break;
      case Comparator::gt:
        ok = v > want;
        break;
      case Comparator::ge:
        ok = v >= want;
        break;
    }
    if (!ok) return false;
  }
  if (q.string_value && row.string_value != std::string_view(*q.string_value)) return false;
  if (q.bool_value && row.bool_value != q.bool_value) return false;
  if (q.data_value && row.data_value != std::string_view(*q.data_value)) return false;
  return true;
}

}  // namespace conflux::core::store
