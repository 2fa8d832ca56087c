// plugins/mqtt — SenML JSON text of resolved records.
#include "senml_text.h"

#include <fmt/format.h>

#include <cmath>

#include "conflux/http.h"

namespace conflux::mqtt {
namespace {

void number(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  out += fmt::format("{}", v);
}

void string_field(std::string& out, const char* name, const std::string& value) {
  out += ",\"";
  out += name;
  out += "\":\"";
  json_escape_to(out, value);
  out += '"';
}

}  // namespace

std::string senml_json(const std::vector<SenmlRecord>& records) {
  std::string out = "[";
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    if (i) out += ',';
    out += "{\"n\":\"";
    json_escape_to(out, r.name);
    out += '"';
    if (!r.unit.empty()) string_field(out, "u", r.unit);
    out += ",\"t\":";
    number(out, static_cast<double>(r.time) / 1e9);
    if (r.value) {
      out += ",\"v\":";
      number(out, *r.value);
    }
    if (r.string_value) string_field(out, "vs", *r.string_value);
    if (r.bool_value) out += *r.bool_value ? ",\"vb\":true" : ",\"vb\":false";
    if (r.data_value) string_field(out, "vd", *r.data_value);
    if (r.sum) {
      out += ",\"s\":";
      number(out, *r.sum);
    }
    if (r.update_time != 0) {
      out += ",\"ut\":";
      number(out, r.update_time);
    }
    out += '}';
  }
  out += ']';
  return out;
}

std::string normalized_body(const Message& message) {
  switch (message.format) {
    case MessageFormat::senml:
      return senml_json(message.records);
    case MessageFormat::json:
      return message.json;
    case MessageFormat::unknown:
      break;
  }
  return message.payload;
}

}  // namespace conflux::mqtt
