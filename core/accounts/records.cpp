// core/accounts — row codecs and table opening (see records.h).
// Thread-safety: pure functions; `open` at start-up.
#include "core/accounts/records.h"

#include "core/store/key_codec.h"
#include "core/store/row_reader.h"
#include "core/store/value_version.h"

namespace conflux::core::accounts {
namespace {

using store::append_bytes;
using store::append_i64;
using store::RowReader;

std::vector<GroupInvite> read_groups(RowReader& in) {
  std::vector<GroupInvite> out;
  auto n = static_cast<std::size_t>(in.i64());
  for (std::size_t i = 0; in.ok() && i < n; ++i) {
    GroupInvite g;
    g.group_id = in.str();
    g.role = in.str();
    out.push_back(std::move(g));
  }
  return out;
}

void append_groups(std::string& out, const std::vector<GroupInvite>& groups) {
  append_i64(out, static_cast<std::int64_t>(groups.size()));
  for (const auto& g : groups) {
    append_bytes(out, g.group_id);
    append_bytes(out, g.role);
  }
}

Role role_of(std::uint8_t b) { return b <= 4 ? static_cast<Role>(b) : Role::none; }
Invite::State state_of(std::uint8_t b) {
  return b <= 4 ? static_cast<Invite::State>(b) : Invite::State::expired;
}

std::vector<std::string> one(std::string_view key) {
  if (key.empty()) return {};
  return {std::string(key)};
}

}  // namespace

User UserRow::to_user() const {
  return User{id, email, metadata, enabled, root_admin, created_at, updated_at};
}

std::string member_key(std::string_view org_id, std::string_view user_id) {
  std::string k(org_id);
  k += user_id;
  return k;
}

std::string UserCodec::encode(const UserRow& r) {
  std::string out;
  store::append_version(out, 1);
  append_bytes(out, r.id);
  append_bytes(out, r.email);
  append_bytes(out, r.password_hash);
  append_bytes(out, r.metadata);
  out.push_back(static_cast<char>((r.enabled ? 1 : 0) | (r.root_admin ? 2 : 0)));
  append_i64(out, r.created_at);
  append_i64(out, r.updated_at);
  return out;
}

Result<UserRow> UserCodec::decode(std::string_view value) {
  CONFLUX_ASSIGN_OR_RETURN(auto body, store::unversioned(value, 1, "users row"));
  RowReader in(body, "users row");
  UserRow r;
  r.id = in.str();
  r.email = in.str();
  r.password_hash = in.str();
  r.metadata = in.str();
  auto flags = in.byte();
  r.enabled = (flags & 1) != 0;
  r.root_admin = (flags & 2) != 0;
  r.created_at = in.i64();
  r.updated_at = in.i64();
  return in.done(std::move(r));
}

std::string OrgCodec::encode(const Org& r) {
  std::string out;
  store::append_version(out, 1);
  append_bytes(out, r.id);
  append_bytes(out, r.owner_id);
  append_bytes(out, r.name);
  append_bytes(out, r.description);
  append_bytes(out, r.metadata);
  append_i64(out, r.created_at);
  append_i64(out, r.updated_at);
  return out;
}

Result<Org> OrgCodec::decode(std::string_view value) {
  CONFLUX_ASSIGN_OR_RETURN(auto body, store::unversioned(value, 1, "orgs row"));
  RowReader in(body, "orgs row");
  Org r;
  r.id = in.str();
  r.owner_id = in.str();
  r.name = in.str();
  r.description = in.str();
  r.metadata = in.str();
  r.created_at = in.i64();
  r.updated_at = in.i64();
  return in.done(std::move(r));
}

std::string MemberCodec::encode(const MemberRow& r) {
  std::string out;
  store::append_version(out, 1);
  append_bytes(out, r.org_id);
  append_bytes(out, r.user_id);
  out.push_back(static_cast<char>(r.role));
  append_i64(out, r.created_at);
  append_i64(out, r.updated_at);
  return out;
}

Result<MemberRow> MemberCodec::decode(std::string_view value) {
  CONFLUX_ASSIGN_OR_RETURN(auto body, store::unversioned(value, 1, "org_members row"));
  RowReader in(body, "org_members row");
  MemberRow r;
  r.org_id = in.str();
  r.user_id = in.str();
  r.role = role_of(in.byte());
  r.created_at = in.i64();
  r.updated_at = in.i64();
  return in.done(std::move(r));
}

std::string KeyCodec::encode(const ApiKey& r) {
  std::string out;
  store::append_version(out, 1);
  append_bytes(out, r.id);
  append_bytes(out, r.issuer_id);
  append_bytes(out, r.subject);
  append_i64(out, r.type);
  append_i64(out, r.issued_at);
  append_i64(out, r.expires_at);
  out.push_back(r.revoked ? 1 : 0);
  return out;
}

Result<ApiKey> KeyCodec::decode(std::string_view value) {
  CONFLUX_ASSIGN_OR_RETURN(auto body, store::unversioned(value, 1, "api_keys row"));
  RowReader in(body, "api_keys row");
  ApiKey r;
  r.id = in.str();
  r.issuer_id = in.str();
  r.subject = in.str();
  r.type = static_cast<int>(in.i64());
  r.issued_at = in.i64();
  r.expires_at = in.i64();
  r.revoked = in.byte() != 0;
  return in.done(std::move(r));
}

std::string InviteCodec::encode(const Invite& r) {
  std::string out;
  store::append_version(out, 1);
  append_bytes(out, r.id);
  append_bytes(out, r.invitee_id);
  append_bytes(out, r.invitee_email);
  append_bytes(out, r.inviter_id);
  append_bytes(out, r.org_id);
  out.push_back(static_cast<char>(r.invitee_role));
  append_groups(out, r.group_invites);
  out.push_back(static_cast<char>(r.state));
  append_i64(out, r.created_at);
  append_i64(out, r.expires_at);
  return out;
}

Result<Invite> InviteCodec::decode(std::string_view value) {
  CONFLUX_ASSIGN_OR_RETURN(auto body, store::unversioned(value, 1, "org_invites row"));
  RowReader in(body, "org_invites row");
  Invite r;
  r.id = in.str();
  r.invitee_id = in.str();
  r.invitee_email = in.str();
  r.inviter_id = in.str();
  r.org_id = in.str();
  r.invitee_role = role_of(in.byte());
  r.group_invites = read_groups(in);
  r.state = state_of(in.byte());
  r.created_at = in.i64();
  r.expires_at = in.i64();
  return in.done(std::move(r));
}

std::string PlatformInviteCodec::encode(const PlatformInvite& r) {
  std::string out;
  store::append_version(out, 1);
  append_bytes(out, r.id);
  append_bytes(out, r.invitee_email);
  append_bytes(out, r.inviter_id);
  append_bytes(out, r.org_id);
  out.push_back(static_cast<char>(r.org_role));
  append_groups(out, r.group_invites);
  out.push_back(static_cast<char>(r.state));
  append_i64(out, r.created_at);
  append_i64(out, r.expires_at);
  return out;
}

Result<PlatformInvite> PlatformInviteCodec::decode(std::string_view value) {
  CONFLUX_ASSIGN_OR_RETURN(auto body, store::unversioned(value, 1, "platform_invites row"));
  RowReader in(body, "platform_invites row");
  PlatformInvite r;
  r.id = in.str();
  r.invitee_email = in.str();
  r.inviter_id = in.str();
  r.org_id = in.str();
  r.org_role = role_of(in.byte());
  r.group_invites = read_groups(in);
  r.state = state_of(in.byte());
  r.created_at = in.i64();
  r.expires_at = in.i64();
  return in.done(std::move(r));
}

Result<AccountTables> AccountTables::open(store::LmdbEnv& env) {
  AccountTables t;
  CONFLUX_ASSIGN_OR_RETURN(
      t.users, UsersTable::open(env, "users",
                                {{"email", true, [](const UserRow& r) { return one(r.email); }}}));
  CONFLUX_ASSIGN_OR_RETURN(t.orgs, OrgsTable::open(env, "orgs", {}));
  CONFLUX_ASSIGN_OR_RETURN(
      t.members,
      MembersTable::open(env, "org_members",
                         {{"user", false, [](const MemberRow& r) { return one(r.user_id); }}}));
  CONFLUX_ASSIGN_OR_RETURN(
      t.keys,
      KeysTable::open(env, "api_keys",
                      {{"issuer", false, [](const ApiKey& r) { return one(r.issuer_id); }}}));
  CONFLUX_ASSIGN_OR_RETURN(
      t.invites,
      InvitesTable::open(env, "org_invites",
                         {{"org", false, [](const Invite& r) { return one(r.org_id); }},
                          {"invitee", false, [](const Invite& r) { return one(r.invitee_id); }},
                          {"inviter", false, [](const Invite& r) { return one(r.inviter_id); }},
                          {"pending", true, [](const Invite& r) {
                             return r.state == Invite::State::pending ? one(r.org_id + r.invitee_id)
                                                                      : std::vector<std::string>{};
                           }}}));
  CONFLUX_ASSIGN_OR_RETURN(
      t.platform_invites,
      PlatformInvitesTable::open(env, "platform_invites",
                                 {{"pending_email", true, [](const PlatformInvite& r) {
                                     return r.state == Invite::State::pending
                                                ? one(r.invitee_email)
                                                : std::vector<std::string>{};
                                   }}}));
  CONFLUX_ASSIGN_OR_RETURN(t.meta, store::EntityTable::open(env, "accounts_meta", {}));
  return t;
}

}  // namespace conflux::core::accounts
