// core/store/message_export.cpp — CSV and JSON rendering of stored rows.
//
// Thread-safety: see the header.
#include "core/store/message_export.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace conflux::core::store {
namespace {

constexpr std::string_view kSenmlHeader =
    "subtopic,publisher,protocol,name,unit,value,string_value,bool_value,data_value,sum,time,"
    "update_time\n";
constexpr std::string_view kJsonHeader = "created,subtopic,publisher,protocol,payload\n";

void append_csv_field(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(s);
    return;
  }
  out.push_back('"');
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

std::string number_text(double v) { return fmt::format("{}", v); }

void append_json_number(std::string& out, double v) {
  if (std::isfinite(v)) {
    out.append(number_text(v));
  } else {
    out.append("null");
  }
}

}  // namespace

std::string format_seconds(std::int64_t ns) {
  const bool negative = ns < 0;
  // Work on the magnitude in unsigned arithmetic (INT64_MIN has no positive).
  std::uint64_t mag =
      negative ? std::uint64_t{0} - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
  std::uint64_t secs = mag / 1'000'000'000, frac = mag % 1'000'000'000;
  std::string out = negative ? "-" : "";
  out += std::to_string(secs);
  if (frac != 0) {
    std::string digits = fmt::format("{:09d}", frac);
    digits.erase(digits.find_last_not_of('0') + 1);
    out += '.';
    out += digits;
  }
  return out;
}

void append_json_string(std::string& out, std::string_view s) {
  out.append(nlohmann::json(std::string(s))
                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void RowExporter::begin() {
  if (format_ == ExportFormat::csv) {
    out_.append(rows_ == MessageFormat::senml ? kSenmlHeader : kJsonHeader);
  } else {
    out_.append('[');
  }
}

void RowExporter::end() {
  if (format_ == ExportFormat::json) out_.append(']');
  out_.flush();
}

void RowExporter::row(const RowView& row) {
  line_.clear();
  if (format_ == ExportFormat::csv) {
    csv_row(row);
  } else {
    json_row(row);
  }
  out_.append(line_);
}

void RowExporter::csv_row(const RowView& row) {
  std::string& l = line_;
  if (row.format == MessageFormat::json) {
    l.append(std::to_string(row.created));
    l.push_back(',');
    append_csv_field(l, row.subtopic);
    l.push_back(',');
    append_csv_field(l, row.publisher_id());
    l.push_back(',');
    append_csv_field(l, row.protocol);
    l.push_back(',');
    append_csv_field(l, row.json);
    l.push_back('\n');
    return;
  }
  append_csv_field(l, row.subtopic);
  l.push_back(',');
  append_csv_field(l, row.publisher_id());
  l.push_back(',');
  append_csv_field(l, row.protocol);
  l.push_back(',');
  append_csv_field(l, row.name);
  l.push_back(',');
  append_csv_field(l, row.unit);
  l.push_back(',');
  if (row.value) l.append(number_text(*row.value));
  l.push_back(',');
  if (row.string_value) append_csv_field(l, *row.string_value);
  l.push_back(',');
  if (row.bool_value) l.append(*row.bool_value ? "true" : "false");
  l.push_back(',');
  if (row.data_value) append_csv_field(l, *row.data_value);
  l.push_back(',');
  if (row.sum) l.append(number_text(*row.sum));
  l.push_back(',');
  l.append(format_seconds(row.key.time));
  l.push_back(',');
  l.append(number_text(row.update_time));
  l.push_back('\n');
}

void RowExporter::json_row(const RowView& row) {
  std::string& l = line_;
  if (!first_) l.push_back(',');
  first_ = false;
  if (row.format == MessageFormat::json) {
    l.append("{\"created\":");
    l.append(std::to_string(row.created));
    l.append(",\"subtopic\":");
    append_json_string(l, row.subtopic);
    l.append(",\"publisher\":");
    append_json_string(l, row.publisher_id());
    l.append(",\"protocol\":");
    append_json_string(l, row.protocol);
    l.append(",\"payload\":");
    if (nlohmann::json::accept(row.json)) {
      l.append(row.json);
    } else {
      append_json_string(l, row.json);
    }
    l.push_back('}');
    return;
  }
  l.push_back('{');
  if (!row.subtopic.empty()) {
    l.append("\"subtopic\":");
    append_json_string(l, row.subtopic);
    l.push_back(',');
  }
  l.append("\"publisher\":");
  append_json_string(l, row.publisher_id());
  l.append(",\"protocol\":");
  append_json_string(l, row.protocol);
  l.append(",\"name\":");
  append_json_string(l, row.name);
  if (!row.unit.empty()) {
    l.append(",\"unit\":");
    append_json_string(l, row.unit);
  }
  l.append(",\"time\":");
  l.append(format_seconds(row.key.time));
  if (row.value) {
    l.append(",\"value\":");
    append_json_number(l, *row.value);
  }
  if (row.string_value) {
    l.append(",\"string_value\":");
    append_json_string(l, *row.string_value);
  }
  if (row.bool_value) l.append(*row.bool_value ? ",\"bool_value\":true" : ",\"bool_value\":false");
  if (row.data_value) {
    l.append(",\"data_value\":");
    append_json_string(l, *row.data_value);
  }
  if (row.sum) {
    l.append(",\"sum\":");
    append_json_number(l, *row.sum);
  }
  if (row.update_time != 0) {
    l.append(",\"update_time\":");
    append_json_number(l, row.update_time);
  }
  l.push_back('}');
}

}  // namespace conflux::core::store
