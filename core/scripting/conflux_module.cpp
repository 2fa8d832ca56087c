// core/scripting — the `conflux` module scripts see: json (encode, decode,
// null, array, object), base64 and hex (encode, decode), time (now, now_ms)
// and log(level, ...). Every sub-table is a read-only proxy.
// Thread-safety: see lua_internal.h.
#include <chrono>
#include <cstring>

#include "core/scripting/lua_internal.h"

namespace conflux::core::scripting::detail {
namespace {

// NO-RAISE. Encodes argument 1 into the state's scratch buffer; on failure
// the scratch holds the error text.
bool encode_to_scratch(lua_State* L) {
  StateCtx& c = ctx(L);
  c.scratch.clear();
  std::string error;
  if (encode_json(L, 1, c.scratch, error)) return true;
  c.scratch = std::move(error);
  return false;
}

int json_encode(lua_State* L) {
  luaL_checkany(L, 1);
  if (!encode_to_scratch(L)) return luaL_error(L, "%s", ctx(L).scratch.c_str());
  const std::string& out = ctx(L).scratch;
  lua_pushlstring(L, out.data(), out.size());
  return 1;
}

int json_decode(lua_State* L) {
  std::size_t n = 0;
  const char* s = luaL_checklstring(L, 1, &n);
  push_json(L, std::string_view(s, n));
  return 1;
}

// json.array(t): marks t (or a new table) as a JSON array; returns it.
int json_array(lua_State* L) {
  if (lua_isnoneornil(L, 1)) {
    lua_settop(L, 0);
    lua_createtable(L, 0, 0);
  } else {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
  }
  mark_array(L);
  return 1;
}

// json.object(t): removes the array mark (an empty table encodes as {}).
int json_object(lua_State* L) {
  if (lua_isnoneornil(L, 1)) {
    lua_settop(L, 0);
    lua_createtable(L, 0, 0);
    return 1;
  }
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  if (is_marked_array(L, 1)) {
    lua_pushnil(L);
    lua_setmetatable(L, 1);
  }
  return 1;
}

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int b64_encode(lua_State* L) {
  std::size_t n = 0;
  const auto* s = reinterpret_cast<const unsigned char*>(luaL_checklstring(L, 1, &n));
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (std::size_t i = 0; i < n; i += 3) {
    unsigned v = static_cast<unsigned>(s[i]) << 16;
    if (i + 1 < n) v |= static_cast<unsigned>(s[i + 1]) << 8;
    if (i + 2 < n) v |= s[i + 2];
    char out[4] = {kB64[(v >> 18) & 63], kB64[(v >> 12) & 63],
                   i + 1 < n ? kB64[(v >> 6) & 63] : '=', i + 2 < n ? kB64[v & 63] : '='};
    luaL_addlstring(&b, out, 4);
  }
  luaL_pushresult(&b);
  return 1;
}

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

// Accepts standard and URL-safe alphabets, with or without padding.
int b64_decode(lua_State* L) {
  std::size_t n = 0;
  const char* s = luaL_checklstring(L, 1, &n);
  while (n > 0 && s[n - 1] == '=') --n;
  if (n % 4 == 1) return luaL_error(L, "base64.decode: bad length");
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  unsigned acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < n; ++i) {
    int v = b64_value(s[i]);
    if (v < 0) return luaL_error(L, "base64.decode: bad character at %d", static_cast<int>(i));
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      luaL_addchar(&b, static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  luaL_pushresult(&b);
  return 1;
}

int hex_encode(lua_State* L) {
  std::size_t n = 0;
  const auto* s = reinterpret_cast<const unsigned char*>(luaL_checklstring(L, 1, &n));
  static constexpr char kHex[] = "0123456789abcdef";
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (std::size_t i = 0; i < n; ++i) {
    char out[2] = {kHex[s[i] >> 4], kHex[s[i] & 15]};
    luaL_addlstring(&b, out, 2);
  }
  luaL_pushresult(&b);
  return 1;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Ignores spaces (so "03 67 01 10" works).
int hex_decode(lua_State* L) {
  std::size_t n = 0;
  const char* s = luaL_checklstring(L, 1, &n);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  int hi = -1;
  for (std::size_t i = 0; i < n; ++i) {
    if (s[i] == ' ') continue;
    int v = hex_value(s[i]);
    if (v < 0) return luaL_error(L, "hex.decode: bad character at %d", static_cast<int>(i));
    if (hi < 0) {
      hi = v;
    } else {
      luaL_addchar(&b, static_cast<char>(hi * 16 + v));
      hi = -1;
    }
  }
  if (hi >= 0) return luaL_error(L, "hex.decode: odd number of digits");
  luaL_pushresult(&b);
  return 1;
}

std::int64_t wall_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int time_now(lua_State* L) {
  lua_pushnumber(L, static_cast<lua_Number>(wall_ns()) / 1e9);
  return 1;
}

int time_now_ms(lua_State* L) {
  lua_pushinteger(L, wall_ns() / 1'000'000);
  return 1;
}

int log_fn(lua_State* L) {
  const char* level = luaL_checkstring(L, 1);
  LogLevel lv;
  if (std::strcmp(level, "debug") == 0)
    lv = LogLevel::debug;
  else if (std::strcmp(level, "info") == 0)
    lv = LogLevel::info;
  else if (std::strcmp(level, "warn") == 0)
    lv = LogLevel::warn;
  else if (std::strcmp(level, "error") == 0)
    lv = LogLevel::error;
  else
    return luaL_error(L, "log: level must be debug, info, warn or error");
  log_line(L, lv, 2);
  return 0;
}

void set_functions(lua_State* L, const luaL_Reg* fns) {
  for (; fns->name; ++fns) {
    lua_pushcfunction(L, fns->func);
    lua_setfield(L, -2, fns->name);
  }
}

// Sets t[name] = proxy(table at the top) and pops it; t is below it.
void set_proxied(lua_State* L, const char* name) {
  push_proxy(L, -1);
  lua_setfield(L, -3, name);
  lua_pop(L, 1);
}

}  // namespace

void log_line(lua_State* L, LogLevel level, int first_arg) {
  int top = lua_gettop(L);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (int i = first_arg; i <= top; ++i) {
    if (i > first_arg) luaL_addchar(&b, ' ');
    luaL_tolstring(L, i, nullptr);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  std::size_t n = 0;
  const char* text = lua_tolstring(L, -1, &n);
  StateCtx& c = ctx(L);
  std::string_view line(text, n < kMaxLogLineBytes ? n : kMaxLogLineBytes);
  // No Lua calls below: C++ only.
  if (c.logs && c.logs->size() < kMaxLogLines) c.logs->emplace_back(line);
  if (c.log) c.log->log(level, "script {}: {}", c.name, line);
}

void push_conflux_module(lua_State* L) {
  lua_createtable(L, 0, 6);

  lua_createtable(L, 0, 5);
  static const luaL_Reg json[] = {{"encode", json_encode},
                                  {"decode", json_decode},
                                  {"array", json_array},
                                  {"object", json_object},
                                  {nullptr, nullptr}};
  set_functions(L, json);
  lua_pushlightuserdata(L, &kNullTag);
  lua_setfield(L, -2, "null");
  set_proxied(L, "json");

  lua_createtable(L, 0, 2);
  static const luaL_Reg b64[] = {
      {"encode", b64_encode}, {"decode", b64_decode}, {nullptr, nullptr}};
  set_functions(L, b64);
  set_proxied(L, "base64");

  lua_createtable(L, 0, 2);
  static const luaL_Reg hex[] = {
      {"encode", hex_encode}, {"decode", hex_decode}, {nullptr, nullptr}};
  set_functions(L, hex);
  set_proxied(L, "hex");

  lua_createtable(L, 0, 2);
  static const luaL_Reg time[] = {{"now", time_now}, {"now_ms", time_now_ms}, {nullptr, nullptr}};
  set_functions(L, time);
  set_proxied(L, "time");

  lua_pushcfunction(L, log_fn);
  lua_setfield(L, -2, "log");

  push_proxy(L, -1);
  lua_remove(L, -2);
}

}  // namespace conflux::core::scripting::detail
