// core/accounts — input checks (see validate.h).
// Thread-safety: pure functions.
#include "core/accounts/validate.h"

#include <nlohmann/json.hpp>

namespace conflux::core::accounts {
namespace {

std::unexpected<Error> bad(std::string_view field, std::string_view why) {
  return fail(ErrorCode::invalid_argument,
              "invalid " + std::string(field) + ": " + std::string(why));
}

bool contains(const nlohmann::json& hay, const nlohmann::json& needle) {
  if (needle.is_object()) {
    if (!hay.is_object()) return false;
    for (auto it = needle.begin(); it != needle.end(); ++it) {
      auto h = hay.find(it.key());
      if (h == hay.end() || !contains(*h, it.value())) return false;
    }
    return true;
  }
  return hay == needle;
}

}  // namespace

Result<std::string> normalize_email(std::string_view email, std::string_view field) {
  if (email.empty()) return bad(field, "must not be empty");
  if (email.size() > 254) return bad(field, "longer than 254 characters");
  auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos)
    return bad(field, "not an email address");
  std::string_view domain = email.substr(at + 1);
  auto dot = domain.rfind('.');
  if (domain.empty() || dot == std::string_view::npos || dot == 0 || dot + 1 == domain.size() ||
      domain.find("..") != std::string_view::npos)
    return bad(field, "not an email address");
  std::string out;
  out.reserve(email.size());
  for (unsigned char c : email) {
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' ||
        c == ';' || c == ':' || c == '\\' || c == '"' || c == '[' || c == ']')
      return bad(field, "not an email address");
    out.push_back(static_cast<char>(std::tolower(c)));
  }
  return out;
}

Status check_password(std::string_view password, std::string_view field) {
  if (password.size() < kMinPasswordLength)
    return bad(field, "must be at least " + std::to_string(kMinPasswordLength) + " characters");
  if (password.size() > kMaxPasswordLength)
    return bad(field, "longer than " + std::to_string(kMaxPasswordLength) + " characters");
  return ok();
}

Result<std::string> check_id(std::string_view id, std::string_view what) {
  auto bad_id = [&] {
    return fail(ErrorCode::invalid_argument, "invalid " + std::string(what) + ": not a UUID: '" +
                                                 std::string(id.substr(0, 64)) + "'");
  };
  if (id.size() != 36) return bad_id();
  std::string out(id);
  for (std::size_t i = 0; i < out.size(); ++i) {
    char c = out[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return bad_id();
      continue;
    }
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return bad_id();
    out[i] = c;
  }
  return out;
}

Result<Role> check_role(std::string_view role, std::string_view field, bool allow_owner) {
  auto r = parse_role(role);
  if (!r || (*r == Role::owner && !allow_owner))
    return fail(ErrorCode::invalid_argument, "invalid " + std::string(field) + ": unknown role '" +
                                                 std::string(role.substr(0, 64)) + "' (expected " +
                                                 (allow_owner ? "owner, " : "") +
                                                 "admin, editor or viewer)");
  return *r;
}

Result<std::string> check_metadata(std::string_view metadata) {
  if (metadata.empty()) return std::string("{}");
  auto doc = nlohmann::json::parse(metadata, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return bad("metadata", "must be a JSON object");
  return doc.dump();
}

bool metadata_contains(std::string_view haystack, std::string_view needle) {
  auto n = nlohmann::json::parse(needle, nullptr, false);
  if (n.is_discarded()) return false;
  if (n.is_object() && n.empty()) return true;
  auto h = nlohmann::json::parse(haystack, nullptr, false);
  if (h.is_discarded()) return false;
  return contains(h, n);
}

Status check_text(std::string_view text, std::string_view field) {
  if (text.size() > 1024) return bad(field, "longer than 1024 characters");
  return ok();
}

}  // namespace conflux::core::accounts
