// core/accounts — the small cryptographic pieces accounts needs: random ids
// and secrets (libsodium's CSPRNG), base64url, HMAC-SHA256 (OpenSSL),
// constant-time comparison, and argon2id password hashes (libsodium
// crypto_pwhash_str: the stored string carries its salt and parameters).
//
// Thread-safety: pure functions over libsodium/OpenSSL, callable from any
// thread after `crypto_init()` (called by AccountsService::open; idempotent).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "conflux/status.h"
#include "conflux/uuid.h"  // random_uuid for every id

namespace conflux::core::accounts {

// Initializes libsodium; internal error when it cannot.
Status crypto_init();

// `bytes` random bytes as lower-case hex.
std::string random_hex(std::size_t bytes);
// A random password of `length` characters from an unambiguous alphabet.
std::string random_password(std::size_t length = 20);

std::string base64url_encode(std::string_view bytes);
// nullopt for characters outside the base64url alphabet or a bad length.
std::optional<std::string> base64url_decode(std::string_view text);

// HMAC-SHA256 of `data` under `key` (32 raw bytes).
std::string hmac_sha256(std::string_view key, std::string_view data);

// Constant-time equality of two byte strings (the length is not secret).
bool secure_equal(std::string_view a, std::string_view b) noexcept;

// argon2id cost: t = 2 passes over m = 19 MiB, one lane (the OWASP
// password storage recommendation for argon2id). One hash takes roughly
// 50-100 ms on one current x86 core (docs/performance.md); tests may lower
// it.
struct PasswordParams {
  std::uint64_t ops = 2;
  std::size_t mem_bytes = std::size_t{19} << 20;
  // libsodium's minimum cost, for unit tests that hash many passwords.
  static PasswordParams minimum();
};

// The crypto_pwhash_str string for `password`; internal error when hashing
// fails (out of memory).
Result<std::string> hash_password(std::string_view password, const PasswordParams& params);
// True when `password` matches `hash` (constant time inside libsodium).
bool verify_password(std::string_view hash, std::string_view password) noexcept;

}  // namespace conflux::core::accounts
