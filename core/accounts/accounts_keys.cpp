// core/accounts — API keys: issue, view, list, revoke (see
// conflux/accounts.h). A key is an HS256 JWT of type 2 whose jti is the key
// row; verify() checks the row on every call, so revocation and expiry take
// effect at once.
// Thread-safety: see accounts_service.h.
#include <algorithm>

#include "core/accounts/accounts_service.h"
#include "core/accounts/jwt.h"
#include "core/accounts/service_support.h"
#include "core/accounts/validate.h"

namespace conflux::core::accounts {
namespace {

// The caller may see `key` when it issued it (or is the root admin).
bool owns(const Principal& caller, const ApiKey& key) {
  return caller.is_user() && (caller.root_admin || key.issuer_id == caller.id);
}

}  // namespace

Result<ApiKey> AccountsService::issue_key(const Principal& caller, int type,
                                          std::int64_t duration_seconds) noexcept {
  return guarded([&]() -> Result<ApiKey> {
    CONFLUX_RETURN_IF_ERROR(authorize_platform(caller, Action::create));
    if (type != kApiKey)
      return fail(ErrorCode::invalid_argument,
                  "invalid type: only API keys (type 2) can be issued");
    constexpr std::int64_t kMaxDuration = std::int64_t{100} * 365 * 24 * 3600;
    if (duration_seconds < 0 || duration_seconds > kMaxDuration)
      return fail(ErrorCode::invalid_argument,
                  "invalid duration: must be 0 (no expiry) or a positive number of seconds up to "
                  "100 years");
    ApiKey key;
    key.id = random_uuid();
    key.issuer_id = caller.id;
    key.subject = caller.email;
    key.type = kApiKey;
    key.issued_at = now_ns();
    key.expires_at = duration_seconds == 0 ? 0 : key.issued_at + duration_seconds * 1'000'000'000;
    CONFLUX_RETURN_IF_ERROR(write([&](store::WriteTxn& txn) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto user, t_.users->get(txn, caller.id));
      if (!user) return fail(ErrorCode::unauthenticated, "unknown user");
      return t_.keys->insert(txn, key);
    }));
    Claims c;
    c.sub = key.subject;
    c.issuer_id = key.issuer_id;
    c.type = kApiKey;
    c.iat = key.issued_at / 1'000'000'000;
    c.exp = key.expires_at == 0 ? 0 : (key.expires_at + 999'999'999) / 1'000'000'000;
    c.jti = key.id;
    key.value = sign_jwt(secret_, c);
    return key;
  });
}

Result<ApiKey> AccountsService::view_key(const Principal& caller,
                                         std::string_view key_id) noexcept {
  return guarded([&]() -> Result<ApiKey> {
    CONFLUX_ASSIGN_OR_RETURN(auto id, check_id(key_id, "key id"));
    CONFLUX_RETURN_IF_ERROR(authorize_platform(caller, Action::view));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
    CONFLUX_ASSIGN_OR_RETURN(auto key, t_.keys->get(txn, id));
    if (!key || key->revoked || !owns(caller, *key))
      return fail(ErrorCode::not_found, "key not found");
    return *key;
  });
}

Result<Page<ApiKey>> AccountsService::list_keys(const Principal& caller,
                                                const PageParams& page) noexcept {
  return guarded([&]() -> Result<Page<ApiKey>> {
    CONFLUX_RETURN_IF_ERROR(authorize_platform(caller, Action::view));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
    CONFLUX_ASSIGN_OR_RETURN(auto keys,
                             (rows_by<ApiKey, KeyCodec>(txn, *t_.keys, "issuer", caller.id)));
    std::erase_if(keys, [](const ApiKey& k) { return k.revoked; });
    std::sort(keys.begin(), keys.end(), [](const ApiKey& a, const ApiKey& b) {
      return a.issued_at != b.issued_at ? a.issued_at < b.issued_at : a.id < b.id;
    });
    return paginate(std::move(keys), page);
  });
}

Status AccountsService::revoke_key(const Principal& caller, std::string_view key_id) noexcept {
  return guarded([&]() -> Status {
    CONFLUX_ASSIGN_OR_RETURN(auto id, check_id(key_id, "key id"));
    CONFLUX_RETURN_IF_ERROR(authorize_platform(caller, Action::view));
    return write([&](store::WriteTxn& txn) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto key, t_.keys->get(txn, id));
      if (!key || !owns(caller, *key)) return fail(ErrorCode::not_found, "key not found");
      if (key->revoked) return ok();
      key->revoked = true;
      return t_.keys->update(txn, *key);
    });
  });
}

}  // namespace conflux::core::accounts
