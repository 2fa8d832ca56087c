// core/scripting — message ↔ Lua table conversion (see lua_message.h).
// Thread-safety: see lua_internal.h.
#include "core/scripting/lua_message.h"

#include <cmath>
#include <cstring>

#include "core/scripting/lua_internal.h"

namespace conflux::core::scripting::detail {
namespace {

constexpr double kRelativeLimit = 268435456.0;  // 2^28 s: SenML relative times
constexpr std::int64_t kKeepExact = 1000;       // ns

// RAISES. Pushes `v`; with a string cache table at `cache` (an absolute
// index; 0: none) slot `slot` remembers it, and the string of an unchanged
// slot is reused.
void push_string(lua_State* L, int cache, int slot, const std::string& v) {
  if (cache == 0 || v.size() > StringCache::kMaxBytes) {
    lua_pushlstring(L, v.data(), v.size());
    return;
  }
  StringCache& sc = ctx(L).strings;
  if (sc.valid[slot] && sc.text[slot] == v) {
    lua_rawgeti(L, cache, slot + 1);
    return;
  }
  sc.valid[slot] = false;
  lua_pushlstring(L, v.data(), v.size());
  lua_pushvalue(L, -1);
  lua_rawseti(L, cache, slot + 1);  // inside the preallocated array part: no allocation
  try {
    sc.text[slot] = v;
    sc.valid[slot] = true;
  } catch (...) {  // out of memory: the slot stays invalid
  }
}

// RAISES. push_key, then the caller pushes the value, then set_field sets
// field `f` of the table below them (with a cache the key is its interned
// string pushed first; without, the name is looked up when setting).
void push_key(lua_State* L, int cache, Field f) {
  if (cache != 0) lua_rawgeti(L, cache, StringCache::kSlots + 1 + f);
}

void set_field(lua_State* L, int cache, Field f) {
  if (cache != 0)
    lua_rawset(L, -3);
  else
    lua_setfield(L, -2, kFieldNames[f]);
}

// `slot`: the string cache slot, or negative for none.
void set_string(lua_State* L, int cache, Field f, int slot, const std::string& v) {
  push_key(L, cache, f);
  push_string(L, slot >= 0 ? cache : 0, slot, v);
  set_field(L, cache, f);
}

void set_number(lua_State* L, int cache, Field f, lua_Number v) {
  push_key(L, cache, f);
  lua_pushnumber(L, v);
  set_field(L, cache, f);
}

// RAISES. Pushes the string cache table (or nothing when the interpreter
// has none); returns its index or 0.
int push_string_cache(lua_State* L) {
  int ref = ctx(L).strings.ref;
  if (ref == LUA_NOREF) return 0;
  lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
  return lua_gettop(L);
}

// `i`: the record's position (its name and unit use the string cache below
// StringCache::kRecordSlots).
void push_record(lua_State* L, const SenmlRecord& r, std::size_t i, int cache) {
  int slot =
      i < StringCache::kRecordSlots ? StringCache::kHeaderSlots + 2 * static_cast<int>(i) : -2;
  lua_createtable(L, 0, 4);
  set_string(L, cache, kFieldN, slot, r.name);
  if (!r.unit.empty()) set_string(L, cache, kFieldU, slot + 1, r.unit);
  set_number(L, cache, kFieldT, static_cast<lua_Number>(r.time) / 1e9);
  if (r.value) {
    set_number(L, cache, kFieldV, *r.value);
  } else if (r.string_value) {
    set_string(L, cache, kFieldVs, -1, *r.string_value);
  } else if (r.bool_value) {
    push_key(L, cache, kFieldVb);
    lua_pushboolean(L, *r.bool_value);
    set_field(L, cache, kFieldVb);
  } else if (r.data_value) {
    set_string(L, cache, kFieldVd, -1, *r.data_value);
  }
  if (r.sum) set_number(L, cache, kFieldS, *r.sum);
  if (r.update_time != 0) set_number(L, cache, kFieldUt, r.update_time);
}

bool key_is(const char* k, std::size_t n, const char* want) {
  return std::strlen(want) == n && std::memcmp(k, want, n) == 0;
}

bool get_string(lua_State* L, int idx, std::string& out) {
  if (lua_type(L, idx) != LUA_TSTRING) return false;
  std::size_t n = 0;
  const char* s = lua_tolstring(L, idx, &n);
  out.assign(s, n);
  return true;
}

bool get_number(lua_State* L, int idx, double& out) {
  if (lua_type(L, idx) != LUA_TNUMBER) return false;
  out = lua_tonumber(L, idx);
  return std::isfinite(out);
}

bool valid_name(const std::string& n) {
  if (n.empty()) return false;
  for (char c : n) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == ':' || c == '.' || c == '/' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string record_error(std::size_t i, const std::string& what) {
  return "record " + std::to_string(i) + ": " + what;
}

// One record table at idx (absolute).
bool read_record(lua_State* L, int idx, std::size_t i, std::int64_t base_ns,
                 const SenmlRecord* orig, SenmlRecord& r, std::string& error) {
  bool has_t = false;
  double t = 0;
  int values = 0;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    if (lua_type(L, -2) != LUA_TSTRING) {
      lua_pop(L, 2);
      error = record_error(i, "field names must be strings");
      return false;
    }
    std::size_t kn = 0;
    const char* k = lua_tolstring(L, -2, &kn);
    bool ok = true;
    const char* want = "a string";
    if (key_is(k, kn, "n")) {
      ok = get_string(L, -1, r.name);
    } else if (key_is(k, kn, "u")) {
      ok = get_string(L, -1, r.unit);
    } else if (key_is(k, kn, "t")) {
      want = "a finite number";
      ok = get_number(L, -1, t);
      has_t = true;
    } else if (key_is(k, kn, "v")) {
      double v = 0;
      want = "a finite number";
      ok = get_number(L, -1, v);
      r.value = v;
      ++values;
    } else if (key_is(k, kn, "vs")) {
      std::string v;
      ok = get_string(L, -1, v);
      r.string_value = std::move(v);
      ++values;
    } else if (key_is(k, kn, "vb")) {
      want = "a boolean";
      ok = lua_type(L, -1) == LUA_TBOOLEAN;
      r.bool_value = lua_toboolean(L, -1) != 0;
      ++values;
    } else if (key_is(k, kn, "vd")) {
      std::string v;
      ok = get_string(L, -1, v);
      r.data_value = std::move(v);
      ++values;
    } else if (key_is(k, kn, "s")) {
      double v = 0;
      want = "a finite number";
      ok = get_number(L, -1, v);
      r.sum = v;
    } else if (key_is(k, kn, "ut")) {
      want = "a non-negative number";
      ok = get_number(L, -1, r.update_time) && r.update_time >= 0;
    } else {
      error = record_error(
          i, "unknown field '" + std::string(k, kn) + "' (fields: n, u, t, v, vs, vb, vd, s, ut)");
      lua_pop(L, 2);
      return false;
    }
    if (!ok) {
      error = record_error(i, "field '" + std::string(k, kn) + "' must be " + want);
      lua_pop(L, 2);
      return false;
    }
    lua_pop(L, 1);
  }
  if (!valid_name(r.name)) {
    error = record_error(i, r.name.empty()
                                ? "field 'n' (name) is required"
                                : "name '" + r.name + "' has characters outside [A-Za-z0-9:./_-]");
    return false;
  }
  if (values > 1 || (values == 0 && !r.sum)) {
    error = record_error(i, "exactly one of v, vs, vb, vd (or s) is required");
    return false;
  }
  if (!has_t) {
    r.time = base_ns;
  } else {
    double ns = std::fabs(t) < kRelativeLimit ? static_cast<double>(base_ns) + t * 1e9 : t * 1e9;
    if (!(std::fabs(ns) < 9.2e18)) {
      error = record_error(i, "field 't' is out of range");
      return false;
    }
    r.time = std::llround(ns);
    if (orig && std::llabs(orig->time - r.time) < kKeepExact) r.time = orig->time;
  }
  return true;
}

// NO-RAISE. True when the table at idx (absolute) has a string field "n".
bool has_string_name(lua_State* L, int idx) {
  bool found = false;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TSTRING) {
      std::size_t kn = 0;
      const char* k = lua_tolstring(L, -2, &kn);
      if (key_is(k, kn, "n")) found = true;
    }
    lua_pop(L, 1);
    if (found) {
      lua_pop(L, 1);
      break;
    }
  }
  return found;
}

const char* type_name(lua_State* L, int idx) { return lua_typename(L, lua_type(L, idx)); }

// One message table at idx (absolute).
bool read_message(lua_State* L, int idx, const Message& in, Message& out, std::string& error) {
  out.id = in.id;
  out.publisher = in.publisher;
  out.group = in.group;
  out.profile = in.profile;
  out.protocol = in.protocol;
  out.subtopic = in.subtopic;
  out.content_type = in.content_type;
  out.created = in.created;
  out.payload = in.payload;
  out.format = MessageFormat::unknown;
  bool content_type_set = false;
  int restore = lua_gettop(L);
  lua_pushnil(L);
  lua_pushnil(L);
  const int records_at = restore + 1;
  const int payload_at = restore + 2;
  auto bail = [&](std::string text) {
    error = std::move(text);
    lua_settop(L, restore);
    return false;
  };
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    if (lua_type(L, -2) != LUA_TSTRING) {
      lua_pop(L, 1);
      continue;
    }
    std::size_t kn = 0;
    const char* k = lua_tolstring(L, -2, &kn);
    if (key_is(k, kn, "subtopic")) {
      std::string raw;
      if (!get_string(L, -1, raw)) return bail("message field 'subtopic' must be a string");
      auto sub = normalize_subtopic(raw);
      if (!sub) return bail(sub.error().message);
      out.subtopic = std::move(*sub);
    } else if (key_is(k, kn, "content_type")) {
      if (!get_string(L, -1, out.content_type))
        return bail("message field 'content_type' must be a string");
      content_type_set = out.content_type != in.content_type;
    } else if (key_is(k, kn, "created")) {
      double c = 0;
      if (lua_isinteger(L, -1)) {
        out.created = lua_tointeger(L, -1);
      } else if (get_number(L, -1, c) && std::fabs(c) < 9.2e18) {
        out.created = std::llround(c);
      } else {
        return bail("message field 'created' must be an integer (ns since the epoch)");
      }
    } else if (key_is(k, kn, "records")) {
      lua_pushvalue(L, -1);
      lua_replace(L, records_at);
    } else if (key_is(k, kn, "payload")) {
      lua_pushvalue(L, -1);
      lua_replace(L, payload_at);
    }
    lua_pop(L, 1);
  }
  bool ok = true;
  if (lua_type(L, records_at) == LUA_TTABLE) {
    out.format = MessageFormat::senml;
    out.records.clear();
    std::size_t n = lua_rawlen(L, records_at);
    if (n == 0) {
      error = "records is empty (return nil to drop the message)";
      ok = false;
    }
    const auto* orig = in.format == MessageFormat::senml ? &in.records : nullptr;
    ok = ok && read_records(L, records_at, out.created, orig, out.records, error);
    if (ok && in.format != MessageFormat::senml && !content_type_set)
      out.content_type = "application/senml+json";
  } else if (lua_type(L, payload_at) != LUA_TNIL) {
    out.format = MessageFormat::json;
    out.json.clear();
    ok = encode_json(L, payload_at, out.json, error);
    if (!ok) error = "payload: " + error;
    if (ok && in.format != MessageFormat::json && !content_type_set)
      out.content_type = "application/json";
  } else {
    error = "a message needs records (a table) or a payload";
    ok = false;
  }
  lua_settop(L, restore);
  return ok;
}

}  // namespace

namespace {

// `cache`: the string cache table's index or 0.
void push_records(lua_State* L, const std::vector<SenmlRecord>& records, int cache) {
  lua_createtable(L, static_cast<int>(records.size()), 0);
  mark_array(L);
  for (std::size_t i = 0; i < records.size(); ++i) {
    push_record(L, records[i], i, cache);
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
}

}  // namespace

void push_records(lua_State* L, const std::vector<SenmlRecord>& records) {
  int cache = push_string_cache(L);
  push_records(L, records, cache);
  if (cache != 0) lua_remove(L, cache);
}

void push_message(lua_State* L, const Message& m) {
  int cache = push_string_cache(L);
  int fields = 7 + (m.id.empty() ? 0 : 1) + (m.format == MessageFormat::unknown ? 0 : 1);
  lua_createtable(L, 0, fields);
  if (!m.id.empty()) set_string(L, cache, kFieldId, -1, m.id);
  set_string(L, cache, kFieldPublisher, 0, m.publisher);
  set_string(L, cache, kFieldGroup, 1, m.group);
  set_string(L, cache, kFieldProfile, 2, m.profile);
  set_string(L, cache, kFieldProtocol, 3, m.protocol);
  set_string(L, cache, kFieldSubtopic, 4, m.subtopic);
  set_string(L, cache, kFieldContentType, 5, m.content_type);
  push_key(L, cache, kFieldCreated);
  lua_pushinteger(L, m.created);
  set_field(L, cache, kFieldCreated);
  if (m.format == MessageFormat::senml) {
    push_key(L, cache, kFieldRecords);
    push_records(L, m.records, cache);
    set_field(L, cache, kFieldRecords);
  } else if (m.format == MessageFormat::json) {
    push_key(L, cache, kFieldPayload);
    push_json(L, m.json);
    set_field(L, cache, kFieldPayload);
  }
  if (cache != 0) lua_remove(L, cache);
}

void push_meta(lua_State* L, std::string_view json) {
  if (json.empty()) {
    lua_createtable(L, 0, 0);
    return;
  }
  push_json(L, json);
  if (lua_type(L, -1) != LUA_TTABLE || is_marked_array(L, -1))
    luaL_error(L, "meta must be a JSON object");
}

bool read_records(lua_State* L, int idx, std::int64_t base_ns, const std::vector<SenmlRecord>* orig,
                  std::vector<SenmlRecord>& out, std::string& error) {
  idx = lua_absindex(L, idx);
  if (!lua_checkstack(L, 8)) {
    error = "out of stack";
    return false;
  }
  if (lua_type(L, idx) != LUA_TTABLE) {
    error = std::string("records must be an array of tables, not a ") + type_name(L, idx);
    return false;
  }
  std::size_t n = lua_rawlen(L, idx);
  out.reserve(out.size() + n);
  for (std::size_t i = 1; i <= n; ++i) {
    lua_rawgeti(L, idx, static_cast<lua_Integer>(i));
    if (lua_type(L, -1) != LUA_TTABLE) {
      error = record_error(i - 1, std::string("must be a table, not a ") + type_name(L, -1));
      lua_pop(L, 1);
      return false;
    }
    const SenmlRecord* o = orig && i - 1 < orig->size() ? &(*orig)[i - 1] : nullptr;
    SenmlRecord& r = out.emplace_back();  // read in place
    bool ok = read_record(L, lua_gettop(L), i - 1, base_ns, o, r, error);
    lua_pop(L, 1);
    if (!ok) {
      out.pop_back();
      return false;
    }
  }
  return true;
}

bool read_transform_result(lua_State* L, int idx, const Message& in, std::vector<Message>& out,
                           std::string& error) {
  idx = lua_absindex(L, idx);
  if (lua_isnoneornil(L, idx)) return true;  // drop
  if (!lua_checkstack(L, 8)) {
    error = "out of stack";
    return false;
  }
  if (lua_type(L, idx) != LUA_TTABLE) {
    error = std::string("transform must return a message table, an array of them or nil, not a ") +
            type_name(L, idx);
    return false;
  }
  // An array of messages: element 1 is a table and there is no records/payload field.
  bool split = false;
  if (lua_rawlen(L, idx) > 0) {
    split = lua_rawgeti(L, idx, 1) == LUA_TTABLE;
    lua_pop(L, 1);
  }
  if (!split) {
    Message& m = out.emplace_back();  // read in place
    if (read_message(L, idx, in, m, error)) return true;
    out.pop_back();
    return false;
  }
  std::size_t n = lua_rawlen(L, idx);
  for (std::size_t i = 1; i <= n; ++i) {
    lua_rawgeti(L, idx, static_cast<lua_Integer>(i));
    if (lua_type(L, -1) != LUA_TTABLE) {
      error = "message " + std::to_string(i - 1) + ": must be a table";
      lua_pop(L, 1);
      return false;
    }
    Message m;
    bool ok = read_message(L, lua_gettop(L), in, m, error);
    lua_pop(L, 1);
    if (!ok) {
      error = "message " + std::to_string(i - 1) + ": " + error;
      return false;
    }
    if (n > 1) m.id.clear();  // each split message gets its own id
    out.push_back(std::move(m));
  }
  return true;
}

bool read_decoded(lua_State* L, int idx, std::int64_t now_ns, DecodedPayload& out,
                  std::string& error) {
  idx = lua_absindex(L, idx);
  if (!lua_checkstack(L, 8)) {
    error = "out of stack";
    return false;
  }
  if (lua_type(L, idx) != LUA_TTABLE) {
    error = std::string("decode must return records or a table, not a ") + type_name(L, idx);
    return false;
  }
  bool records = false;
  if (lua_rawlen(L, idx) > 0) {
    if (lua_rawgeti(L, idx, 1) == LUA_TTABLE) records = has_string_name(L, lua_gettop(L));
    lua_pop(L, 1);
  }
  if (records) {
    out.format = MessageFormat::senml;
    return read_records(L, idx, now_ns, nullptr, out.records, error);
  }
  out.format = MessageFormat::json;
  if (!encode_json(L, idx, out.json, error)) return false;
  return true;
}

}  // namespace conflux::core::scripting::detail
