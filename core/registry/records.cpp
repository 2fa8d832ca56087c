// core/registry — row codecs (see records.h). Thread-safety: pure functions.
#include "core/registry/records.h"

#include "core/store/key_codec.h"
#include "core/store/row_reader.h"
#include "core/store/value_version.h"

namespace conflux::core::registry {
namespace {

using store::append_bytes;
using store::append_i64;
using store::RowReader;

constexpr std::uint8_t kVersion = 1;

std::string start() {
  std::string out;
  store::append_version(out, kVersion);
  return out;
}

}  // namespace

std::string member_key(std::string_view group_id, std::string_view member_id) {
  std::string k;
  k.reserve(group_id.size() + member_id.size() + 1);
  k.append(group_id).push_back('/');
  k.append(member_id);
  return k;
}

std::string org_member_key(std::string_view org_id, std::string_view member_id) {
  return member_key(org_id, member_id);
}

std::string GroupCodec::encode(const Group& g) {
  std::string out = start();
  append_bytes(out, g.id);
  append_bytes(out, g.org_id);
  append_bytes(out, g.name);
  append_bytes(out, g.description);
  append_bytes(out, g.metadata);
  append_i64(out, g.created_at);
  append_i64(out, g.updated_at);
  return out;
}

Result<Group> GroupCodec::decode(std::string_view value) {
  CONFLUX_ASSIGN_OR_RETURN(auto body, store::unversioned(value, kVersion, "groups row"));
  Group g;
  RowReader r(body, "groups row");
  g.id = r.str();
  g.org_id = r.str();
  g.name = r.str();
  g.description = r.str();
  g.metadata = r.str();
  g.created_at = r.i64();
  g.updated_at = r.i64();
  return r.done(std::move(g));
}

std::string MemberCodec::encode(const MemberRow& m) {
  std::string out = start();
  append_bytes(out, m.group_id);
  append_bytes(out, m.org_id);
  append_bytes(out, m.member_id);
  out.push_back(static_cast<char>(m.role));
  append_i64(out, m.created_at);
  return out;
}

Result<MemberRow> MemberCodec::decode(std::string_view value) {
  CONFLUX_ASSIGN_OR_RETURN(auto body, store::unversioned(value, kVersion, "group_members row"));
  RowReader r(body, "group_members row");
  MemberRow m;
  m.group_id = r.str();
  m.org_id = r.str();
  m.member_id = r.str();
  auto role = r.byte();
  if (role < 1 || role > 4) r.reject();
  m.role = static_cast<Role>(role);
  m.created_at = r.i64();
  return r.done(std::move(m));
}

std::string ProfileCodec::encode(const Profile& p) {
  std::string out = start();
  append_bytes(out, p.id);
  append_bytes(out, p.group_id);
  append_bytes(out, p.org_id);
  append_bytes(out, p.name);
  append_bytes(out, p.metadata);
  append_bytes(out, p.config);
  append_i64(out, p.created_at);
  append_i64(out, p.updated_at);
  return out;
}

Result<Profile> ProfileCodec::decode(std::string_view value) {
  CONFLUX_ASSIGN_OR_RETURN(auto body, store::unversioned(value, kVersion, "profiles row"));
  Profile p;
  RowReader r(body, "profiles row");
  p.id = r.str();
  p.group_id = r.str();
  p.org_id = r.str();
  p.name = r.str();
  p.metadata = r.str();
  p.config = r.str();
  p.created_at = r.i64();
  p.updated_at = r.i64();
  return r.done(std::move(p));
}

std::string ThingCodec::encode(const Thing& t) {
  std::string out = start();
  append_bytes(out, t.id);
  append_bytes(out, t.group_id);
  append_bytes(out, t.org_id);
  append_bytes(out, t.profile_id);
  append_bytes(out, t.name);
  append_bytes(out, t.type);
  append_bytes(out, t.key);
  append_bytes(out, t.external_key);
  append_bytes(out, t.metadata);
  append_i64(out, t.created_at);
  append_i64(out, t.updated_at);
  return out;
}

Result<Thing> ThingCodec::decode(std::string_view value) {
  CONFLUX_ASSIGN_OR_RETURN(auto body, store::unversioned(value, kVersion, "things row"));
  Thing t;
  RowReader r(body, "things row");
  t.id = r.str();
  t.group_id = r.str();
  t.org_id = r.str();
  t.profile_id = r.str();
  t.name = r.str();
  t.type = r.str();
  t.key = r.str();
  t.external_key = r.str();
  t.metadata = r.str();
  t.created_at = r.i64();
  t.updated_at = r.i64();
  return r.done(std::move(t));
}

}  // namespace conflux::core::registry
