// core/pipeline — outbox payload encoding (hand-written for speed: the JSON
// document is spliced in verbatim) and decoding (nlohmann::ordered_json). Pure.
// Thread-safety: pure functions.
#include "core/pipeline/outbox_payload.h"

#include <fmt/format.h>

#include <cmath>
#include <iterator>
#include <nlohmann/json.hpp>

#include "conflux/http.h"

namespace conflux::core {
namespace {

void append_string(std::string& out, std::string_view s) {
  out.push_back('"');
  json_escape_to(out, s);
  out.push_back('"');
}

void append_number(std::string& out, double v) {
  if (std::isfinite(v))
    fmt::format_to(std::back_inserter(out), "{}", v);
  else
    out += "null";
}

void append_field(std::string& out, std::string_view key, std::string_view value) {
  out.push_back(',');
  append_string(out, key);
  out.push_back(':');
  append_string(out, value);
}

void append_record(std::string& out, const SenmlRecord& r) {
  out += "{\"name\":";
  append_string(out, r.name);
  if (!r.unit.empty()) append_field(out, "unit", r.unit);
  fmt::format_to(std::back_inserter(out), ",\"time\":{}", r.time);
  if (r.value) {
    out += ",\"value\":";
    append_number(out, *r.value);
  }
  if (r.string_value) append_field(out, "string_value", *r.string_value);
  if (r.bool_value) out += *r.bool_value ? ",\"bool_value\":true" : ",\"bool_value\":false";
  if (r.data_value) append_field(out, "data_value", *r.data_value);
  if (r.sum) {
    out += ",\"sum\":";
    append_number(out, *r.sum);
  }
  out += ",\"update_time\":";
  append_number(out, r.update_time);
  out.push_back('}');
}

Result<std::string> string_field(const nlohmann::ordered_json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return std::string();
  if (!it->is_string())
    return fail(ErrorCode::invalid_argument,
                fmt::format("outbox payload: field '{}' must be a string", key));
  return it->get<std::string>();
}

Result<SenmlRecord> decode_record(const nlohmann::ordered_json& j, std::size_t index) {
  auto bad = [&](const char* field) {
    return fail(
        ErrorCode::invalid_argument,
        fmt::format("outbox payload: record {}: field '{}' has the wrong type", index, field));
  };
  if (!j.is_object()) return bad("record");
  SenmlRecord r;
  auto name = string_field(j, "name");
  auto unit = string_field(j, "unit");
  if (!name) return bad("name");
  if (!unit) return bad("unit");
  r.name = std::move(*name);
  r.unit = std::move(*unit);
  if (auto it = j.find("time"); it != j.end()) {
    if (!it->is_number_integer()) return bad("time");
    r.time = it->get<std::int64_t>();
  }
  if (auto it = j.find("value"); it != j.end()) {
    if (!it->is_number()) return bad("value");
    r.value = it->get<double>();
  }
  if (auto it = j.find("string_value"); it != j.end()) {
    if (!it->is_string()) return bad("string_value");
    r.string_value = it->get<std::string>();
  }
  if (auto it = j.find("bool_value"); it != j.end()) {
    if (!it->is_boolean()) return bad("bool_value");
    r.bool_value = it->get<bool>();
  }
  if (auto it = j.find("data_value"); it != j.end()) {
    if (!it->is_string()) return bad("data_value");
    r.data_value = it->get<std::string>();
  }
  if (auto it = j.find("sum"); it != j.end()) {
    if (!it->is_number()) return bad("sum");
    r.sum = it->get<double>();
  }
  if (auto it = j.find("update_time"); it != j.end()) {
    if (!it->is_number()) return bad("update_time");
    r.update_time = it->get<double>();
  }
  return r;
}

}  // namespace

std::string encode_outbox_payload(const Message& m) {
  std::string out;
  out.reserve(256 + m.json.size() + m.records.size() * 96);
  fmt::format_to(std::back_inserter(out), "{{\"v\":{}", kOutboxPayloadVersion);
  append_field(out, "id", m.id);
  append_field(out, "publisher", m.publisher);
  append_field(out, "group", m.group);
  append_field(out, "profile", m.profile);
  append_field(out, "protocol", m.protocol);
  append_field(out, "subtopic", m.subtopic);
  append_field(out, "content_type", m.content_type);
  fmt::format_to(std::back_inserter(out), ",\"created\":{}", m.created);
  append_field(out, "format", to_string(m.format));
  if (m.format == MessageFormat::json) {
    out += ",\"json\":";
    out += m.json.empty() ? std::string_view("null") : std::string_view(m.json);
  } else {
    out += ",\"records\":[";
    for (std::size_t i = 0; i < m.records.size(); ++i) {
      if (i) out.push_back(',');
      append_record(out, m.records[i]);
    }
    out.push_back(']');
  }
  out.push_back('}');
  return out;
}

Result<Message> decode_outbox_payload(std::string_view payload) {
  auto j = nlohmann::ordered_json::parse(payload, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return fail(ErrorCode::invalid_argument, "outbox payload: not a JSON object");
  auto version = j.find("v");
  if (version == j.end() || !version->is_number_integer())
    return fail(ErrorCode::invalid_argument, "outbox payload: field 'v' is missing");
  if (version->get<int>() != kOutboxPayloadVersion)
    return fail(ErrorCode::failed_precondition,
                fmt::format("outbox payload: unknown version {}", version->dump()));
  Message m;
  struct Text {
    const char* key;
    std::string* target;
  };
  for (auto [key, target] :
       {Text{"id", &m.id}, Text{"publisher", &m.publisher}, Text{"group", &m.group},
        Text{"profile", &m.profile}, Text{"protocol", &m.protocol}, Text{"subtopic", &m.subtopic},
        Text{"content_type", &m.content_type}}) {
    CONFLUX_ASSIGN_OR_RETURN(*target, string_field(j, key));
  }
  if (auto it = j.find("created"); it != j.end()) {
    if (!it->is_number_integer())
      return fail(ErrorCode::invalid_argument,
                  "outbox payload: field 'created' must be an integer");
    m.created = it->get<std::int64_t>();
  }
  CONFLUX_ASSIGN_OR_RETURN(auto format, string_field(j, "format"));
  if (format == "senml") {
    m.format = MessageFormat::senml;
    auto records = j.find("records");
    if (records == j.end() || !records->is_array())
      return fail(ErrorCode::invalid_argument, "outbox payload: field 'records' must be an array");
    m.records.reserve(records->size());
    for (std::size_t i = 0; i < records->size(); ++i) {
      CONFLUX_ASSIGN_OR_RETURN(auto r, decode_record((*records)[i], i));
      m.records.push_back(std::move(r));
    }
  } else if (format == "json") {
    m.format = MessageFormat::json;
    auto doc = j.find("json");
    if (doc == j.end())
      return fail(ErrorCode::invalid_argument, "outbox payload: field 'json' is missing");
    m.json = doc->dump();
  } else {
    return fail(ErrorCode::invalid_argument,
                "outbox payload: field 'format' must be \"senml\" or \"json\"");
  }
  return m;
}

}  // namespace conflux::core
