// core/registry — the stored rows of the registry tables and their codecs
// (layouts in docs/storage-format.md, "Registry tables"). Every value starts
// with version byte 1 followed by length-prefixed fields (key_codec.h); an
// unknown version decodes to a data-loss error.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "conflux/access.h"
#include "conflux/registry.h"
#include "conflux/status.h"

namespace conflux::core::registry {

// A group membership row; primary key group_id + "/" + member_id.
struct MemberRow {
  std::string group_id;
  std::string org_id;
  std::string member_id;
  Role role = Role::viewer;
  std::int64_t created_at = 0;
};

std::string member_key(std::string_view group_id, std::string_view member_id);
// Key of the "org_member" index: org_id + "/" + member_id.
std::string org_member_key(std::string_view org_id, std::string_view member_id);

struct GroupCodec {
  static std::string encode(const Group& g);
  static Result<Group> decode(std::string_view value);
  static std::string key(const Group& g) { return g.id; }
};

struct MemberCodec {
  static std::string encode(const MemberRow& m);
  static Result<MemberRow> decode(std::string_view value);
  static std::string key(const MemberRow& m) { return member_key(m.group_id, m.member_id); }
};

struct ProfileCodec {
  static std::string encode(const Profile& p);
  static Result<Profile> decode(std::string_view value);
  static std::string key(const Profile& p) { return p.id; }
};

struct ThingCodec {
  static std::string encode(const Thing& t);
  static Result<Thing> decode(std::string_view value);
  static std::string key(const Thing& t) { return t.id; }
};

}  // namespace conflux::core::registry
