// core/accounts — AccountsService: opening (secret, root admin bootstrap),
// token verification, the directories for authorization, login and
// self-registration. The other operations live in accounts_*.cpp.
// Thread-safety: see accounts_service.h.
#include "core/accounts/accounts_service.h"

#include "core/accounts/jwt.h"
#include "core/accounts/service_support.h"
#include "core/accounts/validate.h"
#include "core/authz/authz.h"
#include "core/store/value_version.h"

namespace conflux::core::accounts {

Result<std::unique_ptr<AccountsService>> AccountsService::open(store::LmdbEnv& env, Clock& clock,
                                                               Logger& log,
                                                               AccountsOptions options) {
  return guarded([&]() -> Result<std::unique_ptr<AccountsService>> {
    CONFLUX_RETURN_IF_ERROR(crypto_init());
    CONFLUX_ASSIGN_OR_RETURN(auto tables, AccountTables::open(env));
    std::unique_ptr<AccountsService> s(
        new AccountsService(env, clock, log, std::move(options), std::move(tables)));
    CONFLUX_RETURN_IF_ERROR(s->load_secret());
    CONFLUX_RETURN_IF_ERROR(s->bootstrap_admin());
    return s;
  });
}

Status AccountsService::write(store::WriteFn fn) { return env_.write_sync(std::move(fn)); }

Result<store::ReadTxn> AccountsService::read() { return env_.read(); }

Status AccountsService::load_secret() {
  if (!options_.auth_secret.empty()) {
    if (options_.auth_secret.size() < 32)
      log_.warn("auth.secret is shorter than 32 characters; tokens are easier to forge");
    secret_ = options_.auth_secret;
    return ok();
  }
  constexpr std::string_view kKey = "auth_secret";
  {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
    CONFLUX_ASSIGN_OR_RETURN(auto stored, t_.meta->get(txn, kKey));
    if (stored) {
      CONFLUX_ASSIGN_OR_RETURN(auto body, store::unversioned(*stored, 1, "accounts_meta row"));
      secret_ = std::string(body);
      return ok();
    }
  }
  std::string generated = random_hex(32);
  CONFLUX_RETURN_IF_ERROR(write([&](store::WriteTxn& txn) {
    return t_.meta->insert(txn, kKey, store::versioned(1, generated));
  }));
  secret_ = std::move(generated);
  log_.info("generated the token signing secret and stored it (set auth.secret to choose one)");
  return ok();
}

Status AccountsService::bootstrap_admin() {
  std::string email;
  if (!options_.admin_email.empty()) {
    auto normalized = normalize_email(options_.admin_email, "admin.email");
    if (!normalized) return std::unexpected(normalized.error());
    email = *normalized;
  }
  if (!options_.admin_password.empty())
    CONFLUX_RETURN_IF_ERROR(check_password(options_.admin_password, "admin.password"));

  std::optional<UserRow> existing;
  std::vector<std::string> other_roots;
  {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
    CONFLUX_ASSIGN_OR_RETURN(auto users, (all_rows<UserRow, UserCodec>(txn, *t_.users)));
    if (email.empty()) {
      for (auto& u : users)
        if (u.root_admin) {
          root_id_ = u.id;
          return ok();  // no configured admin: keep the existing one as it is
        }
      email = "admin@conflux.local";
    }
    for (auto& u : users) {
      if (u.email == email)
        existing = u;
      else if (u.root_admin)
        other_roots.push_back(u.id);
    }
  }

  const auto now = now_ns();
  UserRow row;
  bool generated = false;
  std::string password = options_.admin_password;
  if (existing) {
    row = *existing;
    if (!password.empty() && !verify_password(row.password_hash, password)) {
      CONFLUX_ASSIGN_OR_RETURN(row.password_hash, hash_password(password, options_.password));
    }
    row.root_admin = true;
    row.enabled = true;
    row.updated_at = now;
  } else {
    if (password.empty()) {
      password = random_password();
      generated = true;
    }
    row.id = random_uuid();
    row.email = email;
    CONFLUX_ASSIGN_OR_RETURN(row.password_hash, hash_password(password, options_.password));
    row.root_admin = true;
    row.created_at = row.updated_at = now;
  }
  CONFLUX_RETURN_IF_ERROR(write([&](store::WriteTxn& txn) -> Status {
    for (const auto& id : other_roots) {
      CONFLUX_ASSIGN_OR_RETURN(auto other, t_.users->get(txn, id));
      if (!other) continue;
      other->root_admin = false;
      CONFLUX_RETURN_IF_ERROR(t_.users->update(txn, *other));
    }
    return existing ? t_.users->update(txn, row) : t_.users->insert(txn, row);
  }));
  root_id_ = row.id;
  if (generated)
    log_.warn(
        "created the root admin {} with the generated password {} (shown once; set "
        "admin.password or CONFLUX_ADMIN_PASSWORD to choose one)",
        email, password);
  else
    log_.info("root admin {} {}", email, existing ? "re-promoted" : "created");
  return ok();
}

Result<Principal> AccountsService::verify(std::string_view bearer_token) noexcept {
  return guarded([&] { return verify_impl(bearer_token); });
}

Result<Principal> AccountsService::verify_impl(std::string_view token) {
  CONFLUX_ASSIGN_OR_RETURN(auto claims, verify_jwt(secret_, token));
  const std::int64_t now_s = now_ns() / 1'000'000'000;
  if (claims.type == kLoginToken && claims.exp == 0)
    return fail(ErrorCode::unauthenticated, "invalid token");
  if (claims.exp != 0 && now_s >= claims.exp)
    return fail(ErrorCode::unauthenticated, "token expired");
  CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
  CONFLUX_ASSIGN_OR_RETURN(auto user, t_.users->get(txn, claims.issuer_id));
  if (!user) return fail(ErrorCode::unauthenticated, "invalid token: unknown user");
  if (!user->enabled) return fail(ErrorCode::unauthenticated, "user disabled");
  Principal p;
  p.kind = Principal::Kind::user;
  p.id = user->id;
  p.email = user->email;
  p.root_admin = user->root_admin;
  if (claims.type == kApiKey) {
    if (claims.jti.empty()) return fail(ErrorCode::unauthenticated, "invalid token");
    CONFLUX_ASSIGN_OR_RETURN(auto key, t_.keys->get(txn, claims.jti));
    if (!key || key->issuer_id != user->id)
      return fail(ErrorCode::unauthenticated, "invalid API key");
    if (key->revoked) return fail(ErrorCode::unauthenticated, "API key revoked");
    if (key->expires_at != 0 && now_ns() >= key->expires_at)
      return fail(ErrorCode::unauthenticated, "API key expired");
    p.key_id = key->id;
  }
  return p;
}

Result<Role> AccountsService::org_role(std::string_view org_id, std::string_view user_id) noexcept {
  return guarded([&]() -> Result<Role> {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
    CONFLUX_ASSIGN_OR_RETURN(auto org, t_.orgs->raw().get(txn, org_id));
    if (!org) return fail(ErrorCode::not_found, "org not found");
    if (user_id.empty()) return Role::none;
    CONFLUX_ASSIGN_OR_RETURN(auto member, t_.members->get(txn, member_key(org_id, user_id)));
    return member ? member->role : Role::none;
  });
}

Result<std::string> AccountsService::user_email(std::string_view user_id) noexcept {
  return guarded([&]() -> Result<std::string> {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
    CONFLUX_ASSIGN_OR_RETURN(auto user, t_.users->get(txn, user_id));
    if (!user) return fail(ErrorCode::not_found, "user not found");
    return user->email;
  });
}

Status AccountsService::authorize_platform(const Principal& caller, Action action) {
  authz::ResourceFacts f;
  f.kind = Resource::Kind::platform;
  return authz::decide(caller, action, f);
}

Status AccountsService::authorize_user(const Principal& caller, Action action,
                                       std::string_view user_id) {
  authz::ResourceFacts f;
  f.kind = Resource::Kind::user;
  f.id = user_id;
  return authz::decide(caller, action, f);
}

Status AccountsService::authorize_org(const Principal& caller, Action action,
                                      std::string_view org_id) {
  CONFLUX_ASSIGN_OR_RETURN(auto id, check_id(org_id, "org id"));
  authz::ResourceFacts f;
  f.kind = Resource::Kind::org;
  f.id = id;
  auto role = org_role(id, caller.is_user() ? std::string_view(caller.id) : std::string_view());
  if (!role) return std::unexpected(role.error());
  f.org_role = *role;
  return authz::decide(caller, action, f);
}

Invite AccountsService::present(const store::Txn& txn, Invite invite) const {
  if (invite.state == Invite::State::pending && now_ns() >= invite.expires_at)
    invite.state = Invite::State::expired;
  if (auto inviter = t_.users->get(txn, invite.inviter_id); inviter && *inviter)
    invite.inviter_email = (*inviter)->email;
  if (auto org = t_.orgs->get(txn, invite.org_id); org && *org) invite.org_name = (*org)->name;
  return invite;
}

Result<std::string> AccountsService::login(std::string_view email,
                                           std::string_view password) noexcept {
  return guarded([&]() -> Result<std::string> {
    auto normalized = normalize_email(email);
    if (!normalized) return std::unexpected(normalized.error());
    std::optional<UserRow> user;
    {
      CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
      CONFLUX_ASSIGN_OR_RETURN(auto id, t_.users->raw().find_unique(txn, "email", *normalized));
      if (id) {
        CONFLUX_ASSIGN_OR_RETURN(user, t_.users->get(txn, *id));
      }
    }
    // Hash even for an unknown email so timing does not reveal which emails exist.
    static const std::string kDummy = [this] {
      auto h = hash_password("conflux-dummy-password", options_.password);
      return h ? *h : std::string();
    }();
    bool match = verify_password(user ? user->password_hash : kDummy, password);
    if (!user || !match) return fail(ErrorCode::unauthenticated, "invalid email or password");
    if (!user->enabled) return fail(ErrorCode::unauthenticated, "user disabled");
    Claims c;
    c.sub = user->email;
    c.issuer_id = user->id;
    c.type = kLoginToken;
    c.iat = now_ns() / 1'000'000'000;
    c.exp = c.iat + options_.token_ttl.count();
    return sign_jwt(secret_, c);
  });
}

Result<User> AccountsService::register_user(std::string_view email,
                                            std::string_view password) noexcept {
  return guarded([&]() -> Result<User> {
    if (!options_.self_register)
      return fail(ErrorCode::permission_denied,
                  "self-registration is disabled (auth.self_register)");
    return insert_user(email, password, "{}");
  });
}

}  // namespace conflux::core::accounts
