// core/accounts — the stored rows of the accounts tables, their codecs
// (version byte 1, length-prefixed fields; see docs/storage-format.md) and
// the typed tables with their indexes.
//
// Thread-safety: codecs are pure; AccountTables is immutable after `open`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "conflux/accounts.h"
#include "conflux/status.h"
#include "core/store/entity_table.h"

namespace conflux::core::accounts {

struct UserRow {
  std::string id;
  std::string email;          // lower case; unique
  std::string password_hash;  // crypto_pwhash_str (argon2id), never the password
  std::string metadata = "{}";
  bool enabled = true;
  bool root_admin = false;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;

  User to_user() const;
};

struct MemberRow {
  std::string org_id;
  std::string user_id;
  Role role = Role::viewer;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// Primary key of a membership: org id followed by user id.
std::string member_key(std::string_view org_id, std::string_view user_id);

struct UserCodec {
  static std::string encode(const UserRow& row);
  static Result<UserRow> decode(std::string_view value);
  static std::string key(const UserRow& row) { return row.id; }
};
struct OrgCodec {
  static std::string encode(const Org& row);
  static Result<Org> decode(std::string_view value);
  static std::string key(const Org& row) { return row.id; }
};
struct MemberCodec {
  static std::string encode(const MemberRow& row);
  static Result<MemberRow> decode(std::string_view value);
  static std::string key(const MemberRow& row) { return member_key(row.org_id, row.user_id); }
};
struct KeyCodec {
  static std::string encode(const ApiKey& row);
  static Result<ApiKey> decode(std::string_view value);
  static std::string key(const ApiKey& row) { return row.id; }
};
// inviter_email and org_name are not stored (they are read from the users
// and orgs tables when an invite is shown).
struct InviteCodec {
  static std::string encode(const Invite& row);
  static Result<Invite> decode(std::string_view value);
  static std::string key(const Invite& row) { return row.id; }
};
struct PlatformInviteCodec {
  static std::string encode(const PlatformInvite& row);
  static Result<PlatformInvite> decode(std::string_view value);
  static std::string key(const PlatformInvite& row) { return row.id; }
};

using UsersTable = store::TypedTable<UserRow, UserCodec>;
using OrgsTable = store::TypedTable<Org, OrgCodec>;
using MembersTable = store::TypedTable<MemberRow, MemberCodec>;
using KeysTable = store::TypedTable<ApiKey, KeyCodec>;
using InvitesTable = store::TypedTable<Invite, InviteCodec>;
using PlatformInvitesTable = store::TypedTable<PlatformInvite, PlatformInviteCodec>;

// Every accounts table, opened on one env.
struct AccountTables {
  std::optional<UsersTable> users;      // "users"; index email (unique)
  std::optional<OrgsTable> orgs;        // "orgs"
  std::optional<MembersTable> members;  // "org_members"; index user
  std::optional<KeysTable> keys;        // "api_keys"; index issuer
  std::optional<InvitesTable> invites;  // "org_invites"; org, invitee, inviter, pending
  std::optional<PlatformInvitesTable> platform_invites;  // "platform_invites"; pending_email
  std::optional<store::EntityTable> meta;                // "accounts_meta": the auth secret

  static Result<AccountTables> open(store::LmdbEnv& env);
};

}  // namespace conflux::core::accounts
