// core/registry — row codecs (see records.h). Thread-safety: pure functions.
#include "core/registry/records.h"

#include "core/store/key_codec.h"
#include "core/store/value_version.h"

namespace conflux::core::registry {
namespace {

using store::append_bytes;
using store::append_i64;
using store::data_loss;
using store::take_bytes;
using store::take_i64;

constexpr std::uint8_t kVersion = 1;

// Reads length-prefixed strings and ordered integers from a row body; the
// first short read marks the row truncated.
class Reader {
 public:
  Reader(std::string_view body, std::string_view what) : body_(body), what_(what) {}
  void str(std::string& out) {
    auto v = take_bytes(body_);
    if (!v) {
      bad_ = true;
      return;
    }
    out.assign(*v);
  }
  void i64(std::int64_t& out) {
    auto v = take_i64(body_);
    if (!v) {
      bad_ = true;
      return;
    }
    out = *v;
  }
  Status done() const {
    if (bad_ || !body_.empty())
      return std::unexpected(data_loss(std::string(what_) + ": malformed row"));
    return ok();
  }

 private:
  std::string_view body_;
  std::string_view what_;
  bool bad_ = false;
};

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
  Reader r(body, "groups row");
  r.str(g.id);
  r.str(g.org_id);
  r.str(g.name);
  r.str(g.description);
  r.str(g.metadata);
  r.i64(g.created_at);
  r.i64(g.updated_at);
  CONFLUX_RETURN_IF_ERROR(r.done());
  return g;
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
  MemberRow m;
  auto group = take_bytes(body);
  auto org = take_bytes(body);
  auto member = take_bytes(body);
  if (!group || !org || !member || body.empty())
    return std::unexpected(data_loss("group_members row: malformed row"));
  auto role = static_cast<std::uint8_t>(body.front());
  body.remove_prefix(1);
  auto created = take_i64(body);
  if (!created || !body.empty() || role < 1 || role > 4)
    return std::unexpected(data_loss("group_members row: malformed row"));
  m.group_id = *group;
  m.org_id = *org;
  m.member_id = *member;
  m.role = static_cast<Role>(role);
  m.created_at = *created;
  return m;
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
  Reader r(body, "profiles row");
  r.str(p.id);
  r.str(p.group_id);
  r.str(p.org_id);
  r.str(p.name);
  r.str(p.metadata);
  r.str(p.config);
  r.i64(p.created_at);
  r.i64(p.updated_at);
  CONFLUX_RETURN_IF_ERROR(r.done());
  return p;
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
  Reader r(body, "things row");
  r.str(t.id);
  r.str(t.group_id);
  r.str(t.org_id);
  r.str(t.profile_id);
  r.str(t.name);
  r.str(t.type);
  r.str(t.key);
  r.str(t.external_key);
  r.str(t.metadata);
  r.i64(t.created_at);
  r.i64(t.updated_at);
  CONFLUX_RETURN_IF_ERROR(r.done());
  return t;
}

}  // namespace conflux::core::registry
