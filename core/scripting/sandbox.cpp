// core/scripting — the sandbox: the limited allocator, the deadline hook,
// the safe globals (base without dofile/loadfile, text-only load, wrapped
// pcall/xpcall that rethrow limit errors, string without dump, table, math,
// utf8, an os with clock/time/date only, the conflux module), read-only
// proxies and the protected string metatable.
// Thread-safety: see lua_internal.h.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/scripting/lua_internal.h"

namespace conflux::core::scripting::detail {

std::int64_t steady_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

namespace {

// The size class of a block of n bytes, or -1 for blocks malloc handles.
int block_class(std::size_t n) {
  return n == 0 || n > BlockCache::kMaxBlock ? -1 : static_cast<int>((n - 1) / BlockCache::kGrain);
}

void* take_block(BlockCache& b, int k) {
  if (void* p = b.head[k]) {
    b.head[k] = *static_cast<void**>(p);
    --b.count[k];
    return p;
  }
  return std::malloc((static_cast<std::size_t>(k) + 1) * BlockCache::kGrain);
}

void give_block(BlockCache& b, int k, void* p) {
  if (b.count[k] >= BlockCache::kKeep) {
    std::free(p);
    return;
  }
  *static_cast<void**>(p) = b.head[k];
  b.head[k] = p;
  ++b.count[k];
}

}  // namespace

BlockCache::~BlockCache() {
  for (void* p : head) {
    while (p) {
      void* next = *static_cast<void**>(p);
      std::free(p);
      p = next;
    }
  }
}

// Lua passes the block's exact size as osize (when ptr is not null), so the
// class of every block is known without a header.
void* limited_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize) noexcept {
  auto* c = static_cast<StateCtx*>(ud);
  std::size_t old = ptr ? osize : 0;
  int ok = ptr ? block_class(old) : -1;
  if (nsize == 0) {
    if (ok >= 0)
      give_block(c->blocks, ok, ptr);
    else
      std::free(ptr);
    c->used -= old;
    return nullptr;
  }
  // Growing past the cap fails; Lua then collects garbage, retries and
  // raises a memory error (LUA_ERRMEM) if it still does not fit.
  if (nsize > old && c->used - old + nsize > c->limit) return nullptr;
  int nk = block_class(nsize);
  void* p = nullptr;
  if (ptr && nk == ok && nk >= 0) {
    p = ptr;  // same class: the block fits
  } else if (ptr && nk < 0 && ok < 0) {
    p = std::realloc(ptr, nsize);
  } else {
    p = nk >= 0 ? take_block(c->blocks, nk) : std::malloc(nsize);
    if (p && ptr) {
      std::memcpy(p, ptr, old < nsize ? old : nsize);
      if (ok >= 0)
        give_block(c->blocks, ok, ptr);
      else
        std::free(ptr);
    }
  }
  if (!p) return nullptr;
  c->used = c->used - old + nsize;
  return p;
}

void deadline_hook(lua_State* L, lua_Debug* ar) {
  StateCtx& c = ctx(L);
  if (c.killed == Kill::none) {
    if (steady_ns() <= c.deadline_ns) return;
    c.killed = Kill::timeout;
    int line = -1;
    if (lua_getinfo(L, "Sl", ar)) line = ar->currentline;
    std::snprintf(c.kill_message, sizeof c.kill_message, "%s:%d: deadline of %lld ms exceeded",
                  c.name.c_str(), line, static_cast<long long>(c.timeout_ns / 1'000'000));
    // Check at every instruction from now on: whatever catches the error
    // gets it again at once.
    lua_sethook(L, deadline_hook, LUA_MASKCOUNT, 1);
  }
  lua_pushstring(L, c.kill_message);
  lua_error(L);
}

namespace {

// After a protected call inside the sandbox: a limit error must not be
// swallowed. Marks memory errors and rethrows the error object at the top.
void rethrow_limits(lua_State* L, int status) {
  StateCtx& c = ctx(L);
  if (status == LUA_ERRMEM && c.killed == Kill::none) {
    c.killed = Kill::memory;
    std::snprintf(c.kill_message, sizeof c.kill_message, "%s: memory limit of %zu bytes exceeded",
                  c.name.c_str(), c.limit);
  }
  if (c.killed != Kill::none) lua_error(L);
}

int sb_pcall(lua_State* L) {
  luaL_checkany(L, 1);
  int status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
  rethrow_limits(L, status);
  lua_pushboolean(L, status == LUA_OK);
  lua_insert(L, 1);
  return lua_gettop(L);
}

// The message handler xpcall installs around the script's: once a limit
// was hit the script's handler is not called (an error raised by the
// deadline hook reaches the handler with hooks disabled, so a looping
// handler could never be stopped).
int guarded_handler(lua_State* L) {
  if (ctx(L).killed != Kill::none) return 1;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

int sb_xpcall(lua_State* L) {
  int n = lua_gettop(L);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, guarded_handler, 1);
  lua_pushvalue(L, 1);  // f
  lua_replace(L, 2);    // f at 2
  lua_replace(L, 1);    // the guarded handler at 1
  int status = lua_pcall(L, n - 2, LUA_MULTRET, 1);
  rethrow_limits(L, status);
  lua_pushboolean(L, status == LUA_OK);
  lua_replace(L, 1);  // replaces the handler
  return lua_gettop(L);
}

int sb_rawset(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  if (push_proxy_real(L, 1)) return luaL_error(L, "attempt to modify a read-only table");
  luaL_checkany(L, 2);
  luaL_checkany(L, 3);
  lua_settop(L, 3);
  ++ctx(L).env_writes;  // may add a key to the call environment
  lua_rawset(L, 1);
  return 1;
}

// load(chunk [, chunkname [, mode [, env]]]): text only; the default env is
// a fresh table reading the sandbox globals.
int sb_load(lua_State* L) {
  if (lua_type(L, 1) == LUA_TSTRING) {
    std::size_t n = 0;
    const char* s = lua_tolstring(L, 1, &n);
    if (n > 0 && s[0] == LUA_SIGNATURE[0])
      return luaL_error(L, "load: binary chunks are not allowed");
  } else if (!lua_isfunction(L, 1)) {
    return luaL_error(L, "load: chunk must be a string or a function");
  }
  bool has_env = lua_gettop(L) >= 4;
  lua_settop(L, 4);
  lua_pushvalue(L, lua_upvalueindex(1));  // the real load
  lua_pushvalue(L, 1);
  if (lua_isnoneornil(L, 2))
    lua_pushliteral(L, "=(load)");
  else
    lua_pushvalue(L, 2);
  lua_pushliteral(L, "t");
  if (has_env) {
    lua_pushvalue(L, 4);
  } else {
    lua_createtable(L, 0, 0);
    lua_createtable(L, 0, 2);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kSandboxKey);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
  }
  lua_call(L, 4, 2);
  return 2;
}

int sb_print(lua_State* L) {
  log_line(L, LogLevel::info, 1);
  return 0;
}

// collectgarbage("count") only: the state's memory in KiB.
int sb_collectgarbage(lua_State* L) {
  const char* opt = luaL_optstring(L, 1, "count");
  if (std::string_view(opt) != "count")
    return luaL_error(L, "collectgarbage: only \"count\" is available");
  lua_pushnumber(L, static_cast<lua_Number>(ctx(L).used) / 1024.0);
  return 1;
}

int ro_newindex(lua_State* L) { return luaL_error(L, "attempt to modify a read-only table"); }

int ro_len(lua_State* L) {
  if (!push_proxy_real(L, 1)) return 0;
  lua_pushinteger(L, static_cast<lua_Integer>(lua_rawlen(L, -1)));
  return 1;
}

int ro_next(lua_State* L) {
  lua_settop(L, 2);
  if (!push_proxy_real(L, 1)) return 0;
  lua_pushvalue(L, 2);
  if (lua_next(L, 3)) return 2;
  lua_pushnil(L);
  return 1;
}

int ro_pairs(lua_State* L) {
  lua_pushcfunction(L, ro_next);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

// Pushes the proxy of the table at `real` (absolute index), reusing the
// one in `visited` (absolute index) and freezing nested tables first.
void proxy_of(lua_State* L, int real, int visited) {
  luaL_checkstack(L, 8, "tables nested too deeply");
  if (push_proxy_real(L, real)) {  // already a proxy
    lua_pop(L, 1);
    lua_pushvalue(L, real);
    return;
  }
  lua_pushvalue(L, real);
  if (lua_rawget(L, visited) != LUA_TNIL) return;
  lua_pop(L, 1);
  push_proxy(L, real);
  lua_pushvalue(L, real);
  lua_pushvalue(L, -2);
  lua_rawset(L, visited);
  int proxy = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, real)) {
    if (lua_type(L, -1) == LUA_TTABLE) {
      proxy_of(L, lua_gettop(L), visited);
      lua_pushvalue(L, -3);  // key
      lua_insert(L, -2);     // key, proxy
      lua_rawset(L, real);   // replace an existing field: allowed while traversing
    }
    lua_pop(L, 1);
  }
  lua_settop(L, proxy);
}

}  // namespace

bool push_proxy_real(lua_State* L, int idx) {
  if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx)) return false;
  if (lua_rawgetp(L, -1, &kProxyRealKey) == LUA_TTABLE) {
    lua_remove(L, -2);
    return true;
  }
  lua_pop(L, 2);
  return false;
}

void push_proxy(lua_State* L, int idx) {
  idx = lua_absindex(L, idx);
  lua_createtable(L, 0, 0);
  lua_createtable(L, 0, 6);
  lua_pushvalue(L, idx);
  lua_setfield(L, -2, "__index");
  lua_pushvalue(L, idx);
  lua_rawsetp(L, -2, &kProxyRealKey);
  lua_pushcfunction(L, ro_newindex);
  lua_setfield(L, -2, "__newindex");
  lua_pushcfunction(L, ro_len);
  lua_setfield(L, -2, "__len");
  lua_pushcfunction(L, ro_pairs);
  lua_setfield(L, -2, "__pairs");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
}

void freeze_globals(lua_State* L, int idx, const char* keep) {
  idx = lua_absindex(L, idx);
  lua_createtable(L, 0, 0);
  int visited = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    bool kept = lua_type(L, -2) == LUA_TSTRING && std::string_view(lua_tostring(L, -2)) == keep;
    if (!kept && lua_type(L, -1) == LUA_TTABLE) {
      proxy_of(L, lua_gettop(L), visited);
      lua_pushvalue(L, -3);
      lua_insert(L, -2);
      lua_rawset(L, idx);
    }
    lua_pop(L, 1);
  }
  lua_settop(L, visited - 1);
}

void mark_array(lua_State* L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kArrayMtKey);
  lua_setmetatable(L, -2);
}

bool is_marked_array(lua_State* L, int idx) {
  if (!lua_getmetatable(L, idx)) return false;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kArrayMtKey);
  bool same = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return same;
}

int open_sandbox(lua_State* L) {
  luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
  int base = lua_gettop(L);
  luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 0);
  int str = lua_gettop(L);
  luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 0);
  int tab = lua_gettop(L);
  luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 0);
  int math = lua_gettop(L);
  luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 0);
  int utf8 = lua_gettop(L);
  luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 0);
  int os = lua_gettop(L);

  // No bytecode out of the sandbox: string.dump is gone from the real
  // table (strings index it through their metatable).
  lua_pushnil(L);
  lua_setfield(L, str, "dump");
  // The string metatable cannot be reached: getmetatable("") is false.
  lua_pushliteral(L, "");
  if (lua_getmetatable(L, -1)) {
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
  }
  lua_pop(L, 1);

  // The JSON array marker (its metatable is not reachable either).
  lua_createtable(L, 0, 2);
  lua_pushliteral(L, "json.array");
  lua_setfield(L, -2, "__metatable");
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kArrayMtKey);

  // G: the sandbox globals.
  lua_createtable(L, 0, 32);
  int g = lua_gettop(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kSandboxKey);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kSandboxKey);
  for (const char* name :
       {"assert", "error", "ipairs", "next", "pairs", "rawequal", "rawget", "rawlen", "select",
        "setmetatable", "getmetatable", "tonumber", "tostring", "type", "_VERSION"}) {
    lua_getfield(L, base, name);
    lua_setfield(L, g, name);
  }
  lua_pushcfunction(L, sb_pcall);
  lua_setfield(L, g, "pcall");
  lua_pushcfunction(L, sb_xpcall);
  lua_setfield(L, g, "xpcall");
  lua_pushcfunction(L, sb_rawset);
  lua_setfield(L, g, "rawset");
  lua_pushcfunction(L, sb_print);
  lua_setfield(L, g, "print");
  lua_pushcfunction(L, sb_collectgarbage);
  lua_setfield(L, g, "collectgarbage");
  lua_getfield(L, base, "load");
  lua_pushcclosure(L, sb_load, 1);
  lua_setfield(L, g, "load");

  // The real globals keep nothing dangerous either (no io/os/package/debug
  // were opened; drop the file loaders).
  for (const char* name : {"dofile", "loadfile", "load", "collectgarbage", "warn", "print"}) {
    lua_pushnil(L);
    lua_setfield(L, base, name);
  }

  lua_createtable(L, 0, 3);
  for (const char* name : {"clock", "time", "date"}) {
    lua_getfield(L, os, name);
    lua_setfield(L, -2, name);
  }
  int safe_os = lua_gettop(L);

  const std::pair<const char*, int> libs[] = {
      {"string", str}, {"table", tab}, {"math", math}, {"utf8", utf8}, {"os", safe_os}};
  for (const auto& [name, idx] : libs) {
    push_proxy(L, idx);
    lua_setfield(L, g, name);
  }
  push_conflux_module(L);
  lua_setfield(L, g, "conflux");
  lua_settop(L, 0);
  return 0;
}

}  // namespace conflux::core::scripting::detail
