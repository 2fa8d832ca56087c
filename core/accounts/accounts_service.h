// core/accounts — users, login tokens, API keys, orgs, org memberships, org
// invites and platform invites (DESIGN §8), stored in LMDB entity tables
// (records.h, docs/storage-format.md).
//
// AccountsService implements:
//  - conflux::Accounts (the SDK interface the REST plugin uses),
//  - authz::TokenVerifier (Bearer tokens: HS256 signature, expiry against
//    the injected Clock, the user still present and enabled, and for API
//    keys the key row not revoked and not expired — checked on every call),
//  - authz::OrgDirectory (org roles and user emails for authorization).
// Every caller-facing operation decides access through authz::decide().
//
// Start-up (`open`): loads or generates-and-persists the auth secret,
// then bootstraps the root admin (created, or re-promoted and its password
// reset to the configured one; any other root admin is demoted). With no
// configured password on first start a random one is generated and logged
// once at warn level.
//
// Passwords are hashed (argon2id) and store writes wait for the durable
// commit: operations block; never call them on an io thread.
//
// Group memberships granted by accepted invites go through the registry's
// GroupDirectory, set after open (`set_group_directory`); while unset,
// invites with group invites are refused with unavailable.
//
// Thread-safety: every public method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "conflux/accounts.h"
#include "conflux/clock.h"
#include "conflux/log.h"
#include "core/accounts/crypto.h"
#include "core/accounts/records.h"
#include "core/authz/directories.h"
#include "core/store/lmdb_env.h"

namespace conflux::core::accounts {

struct AccountsOptions {
  std::string admin_email;     // "" = keep the existing root admin (or admin@conflux.local)
  std::string admin_password;  // "" = keep the existing password (or generate one)
  std::string auth_secret;     // "" = the persisted one (generated on first start)
  std::chrono::seconds token_ttl{std::chrono::hours(10)};
  std::chrono::seconds invite_ttl{std::chrono::hours(24 * 7)};
  bool self_register = false;
  PasswordParams password;
};

class AccountsService final : public Accounts,
                              public authz::TokenVerifier,
                              public authz::OrgDirectory {
 public:
  static Result<std::unique_ptr<AccountsService>> open(store::LmdbEnv& env, Clock& clock,
                                                       Logger& log, AccountsOptions options);
  ~AccountsService() override = default;

  void set_group_directory(authz::GroupDirectory* groups) noexcept { groups_.store(groups); }

  // TokenVerifier
  Result<Principal> verify(std::string_view bearer_token) noexcept override;
  // OrgDirectory
  Result<Role> org_role(std::string_view org_id, std::string_view user_id) noexcept override;
  Result<std::string> user_email(std::string_view user_id) noexcept override;

  // Accounts
  Result<std::string> login(std::string_view email, std::string_view password) noexcept override;
  Result<User> register_user(std::string_view email, std::string_view password) noexcept override;
  Result<User> create_user(const Principal& caller, std::string_view email,
                           std::string_view password, std::string_view metadata) noexcept override;
  Result<User> view_user(const Principal& caller, std::string_view user_id) noexcept override;
  Result<Page<User>> list_users(const Principal& caller, const PageParams& page) noexcept override;
  Status update_user(const Principal& caller, std::string_view metadata) noexcept override;
  Status change_password(const Principal& caller, std::string_view old_password,
                         std::string_view new_password) noexcept override;
  Status set_user_enabled(const Principal& caller, std::string_view user_id,
                          bool enabled) noexcept override;

  Result<ApiKey> issue_key(const Principal& caller, int type,
                           std::int64_t duration_seconds) noexcept override;
  Result<ApiKey> view_key(const Principal& caller, std::string_view key_id) noexcept override;
  Result<Page<ApiKey>> list_keys(const Principal& caller, const PageParams& page) noexcept override;
  Status revoke_key(const Principal& caller, std::string_view key_id) noexcept override;

  Result<Org> create_org(const Principal& caller, std::string_view name,
                         std::string_view description, std::string_view metadata) noexcept override;
  Result<Org> view_org(const Principal& caller, std::string_view org_id) noexcept override;
  Status update_org(const Principal& caller, std::string_view org_id, std::string_view name,
                    std::string_view description, std::string_view metadata) noexcept override;
  Status remove_org(const Principal& caller, std::string_view org_id) noexcept override;
  Result<Page<Org>> list_orgs(const Principal& caller, const PageParams& page) noexcept override;

  Status add_members(const Principal& caller, std::string_view org_id,
                     const std::vector<MemberRole>& members) noexcept override;
  Status update_members(const Principal& caller, std::string_view org_id,
                        const std::vector<MemberRole>& members) noexcept override;
  Status remove_members(const Principal& caller, std::string_view org_id,
                        const std::vector<std::string>& member_ids) noexcept override;
  Result<OrgMember> view_member(const Principal& caller, std::string_view org_id,
                                std::string_view member_id) noexcept override;
  Result<Page<OrgMember>> list_members(const Principal& caller, std::string_view org_id,
                                       const PageParams& page) noexcept override;

  Result<Invite> create_invite(const Principal& caller, std::string_view org_id,
                               const InviteRequest& request) noexcept override;
  Result<Page<Invite>> list_org_invites(const Principal& caller, std::string_view org_id,
                                        const PageParams& page) noexcept override;
  Result<Invite> view_invite(const Principal& caller, std::string_view invite_id) noexcept override;
  Status accept_invite(const Principal& caller, std::string_view invite_id) noexcept override;
  Status decline_invite(const Principal& caller, std::string_view invite_id) noexcept override;
  Status revoke_invite(const Principal& caller, std::string_view invite_id) noexcept override;
  Result<Page<Invite>> invites_received(const Principal& caller, std::string_view user_id,
                                        const PageParams& page) noexcept override;
  Result<Page<Invite>> invites_sent(const Principal& caller, std::string_view user_id,
                                    const PageParams& page) noexcept override;

  Result<PlatformInvite> create_platform_invite(
      const Principal& caller, const PlatformInviteRequest& request) noexcept override;
  Result<Page<PlatformInvite>> list_platform_invites(const Principal& caller,
                                                     const PageParams& page) noexcept override;
  Result<User> register_with_invite(std::string_view invite_id, std::string_view email,
                                    std::string_view password) noexcept override;

  // The root admin's user id (after open).
  const std::string& root_admin_id() const noexcept { return root_id_; }

 private:
  AccountsService(store::LmdbEnv& env, Clock& clock, Logger& log, AccountsOptions options,
                  AccountTables tables)
      : env_(env), clock_(clock), log_(log), options_(std::move(options)), t_(std::move(tables)) {}

  // Implementations (may throw std::bad_alloc; the public wrappers catch).
  Status load_secret();
  Status bootstrap_admin();
  Result<Principal> verify_impl(std::string_view token);
  Result<User> insert_user(std::string_view email, std::string_view password,
                           std::string_view metadata);
  Result<Invite> create_invite_impl(const Principal& caller, std::string_view org_id,
                                    const InviteRequest& request);
  Status respond_invite(const Principal& caller, std::string_view invite_id, Invite::State to);
  Result<Page<Invite>> invites_by(const Principal& caller, std::string_view user_id,
                                  std::string_view index, const PageParams& page);

  // Helpers shared by the operation files.
  std::int64_t now_ns() const noexcept { return clock_.now_ns(); }
  Status authorize_org(const Principal& caller, Action action, std::string_view org_id);
  Status authorize_user(const Principal& caller, Action action, std::string_view user_id);
  Status authorize_platform(const Principal& caller, Action action);
  Status write(store::WriteFn fn);
  Result<store::ReadTxn> read();
  // The invite as shown: expired when pending past its expiry; inviter email
  // and org name filled in.
  Invite present(const store::Txn& txn, Invite invite) const;
  Status check_group_invites(const Principal& caller, std::string_view org_id,
                             const std::vector<GroupInvite>& groups, bool authorize);

  store::LmdbEnv& env_;
  Clock& clock_;
  Logger& log_;
  AccountsOptions options_;
  AccountTables t_;
  std::string secret_;
  std::string root_id_;
  std::atomic<authz::GroupDirectory*> groups_{nullptr};

  friend struct AccountsOps;
};

}  // namespace conflux::core::accounts
