// plugins/http — the readers' request parameters → conflux::MessageQuery.
//
// One parser serves the query string of GET /reader/{format}[/export] and
// the JSON body of POST /reader/{format}/search (body values are read as the
// same text a query parameter would carry). Parameters (Mainflux readers):
//   offset (≥ 0, default 0), limit (1..1000, default 10), publisher,
//   subtopic (normalized like published subtopics), protocol,
//   name / v + comparator (eq|lt|le|gt|ge) / vs / vb (true|false) / vd
//     — SenML only,
//   filter — JSON only (`path.to.field` or `path.to.field=value`),
//   from / to (integers, ns; from inclusive, to exclusive),
//   dir (asc|desc, default desc),
//   agg_type (min|max|avg|count|sum|first|last), agg_interval
//     (minute|hour|day|week|month|year), agg_value (≥ 1, default 1),
//   agg_field.
// Every malformed value fails with invalid_argument naming the parameter;
// unknown parameters are ignored.
//
// Thread-safety: pure functions.
#pragma once

#include <conflux/http.h>
#include <conflux/message_reader.h>
#include <conflux/status.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace conflux::http_adapter {

constexpr std::size_t kMaxReaderLimit = 1000;

// Looks a parameter up: nullopt when absent; an Error when present but
// unreadable (e.g. a bad percent escape, a JSON value of the wrong type).
using ParamLookup = std::function<Result<std::optional<std::string>>(std::string_view name)>;

// The query for rows of `format` described by `params`.
Result<MessageQuery> parse_reader_query(MessageFormat format, const ParamLookup& params);

// Lookups over a request's query string and over a JSON object's text.
ParamLookup query_string_params(const HttpRequest& request);
// invalid_argument when `body` is not a JSON object.
Result<ParamLookup> json_body_params(std::string_view body);

// "senml" | "json" → the row format; nullopt otherwise.
std::optional<MessageFormat> reader_format(std::string_view segment);

// from/to of the delete routes (integers, ns; optional).
struct TimeRange {
  std::optional<std::int64_t> from;
  std::optional<std::int64_t> to;
};
Result<TimeRange> parse_time_range(const ParamLookup& params);

}  // namespace conflux::http_adapter
