// plugins/http — reader JSON encoding (see reader_json.h).
#include "reader_json.h"

#include <conflux/http.h>

#include <charconv>
#include <cmath>

namespace conflux::http_adapter {
namespace {

void append_string(std::string& out, std::string_view s) {
  out.push_back('"');
  json_escape_to(out, s);
  out.push_back('"');
}

void append_key(std::string& out, std::string_view key) {
  if (out.back() != '{') out.push_back(',');
  append_string(out, key);
  out.push_back(':');
}

void append_uint(std::string& out, std::uint64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

}  // namespace

void append_seconds(std::string& out, std::int64_t ns) {
  std::uint64_t magnitude =
      ns < 0 ? static_cast<std::uint64_t>(-(ns + 1)) + 1 : static_cast<std::uint64_t>(ns);
  if (ns < 0) out.push_back('-');
  append_uint(out, magnitude / 1'000'000'000u);
  auto frac = magnitude % 1'000'000'000u;
  if (frac == 0) return;
  char digits[9];
  for (int i = 8; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  int len = 9;
  while (len > 0 && digits[len - 1] == '0') --len;
  out.push_back('.');
  out.append(digits, static_cast<std::size_t>(len));
}

void append_number(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

void append_row(std::string& out, const StoredRecord& row) {
  out.push_back('{');
  if (row.format == MessageFormat::json) {
    append_key(out, "created");
    out += std::to_string(row.created);
    append_key(out, "subtopic");
    append_string(out, row.subtopic);
    append_key(out, "publisher");
    append_string(out, row.publisher);
    append_key(out, "protocol");
    append_string(out, row.protocol);
    append_key(out, "payload");
    out += row.json.empty() ? std::string_view("null") : std::string_view(row.json);
    out.push_back('}');
    return;
  }
  const SenmlRecord& r = row.senml;
  append_key(out, "publisher");
  append_string(out, row.publisher);
  if (!row.subtopic.empty()) {
    append_key(out, "subtopic");
    append_string(out, row.subtopic);
  }
  append_key(out, "protocol");
  append_string(out, row.protocol);
  append_key(out, "name");
  append_string(out, r.name);
  if (!r.unit.empty()) {
    append_key(out, "unit");
    append_string(out, r.unit);
  }
  append_key(out, "time");
  append_seconds(out, r.time);
  if (r.value) {
    append_key(out, "value");
    append_number(out, *r.value);
  }
  if (r.string_value) {
    append_key(out, "string_value");
    append_string(out, *r.string_value);
  }
  if (r.bool_value) {
    append_key(out, "bool_value");
    out += *r.bool_value ? "true" : "false";
  }
  if (r.data_value) {
    append_key(out, "data_value");
    append_string(out, *r.data_value);
  }
  if (r.sum) {
    append_key(out, "sum");
    append_number(out, *r.sum);
  }
  if (r.update_time != 0) {
    append_key(out, "update_time");
    append_number(out, r.update_time);
  }
  out.push_back('}');
}

std::string page_json(const MessageQuery& query, const MessagePage& page) {
  std::string out;
  out.reserve(96 + page.records.size() * 160);
  out += "{\"offset\":";
  append_uint(out, query.offset);
  out += ",\"limit\":";
  append_uint(out, query.limit);
  out += ",\"format\":";
  out += query.format == MessageFormat::json ? "\"json\"" : "\"messages\"";
  out += ",\"total\":";
  append_uint(out, page.total);
  out += ",\"messages\":[";
  for (std::size_t i = 0; i < page.records.size(); ++i) {
    if (i) out.push_back(',');
    append_row(out, page.records[i]);
  }
  out += "]}";
  return out;
}

}  // namespace conflux::http_adapter
