// core/registry — input rules of the registry (see conflux/registry.h,
// "Validation"), fresh ids, and the list filters (name substring, metadata
// containment).
//
// Thread-safety: pure functions (random_uuid, from conflux/uuid.h, reads the kernel's
// random source; thread-safe).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "conflux/message.h"
#include "conflux/status.h"
#include "conflux/uuid.h"  // random_uuid, is_uuid

namespace conflux::core::registry {

inline constexpr std::size_t kMaxNameSize = 1024;
inline constexpr std::size_t kMaxKeySize = 255;
inline constexpr std::size_t kMinExternalKeySize = 5;

// A client-supplied entity id: canonical UUID v4 text; returns it lower-cased.
Result<std::string> client_id(std::string_view field, std::string_view id);
// An id used to look something up: lower-cased when it is a UUID; not_found
// ("<what> not found") otherwise.
Result<std::string> lookup_id(std::string_view what, std::string_view id);

Status check_name(std::string_view field, std::string_view name, bool required);
Status check_metadata(std::string_view field, std::string_view metadata);
Status check_thing_type(std::string_view type);
Status check_key(std::string_view key);
Status check_external_key(std::string_view key);

// A profile's config, validated: the message part (parse_profile_config) and
// the attached script ("script_id", a UUID, optional).
struct ParsedConfig {
  ProfileConfig message;
  std::string script_id;
};
Result<ParsedConfig> parse_config(std::string_view config_json);

// True when `name` contains `filter` ignoring ASCII case ("" matches all).
bool name_matches(std::string_view name, std::string_view filter) noexcept;
// True when the JSON `metadata` contains the JSON `pattern` (objects: every
// member of the pattern contained in the same member; arrays: every element
// contained in some element; scalars: equal). "" matches all.
bool metadata_matches(std::string_view metadata, std::string_view pattern) noexcept;

std::int64_t now_ns() noexcept;

}  // namespace conflux::core::registry
