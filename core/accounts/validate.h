// core/accounts — input checks shared by the account operations. Each
// returns invalid_argument with a message naming the field.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "conflux/access.h"
#include "conflux/status.h"

namespace conflux::core::accounts {

inline constexpr std::size_t kMinPasswordLength = 8;
inline constexpr std::size_t kMaxPasswordLength = 1024;

// A syntactically valid email (local@domain.tld, no spaces, ≤ 254 bytes),
// lower-cased (emails are unique case-insensitively).
Result<std::string> normalize_email(std::string_view email, std::string_view field = "email");
// 8..1024 bytes.
Status check_password(std::string_view password, std::string_view field = "password");
// A canonical UUID (8-4-4-4-12 hex digits); lower-cased.
Result<std::string> check_id(std::string_view id, std::string_view what);
// "viewer" | "editor" | "admin" (and "owner" when `allow_owner`).
Result<Role> check_role(std::string_view role, std::string_view field, bool allow_owner = false);
// A JSON object's text, re-serialized compactly ("{}" for empty input).
Result<std::string> check_metadata(std::string_view metadata);
// True when JSON object `haystack` contains `needle` (recursively for
// objects; equality otherwise). Malformed input contains nothing.
bool metadata_contains(std::string_view haystack, std::string_view needle);
// Name-like text: at most 1024 bytes.
Status check_text(std::string_view text, std::string_view field);

}  // namespace conflux::core::accounts
