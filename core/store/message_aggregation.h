// core/store/message_aggregation.h — time-bucket aggregation of query rows
// (Mainflux `agg_interval`, `agg_value`, `agg_type`, `agg_field`).
//
// Buckets are calendar-aligned in UTC: minute, hour and day buckets of width
// N are multiples of N units since the Unix epoch; weeks start on Monday
// (multiples of N weeks since Monday 1969-12-29); months are multiples of N
// months since January of year 0 (N = 3 gives quarters); years are multiples
// of N years since year 0.
//
// The field: SenML "value" (default) or "sum"; JSON a dotted path whose value
// must be a number (other values are ignored) — required for min, max, avg,
// sum and count on JSON rows.
//
// One result row per non-empty bucket, time (SenML `time`, and `created`) =
// the bucket start:
// - min, max, avg, sum, count: SenML rows carry the aggregate in `value`;
//   JSON rows carry the document {"<field>": aggregate}. Rows that lack the
//   field do not count. publisher, subtopic, protocol (and SenML name, unit)
//   are kept when every counted row of the bucket shares them, else "".
// - first, last: the earliest / latest row of the bucket (by time, then
//   insertion), everything copied except the time. For SenML the field is not
//   consulted; for JSON with a field only rows having the path count and the
//   document becomes {"<field>": value}; without a field, the whole document.
//
// Thread-safety: a BucketAggregator is used by one thread; its RowViews must
// stay valid (same read transaction) until the bucket is emitted.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "conflux/message_reader.h"
#include "conflux/status.h"
#include "core/store/message_codec.h"
#include "core/store/message_json_path.h"

namespace conflux::core::store {

enum class AggInterval { minute, hour, day, week, month, year };

struct AggregationSpec {
  AggregationType type = AggregationType::none;
  AggInterval interval = AggInterval::hour;
  std::uint32_t width = 1;
  MessageFormat format = MessageFormat::senml;
  bool senml_sum = false;              // SenML field is "sum"
  std::optional<JsonPath> json_field;  // JSON field, when given
};

// invalid_argument for an unknown interval or type, a width of 0 or one too
// wide, a SenML field other than value/sum, a bad JSON path, or a JSON
// numeric aggregation without a field.
Result<AggregationSpec> compile_aggregation(const Aggregation& aggregation, MessageFormat format);

// [start, end) of the bucket holding `time_ns`; saturates at the int64
// limits.
struct BucketBounds {
  std::int64_t start = 0;
  std::int64_t end = 0;
};
BucketBounds bucket_of(const AggregationSpec& spec, std::int64_t time_ns) noexcept;

// A completed bucket, valid during the emit callback.
class Bucket {
 public:
  std::int64_t start() const noexcept { return start_; }
  StoredRecord result() const;

 private:
  friend class BucketAggregator;
  const AggregationSpec* spec_ = nullptr;
  std::int64_t start_ = 0;
  std::int64_t end_ = 0;
  std::uint64_t count_ = 0;
  double sum_ = 0;
  double min_ = 0;
  double max_ = 0;
  std::optional<RowView> first_;
  std::optional<RowView> last_;
  RowView common_;
  bool mixed_publisher_ = false, mixed_subtopic_ = false, mixed_protocol_ = false,
       mixed_name_ = false, mixed_unit_ = false;
};

// Feeds rows ordered by time (ascending or descending, as scanned) and emits
// each non-empty bucket once it is complete.
class BucketAggregator {
 public:
  using Emit = std::function<void(const Bucket&)>;
  BucketAggregator(const AggregationSpec& spec, Emit emit);

  void add(const RowView& row);
  // Emits the last open bucket.
  void finish();

 private:
  void close_bucket();
  std::optional<double> field_of(const RowView& row) const;

  AggregationSpec spec_;
  Emit emit_;
  bool open_ = false;
  Bucket bucket_;
};

}  // namespace conflux::core::store
