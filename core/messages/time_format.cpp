// core/messages/time_format.cpp — TimeFormat: named formats, unix numbers
// and Go layouts, and reading a JSON time value with them.
//
// Thread-safety: pure functions over immutable values.
#include "core/messages/time_format.h"

#include <array>
#include <utility>

#include "core/messages/decimal.h"
#include "core/messages/error_text.h"
#include "core/messages/iso8601.h"

namespace conflux::core::messages_detail {
namespace {

struct NamedLayout {
  std::string_view name;
  std::string_view layout;
};

constexpr std::array<NamedLayout, 12> kNamedLayouts = {{
    {"rfc3339", "2006-01-02T15:04:05Z07:00"},
    {"rfc3339nano", "2006-01-02T15:04:05.999999999Z07:00"},
    {"rfc1123", "Mon, 02 Jan 2006 15:04:05 MST"},
    {"rfc1123z", "Mon, 02 Jan 2006 15:04:05 -0700"},
    {"rfc822", "02 Jan 06 15:04 MST"},
    {"rfc822z", "02 Jan 06 15:04 -0700"},
    {"rfc850", "Monday, 02-Jan-06 15:04:05 MST"},
    {"ansic", "Mon Jan _2 15:04:05 2006"},
    {"unixdate", "Mon Jan _2 15:04:05 MST 2006"},
    {"rubydate", "Mon Jan 02 15:04:05 -0700 2006"},
    {"datetime", "2006-01-02 15:04:05"},
    {"dateonly", "2006-01-02"},
}};

constexpr std::array<std::pair<std::string_view, int>, 4> kUnixUnits = {{
    {"unix", 9},
    {"unix_ms", 6},
    {"unix_us", 3},
    {"unix_ns", 0},
}};

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

Result<TimeFormat> TimeFormat::compile(std::string_view time_format) {
  TimeFormat format;
  format.name_ = std::string(time_format);
  std::string name = lowercase(time_format);
  for (const auto& [unit, scale] : kUnixUnits) {
    if (name == unit) {
      format.kind_ = Kind::unix_time;
      format.unix_scale_ = scale;
      return format;
    }
  }
  if (name == "iso8601") {
    format.kind_ = Kind::iso8601;
    return format;
  }
  std::string_view layout = time_format;
  for (const auto& named : kNamedLayouts)
    if (name == named.name) layout = named.layout;
  auto compiled = compile_layout(layout);
  if (!compiled)
    return fail(ErrorCode::invalid_argument,
                "time_format " + error_quote(time_format) +
                    " is neither a supported name (unix, unix_ms, unix_us, unix_ns, iso8601, "
                    "rfc3339, rfc3339nano, rfc1123, rfc1123z, rfc822, rfc822z, rfc850, ansic, "
                    "unixdate, rubydate, datetime, dateonly) nor a Go layout with a year, month "
                    "and day such as '2006-01-02 15:04:05'");
  format.kind_ = Kind::layout;
  format.layout_ = std::move(*compiled);
  return format;
}

std::expected<std::int64_t, std::string> TimeFormat::read(const nlohmann::json& value,
                                                          const TimeZone& zone) const {
  if (kind_ == Kind::unix_time) {
    std::string text;
    if (value.is_string()) {
      text = value.get_ref<const std::string&>();
    } else if (value.is_number()) {
      text = value.dump();  // integers exactly; doubles in shortest round-trip form
    } else {
      return std::unexpected("must be a number or a numeric string for time_format " +
                             error_quote(name_));
    }
    auto nanos = scaled_decimal(text, unix_scale_);
    if (!nanos) {
      if (nanos.error() == DecimalError::out_of_range)
        return std::unexpected(std::string("is outside the supported range (years 1678 to 2261)"));
      return std::unexpected("value " + error_quote(text) + " is not a number for time_format " +
                             error_quote(name_));
    }
    return *nanos;
  }

  if (!value.is_string())
    return std::unexpected("must be a string for time_format " + error_quote(name_));
  const std::string& text = value.get_ref<const std::string&>();
  auto wall = kind_ == Kind::iso8601 ? parse_iso8601(text) : parse_with_layout(layout_, text);
  if (!wall) {
    std::string shape =
        kind_ == Kind::iso8601 ? std::string("2006-01-02T15:04:05Z07:00") : layout_.text;
    return std::unexpected("value " + error_quote(text) + " does not match time_format " +
                           error_quote(name_) + (shape != name_ ? " (" + shape + ")" : "") + ": " +
                           wall.error());
  }
  auto nanos = to_unix_nanos(*wall, zone);
  if (!nanos) return std::unexpected("value " + error_quote(text) + ": " + nanos.error());
  return *nanos;
}

}  // namespace conflux::core::messages_detail
