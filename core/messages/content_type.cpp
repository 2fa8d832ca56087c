// core/messages/content_type.cpp — classify_content_type().
//
// Thread-safety: pure function.
#include "core/messages/content_type.h"

#include <string>

namespace conflux::core::messages_detail {

ContentKind classify_content_type(std::string_view content_type) {
  content_type = content_type.substr(0, content_type.find(';'));
  auto first = content_type.find_first_not_of(" \t");
  if (first == std::string_view::npos) return ContentKind::none;
  content_type = content_type.substr(first, content_type.find_last_not_of(" \t") - first + 1);
  std::string lower(content_type);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (lower == "application/senml+json" || lower == "senml+json") return ContentKind::senml_json;
  if (lower == "application/json" || lower == "json") return ContentKind::json;
  return ContentKind::unsupported;
}

}  // namespace conflux::core::messages_detail
