// core/store/message_count.cpp — range counts from hour buckets and key walks.
//
// Thread-safety: see the header.
#include "core/store/message_count.h"

#include <limits>

namespace conflux::core::store {
namespace {

using i128 = __int128;
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

std::int64_t hour_start(std::int64_t hour) noexcept {
  i128 v = i128{hour} * kNsPerHour;
  if (v < kMin) return kMin;
  if (v > kMax) return kMax;
  return static_cast<std::int64_t>(v);
}

// Sum of the hour counts in [first_hour, end_hour), or nullopt when an entry
// cannot be read.
Result<std::optional<std::uint64_t>> sum_hours(const Txn& txn, const MessageDbs& dbs,
                                               MessageFormat format, const PublisherKey& pk,
                                               std::int64_t first_hour, std::int64_t end_hour,
                                               bool unbounded_end) {
  std::string lo(as_view(make_count_key(format, pk, first_hour)));
  std::string hi;
  if (unbounded_end) {
    hi = std::string(1, static_cast<char>(format)) + std::string(as_view(pk));
    hi.append(8, '\xff');
    hi.push_back('\0');
  } else {
    hi = std::string(as_view(make_count_key(format, pk, end_hour)));
  }
  CONFLUX_ASSIGN_OR_RETURN(auto cursor, txn.cursor(dbs.counts));
  std::uint64_t total = 0;
  for (auto found = cursor.seek(lo);; found = cursor.next()) {
    if (!found) return std::unexpected(found.error());
    if (!*found || (*found)->key >= hi) break;
    auto n = decode_count((*found)->value);
    if (!n) return std::optional<std::uint64_t>();
    total += *n;
  }
  return std::optional<std::uint64_t>(total);
}

Result<std::uint64_t> count_publisher(const Txn& txn, const MessageDbs& dbs, MessageFormat format,
                                      const PublisherKey& pk, const TimeRange& range) {
  const Dbi rows = dbs.rows(format);
  auto walk = [&](const TimeRange& part) -> Result<std::uint64_t> {
    if (part.empty()) return std::uint64_t{0};
    auto [lo, hi] = row_bounds(pk, part);
    return count_keys(txn, rows, lo, hi);
  };
  // Whole hours [first_full, end_full) inside the range.
  std::int64_t first_full = hour_of(range.from);
  bool lo_edge = range.from != kMin && hour_start(first_full) != range.from;
  if (lo_edge) ++first_full;
  std::int64_t end_full = 0;
  bool hi_edge = false;
  if (range.unbounded_to) {
    end_full = hour_of(kMax) + 1;
  } else {
    end_full = hour_of(range.to);
    hi_edge = hour_start(end_full) != range.to;
  }
  if (first_full >= end_full) return walk(range);
  CONFLUX_ASSIGN_OR_RETURN(
      auto middle, sum_hours(txn, dbs, format, pk, first_full, end_full, range.unbounded_to));
  if (!middle) return walk(range);
  std::uint64_t total = *middle;
  if (lo_edge) {
    CONFLUX_ASSIGN_OR_RETURN(auto n, walk(TimeRange{range.from, hour_start(first_full), false}));
    total += n;
  }
  if (hi_edge) {
    CONFLUX_ASSIGN_OR_RETURN(auto n, walk(TimeRange{hour_start(end_full), range.to, false}));
    total += n;
  }
  return total;
}

}  // namespace

Result<std::uint64_t> count_keys(const Txn& txn, Dbi dbi, std::string_view lo,
                                 std::string_view hi) {
  CONFLUX_ASSIGN_OR_RETURN(auto cursor, txn.cursor(dbi));
  std::uint64_t n = 0;
  for (auto found = cursor.seek(lo);; found = cursor.next()) {
    if (!found) return std::unexpected(found.error());
    if (!*found || (*found)->key >= hi) break;
    ++n;
  }
  return n;
}

Result<std::uint64_t> count_rows(const Txn& txn, const MessageDbs& dbs, MessageFormat format,
                                 std::span<const std::string> publishers, const TimeRange& range) {
  if (range.empty()) return std::uint64_t{0};
  if (publishers.empty()) {
    if (range.from == kMin && range.unbounded_to) {
      CONFLUX_ASSIGN_OR_RETURN(auto state, load_state(txn, dbs));
      return state.rows(format);
    }
    auto [lo, hi] = index_bounds(format, range);
    return count_keys(txn, dbs.by_time, lo, hi);
  }
  std::uint64_t total = 0;
  for (const auto& publisher : publishers) {
    CONFLUX_ASSIGN_OR_RETURN(auto n,
                             count_publisher(txn, dbs, format, publisher_key(publisher), range));
    total += n;
  }
  return total;
}

}  // namespace conflux::core::store
