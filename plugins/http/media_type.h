// plugins/http — the media type of a Content-Type header value: lower-case,
// without parameters or surrounding spaces ("Application/JSON; charset=utf-8"
// → "application/json").
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

namespace conflux::http_adapter {

inline std::string media_type(std::string_view content_type) {
  auto semi = content_type.find(';');
  std::string_view t = content_type.substr(0, semi);
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  std::string out(t);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace conflux::http_adapter
