// core/accounts — user operations: create, view, list, update metadata,
// change password, enable/disable (see conflux/accounts.h).
// Thread-safety: see accounts_service.h.
#include <algorithm>

#include "core/accounts/accounts_service.h"
#include "core/accounts/service_support.h"
#include "core/accounts/validate.h"

namespace conflux::core::accounts {

Result<User> AccountsService::insert_user(std::string_view email, std::string_view password,
                                          std::string_view metadata) {
  CONFLUX_ASSIGN_OR_RETURN(auto normalized, normalize_email(email));
  CONFLUX_RETURN_IF_ERROR(check_password(password));
  CONFLUX_ASSIGN_OR_RETURN(auto meta, check_metadata(metadata));
  {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
    CONFLUX_ASSIGN_OR_RETURN(auto taken, t_.users->raw().find_unique(txn, "email", normalized));
    if (taken) return fail(ErrorCode::already_exists, "email already taken");
  }
  UserRow row;
  row.id = random_uuid();
  row.email = normalized;
  row.metadata = meta;
  row.created_at = row.updated_at = now_ns();
  CONFLUX_ASSIGN_OR_RETURN(row.password_hash, hash_password(password, options_.password));
  auto written = write([&](store::WriteTxn& txn) { return t_.users->insert(txn, row); });
  if (!written) {
    if (written.error().code == ErrorCode::already_exists)
      return fail(ErrorCode::already_exists, "email already taken");
    return std::unexpected(written.error());
  }
  return row.to_user();
}

Result<User> AccountsService::create_user(const Principal& caller, std::string_view email,
                                          std::string_view password,
                                          std::string_view metadata) noexcept {
  return guarded([&]() -> Result<User> {
    CONFLUX_RETURN_IF_ERROR(authorize_platform(caller, Action::platform_admin));
    return insert_user(email, password, metadata);
  });
}

Result<User> AccountsService::view_user(const Principal& caller,
                                        std::string_view user_id) noexcept {
  return guarded([&]() -> Result<User> {
    CONFLUX_ASSIGN_OR_RETURN(auto id, check_id(user_id, "user id"));
    CONFLUX_RETURN_IF_ERROR(authorize_user(caller, Action::view, id));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
    CONFLUX_ASSIGN_OR_RETURN(auto user, t_.users->get(txn, id));
    if (!user) return fail(ErrorCode::not_found, "user not found");
    return user->to_user();
  });
}

Result<Page<User>> AccountsService::list_users(const Principal& caller,
                                               const PageParams& page) noexcept {
  return guarded([&]() -> Result<Page<User>> {
    CONFLUX_RETURN_IF_ERROR(authorize_platform(caller, Action::platform_admin));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
    CONFLUX_ASSIGN_OR_RETURN(auto rows, (all_rows<UserRow, UserCodec>(txn, *t_.users)));
    std::vector<User> users;
    for (auto& r : rows) {
      if (!page.name.empty() && r.email.find(page.name) == std::string::npos) continue;
      if (!page.metadata.empty() && !metadata_contains(r.metadata, page.metadata)) continue;
      users.push_back(r.to_user());
    }
    std::sort(users.begin(), users.end(),
              [](const User& a, const User& b) { return a.email < b.email; });
    return paginate(std::move(users), page);
  });
}

Status AccountsService::update_user(const Principal& caller, std::string_view metadata) noexcept {
  return guarded([&]() -> Status {
    CONFLUX_RETURN_IF_ERROR(authorize_user(caller, Action::update, caller.id));
    CONFLUX_ASSIGN_OR_RETURN(auto meta, check_metadata(metadata));
    const auto now = now_ns();
    return write([&](store::WriteTxn& txn) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto user, t_.users->get(txn, caller.id));
      if (!user) return fail(ErrorCode::not_found, "user not found");
      user->metadata = meta;
      user->updated_at = now;
      return t_.users->update(txn, *user);
    });
  });
}

Status AccountsService::change_password(const Principal& caller, std::string_view old_password,
                                        std::string_view new_password) noexcept {
  return guarded([&]() -> Status {
    CONFLUX_RETURN_IF_ERROR(authorize_user(caller, Action::update, caller.id));
    CONFLUX_RETURN_IF_ERROR(check_password(new_password));
    std::string old_hash;
    {
      CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
      CONFLUX_ASSIGN_OR_RETURN(auto user, t_.users->get(txn, caller.id));
      if (!user) return fail(ErrorCode::not_found, "user not found");
      old_hash = user->password_hash;
    }
    if (!verify_password(old_hash, old_password))
      return fail(ErrorCode::unauthenticated, "invalid old password");
    CONFLUX_ASSIGN_OR_RETURN(auto hash, hash_password(new_password, options_.password));
    const auto now = now_ns();
    return write([&](store::WriteTxn& txn) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto user, t_.users->get(txn, caller.id));
      if (!user) return fail(ErrorCode::not_found, "user not found");
      if (user->password_hash != old_hash)
        return fail(ErrorCode::failed_precondition, "the password changed meanwhile; try again");
      user->password_hash = hash;
      user->updated_at = now;
      return t_.users->update(txn, *user);
    });
  });
}

Status AccountsService::set_user_enabled(const Principal& caller, std::string_view user_id,
                                         bool enabled) noexcept {
  return guarded([&]() -> Status {
    CONFLUX_ASSIGN_OR_RETURN(auto id, check_id(user_id, "user id"));
    CONFLUX_RETURN_IF_ERROR(authorize_platform(caller, Action::platform_admin));
    const auto now = now_ns();
    return write([&](store::WriteTxn& txn) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto user, t_.users->get(txn, id));
      if (!user) return fail(ErrorCode::not_found, "user not found");
      if (user->root_admin && !enabled)
        return fail(ErrorCode::failed_precondition, "the root admin cannot be disabled");
      if (user->enabled == enabled) return ok();
      user->enabled = enabled;
      user->updated_at = now;
      return t_.users->update(txn, *user);
    });
  });
}

}  // namespace conflux::core::accounts
