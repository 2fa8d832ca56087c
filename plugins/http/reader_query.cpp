// plugins/http — reader parameter parsing (see reader_query.h).
#include "reader_query.h"

#include <conflux/message.h>

#include <charconv>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>

namespace conflux::http_adapter {
namespace {

Error bad(std::string_view name, std::string_view why) {
  return Error{ErrorCode::invalid_argument,
               "invalid query parameter '" + std::string(name) + "': " + std::string(why)};
}

template <class Int>
Result<std::optional<Int>> read_int(const ParamLookup& params, std::string_view name,
                                    std::string_view what) {
  CONFLUX_ASSIGN_OR_RETURN(auto text, params(name));
  if (!text) return std::optional<Int>{};
  Int v{};
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (text->empty() || ec != std::errc() || end != text->data() + text->size())
    return std::unexpected(bad(name, std::string(what) + ", got \"" + *text + "\""));
  return std::optional<Int>(v);
}

Result<std::optional<std::string>> read_text(const ParamLookup& params, std::string_view name) {
  return params(name);
}

Result<std::optional<Comparator>> read_comparator(const ParamLookup& params) {
  CONFLUX_ASSIGN_OR_RETURN(auto text, params("comparator"));
  if (!text) return std::optional<Comparator>{};
  if (*text == "eq") return std::optional(Comparator::eq);
  if (*text == "lt") return std::optional(Comparator::lt);
  if (*text == "le") return std::optional(Comparator::le);
  if (*text == "gt") return std::optional(Comparator::gt);
  if (*text == "ge") return std::optional(Comparator::ge);
  return std::unexpected(bad("comparator", "expected eq, lt, le, gt or ge, got \"" + *text + "\""));
}

Result<std::optional<AggregationType>> read_agg_type(const ParamLookup& params) {
  CONFLUX_ASSIGN_OR_RETURN(auto text, params("agg_type"));
  if (!text || text->empty()) return std::optional<AggregationType>{};
  static constexpr std::pair<std::string_view, AggregationType> kTypes[] = {
      {"min", AggregationType::min},  {"max", AggregationType::max},
      {"avg", AggregationType::avg},  {"count", AggregationType::count},
      {"sum", AggregationType::sum},  {"first", AggregationType::first},
      {"last", AggregationType::last}};
  for (const auto& [n, t] : kTypes)
    if (*text == n) return std::optional(t);
  return std::unexpected(
      bad("agg_type", "expected min, max, avg, count, sum, first or last, got \"" + *text + "\""));
}

}  // namespace

std::optional<MessageFormat> reader_format(std::string_view segment) {
  if (segment == "senml") return MessageFormat::senml;
  if (segment == "json") return MessageFormat::json;
  return std::nullopt;
}

ParamLookup query_string_params(const HttpRequest& request) {
  return [&request](std::string_view name) -> Result<std::optional<std::string>> {
    // query_param is nullopt both when absent and when undecodable: tell them apart.
    auto value = request.query_param(name);
    if (value) return value;
    std::string_view rest = request.query;
    while (!rest.empty()) {
      auto amp = rest.find('&');
      std::string_view pair = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
      auto key = url_decode(pair.substr(0, pair.find('=')), true);
      if (key && *key == name) return std::unexpected(bad(name, "malformed percent escape"));
    }
    return std::optional<std::string>{};
  };
}

Result<ParamLookup> json_body_params(std::string_view body) {
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return fail(ErrorCode::invalid_argument, "malformed search body: expected a JSON object");
  auto shared = std::make_shared<nlohmann::json>(std::move(doc));
  return ParamLookup([shared](std::string_view name) -> Result<std::optional<std::string>> {
    auto it = shared->find(name);
    if (it == shared->end() || it->is_null()) return std::optional<std::string>{};
    if (it->is_string()) return std::optional(it->get<std::string>());
    if (it->is_boolean()) return std::optional<std::string>(it->get<bool>() ? "true" : "false");
    if (it->is_number_integer() || it->is_number_unsigned()) return std::optional(it->dump());
    if (it->is_number_float()) {
      double d = it->get<double>();
      if (std::trunc(d) == d && std::fabs(d) < 9.0e18)
        return std::optional(std::to_string(static_cast<std::int64_t>(d)));
      return std::optional(it->dump());
    }
    return std::unexpected(
        Error{ErrorCode::invalid_argument,
              "invalid field '" + std::string(name) + "': expected a string, number or boolean"});
  });
}

Result<TimeRange> parse_time_range(const ParamLookup& params) {
  TimeRange r;
  CONFLUX_ASSIGN_OR_RETURN(r.from,
                           read_int<std::int64_t>(params, "from", "expected an integer (ns)"));
  CONFLUX_ASSIGN_OR_RETURN(r.to, read_int<std::int64_t>(params, "to", "expected an integer (ns)"));
  if (r.from && r.to && *r.from > *r.to)
    return std::unexpected(bad("to", "must not be before 'from'"));
  return r;
}

Result<MessageQuery> parse_reader_query(MessageFormat format, const ParamLookup& params) {
  MessageQuery q;
  q.format = format;
  bool senml = format == MessageFormat::senml;

  CONFLUX_ASSIGN_OR_RETURN(
      auto offset, read_int<std::uint64_t>(params, "offset", "expected a non-negative integer"));
  if (offset) q.offset = *offset;
  CONFLUX_ASSIGN_OR_RETURN(auto limit,
                           read_int<std::uint64_t>(params, "limit", "expected an integer 1..1000"));
  if (limit) {
    if (*limit < 1 || *limit > kMaxReaderLimit)
      return std::unexpected(
          bad("limit", "must be between 1 and 1000, got " + std::to_string(*limit)));
    q.limit = *limit;
  }
  CONFLUX_ASSIGN_OR_RETURN(auto publisher, read_text(params, "publisher"));
  if (publisher && !publisher->empty()) q.publishers.push_back(*publisher);
  CONFLUX_ASSIGN_OR_RETURN(auto subtopic, read_text(params, "subtopic"));
  if (subtopic && !subtopic->empty()) {
    auto normalized = normalize_subtopic(*subtopic);
    if (!normalized) return std::unexpected(bad("subtopic", normalized.error().message));
    q.subtopic = std::move(*normalized);
  }
  CONFLUX_ASSIGN_OR_RETURN(auto protocol, read_text(params, "protocol"));
  if (protocol) q.protocol = *protocol;

  // SenML-only value filters.
  auto senml_only = [&](std::string_view name) -> Status {
    if (!senml)
      return std::unexpected(bad(name, "applies to SenML messages only (use /reader/senml)"));
    return ok();
  };
  CONFLUX_ASSIGN_OR_RETURN(auto name, read_text(params, "name"));
  if (name && !name->empty()) {
    CONFLUX_RETURN_IF_ERROR(senml_only("name"));
    q.name = *name;
  }
  CONFLUX_ASSIGN_OR_RETURN(auto v, read_text(params, "v"));
  if (v) {
    CONFLUX_RETURN_IF_ERROR(senml_only("v"));
    double d = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), d);
    if (v->empty() || ec != std::errc() || end != v->data() + v->size() || !std::isfinite(d))
      return std::unexpected(bad("v", "expected a number, got \"" + *v + "\""));
    q.value = d;
  }
  CONFLUX_ASSIGN_OR_RETURN(auto comparator, read_comparator(params));
  if (comparator) {
    if (!v) return std::unexpected(bad("comparator", "needs a value 'v' to compare with"));
    q.comparator = *comparator;
  }
  CONFLUX_ASSIGN_OR_RETURN(auto vs, read_text(params, "vs"));
  if (vs) {
    CONFLUX_RETURN_IF_ERROR(senml_only("vs"));
    q.string_value = *vs;
  }
  CONFLUX_ASSIGN_OR_RETURN(auto vb, read_text(params, "vb"));
  if (vb) {
    CONFLUX_RETURN_IF_ERROR(senml_only("vb"));
    if (*vb == "true")
      q.bool_value = true;
    else if (*vb == "false")
      q.bool_value = false;
    else
      return std::unexpected(bad("vb", "expected true or false, got \"" + *vb + "\""));
  }
  CONFLUX_ASSIGN_OR_RETURN(auto vd, read_text(params, "vd"));
  if (vd) {
    CONFLUX_RETURN_IF_ERROR(senml_only("vd"));
    q.data_value = *vd;
  }
  CONFLUX_ASSIGN_OR_RETURN(auto filter, read_text(params, "filter"));
  if (filter && !filter->empty()) {
    if (senml)
      return std::unexpected(bad("filter", "applies to JSON messages only (use /reader/json)"));
    q.filter = *filter;
  }

  CONFLUX_ASSIGN_OR_RETURN(auto range, parse_time_range(params));
  q.from = range.from;
  q.to = range.to;

  CONFLUX_ASSIGN_OR_RETURN(auto dir, read_text(params, "dir"));
  if (dir) {
    if (*dir == "asc")
      q.ascending = true;
    else if (*dir == "desc" || dir->empty())
      q.ascending = false;
    else
      return std::unexpected(bad("dir", "expected asc or desc, got \"" + *dir + "\""));
  }

  CONFLUX_ASSIGN_OR_RETURN(auto agg_type, read_agg_type(params));
  CONFLUX_ASSIGN_OR_RETURN(auto agg_interval, read_text(params, "agg_interval"));
  CONFLUX_ASSIGN_OR_RETURN(auto agg_value,
                           read_int<std::uint32_t>(params, "agg_value", "expected an integer ≥ 1"));
  CONFLUX_ASSIGN_OR_RETURN(auto agg_field, read_text(params, "agg_field"));
  if (agg_value && *agg_value < 1) return std::unexpected(bad("agg_value", "must be at least 1"));
  if (agg_interval && !agg_interval->empty()) {
    static constexpr std::string_view kIntervals[] = {"minute", "hour",  "day",
                                                      "week",   "month", "year"};
    bool known = false;
    for (auto i : kIntervals) known = known || *agg_interval == i;
    if (!known)
      return std::unexpected(
          bad("agg_interval",
              "expected minute, hour, day, week, month or year, got \"" + *agg_interval + "\""));
  }
  if (agg_type) {
    if (!agg_interval || agg_interval->empty())
      return std::unexpected(bad("agg_interval", "is required with agg_type"));
    q.aggregation.type = *agg_type;
    q.aggregation.interval = *agg_interval;
    q.aggregation.value = agg_value.value_or(1);
    if (agg_field) q.aggregation.field = *agg_field;
    bool numeric = *agg_type != AggregationType::first && *agg_type != AggregationType::last;
    if (!senml && numeric && q.aggregation.field.empty())
      return std::unexpected(bad("agg_field", "is required for JSON min/max/avg/count/sum"));
    if (senml && !q.aggregation.field.empty() && q.aggregation.field != "value" &&
        q.aggregation.field != "sum")
      return std::unexpected(bad("agg_field", "SenML aggregates 'value' or 'sum'"));
  } else if ((agg_interval && !agg_interval->empty()) || agg_field) {
    return std::unexpected(bad("agg_type", "is required with agg_interval/agg_field"));
  }
  return q;
}

}  // namespace conflux::http_adapter
