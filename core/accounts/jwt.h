// core/accounts — HS256 JSON Web Tokens: login tokens (type 0) and API keys
// (type 2). Claims: sub (email), issuer_id (user id), type, iat, exp (Unix
// seconds; 0 = no expiry, API keys only), jti (API key id), iss
// "conflux.auth".
//
// `verify_jwt` checks the shape, the header (exactly HS256/JWT) and the
// signature in constant time, and parses the claims; expiry, revocation and
// the user's state are the caller's (AccountsService) business.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "conflux/status.h"

namespace conflux::core::accounts {

inline constexpr int kLoginToken = 0;
inline constexpr int kApiKey = 2;

struct Claims {
  std::string sub;
  std::string issuer_id;
  int type = kLoginToken;
  std::int64_t iat = 0;
  std::int64_t exp = 0;
  std::string jti;
};

std::string sign_jwt(std::string_view secret, const Claims& claims);
// unauthenticated "invalid token" for anything malformed or badly signed.
Result<Claims> verify_jwt(std::string_view secret, std::string_view token);

}  // namespace conflux::core::accounts
