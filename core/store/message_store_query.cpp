// core/store/message_store_query.cpp — MessageStore queries (plain and
// aggregated pages) and CSV/JSON exports.
//
// Plain pages without row filters skip `offset` rows by key and read only
// the page's rows; their total comes from message_count.h. With row filters
// (or aggregation) every row of the range is decoded once.
//
// Thread-safety: see message_store.h.
#include <optional>

#include "core/store/message_aggregation.h"
#include "core/store/message_count.h"
#include "core/store/message_export.h"
#include "core/store/message_query.h"
#include "core/store/message_scan.h"
#include "core/store/message_store.h"

namespace conflux::core::store {
namespace {

constexpr std::size_t kExportRowsPerTxn = 10'000;

TimeRange range_of(const CompiledQuery& q) { return TimeRange{q.from, q.to, q.unbounded_to}; }

}  // namespace

Result<bool> MessageStore::load_row(RowScan& scan, MessageFormat format, RowView* row) {
  CONFLUX_ASSIGN_OR_RETURN(auto value, scan.value());
  if (!value) return false;  // an index entry whose row is gone
  auto outcome = decode_row(format, scan.key(), *value, row);
  if (outcome != DecodeOutcome::ok) {
    report_data_loss(format, scan.key(), outcome);
    return false;
  }
  if ((row->publisher_inline || scan.needs_publisher_check()) && !scan.lane_publisher().empty() &&
      !row->publisher_equals(scan.lane_publisher()))
    return false;  // another publisher sharing the 16-byte key
  return true;
}

Result<MessagePage> MessageStore::run_query(const MessageQuery& query) {
  CONFLUX_ASSIGN_OR_RETURN(auto cq, compile_query(query, QueryUse::page));
  MessagePage page;
  if (cq.empty_range()) return page;
  const MessageFormat format = cq.query.format;
  const std::size_t offset = cq.query.offset, limit = cq.query.limit;
  CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
  CONFLUX_ASSIGN_OR_RETURN(auto scan, RowScan::open(txn, dbs_, format, cq.query.publishers,
                                                    range_of(cq), cq.query.ascending));
  RowView row;
  if (cq.aggregation) {
    std::uint64_t buckets = 0;
    BucketAggregator aggregator(*cq.aggregation, [&](const Bucket& bucket) {
      if (buckets >= offset && page.records.size() < limit) page.records.push_back(bucket.result());
      ++buckets;
    });
    while (true) {
      CONFLUX_ASSIGN_OR_RETURN(bool more, scan.next());
      if (!more) break;
      CONFLUX_ASSIGN_OR_RETURN(bool loaded, load_row(scan, format, &row));
      if (loaded && matches_row_filters(cq, row)) aggregator.add(row);
    }
    aggregator.finish();
    page.total = buckets;
    return page;
  }

  const bool counted = !cq.has_row_filters;
  std::uint64_t matched = 0;
  while (!(counted && page.records.size() >= limit)) {
    CONFLUX_ASSIGN_OR_RETURN(bool more, scan.next());
    if (!more) break;
    if (counted && matched < offset) {
      ++matched;  // skipped by key: no need to read the row
      continue;
    }
    CONFLUX_ASSIGN_OR_RETURN(bool loaded, load_row(scan, format, &row));
    if (!loaded || !matches_row_filters(cq, row)) continue;
    if (matched >= offset && page.records.size() < limit) page.records.push_back(to_stored(row));
    ++matched;
  }
  if (counted) {
    CONFLUX_ASSIGN_OR_RETURN(page.total,
                             count_rows(txn, dbs_, format, cq.query.publishers, range_of(cq)));
  } else {
    page.total = matched;
  }
  return page;
}

Status MessageStore::run_export(const MessageQuery& query, ExportFormat format,
                                const ChunkSink& sink) {
  if (format != ExportFormat::csv && format != ExportFormat::json)
    return fail(ErrorCode::invalid_argument, "export format must be csv or json");
  CONFLUX_ASSIGN_OR_RETURN(auto cq, compile_query(query, QueryUse::export_rows));
  const MessageFormat rows = cq.query.format;
  ChunkWriter out(sink);
  RowExporter exporter(format, rows, out);
  exporter.begin();
  std::optional<RowKeyParts> resume;
  bool done = cq.empty_range();
  RowView row;
  while (!done && !out.stopped()) {
    // A fresh read transaction per segment keeps each one short.
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    CONFLUX_ASSIGN_OR_RETURN(auto scan, RowScan::open(txn, dbs_, rows, cq.query.publishers,
                                                      range_of(cq), cq.query.ascending, resume));
    for (std::size_t scanned = 0; scanned < kExportRowsPerTxn && !out.stopped(); ++scanned) {
      CONFLUX_ASSIGN_OR_RETURN(bool more, scan.next());
      if (!more) {
        done = true;
        break;
      }
      resume = scan.key();
      CONFLUX_ASSIGN_OR_RETURN(bool loaded, load_row(scan, rows, &row));
      if (loaded && matches_row_filters(cq, row)) exporter.row(row);
    }
  }
  exporter.end();
  return ok();
}

}  // namespace conflux::core::store
