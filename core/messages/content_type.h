// core/messages/content_type.h — recognizing the message content types a
// profile may name, leniently: case-insensitive, media-type parameters
// ("; charset=utf-8") and surrounding spaces ignored, and the bare subtypes
// "senml+json" and "json" accepted.
//
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string_view>

namespace conflux::core::messages_detail {

enum class ContentKind : std::uint8_t { none, senml_json, json, unsupported };

// none for "" (or only spaces/parameters), unsupported for anything unknown.
ContentKind classify_content_type(std::string_view content_type);

}  // namespace conflux::core::messages_detail
