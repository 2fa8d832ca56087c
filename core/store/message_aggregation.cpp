// core/store/message_aggregation.cpp — bucket arithmetic and streaming
// aggregation of query rows.
//
// Thread-safety: see the header.
#include "core/store/message_aggregation.h"

#include <algorithm>
#include <chrono>
#include <limits>

namespace conflux::core::store {
namespace {

using i128 = __int128;
constexpr std::int64_t kNsPerMinute = 60'000'000'000;
constexpr std::int64_t kNsPerDay = 86'400'000'000'000;
constexpr std::int64_t kNsPerWeek = 7 * kNsPerDay;
// Monday 1969-12-29 00:00 UTC, the origin of week buckets.
constexpr std::int64_t kWeekOrigin = -3 * kNsPerDay;
constexpr std::uint32_t kMaxWidth = 1'000'000;
constexpr i128 kMaxFixedWidthNs = i128{1} << 61;

std::int64_t saturate(i128 v) noexcept {
  if (v > std::numeric_limits<std::int64_t>::max()) return std::numeric_limits<std::int64_t>::max();
  if (v < std::numeric_limits<std::int64_t>::min()) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(v);
}

i128 floor_div(i128 a, i128 b) noexcept {
  i128 q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

std::int64_t fixed_unit(AggInterval interval) noexcept {
  switch (interval) {
    case AggInterval::minute:
      return kNsPerMinute;
    case AggInterval::hour:
      return kNsPerHour;
    case AggInterval::day:
      return kNsPerDay;
    case AggInterval::week:
      return kNsPerWeek;
    default:
      return 0;
  }
}

// ns at 00:00 UTC of the first day of month index `index` (year * 12 + month0).
i128 month_start_ns(i128 index) noexcept {
  using namespace std::chrono;
  auto y = static_cast<int>(std::clamp<i128>(floor_div(index, 12), -32767, 32767));
  auto m = static_cast<unsigned>(index - floor_div(index, 12) * 12) + 1;
  sys_days days{year{y} / month{m} / day{1}};
  return i128{days.time_since_epoch().count()} * kNsPerDay;
}

std::optional<AggInterval> parse_interval(std::string_view s) {
  if (s == "minute") return AggInterval::minute;
  if (s == "hour") return AggInterval::hour;
  if (s == "day") return AggInterval::day;
  if (s == "week") return AggInterval::week;
  if (s == "month") return AggInterval::month;
  if (s == "year") return AggInterval::year;
  return std::nullopt;
}

bool numeric_type(AggregationType t) {
  return t == AggregationType::min || t == AggregationType::max || t == AggregationType::avg ||
         t == AggregationType::sum || t == AggregationType::count;
}

std::string json_number(double v) {
  nlohmann::json j = v;
  return j.dump();
}

}  // namespace

Result<AggregationSpec> compile_aggregation(const Aggregation& aggregation, MessageFormat format) {
  AggregationSpec spec;
  spec.type = aggregation.type;
  spec.format = format;
  switch (aggregation.type) {
    case AggregationType::min:
    case AggregationType::max:
    case AggregationType::avg:
    case AggregationType::count:
    case AggregationType::sum:
    case AggregationType::first:
    case AggregationType::last:
      break;
    default:
      return fail(ErrorCode::invalid_argument, "unknown aggregation type");
  }
  auto interval = parse_interval(aggregation.interval);
  if (!interval)
    return fail(ErrorCode::invalid_argument,
                "agg_interval must be one of minute, hour, day, week, month, year");
  spec.interval = *interval;
  if (aggregation.value == 0 || aggregation.value > kMaxWidth)
    return fail(ErrorCode::invalid_argument, "agg_value must be 1..1000000");
  if (auto unit = fixed_unit(spec.interval);
      unit && i128{unit} * aggregation.value > kMaxFixedWidthNs)
    return fail(ErrorCode::invalid_argument, "agg_value is too large for agg_interval");
  spec.width = aggregation.value;
  if (format == MessageFormat::senml) {
    if (aggregation.field == "sum") {
      spec.senml_sum = true;
    } else if (!aggregation.field.empty() && aggregation.field != "value") {
      return fail(ErrorCode::invalid_argument, "agg_field of SenML rows must be value or sum");
    }
  } else {
    if (!aggregation.field.empty()) {
      CONFLUX_ASSIGN_OR_RETURN(spec.json_field, JsonPath::parse(aggregation.field));
    } else if (numeric_type(spec.type)) {
      return fail(ErrorCode::invalid_argument, "agg_field is required to aggregate JSON rows");
    }
  }
  return spec;
}

BucketBounds bucket_of(const AggregationSpec& spec, std::int64_t time_ns) noexcept {
  if (auto unit = fixed_unit(spec.interval)) {
    i128 width = i128{unit} * spec.width;
    i128 origin = spec.interval == AggInterval::week ? kWeekOrigin : 0;
    i128 start = floor_div(i128{time_ns} - origin, width) * width + origin;
    return {saturate(start), saturate(start + width)};
  }
  using namespace std::chrono;
  auto days = floor_div(time_ns, kNsPerDay);
  year_month_day ymd{sys_days{std::chrono::days{static_cast<int>(days)}}};
  i128 index = i128{static_cast<int>(ymd.year())} * 12 + static_cast<unsigned>(ymd.month()) - 1;
  i128 step = spec.interval == AggInterval::month ? i128{spec.width} : i128{spec.width} * 12;
  // Years align on multiples of N years: index of January of that year.
  i128 first = floor_div(index, step) * step;
  return {saturate(month_start_ns(first)), saturate(month_start_ns(first + step))};
}

StoredRecord Bucket::result() const {
  StoredRecord out;
  const bool json = spec_->format == MessageFormat::json;
  if (spec_->type == AggregationType::first || spec_->type == AggregationType::last) {
    const RowView& row = spec_->type == AggregationType::first ? *first_ : *last_;
    out = to_stored(row);
    out.senml.time = json ? 0 : start_;
    if (json) {
      out.created = start_;
      if (spec_->json_field) {
        auto doc = parse_document(row.json);
        const nlohmann::json* v = doc.is_discarded() ? nullptr : spec_->json_field->find(doc);
        nlohmann::json wrapped = nlohmann::json::object();
        wrapped[spec_->json_field->text()] = v ? *v : nlohmann::json();
        out.json = wrapped.dump();
      }
    }
    return out;
  }
  double value = 0;
  switch (spec_->type) {
    case AggregationType::min:
      value = min_;
      break;
    case AggregationType::max:
      value = max_;
      break;
    case AggregationType::sum:
      value = sum_;
      break;
    case AggregationType::count:
      value = static_cast<double>(count_);
      break;
    case AggregationType::avg:
      value = sum_ / static_cast<double>(count_);
      break;
    default:
      break;
  }
  out.format = spec_->format;
  out.created = start_;
  out.publisher = mixed_publisher_ ? std::string() : common_.publisher_id();
  out.subtopic = mixed_subtopic_ ? std::string() : std::string(common_.subtopic);
  out.protocol = mixed_protocol_ ? std::string() : std::string(common_.protocol);
  if (json) {
    const std::string number =
        spec_->type == AggregationType::count ? std::to_string(count_) : json_number(value);
    out.json = "{" + nlohmann::json(spec_->json_field->text()).dump() + ":" + number + "}";
  } else {
    out.senml.time = start_;
    out.senml.value = value;
    out.senml.name = mixed_name_ ? std::string() : std::string(common_.name);
    out.senml.unit = mixed_unit_ ? std::string() : std::string(common_.unit);
  }
  return out;
}

BucketAggregator::BucketAggregator(const AggregationSpec& spec, Emit emit)
    : spec_(spec), emit_(std::move(emit)) {
  bucket_.spec_ = &spec_;
}

std::optional<double> BucketAggregator::field_of(const RowView& row) const {
  if (spec_.format == MessageFormat::senml) return spec_.senml_sum ? row.sum : row.value;
  auto doc = parse_document(row.json);
  if (doc.is_discarded()) return std::nullopt;
  const nlohmann::json* v = spec_.json_field->find(doc);
  if (!v || !v->is_number()) return std::nullopt;
  return v->get<double>();
}

void BucketAggregator::add(const RowView& row) {
  const std::int64_t t = row.key.time;
  if (open_ && (t < bucket_.start_ || t >= bucket_.end_) &&
      bucket_of(spec_, t).start != bucket_.start_) {
    close_bucket();
  }
  if (!open_) {
    auto bounds = bucket_of(spec_, t);
    bucket_ = Bucket{};
    bucket_.spec_ = &spec_;
    bucket_.start_ = bounds.start;
    bucket_.end_ = bounds.end;
    open_ = true;
  }
  Bucket& b = bucket_;
  if (spec_.type == AggregationType::first || spec_.type == AggregationType::last) {
    if (spec_.format == MessageFormat::json && spec_.json_field) {
      auto doc = parse_document(row.json);
      if (doc.is_discarded() || !spec_.json_field->find(doc)) return;
    }
    auto earlier = [](const RowView& a, const RowView& b) {
      return a.key.time != b.key.time ? a.key.time < b.key.time : a.key.seq < b.key.seq;
    };
    if (!b.first_ || earlier(row, *b.first_)) b.first_ = row;
    if (!b.last_ || earlier(*b.last_, row)) b.last_ = row;
    ++b.count_;
    return;
  }
  auto v = field_of(row);
  if (!v) return;
  if (b.count_ == 0) {
    b.min_ = b.max_ = *v;
    b.common_ = row;
  } else {
    b.min_ = std::min(b.min_, *v);
    b.max_ = std::max(b.max_, *v);
    const RowView& c = b.common_;
    if (c.key.publisher != row.key.publisher || c.publisher_inline != row.publisher_inline ||
        c.publisher != row.publisher)
      b.mixed_publisher_ = true;
    if (c.subtopic != row.subtopic) b.mixed_subtopic_ = true;
    if (c.protocol != row.protocol) b.mixed_protocol_ = true;
    if (c.name != row.name) b.mixed_name_ = true;
    if (c.unit != row.unit) b.mixed_unit_ = true;
  }
  b.sum_ += *v;
  ++b.count_;
}

void BucketAggregator::close_bucket() {
  if (open_ && bucket_.count_ > 0) emit_(bucket_);
  open_ = false;
}

void BucketAggregator::finish() { close_bucket(); }

}  // namespace conflux::core::store
