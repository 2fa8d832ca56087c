// core/store/message_scan.cpp — ordered scans over publisher key ranges
// (merged) or the time index.
//
// Thread-safety: see the header.
#include "core/store/message_scan.h"

#include <algorithm>

namespace conflux::core::store {
namespace {

std::string max_tail(std::string prefix, std::size_t key_size) {
  // Every key of `key_size` bytes starting with `prefix` sorts before this.
  prefix.append(key_size - prefix.size(), '\xff');
  prefix.push_back('\0');
  return prefix;
}

// A cursor walking [lo, hi) in one direction.
struct Lane {
  Cursor cursor;
  std::string lo;
  std::string hi;
  std::string publisher;  // publisher lanes
  bool check_publisher = false;
  std::optional<Entry> at;
  RowKeyParts parts;
};

}  // namespace

std::pair<std::string, std::string> row_bounds(const PublisherKey& publisher,
                                               const TimeRange& range) {
  std::string lo(as_view(make_row_key(publisher, range.from, 0)));
  std::string hi = range.unbounded_to ? max_tail(std::string(as_view(publisher)), kRowKeySize)
                                      : std::string(as_view(make_row_key(publisher, range.to, 0)));
  return {std::move(lo), std::move(hi)};
}

std::pair<std::string, std::string> index_bounds(MessageFormat format, const TimeRange& range) {
  PublisherKey zero{};
  std::string lo(as_view(make_index_key(format, range.from, zero, 0)));
  std::string hi = range.unbounded_to
                       ? max_tail(std::string(1, static_cast<char>(format)), kIndexKeySize)
                       : std::string(as_view(make_index_key(format, range.to, zero, 0)));
  return {std::move(lo), std::move(hi)};
}

struct RowScan::Impl {
  const Txn* txn = nullptr;
  Dbi rows = 0;
  bool by_index = false;
  bool ascending = false;
  std::vector<Lane> lanes;
  std::vector<std::size_t> heap;
  std::ptrdiff_t current = -1;

  bool before(const RowKeyParts& a, const RowKeyParts& b) const {
    bool less = a.time != b.time ? a.time < b.time : a.seq < b.seq;
    bool greater = a.time != b.time ? a.time > b.time : a.seq > b.seq;
    return ascending ? less : greater;
  }
  auto heap_order() {
    return [this](std::size_t x, std::size_t y) { return before(lanes[y].parts, lanes[x].parts); };
  }

  // Accepts the entry the cursor landed on if it is inside the lane's range.
  Status settle(Lane& lane, Cursor::Found found) {
    if (!found) return std::unexpected(found.error());
    lane.at.reset();
    if (!*found) return ok();
    std::string_view key = (*found)->key;
    if (key < lane.lo || key >= lane.hi) return ok();
    std::optional<RowKeyParts> parts =
        by_index ? parse_index_key(key, nullptr) : parse_row_key(key);
    if (!parts) return ok();  // a foreign key size ends the lane
    lane.parts = *parts;
    lane.at = *found;
    return ok();
  }

  Status position(Lane& lane) {
    if (ascending) return settle(lane, lane.cursor.seek(lane.lo));
    auto found = lane.cursor.seek(lane.hi);
    if (!found) return std::unexpected(found.error());
    return settle(lane, *found ? lane.cursor.prev() : lane.cursor.last());
  }

  Status advance(Lane& lane) {
    return settle(lane, ascending ? lane.cursor.next() : lane.cursor.prev());
  }
};

Result<RowScan> RowScan::open(const Txn& txn, const MessageDbs& dbs, MessageFormat format,
                              std::span<const std::string> publishers, const TimeRange& range,
                              bool ascending, const std::optional<RowKeyParts>& resume_after) {
  auto impl = std::make_unique<Impl>();
  impl->txn = &txn;
  impl->rows = dbs.rows(format);
  impl->ascending = ascending;
  impl->by_index = publishers.empty();
  if (!range.empty()) {
    if (impl->by_index) {
      CONFLUX_ASSIGN_OR_RETURN(auto cursor, txn.cursor(dbs.by_time));
      auto [lo, hi] = index_bounds(format, range);
      if (resume_after) {
        std::string last(as_view(index_key_of(format, *resume_after)));
        if (ascending) {
          last.push_back('\0');
          lo = std::max(lo, last);
        } else {
          hi = std::min(hi, last);
        }
      }
      impl->lanes.push_back(
          Lane{std::move(cursor), std::move(lo), std::move(hi), {}, false, {}, {}});
    } else {
      for (const auto& publisher : publishers) {
        CONFLUX_ASSIGN_OR_RETURN(auto cursor, txn.cursor(impl->rows));
        PublisherKey pk = publisher_key(publisher);
        auto [lo, hi] = row_bounds(pk, range);
        if (resume_after) {
          const RowKeyParts& r = *resume_after;
          if (ascending) {
            std::string after = r.seq == std::numeric_limits<std::uint64_t>::max()
                                    ? std::string(as_view(make_row_key(pk, r.time, r.seq))) + '\0'
                                    : std::string(as_view(make_row_key(pk, r.time, r.seq + 1)));
            lo = std::max(lo, after);
          } else {
            hi = std::min(hi, std::string(as_view(make_row_key(pk, r.time, r.seq))));
          }
        }
        impl->lanes.push_back(Lane{std::move(cursor),
                                   std::move(lo),
                                   std::move(hi),
                                   publisher,
                                   !publisher_is_uuid(publisher),
                                   {},
                                   {}});
      }
    }
    for (std::size_t i = 0; i < impl->lanes.size(); ++i) {
      CONFLUX_RETURN_IF_ERROR(impl->position(impl->lanes[i]));
      if (impl->lanes[i].at) impl->heap.push_back(i);
    }
    std::make_heap(impl->heap.begin(), impl->heap.end(), impl->heap_order());
  }
  return RowScan(std::move(impl));
}

RowScan::RowScan(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RowScan::RowScan(RowScan&&) noexcept = default;
RowScan& RowScan::operator=(RowScan&&) noexcept = default;
RowScan::~RowScan() = default;

Result<bool> RowScan::next() {
  Impl& s = *impl_;
  auto order = s.heap_order();
  if (s.current >= 0) {
    Lane& lane = s.lanes[static_cast<std::size_t>(s.current)];
    CONFLUX_RETURN_IF_ERROR(s.advance(lane));
    if (lane.at) {
      s.heap.push_back(static_cast<std::size_t>(s.current));
      std::push_heap(s.heap.begin(), s.heap.end(), order);
    }
    s.current = -1;
  }
  if (s.heap.empty()) return false;
  std::pop_heap(s.heap.begin(), s.heap.end(), order);
  s.current = static_cast<std::ptrdiff_t>(s.heap.back());
  s.heap.pop_back();
  return true;
}

const RowKeyParts& RowScan::key() const noexcept {
  return impl_->lanes[static_cast<std::size_t>(impl_->current)].parts;
}

Result<std::optional<std::string_view>> RowScan::value() {
  Impl& s = *impl_;
  const Lane& lane = s.lanes[static_cast<std::size_t>(s.current)];
  if (!s.by_index) return std::optional<std::string_view>(lane.at->value);
  return s.txn->get(s.rows, as_view(row_key_of(lane.parts)));
}

bool RowScan::needs_publisher_check() const noexcept {
  return impl_->lanes[static_cast<std::size_t>(impl_->current)].check_publisher;
}

std::string_view RowScan::lane_publisher() const noexcept {
  return impl_->lanes[static_cast<std::size_t>(impl_->current)].publisher;
}

}  // namespace conflux::core::store
