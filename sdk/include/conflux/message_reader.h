// conflux/message_reader.h — reading, deleting, exporting and backing up
// stored messages (what /reader/... serves).
//
// Stored rows: one per SenML record (with its message's publisher, subtopic,
// protocol) and one per JSON message. Queries follow the Mainflux reader:
// every filter is optional; `from` is inclusive and `to` exclusive (ns);
// results are newest first unless `ascending`; `total` counts every match
// ignoring offset/limit.
//
// Found with `host.find<conflux::MessageReader>()`.
//
// Thread-safety: all methods may be called from any thread. They read a
// consistent snapshot and never block writers; sinks are called on the
// caller's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/message.h"
#include "conflux/status.h"

namespace conflux {

enum class Comparator : std::uint8_t { eq, lt, le, gt, ge };

enum class AggregationType : std::uint8_t { none, min, max, avg, count, sum, first, last };

// Time-bucket aggregation (type none: off). Buckets are calendar-aligned in
// UTC (weeks start on Monday; N months/years are multiples of N since year
// 0). One result row per non-empty bucket, newest first unless ascending,
// with time (SenML `time`, and `created`) = the bucket start; offset/limit
// page over buckets and `total` counts them.
// - min, max, avg, sum, count: SenML rows carry the aggregate in
//   `senml.value`; JSON rows the document {"<field>": aggregate}; rows
//   without the (numeric) field are ignored; publisher/subtopic/protocol
//   (and SenML name/unit) are kept when the whole bucket shares them.
// - first, last: the bucket's earliest/latest row (time = bucket start); a
//   JSON field narrows the document to {"<field>": value}.
struct Aggregation {
  AggregationType type = AggregationType::none;
  std::string interval;     // "minute", "hour", "day", "week", "month", "year"
  std::uint32_t value = 1;  // bucket width in `interval` units, e.g. 15 minutes
  std::string field;        // SenML: "value" (default) or "sum"; JSON: dotted path
                            // (required for min/max/avg/sum/count)
};

struct MessageQuery {
  MessageFormat format = MessageFormat::senml;  // which rows: SenML records or JSON messages
  std::vector<std::string> publishers;          // empty: any publisher
  std::string subtopic;
  std::string protocol;
  std::string name;  // SenML record name (name, value, vs, vb, vd: SenML rows only)
  std::optional<double> value;
  Comparator comparator = Comparator::eq;  // applies to `value`
  std::optional<std::string> string_value;
  std::optional<bool> bool_value;
  std::optional<std::string> data_value;
  std::optional<std::int64_t> from;  // ns, inclusive
  std::optional<std::int64_t> to;    // ns, exclusive
  // JSON rows only: `path.to.field` (exists) or `path.to.field=value`, where
  // value is read as JSON when it parses (20, 2.5, true, null, "text") and
  // as a string otherwise; numbers compare numerically. A numeric segment
  // also indexes arrays (`list.0.v`).
  std::string filter;
  std::size_t offset = 0;
  std::size_t limit = 10;  // 1..1000
  bool ascending = false;
  Aggregation aggregation;
};

// One stored row.
struct StoredRecord {
  std::string message_id;
  std::string publisher;
  std::string subtopic;
  std::string protocol;
  std::int64_t created = 0;  // the message's reception time (ns)
  MessageFormat format = MessageFormat::senml;
  SenmlRecord senml;  // format == senml (aggregated rows: time = bucket start)
  std::string json;   // format == json: the document

  friend bool operator==(const StoredRecord&, const StoredRecord&) = default;
};

struct MessagePage {
  std::uint64_t total = 0;
  std::vector<StoredRecord> records;
};

enum class ExportFormat : std::uint8_t { json, csv };

// Receives output a chunk at a time; return false to stop early.
using ChunkSink = std::function<bool(std::string_view chunk)>;
// Fills `buffer`; returns the bytes written, 0 at the end, or an error.
using ChunkSource = std::function<Result<std::size_t>(std::span<char> buffer)>;

class MessageReader {
 public:
  static constexpr std::string_view kInterfaceName = "conflux.message_reader.v1";
  virtual ~MessageReader() = default;

  // invalid_argument for a bad query (limit 0 or > 1000, unknown interval,
  // a SenML filter on JSON rows or `filter` on SenML rows, ...).
  virtual Result<MessagePage> query(const MessageQuery& query) noexcept = 0;
  // Deletes the rows of `format` for the publishers (empty: all) in [from, to).
  // Returns the number of rows deleted, after the commit.
  // remove and restore wait for durable commits: never call them on an io
  // thread or from inside a store write job.
  virtual Result<std::uint64_t> remove(MessageFormat format,
                                       std::span<const std::string> publishers,
                                       std::optional<std::int64_t> from,
                                       std::optional<std::int64_t> to) noexcept = 0;
  // Streams every row matching `query` (offset/limit ignored) as JSON (an
  // array) or CSV with the Mainflux header.
  virtual Status export_rows(const MessageQuery& query, ExportFormat format,
                             const ChunkSink& sink) noexcept = 0;
  // Streams a consistent backup of every stored message.
  virtual Status backup(const ChunkSink& sink) noexcept = 0;
  // Restores a backup stream, adding its rows (existing rows are kept; rows
  // already present are not duplicated). Returns the rows restored.
  virtual Result<std::uint64_t> restore(const ChunkSource& source) noexcept = 0;
};

}  // namespace conflux
