// core/accounts — HS256 JWT signing and verification (see jwt.h).
// Thread-safety: pure functions.
#include "core/accounts/jwt.h"

#include <nlohmann/json.hpp>

#include "core/accounts/crypto.h"

namespace conflux::core::accounts {
namespace {

const std::string& encoded_header() {
  static const std::string h = base64url_encode(R"({"alg":"HS256","typ":"JWT"})");
  return h;
}

std::unexpected<Error> invalid() { return fail(ErrorCode::unauthenticated, "invalid token"); }

}  // namespace

std::string sign_jwt(std::string_view secret, const Claims& c) {
  nlohmann::json body{{"iss", "conflux.auth"},
                      {"sub", c.sub},
                      {"issuer_id", c.issuer_id},
                      {"type", c.type},
                      {"iat", c.iat}};
  if (c.exp != 0) body["exp"] = c.exp;
  if (!c.jti.empty()) body["jti"] = c.jti;
  std::string token = encoded_header();
  token += '.';
  token += base64url_encode(body.dump());
  std::string signature = base64url_encode(hmac_sha256(secret, token));
  token += '.';
  token += signature;
  return token;
}

Result<Claims> verify_jwt(std::string_view secret, std::string_view token) {
  auto dot1 = token.find('.');
  if (dot1 == std::string_view::npos) return invalid();
  auto dot2 = token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    return invalid();
  if (token.substr(0, dot1) != encoded_header()) return invalid();
  auto signature = base64url_decode(token.substr(dot2 + 1));
  if (!signature || !secure_equal(*signature, hmac_sha256(secret, token.substr(0, dot2))))
    return invalid();
  auto payload = base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!payload) return invalid();
  auto doc = nlohmann::json::parse(*payload, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return invalid();
  Claims c;
  auto str = [&](const char* name, std::string& out) {
    auto it = doc.find(name);
    if (it == doc.end()) return true;
    if (!it->is_string()) return false;
    out = it->get<std::string>();
    return true;
  };
  auto num = [&](const char* name, std::int64_t& out) {
    auto it = doc.find(name);
    if (it == doc.end()) return true;
    if (!it->is_number_integer()) return false;
    out = it->get<std::int64_t>();
    return true;
  };
  std::int64_t type = -1;
  if (!str("sub", c.sub) || !str("issuer_id", c.issuer_id) || !str("jti", c.jti) ||
      !num("iat", c.iat) || !num("exp", c.exp) || !num("type", type))
    return invalid();
  if (c.issuer_id.empty() || (type != kLoginToken && type != kApiKey)) return invalid();
  c.type = static_cast<int>(type);
  return c;
}

}  // namespace conflux::core::accounts
