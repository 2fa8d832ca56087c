// tests/unit/registry — shared fixture: a registry on a fresh LMDB env in a
// temp dir, with an in-memory OrgDirectory (org roles and user emails) the
// test fills in.
//
// Thread-safety: single test thread (FakeOrgs is locked for the registry's
// calls from other threads).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "conflux/testing.h"
#include "core/authz/directories.h"
#include "core/registry/registry.h"
#include "core/registry/validation.h"
#include "tests/unit/store/store_test_support.h"

namespace conflux::core::registry::testing {

class FakeOrgs final : public authz::OrgDirectory {
 public:
  void add_org(const std::string& org) {
    std::lock_guard lock(mu_);
    orgs_[org];
  }
  void set_role(const std::string& org, const std::string& user, Role role) {
    std::lock_guard lock(mu_);
    orgs_[org][user] = role;
  }
  void add_user(const std::string& user, const std::string& email) {
    std::lock_guard lock(mu_);
    emails_[user] = email;
  }
  Result<Role> org_role(std::string_view org, std::string_view user) noexcept override {
    std::lock_guard lock(mu_);
    auto it = orgs_.find(std::string(org));
    if (it == orgs_.end()) return fail(ErrorCode::not_found, "org not found");
    auto r = it->second.find(std::string(user));
    return r == it->second.end() ? Role::none : r->second;
  }
  Result<std::string> user_email(std::string_view user) noexcept override {
    std::lock_guard lock(mu_);
    auto it = emails_.find(std::string(user));
    if (it == emails_.end()) return fail(ErrorCode::not_found, "user not found");
    return it->second;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::map<std::string, Role>> orgs_;
  std::map<std::string, std::string> emails_;
};

inline Principal user(const std::string& id) {
  Principal p;
  p.id = id;
  p.email = id + "@example.com";
  return p;
}

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = store::testing::open_env(store::testing::test_options(dir_.path()), log_, metrics_);
    ASSERT_TRUE(env_);
    reopen();
    org_ = random_uuid();
    owner_ = random_uuid();
    orgs_.add_org(org_);
    orgs_.add_user(owner_, "owner@example.com");
    orgs_.set_role(org_, owner_, Role::owner);
  }
  void TearDown() override {
    registry_.reset();
    env_.reset();
  }
  void reopen() {
    registry_.reset();
    auto r = RegistryService::open(*env_, log_);
    ASSERT_TRUE(r) << r.error().message;
    registry_ = std::move(*r);
    registry_->set_org_directory(&orgs_);
  }
  // A user in the org with `role`.
  std::string member(Role role, const std::string& email) {
    auto id = random_uuid();
    orgs_.add_user(id, email);
    orgs_.set_role(org_, id, role);
    return id;
  }
  Group make_group(const std::string& name = "g") {
    auto g = registry_->create_group(user(owner_), org_, GroupInput{name, "desc", "{}"});
    EXPECT_TRUE(g) << g.error().message;
    return g ? *g : Group{};
  }
  Profile make_profile(const std::string& group,
                       const std::string& config = R"({"content_type":"application/senml+json"})") {
    auto p = registry_->create_profiles(group, {ProfileInput{"", "p", "{}", config}});
    EXPECT_TRUE(p) << p.error().message;
    return p ? p->front() : Profile{};
  }
  Thing make_thing(const std::string& profile, ThingInput in = {"", "t", "device", "", "", "{}"}) {
    auto t = registry_->create_things(profile, {in});
    EXPECT_TRUE(t) << t.error().message;
    return t ? t->front() : Thing{};
  }
  // Entries in the LMDB database `name` (rows or index).
  std::size_t entries(const std::string& name, unsigned flags = 0) {
    auto dbi = env_->database(name, flags);
    EXPECT_TRUE(dbi) << name;
    auto txn = env_->read();
    EXPECT_TRUE(txn);
    auto n = txn->count(*dbi);
    EXPECT_TRUE(n);
    return n ? *n : 0;
  }

  store::testing::TempDir dir_;
  conflux::testing::CaptureLogger log_;
  conflux::testing::FakeMetrics metrics_;
  std::unique_ptr<store::LmdbEnv> env_;
  FakeOrgs orgs_;
  std::unique_ptr<RegistryService> registry_;
  std::string org_;
  std::string owner_;
};

}  // namespace conflux::core::registry::testing
