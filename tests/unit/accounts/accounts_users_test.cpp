// Tests for AccountsService users, the root admin bootstrap, login tokens
// (expiry with the fake clock), API keys (revocation and expiry take effect
// at once) and password storage (no plaintext in the store).
// Thread-safety: single-threaded tests.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "core/accounts/jwt.h"
#include "tests/unit/accounts/accounts_fixture.h"

namespace conflux::core::accounts::testing {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

TEST_F(AccountsTest, BootstrapCreatesTheRootAdmin) {
  auto r = root();
  EXPECT_TRUE(r.root_admin);
  EXPECT_EQ(r.email, kRootEmail);
  EXPECT_EQ(r.id, svc_->root_admin_id());
  EXPECT_EQ(code_of(svc_->login(kRootEmail, "wrong-password")), ErrorCode::unauthenticated);
  EXPECT_EQ(code_of(svc_->login("nobody@example.com", kRootPassword)), ErrorCode::unauthenticated);
}

TEST_F(AccountsTest, BootstrapRepromotesAndResetsThePasswordAtEveryStart) {
  auto first_id = root().id;
  auto options = default_options();
  options.admin_password = "another-password";
  reopen(options);
  EXPECT_EQ(code_of(svc_->login(kRootEmail, kRootPassword)), ErrorCode::unauthenticated);
  auto r = principal(kRootEmail, "another-password");
  EXPECT_EQ(r.id, first_id);
  EXPECT_TRUE(r.root_admin);

  // A different configured admin takes over; the old one is demoted.
  options.admin_email = "boss@example.com";
  options.admin_password = "boss-password";
  reopen(options);
  EXPECT_TRUE(principal("boss@example.com", "boss-password").root_admin);
  EXPECT_FALSE(principal(kRootEmail, "another-password").root_admin);
}

TEST_F(AccountsTest, GeneratedRootPasswordIsPrintedOnceOnFirstStart) {
  store::testing::TempDir dir;
  auto env = store::testing::open_env(store::testing::test_options(dir.path()), log_, metrics_);
  ASSERT_TRUE(env);
  auto options = default_options();
  options.admin_email = "";
  options.admin_password = "";
  conflux::testing::CaptureLogger first_log;
  {
    auto svc = AccountsService::open(*env, clock_, first_log, options);
    ASSERT_TRUE(svc) << svc.error().message;
  }
  ASSERT_TRUE(first_log.contains("generated password"));
  std::string line;
  for (const auto& l : first_log.lines())
    if (l.text.find("generated password") != std::string::npos) line = l.text;
  // "... admin@conflux.local with the generated password <pw> (shown once ..."
  auto at = line.find("password ") + 9;
  auto password = line.substr(at, line.find(' ', at) - at);
  conflux::testing::CaptureLogger second_log;
  auto svc = AccountsService::open(*env, clock_, second_log, options);
  ASSERT_TRUE(svc);
  EXPECT_FALSE(second_log.contains("generated password"));
  auto token = (*svc)->login("admin@conflux.local", password);
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_TRUE((*svc)->verify(*token)->root_admin);
}

TEST_F(AccountsTest, LoginTokenExpiresWithTheClock) {
  auto token = svc_->login(kRootEmail, kRootPassword);
  ASSERT_TRUE(token);
  clock_.advance(10h - 1s);
  EXPECT_TRUE(svc_->verify(*token));
  clock_.advance(1s);
  auto expired = svc_->verify(*token);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, ErrorCode::unauthenticated);
  EXPECT_THAT(expired.error().message, HasSubstr("expired"));
}

TEST_F(AccountsTest, ForgedOrTamperedTokensAreRejected) {
  auto token = *svc_->login(kRootEmail, kRootPassword);
  std::string tampered = token;
  tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(code_of(svc_->verify(tampered)), ErrorCode::unauthenticated);
  Claims c{kRootEmail, svc_->root_admin_id(), kLoginToken, 0, 4'000'000'000, ""};
  EXPECT_EQ(code_of(svc_->verify(sign_jwt("another-secret-another-secret-xx", c))),
            ErrorCode::unauthenticated);
  EXPECT_EQ(code_of(svc_->verify("not.a.token")), ErrorCode::unauthenticated);
  EXPECT_EQ(code_of(svc_->verify("")), ErrorCode::unauthenticated);
  // The same claims signed with the right secret pass: the checks above are real.
  EXPECT_TRUE(svc_->verify(sign_jwt("0123456789abcdef0123456789abcdef", c)));
}

TEST_F(AccountsTest, ApiKeyRevocationTakesEffectAtOnce) {
  auto r = root();
  auto key = svc_->issue_key(r, 2, 3600);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_FALSE(key->value.empty());
  EXPECT_EQ(key->expires_at - key->issued_at, 3600LL * 1'000'000'000);
  auto p = svc_->verify(key->value);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->key_id, key->id);
  EXPECT_EQ(p->id, r.id);
  auto listed = svc_->list_keys(r, {});
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->total, 1u);

  ASSERT_TRUE(svc_->revoke_key(r, key->id));
  auto revoked = svc_->verify(key->value);
  ASSERT_FALSE(revoked);
  EXPECT_EQ(revoked.error().code, ErrorCode::unauthenticated);
  EXPECT_EQ(code_of(svc_->view_key(r, key->id)), ErrorCode::not_found);
  EXPECT_EQ(svc_->list_keys(r, {})->total, 0u);
}

TEST_F(AccountsTest, ApiKeyExpiresWithTheClock) {
  auto r = root();
  auto key = svc_->issue_key(r, 2, 100);
  ASSERT_TRUE(key);
  clock_.advance(99s);
  EXPECT_TRUE(svc_->verify(key->value));
  clock_.advance(1s);
  EXPECT_EQ(code_of(svc_->verify(key->value)), ErrorCode::unauthenticated);
}

TEST_F(AccountsTest, ApiKeysAreTheIssuersOwn) {
  auto alice = user("alice@example.com");
  auto bob = user("bob@example.com");
  auto key = svc_->issue_key(alice, 2, 0);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->expires_at, 0);
  EXPECT_EQ(code_of(svc_->view_key(bob, key->id)), ErrorCode::not_found);
  EXPECT_EQ(code_of(svc_->revoke_key(bob, key->id)), ErrorCode::not_found);
  EXPECT_TRUE(svc_->verify(key->value));
  EXPECT_EQ(svc_->view_key(alice, key->id)->subject, "alice@example.com");
  EXPECT_EQ(code_of(svc_->issue_key(alice, 0, 10)), ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(svc_->issue_key(alice, 2, -1)), ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(svc_->view_key(alice, "not-a-uuid")), ErrorCode::invalid_argument);
}

TEST_F(AccountsTest, PasswordIsNotStoredInPlaintext) {
  const std::string secret = "Pl41ntext-Canary-Password";
  auto r = root();
  ASSERT_TRUE(svc_->create_user(r, "canary@example.com", secret, "{}"));
  auto c = principal("canary@example.com", secret);
  ASSERT_TRUE(svc_->change_password(c, secret, secret + "-2"));
  svc_.reset();
  env_.reset();  // everything on disk
  std::string bytes;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.path())) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_NE(bytes.find("canary@example.com"), std::string::npos);  // the scan sees rows
  EXPECT_EQ(bytes.find(secret), std::string::npos);
  EXPECT_EQ(bytes.find(kRootPassword), std::string::npos);
  EXPECT_NE(bytes.find("$argon2id$"), std::string::npos);
}

TEST_F(AccountsTest, CreateUserValidatesAndRefusesDuplicates) {
  auto r = root();
  auto u = svc_->create_user(r, "Dave@Example.com", "password-123", R"({"k":1})");
  ASSERT_TRUE(u) << u.error().message;
  EXPECT_EQ(u->email, "dave@example.com");
  EXPECT_EQ(code_of(svc_->create_user(r, "dave@example.COM", "password-123", "{}")),
            ErrorCode::already_exists);
  EXPECT_EQ(code_of(svc_->create_user(r, "not-an-email", "password-123", "{}")),
            ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(svc_->create_user(r, "a@b", "password-123", "{}")),
            ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(svc_->create_user(r, "short@example.com", "1234567", "{}")),
            ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(svc_->create_user(r, "meta@example.com", "password-123", "[1]")),
            ErrorCode::invalid_argument);
  EXPECT_EQ(svc_->list_users(r, {})->total, 2u);  // root + dave: nothing else was created
}

TEST_F(AccountsTest, OnlyTheRootAdminManagesUsers) {
  auto alice = user("alice@example.com");
  EXPECT_EQ(code_of(svc_->create_user(alice, "x@example.com", "password-123", "{}")),
            ErrorCode::permission_denied);
  EXPECT_EQ(code_of(svc_->list_users(alice, {})), ErrorCode::permission_denied);
  EXPECT_EQ(code_of(svc_->view_user(alice, svc_->root_admin_id())), ErrorCode::permission_denied);
  EXPECT_EQ(svc_->view_user(alice, alice.id)->email, "alice@example.com");
  EXPECT_EQ(code_of(svc_->set_user_enabled(alice, alice.id, false)), ErrorCode::permission_denied);
}

TEST_F(AccountsTest, ListUsersPaginatesAndFilters) {
  auto r = root();
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(svc_->create_user(r, "u" + std::to_string(i) + "@example.com", "password-123",
                                  i % 2 ? R"({"odd":true})" : "{}"));
  PageParams p;
  p.offset = 1;
  p.limit = 2;
  auto page = svc_->list_users(r, p);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 6u);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].email, "u0@example.com");  // sorted by email: root@ is last
  p = {};
  p.metadata = R"({"odd":true})";
  EXPECT_EQ(svc_->list_users(r, p)->total, 2u);
  p = {};
  p.name = "u3";
  EXPECT_EQ(svc_->list_users(r, p)->total, 1u);
}

TEST_F(AccountsTest, UpdateMetadataAndChangePassword) {
  auto alice = user("alice@example.com", "password-123");
  ASSERT_TRUE(svc_->update_user(alice, R"({"foo":"bar"})"));
  EXPECT_EQ(svc_->view_user(alice, alice.id)->metadata, R"({"foo":"bar"})");
  EXPECT_EQ(code_of(svc_->update_user(alice, "nope")), ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(svc_->change_password(alice, "wrong-password", "new-password")),
            ErrorCode::unauthenticated);
  EXPECT_EQ(code_of(svc_->change_password(alice, "password-123", "short")),
            ErrorCode::invalid_argument);
  ASSERT_TRUE(svc_->change_password(alice, "password-123", "new-password"));
  EXPECT_EQ(code_of(svc_->login("alice@example.com", "password-123")), ErrorCode::unauthenticated);
  EXPECT_TRUE(svc_->login("alice@example.com", "new-password"));
}

TEST_F(AccountsTest, DisabledUsersCannotLogInAndTheirTokensStop) {
  auto r = root();
  auto alice = user("alice@example.com");
  auto token = *svc_->login("alice@example.com", "password-123");
  ASSERT_TRUE(svc_->set_user_enabled(r, alice.id, false));
  EXPECT_EQ(code_of(svc_->verify(token)), ErrorCode::unauthenticated);
  EXPECT_EQ(code_of(svc_->login("alice@example.com", "password-123")), ErrorCode::unauthenticated);
  ASSERT_TRUE(svc_->set_user_enabled(r, alice.id, true));
  EXPECT_TRUE(svc_->verify(token));
  EXPECT_EQ(code_of(svc_->set_user_enabled(r, r.id, false)), ErrorCode::failed_precondition);
  EXPECT_EQ(code_of(svc_->set_user_enabled(r, "00000000-0000-4000-8000-000000000000", true)),
            ErrorCode::not_found);
}

TEST_F(AccountsTest, SelfRegistrationIsOffByDefault) {
  EXPECT_EQ(code_of(svc_->register_user("self@example.com", "password-123")),
            ErrorCode::permission_denied);
  auto options = default_options();
  options.self_register = true;
  reopen(options);
  ASSERT_TRUE(svc_->register_user("self@example.com", "password-123"));
  EXPECT_EQ(code_of(svc_->register_user("self@example.com", "password-123")),
            ErrorCode::already_exists);
  EXPECT_FALSE(principal("self@example.com", "password-123").root_admin);
}

TEST_F(AccountsTest, AuthSecretIsGeneratedAndPersisted) {
  auto options = default_options();
  options.auth_secret = "";
  reopen(options);
  auto token = *svc_->login(kRootEmail, kRootPassword);
  reopen(options);
  EXPECT_TRUE(svc_->verify(token));  // the same persisted secret
  reopen();                          // a configured secret wins
  EXPECT_EQ(code_of(svc_->verify(token)), ErrorCode::unauthenticated);
}

}  // namespace
}  // namespace conflux::core::accounts::testing
