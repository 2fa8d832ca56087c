// core/scripting — JSON ↔ Lua values: a parser that pushes straight onto the
// Lua stack (no C++ objects live across Lua calls, so a memory error cannot
// leak) and an encoder that reads with raw, non-raising accesses.
//
// Mapping: object ↔ table with string keys; array ↔ table marked as a JSON
// array (so an empty one stays []); an unmarked table is an array when its
// keys are exactly 1..n (n ≥ 1), else an object; {} unmarked is an object;
// null ↔ conflux.json.null; integers stay integers.
// Thread-safety: see lua_internal.h.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "conflux/http.h"  // json_escape_to
#include "core/scripting/lua_internal.h"

namespace conflux::core::scripting::detail {
namespace {

constexpr int kMaxDepth = 100;

struct Parser {
  lua_State* L;
  const char* p;
  const char* begin;
  const char* end;
  int depth = 0;
};

[[noreturn]] void fail_at(Parser& s, const char* what) {
  luaL_error(s.L, "json: %s at offset %d", what, static_cast<int>(s.p - s.begin));
  std::abort();  // not reached: luaL_error does not return
}

void skip_ws(Parser& s) {
  while (s.p < s.end && (*s.p == ' ' || *s.p == '\t' || *s.p == '\n' || *s.p == '\r')) ++s.p;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

unsigned read_hex4(Parser& s) {
  if (s.end - s.p < 4) fail_at(s, "truncated \\u escape");
  unsigned v = 0;
  for (int i = 0; i < 4; ++i) {
    int d = hex_digit(s.p[i]);
    if (d < 0) fail_at(s, "bad \\u escape");
    v = v * 16 + static_cast<unsigned>(d);
  }
  s.p += 4;
  return v;
}

void add_utf8(luaL_Buffer* b, unsigned cp) {
  char out[4];
  int n = 0;
  if (cp < 0x80) {
    out[n++] = static_cast<char>(cp);
  } else if (cp < 0x800) {
    out[n++] = static_cast<char>(0xC0 | (cp >> 6));
    out[n++] = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out[n++] = static_cast<char>(0xE0 | (cp >> 12));
    out[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[n++] = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out[n++] = static_cast<char>(0xF0 | (cp >> 18));
    out[n++] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[n++] = static_cast<char>(0x80 | (cp & 0x3F));
  }
  luaL_addlstring(b, out, static_cast<std::size_t>(n));
}

// At the opening quote; pushes the string.
void parse_string(Parser& s) {
  ++s.p;
  luaL_Buffer b;
  luaL_buffinit(s.L, &b);
  for (;;) {
    const char* run = s.p;
    while (s.p < s.end && *s.p != '"' && *s.p != '\\' && static_cast<unsigned char>(*s.p) >= 0x20)
      ++s.p;
    luaL_addlstring(&b, run, static_cast<std::size_t>(s.p - run));
    if (s.p >= s.end) fail_at(s, "unterminated string");
    char c = *s.p;
    if (c == '"') {
      ++s.p;
      break;
    }
    if (c != '\\') fail_at(s, "control character in string");
    ++s.p;
    if (s.p >= s.end) fail_at(s, "unterminated string");
    char e = *s.p++;
    switch (e) {
      case '"':
      case '\\':
      case '/':
        luaL_addchar(&b, e);
        break;
      case 'b':
        luaL_addchar(&b, '\b');
        break;
      case 'f':
        luaL_addchar(&b, '\f');
        break;
      case 'n':
        luaL_addchar(&b, '\n');
        break;
      case 'r':
        luaL_addchar(&b, '\r');
        break;
      case 't':
        luaL_addchar(&b, '\t');
        break;
      case 'u': {
        unsigned cp = read_hex4(s);
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          if (s.end - s.p < 6 || s.p[0] != '\\' || s.p[1] != 'u') fail_at(s, "lone surrogate");
          s.p += 2;
          unsigned lo = read_hex4(s);
          if (lo < 0xDC00 || lo > 0xDFFF) fail_at(s, "bad surrogate pair");
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          fail_at(s, "lone surrogate");
        }
        add_utf8(&b, cp);
        break;
      }
      default:
        fail_at(s, "bad escape");
    }
  }
  luaL_pushresult(&b);
}

void parse_number(Parser& s) {
  const char* start = s.p;
  if (s.p < s.end && *s.p == '-') ++s.p;
  if (s.p >= s.end) fail_at(s, "bad number");
  if (*s.p == '0') {
    ++s.p;
  } else if (*s.p >= '1' && *s.p <= '9') {
    while (s.p < s.end && *s.p >= '0' && *s.p <= '9') ++s.p;
  } else {
    fail_at(s, "bad number");
  }
  if (s.p < s.end && *s.p == '.') {
    ++s.p;
    if (s.p >= s.end || *s.p < '0' || *s.p > '9') fail_at(s, "bad number");
    while (s.p < s.end && *s.p >= '0' && *s.p <= '9') ++s.p;
  }
  if (s.p < s.end && (*s.p == 'e' || *s.p == 'E')) {
    ++s.p;
    if (s.p < s.end && (*s.p == '+' || *s.p == '-')) ++s.p;
    if (s.p >= s.end || *s.p < '0' || *s.p > '9') fail_at(s, "bad number");
    while (s.p < s.end && *s.p >= '0' && *s.p <= '9') ++s.p;
  }
  char buf[128];
  std::size_t n = static_cast<std::size_t>(s.p - start);
  if (n >= sizeof buf) fail_at(s, "number too long");
  std::memcpy(buf, start, n);
  buf[n] = '\0';
  if (lua_stringtonumber(s.L, buf) == 0) fail_at(s, "bad number");
}

void parse_literal(Parser& s, const char* word) {
  std::size_t n = std::strlen(word);
  if (static_cast<std::size_t>(s.end - s.p) < n || std::memcmp(s.p, word, n) != 0)
    fail_at(s, "unexpected character");
  s.p += n;
}

void parse_value(Parser& s) {
  skip_ws(s);
  if (s.p >= s.end) fail_at(s, "unexpected end");
  switch (*s.p) {
    case '{': {
      if (++s.depth > kMaxDepth) fail_at(s, "nested too deeply");
      luaL_checkstack(s.L, 4, "json nested too deeply");
      ++s.p;
      lua_createtable(s.L, 0, 4);
      skip_ws(s);
      if (s.p < s.end && *s.p == '}') {
        ++s.p;
      } else {
        for (;;) {
          skip_ws(s);
          if (s.p >= s.end || *s.p != '"') fail_at(s, "expected a member name");
          parse_string(s);
          skip_ws(s);
          if (s.p >= s.end || *s.p != ':') fail_at(s, "expected ':'");
          ++s.p;
          parse_value(s);
          lua_rawset(s.L, -3);
          skip_ws(s);
          if (s.p < s.end && *s.p == ',') {
            ++s.p;
            continue;
          }
          if (s.p < s.end && *s.p == '}') {
            ++s.p;
            break;
          }
          fail_at(s, "expected ',' or '}'");
        }
      }
      --s.depth;
      return;
    }
    case '[': {
      if (++s.depth > kMaxDepth) fail_at(s, "nested too deeply");
      luaL_checkstack(s.L, 4, "json nested too deeply");
      ++s.p;
      lua_createtable(s.L, 4, 0);
      mark_array(s.L);
      skip_ws(s);
      if (s.p < s.end && *s.p == ']') {
        ++s.p;
      } else {
        lua_Integer i = 1;
        for (;;) {
          parse_value(s);
          lua_rawseti(s.L, -2, i++);
          skip_ws(s);
          if (s.p < s.end && *s.p == ',') {
            ++s.p;
            continue;
          }
          if (s.p < s.end && *s.p == ']') {
            ++s.p;
            break;
          }
          fail_at(s, "expected ',' or ']'");
        }
      }
      --s.depth;
      return;
    }
    case '"':
      parse_string(s);
      return;
    case 't':
      parse_literal(s, "true");
      lua_pushboolean(s.L, 1);
      return;
    case 'f':
      parse_literal(s, "false");
      lua_pushboolean(s.L, 0);
      return;
    case 'n':
      parse_literal(s, "null");
      lua_pushlightuserdata(s.L, &kNullTag);
      return;
    default:
      parse_number(s);
      return;
  }
}

// A JSON string literal of the bytes (SDK escaping; bytes >= 0x80 as they are).
void append_escaped(std::string& out, const char* s, std::size_t n) {
  out.push_back('"');
  json_escape_to(out, std::string_view(s, n));
  out.push_back('"');
}

bool encode_value(lua_State* L, int idx, std::string& out, std::string& error, int depth);

bool encode_table(lua_State* L, int idx, std::string& out, std::string& error, int depth) {
  if (depth > kMaxDepth) {
    error = "json.encode: nested too deeply (or a cycle)";
    return false;
  }
  if (!lua_checkstack(L, 6)) {
    error = "json.encode: out of stack";
    return false;
  }
  int top = lua_gettop(L);
  if (push_proxy_real(L, idx)) idx = lua_gettop(L);
  bool array = is_marked_array(L, idx);
  std::size_t n = lua_rawlen(L, idx);
  if (!array && n > 0) {
    // A sequence 1..n with no other keys is an array.
    std::size_t keys = 0;
    bool only_ints = true;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
      lua_pop(L, 1);
      ++keys;
      if (!lua_isinteger(L, -1)) only_ints = false;
    }
    array = only_ints && keys == n;
  }
  bool ok = true;
  if (array) {
    out.push_back('[');
    for (std::size_t i = 1; i <= n && ok; ++i) {
      if (i > 1) out.push_back(',');
      lua_rawgeti(L, idx, static_cast<lua_Integer>(i));
      ok = encode_value(L, lua_gettop(L), out, error, depth + 1);
      lua_pop(L, 1);
    }
    if (ok) out.push_back(']');
  } else {
    out.push_back('{');
    bool first = true;
    lua_pushnil(L);
    while (ok && lua_next(L, idx)) {
      if (lua_type(L, -2) != LUA_TSTRING) {
        error = "json.encode: object keys must be strings (mixed or sparse table?)";
        ok = false;
        break;
      }
      if (!first) out.push_back(',');
      first = false;
      std::size_t kn = 0;
      const char* k = lua_tolstring(L, -2, &kn);
      append_escaped(out, k, kn);
      out.push_back(':');
      ok = encode_value(L, lua_gettop(L), out, error, depth + 1);
      lua_pop(L, 1);
    }
    if (ok) out.push_back('}');
  }
  lua_settop(L, top);
  return ok;
}

bool encode_value(lua_State* L, int idx, std::string& out, std::string& error, int depth) {
  switch (lua_type(L, idx)) {
    case LUA_TNIL:
      out += "null";
      return true;
    case LUA_TBOOLEAN:
      out += lua_toboolean(L, idx) ? "true" : "false";
      return true;
    case LUA_TNUMBER: {
      char buf[32];
      std::to_chars_result r;
      if (lua_isinteger(L, idx)) {
        r = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(lua_tointeger(L, idx)));
      } else {
        double d = lua_tonumber(L, idx);
        if (!std::isfinite(d)) {
          error = "json.encode: NaN and infinity have no JSON form";
          return false;
        }
        r = std::to_chars(buf, buf + sizeof buf, d);
      }
      out.append(buf, r.ptr);
      return true;
    }
    case LUA_TSTRING: {
      std::size_t n = 0;
      const char* s = lua_tolstring(L, idx, &n);
      append_escaped(out, s, n);
      return true;
    }
    case LUA_TLIGHTUSERDATA:
      if (lua_touserdata(L, idx) == &kNullTag) {
        out += "null";
        return true;
      }
      break;
    case LUA_TTABLE:
      return encode_table(L, idx, out, error, depth);
    default:
      break;
  }
  error =
      std::string("json.encode: cannot encode a ") + lua_typename(L, lua_type(L, idx)) + " value";
  return false;
}

}  // namespace

void push_json(lua_State* L, std::string_view text) {
  Parser s{L, text.data(), text.data(), text.data() + text.size()};
  parse_value(s);
  skip_ws(s);
  if (s.p != s.end) fail_at(s, "trailing characters");
}

bool encode_json(lua_State* L, int idx, std::string& out, std::string& error) {
  idx = lua_absindex(L, idx);
  return encode_value(L, idx, out, error, 0);
}

}  // namespace conflux::core::scripting::detail
