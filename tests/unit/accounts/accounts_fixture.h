// tests/unit/accounts — a fixture opening AccountsService on a temporary
// LMDB env with a FakeClock, the cheapest argon2id parameters, and a fake
// GroupDirectory that records the group memberships granted by invites.
//
// Thread-safety: single-threaded tests (the env's threads aside).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "conflux/testing.h"
#include "core/accounts/accounts_service.h"
#include "tests/unit/store/store_test_support.h"

namespace conflux::core::accounts::testing {

// Groups live in orgs; add_members_in records (group, user, role).
class FakeGroups final : public authz::GroupDirectory {
 public:
  void add_group(std::string id, std::string org) { orgs_[std::move(id)] = std::move(org); }
  void set_role(const std::string& group, const std::string& user, Role role) {
    std::lock_guard lock(mu_);
    members_[{group, user}] = role;
  }
  std::map<std::pair<std::string, std::string>, Role> members() const {
    std::lock_guard lock(mu_);
    return members_;
  }
  std::set<std::pair<std::string, std::string>> removed() const {
    std::lock_guard lock(mu_);
    return removed_;
  }

  Result<authz::Placement> locate(Resource::Kind kind, std::string_view id) noexcept override {
    auto it = orgs_.find(std::string(id));
    if (kind != Resource::Kind::group || it == orgs_.end())
      return fail(ErrorCode::not_found, "group not found");
    return authz::Placement{it->first, it->second, {}};
  }
  Result<Role> group_role(std::string_view group_id, std::string_view user_id) noexcept override {
    std::lock_guard lock(mu_);
    auto it = members_.find({std::string(group_id), std::string(user_id)});
    return it == members_.end() ? Role::none : it->second;
  }
  Status add_members_in(store::WriteTxn&, std::string_view group_id,
                        const std::vector<std::pair<std::string, Role>>& members) override {
    if (!orgs_.contains(std::string(group_id))) return fail(ErrorCode::not_found, "no group");
    std::lock_guard lock(mu_);
    for (const auto& [user, role] : members)
      members_.try_emplace({std::string(group_id), user}, role);
    return ok();
  }
  Status remove_org_member_in(store::WriteTxn&, std::string_view org_id,
                              std::string_view user_id) override {
    std::lock_guard lock(mu_);
    removed_.insert({std::string(org_id), std::string(user_id)});
    return ok();
  }
  Status remove_org_groups(std::string_view org_id) noexcept override {
    std::lock_guard lock(mu_);
    std::erase_if(orgs_, [&](const auto& entry) { return entry.second == org_id; });
    removed_orgs_.insert(std::string(org_id));
    return ok();
  }
  bool org_groups_removed(std::string_view org_id) {
    std::lock_guard lock(mu_);
    return removed_orgs_.contains(std::string(org_id));
  }

 private:
  std::set<std::string> removed_orgs_;
  std::map<std::string, std::string> orgs_;  // group → org
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, Role> members_;
  std::set<std::pair<std::string, std::string>> removed_;
};

inline constexpr const char* kRootEmail = "root@example.com";
inline constexpr const char* kRootPassword = "root-password-1";

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = store::testing::open_env(store::testing::test_options(dir_.path()), log_, metrics_);
    ASSERT_TRUE(env_);
    reopen();
  }

  AccountsOptions default_options() {
    AccountsOptions o;
    o.admin_email = kRootEmail;
    o.admin_password = kRootPassword;
    o.auth_secret = "0123456789abcdef0123456789abcdef";
    o.password = PasswordParams::minimum();
    return o;
  }

  void reopen(std::optional<AccountsOptions> options = std::nullopt) {
    svc_.reset();
    auto svc = AccountsService::open(*env_, clock_, log_, options ? *options : default_options());
    ASSERT_TRUE(svc) << svc.error().message;
    svc_ = std::move(*svc);
    svc_->set_group_directory(&groups_);
  }

  Principal principal(const std::string& email, const std::string& password) {
    auto token = svc_->login(email, password);
    EXPECT_TRUE(token) << (token ? "" : token.error().message);
    if (!token) return {};
    auto p = svc_->verify(*token);
    EXPECT_TRUE(p) << (p ? "" : p.error().message);
    return p ? *p : Principal{};
  }
  Principal root() { return principal(kRootEmail, kRootPassword); }

  // Creates a user (as root) and returns its principal.
  Principal user(const std::string& email, const std::string& password = "password-123") {
    auto r = root();
    auto u = svc_->create_user(r, email, password, "{}");
    EXPECT_TRUE(u) << (u ? "" : u.error().message);
    return principal(email, password);
  }

  std::string org(const Principal& owner, const std::string& name = "org") {
    auto o = svc_->create_org(owner, name, "desc", "{}");
    EXPECT_TRUE(o) << (o ? "" : o.error().message);
    return o ? o->id : std::string();
  }

  store::testing::TempDir dir_;
  conflux::testing::CaptureLogger log_;
  conflux::testing::FakeMetrics metrics_;
  conflux::testing::FakeClock clock_;
  std::unique_ptr<store::LmdbEnv> env_;
  FakeGroups groups_;
  std::unique_ptr<AccountsService> svc_;
};

// The error code of a failed Status/Result, or nullopt when it succeeded.
template <class R>
std::optional<ErrorCode> code_of(const R& r) {
  if (r) return std::nullopt;
  return r.error().code;
}

}  // namespace conflux::core::accounts::testing
