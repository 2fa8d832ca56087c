// core/store/message_json_path.h — dotted paths into JSON rows and the
// reader's JSON `filter`.
//
// A path is dot-separated object keys ("data.temp"); a segment that is a
// decimal number also indexes an array ("readings.0.v"). The filter is
//   `path`          the path exists (any value, null included), or
//   `path=value`    the value at path equals `value`, where `value` is read as
//                   JSON when it parses (42, 2.5, true, false, null, "text")
//                   and as a plain string otherwise (`name=temp` matches
//                   "temp"); numbers compare numerically (20 equals 20.0).
// Empty segments ("a..b", ".a") are invalid_argument.
//
// Thread-safety: immutable after parse; const methods are thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/status.h"

namespace conflux::core::store {

class JsonPath {
 public:
  static Result<JsonPath> parse(std::string_view text);

  // The value at this path, or null when a segment is missing.
  const nlohmann::json* find(const nlohmann::json& doc) const noexcept;
  const std::string& text() const noexcept { return text_; }

 private:
  std::string text_;
  std::vector<std::string> segments_;
};

class JsonFilter {
 public:
  // `text` as described above; "" is invalid (callers skip empty filters).
  static Result<JsonFilter> parse(std::string_view text);

  bool matches(const nlohmann::json& doc) const noexcept;
  // Parses `json_text`; an unparsable document never matches.
  bool matches_text(std::string_view json_text) const noexcept;

 private:
  JsonPath path_;
  std::optional<nlohmann::json> expected_;
};

// Parses a stored document; a discarded (invalid) value on failure.
nlohmann::json parse_document(std::string_view json_text) noexcept;

}  // namespace conflux::core::store
