// Tests for the accounts crypto helpers and HS256 JWTs, plus input checks.
// Thread-safety: single-threaded tests.
#include <gtest/gtest.h>

#include "core/accounts/crypto.h"
#include "core/accounts/jwt.h"
#include "core/accounts/validate.h"

namespace conflux::core::accounts {
namespace {

TEST(AccountsCrypto, UuidsAreVersion4AndDistinct) {
  ASSERT_TRUE(crypto_init());
  auto a = random_uuid(), b = random_uuid();
  EXPECT_NE(a, b);
  EXPECT_TRUE(check_id(a, "id"));
  EXPECT_EQ(a[14], '4');
}

TEST(AccountsCrypto, Base64UrlRoundTrip) {
  ASSERT_TRUE(crypto_init());
  std::string bytes("\x00\xff\xfe?>", 5);
  auto text = base64url_encode(bytes);
  EXPECT_EQ(text.find('='), std::string::npos);
  EXPECT_EQ(base64url_decode(text), bytes);
  EXPECT_EQ(base64url_decode("a+b/"), std::nullopt);
}

TEST(AccountsCrypto, PasswordHashVerifies) {
  ASSERT_TRUE(crypto_init());
  auto hash = hash_password("password-123", PasswordParams::minimum());
  ASSERT_TRUE(hash);
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(verify_password(*hash, "password-123"));
  EXPECT_FALSE(verify_password(*hash, "password-124"));
  EXPECT_FALSE(verify_password("garbage", "password-123"));
}

TEST(AccountsJwt, SignAndVerify) {
  ASSERT_TRUE(crypto_init());
  Claims c{"a@example.com", "id-1", kApiKey, 10, 20, "key-1"};
  auto token = sign_jwt("secret", c);
  auto back = verify_jwt("secret", token);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->sub, "a@example.com");
  EXPECT_EQ(back->issuer_id, "id-1");
  EXPECT_EQ(back->type, kApiKey);
  EXPECT_EQ(back->iat, 10);
  EXPECT_EQ(back->exp, 20);
  EXPECT_EQ(back->jti, "key-1");
  EXPECT_FALSE(verify_jwt("other", token));
  EXPECT_FALSE(verify_jwt("secret", token + "x"));
  EXPECT_FALSE(verify_jwt("secret", token.substr(0, token.rfind('.'))));
  // alg "none" with the same payload is refused.
  auto none = base64url_encode(R"({"alg":"none","typ":"JWT"})") + token.substr(token.find('.'));
  EXPECT_FALSE(verify_jwt("secret", none));
}

TEST(AccountsValidate, Emails) {
  EXPECT_EQ(normalize_email("A.B+c@Example.ORG"), "a.b+c@example.org");
  for (const char* bad : {"", "a", "a@", "@b.c", "a@b", "a@@b.c", "a b@c.d", "a@b..c", "a@.bc"})
    EXPECT_FALSE(normalize_email(bad)) << bad;
}

TEST(AccountsValidate, IdsRolesPasswordsMetadata) {
  EXPECT_EQ(check_id("ABCDEF00-0000-4000-8000-000000000000", "id"),
            "abcdef00-0000-4000-8000-000000000000");
  EXPECT_FALSE(check_id("abcdef00-0000-4000-8000-00000000000", "id"));
  EXPECT_FALSE(check_id("abcdef00x0000-4000-8000-000000000000", "id"));
  EXPECT_EQ(check_role("admin", "role"), Role::admin);
  EXPECT_FALSE(check_role("owner", "role"));
  EXPECT_EQ(check_role("owner", "role", true), Role::owner);
  EXPECT_FALSE(check_role("root", "role"));
  EXPECT_FALSE(check_password("1234567"));
  EXPECT_TRUE(check_password("12345678"));
  EXPECT_EQ(check_metadata(""), "{}");
  EXPECT_FALSE(check_metadata("[]"));
  EXPECT_TRUE(metadata_contains(R"({"a":{"b":1,"c":2},"d":3})", R"({"a":{"b":1}})"));
  EXPECT_FALSE(metadata_contains(R"({"a":{"b":1}})", R"({"a":{"b":2}})"));
}

}  // namespace
}  // namespace conflux::core::accounts
