// core/store/message_json_path.cpp — JSON paths and the reader's JSON filter.
//
// Thread-safety: see the header.
#include "core/store/message_json_path.h"

#include <charconv>

namespace conflux::core::store {
namespace {

bool json_equal(const nlohmann::json& a, const nlohmann::json& b) noexcept {
  if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
  return a == b;
}

}  // namespace

Result<JsonPath> JsonPath::parse(std::string_view text) {
  if (text.empty()) return fail(ErrorCode::invalid_argument, "empty JSON path");
  JsonPath path;
  path.text_ = std::string(text);
  std::size_t start = 0;
  while (true) {
    auto dot = text.find('.', start);
    auto segment = text.substr(start, dot == std::string_view::npos ? text.npos : dot - start);
    if (segment.empty())
      return fail(ErrorCode::invalid_argument,
                  "JSON path '" + std::string(text) + "' has an empty segment");
    path.segments_.emplace_back(segment);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return path;
}

const nlohmann::json* JsonPath::find(const nlohmann::json& doc) const noexcept {
  const nlohmann::json* at = &doc;
  for (const auto& segment : segments_) {
    if (at->is_object()) {
      auto it = at->find(segment);
      if (it == at->end()) return nullptr;
      at = &*it;
    } else if (at->is_array()) {
      std::size_t index = 0;
      auto [end, ec] = std::from_chars(segment.data(), segment.data() + segment.size(), index);
      if (ec != std::errc() || end != segment.data() + segment.size() || index >= at->size())
        return nullptr;
      at = &(*at)[index];
    } else {
      return nullptr;
    }
  }
  return at;
}

Result<JsonFilter> JsonFilter::parse(std::string_view text) {
  JsonFilter filter;
  auto eq = text.find('=');
  CONFLUX_ASSIGN_OR_RETURN(filter.path_, JsonPath::parse(text.substr(0, eq)));
  if (eq != std::string_view::npos) {
    auto raw = text.substr(eq + 1);
    auto parsed = nlohmann::json::parse(raw, nullptr, /*allow_exceptions=*/false);
    filter.expected_ = parsed.is_discarded() ? nlohmann::json(std::string(raw)) : parsed;
  }
  return filter;
}

bool JsonFilter::matches(const nlohmann::json& doc) const noexcept {
  const nlohmann::json* at = path_.find(doc);
  if (!at) return false;
  return !expected_ || json_equal(*at, *expected_);
}

bool JsonFilter::matches_text(std::string_view json_text) const noexcept {
  auto doc = parse_document(json_text);
  return !doc.is_discarded() && matches(doc);
}

nlohmann::json parse_document(std::string_view json_text) noexcept {
  try {
    return nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  } catch (...) {
    return nlohmann::json(nlohmann::json::value_t::discarded);
  }
}

}  // namespace conflux::core::store
