// core/scripting — LuaState: building the sandboxed interpreter and calling
// the script's functions under its limits (see lua_state.h).
// Thread-safety: see lua_state.h.
#include "core/scripting/lua_state.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/scripting/lua_internal.h"
#include "core/scripting/lua_message.h"

namespace conflux::core::scripting {

using detail::Kill;
using detail::StateCtx;

std::string_view to_string(RunStatus s) noexcept {
  switch (s) {
    case RunStatus::ok:
      return "ok";
    case RunStatus::error:
      return "error";
    case RunStatus::timeout:
      return "timeout";
    case RunStatus::memory:
      return "memory";
  }
  return "error";
}

std::string_view to_string(ScriptFunction f) noexcept {
  switch (f) {
    case ScriptFunction::transform:
      return "transform";
    case ScriptFunction::decode:
      return "decode";
    case ScriptFunction::encode:
      return "encode";
  }
  return "transform";
}

// Empties the call environment when a call is over (results read).
struct LuaState::EnvReset {
  LuaState& state;
  ~EnvReset() { state.clear_env(); }
};

struct LuaState::CallArgs {
  enum class Kind { prepare, call, prepared, renew_env };
  LuaState* self = nullptr;
  Kind kind = Kind::call;
  ScriptFunction fn = ScriptFunction::transform;
  const Message* message = nullptr;
  std::string_view bytes;
  std::string_view meta;
  const std::vector<SenmlRecord>* records = nullptr;
  int arg_ref = -1;
};

namespace {

int panic(lua_State* L) {
  const char* msg = lua_tostring(L, -1);
  std::fprintf(stderr, "conflux: unprotected Lua error: %s\n", msg ? msg : "(not a string)");
  std::abort();
}

// setmetatable without finalizers: a __gc could run unbounded when the
// interpreter closes.
int sb_setmetatable(lua_State* L) {
  if (lua_type(L, 2) == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    if (lua_rawget(L, 2) != LUA_TNIL) return luaL_error(L, "__gc metamethods are not allowed");
    lua_pop(L, 1);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

constexpr const char* kFunctionNames[] = {"transform", "decode", "encode"};

// A call that added more keys than this to its environment gets a new
// environment table afterwards (the cleared one keeps its hash part).
constexpr int kEnvKeepKeys = 64;

// __newindex of the call environment: counts the keys a call adds, then
// stores them in the environment itself.
int env_newindex(lua_State* L) {
  ++detail::ctx(L).env_writes;
  lua_settop(L, 3);
  lua_rawset(L, 1);
  return 0;
}

// RAISES. Pushes a new call environment: an empty table reading through to
// the script's globals S at `s` (absolute), whose metatable is kept at
// registry[`*mt_ref`] (made on first use, when negative).
void push_env(lua_State* L, int s, int* mt_ref) {
  lua_createtable(L, 0, 0);
  if (*mt_ref < 0) {
    lua_createtable(L, 0, 3);
    lua_pushvalue(L, s);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, env_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pushvalue(L, -1);
    *mt_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  } else {
    lua_rawgeti(L, LUA_REGISTRYINDEX, *mt_ref);
  }
  lua_setmetatable(L, -2);
}

}  // namespace

// The message handler of every top-level call: adds "<name>:<line>: " to
// errors raised where Lua gives no position (errors from C functions).
int LuaState::add_location(lua_State* L) {
  if (lua_type(L, 1) != LUA_TSTRING) return 1;
  const char* msg = lua_tostring(L, 1);
  StateCtx& c = detail::ctx(L);
  if (std::strncmp(msg, c.name.c_str(), c.name.size()) == 0 && msg[c.name.size()] == ':') return 1;
  lua_Debug ar;
  for (int level = 1; lua_getstack(L, level, &ar); ++level) {
    if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
      lua_pushfstring(L, "%s:%d: %s", c.name.c_str(), ar.currentline, msg);
      return 1;
    }
  }
  return 1;
}

// RAISES (runs protected). Argument 1: the CallArgs; for prepare, 2: the chunk.
int LuaState::run_call(lua_State* L) {
  auto* a = static_cast<CallArgs*>(lua_touserdata(L, 1));
  LuaState* self = a->self;
  if (a->kind == CallArgs::Kind::prepare) {
    // The sandbox's setmetatable refuses finalizers.
    lua_rawgetp(L, LUA_REGISTRYINDEX, &detail::kSandboxKey);
    lua_getfield(L, -1, "setmetatable");
    lua_pushcclosure(L, sb_setmetatable, 1);
    lua_setfield(L, -2, "setmetatable");
    int g = lua_gettop(L);
    // S: the script's globals; `state` survives calls.
    lua_createtable(L, 0, 8);
    int s = lua_gettop(L);
    lua_createtable(L, 0, 0);
    lua_setfield(L, s, "state");
    // The sandbox globals are copied in (one lookup less per global access
    // in calls); S still reads through to G for anything added later.
    lua_pushnil(L);
    while (lua_next(L, g)) {
      lua_pushvalue(L, -2);
      lua_insert(L, -2);
      lua_rawset(L, s);
    }
    lua_createtable(L, 0, 2);
    lua_pushvalue(L, g);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, s);
    lua_pushvalue(L, s);
    if (!lua_setupvalue(L, 2, 1)) lua_pop(L, 1);
    lua_pushvalue(L, 2);
    self->main_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushvalue(L, 2);
    lua_call(L, 0, 0);  // the top level
    detail::freeze_globals(L, s, "state");
    // Calls run in one environment table, emptied after each call.
    lua_pushvalue(L, s);
    self->globals_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
    push_env(L, s, &self->env_mt_ref_);
    lua_pushvalue(L, -1);
    if (!lua_setupvalue(L, 2, 1)) lua_pop(L, 1);
    self->env_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
    // The message conversion's string cache and field names.
    lua_createtable(L, detail::StringCache::kSize, 0);
    for (int f = 0; f < detail::kFieldCount; ++f) {
      lua_pushstring(L, detail::kFieldNames[f]);
      lua_rawseti(L, -2, detail::StringCache::kSlots + 1 + f);
    }
    detail::ctx(L).strings.ref = luaL_ref(L, LUA_REGISTRYINDEX);
    for (int i = 0; i < 3; ++i) {
      lua_pushstring(L, kFunctionNames[i]);
      if (lua_rawget(L, s) == LUA_TFUNCTION)
        self->fn_refs_[i] = luaL_ref(L, LUA_REGISTRYINDEX);
      else
        lua_pop(L, 1);
    }
    return 0;
  }
  if (a->kind == CallArgs::Kind::renew_env) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, self->globals_ref_);
    push_env(L, lua_gettop(L), &self->env_mt_ref_);
    lua_rawgeti(L, LUA_REGISTRYINDEX, self->main_ref_);
    lua_pushvalue(L, -2);
    if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
    lua_pop(L, 1);
    lua_rawseti(L, LUA_REGISTRYINDEX, self->env_ref_);  // an existing slot: no allocation
    return 0;
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, self->fn_refs_[static_cast<int>(a->fn)]);
  int nargs = 0;
  {
    switch (a->fn) {
      case ScriptFunction::transform:
        detail::push_message(L, *a->message);
        nargs = 1;
        break;
      case ScriptFunction::decode:
        lua_pushlstring(L, a->bytes.data(), a->bytes.size());
        detail::push_meta(L, a->meta);
        nargs = 2;
        break;
      case ScriptFunction::encode:
        detail::push_records(L, *a->records);
        detail::push_meta(L, a->meta);
        nargs = 2;
        break;
    }
  }
  lua_call(L, nargs, LUA_MULTRET);
  return lua_gettop(L) - 1;
}

bool LuaState::protected_call(CallArgs& args, int base, CallReport& report) noexcept {
  StateCtx& c = *ctx_;
  if (!lua_checkstack(L_, 8)) {
    report.status = RunStatus::memory;
    report.error = c.name + ": out of stack";
    broken_ = true;
    return false;
  }
  if (c.killed != Kill::none) {  // the previous call was stopped: the normal check interval again
    lua_sethook(L_, detail::deadline_hook, LUA_MASKCOUNT, detail::kHookInstructions);
    c.killed = Kill::none;
  }
  if ((env_dirty_ || renew_env_) && !renew_env()) {
    report.status = RunStatus::memory;
    report.error = c.name + ": memory limit of " + std::to_string(c.limit) + " bytes exceeded";
    broken_ = true;
    return false;
  }
  lua_pushcfunction(L_, add_location);
  int msgh = lua_gettop(L_);
  int nargs = 1;
  if (args.kind == CallArgs::Kind::prepared) {
    // No C layer: the function and its argument are ready.
    lua_rawgeti(L_, LUA_REGISTRYINDEX, fn_refs_[static_cast<int>(args.fn)]);
    lua_rawgeti(L_, LUA_REGISTRYINDEX, args.arg_ref);
  } else {
    lua_pushcfunction(L_, run_call);
    lua_pushlightuserdata(L_, &args);
    if (args.kind == CallArgs::Kind::prepare) {
      lua_pushvalue(L_, base);  // the chunk
      nargs = 2;
    }
  }
  c.killed = Kill::none;
  c.env_writes = 0;
  c.logs = &report.logs;
  auto start = detail::steady_ns();
  c.deadline_ns = start + c.timeout_ns;
  int status = lua_pcall(L_, nargs, LUA_MULTRET, msgh);
  c.deadline_ns = detail::kNoDeadline;
  c.logs = nullptr;
  report.duration_ns = detail::steady_ns() - start;
  if (status == LUA_OK && c.killed == Kill::none) {
    lua_remove(L_, msgh);
    report.status = RunStatus::ok;
    return true;
  }
  if (c.killed == Kill::timeout) {
    report.status = RunStatus::timeout;
    report.error = c.kill_message;
    broken_ = true;
  } else if (status == LUA_ERRMEM || c.killed == Kill::memory) {
    report.status = RunStatus::memory;
    report.error = c.name + ": memory limit of " + std::to_string(c.limit) + " bytes exceeded";
    broken_ = true;
  } else {
    report.status = RunStatus::error;
    if (lua_type(L_, -1) == LUA_TSTRING)
      report.error = lua_tostring(L_, -1);
    else
      report.error = c.name + ": error object is a " +
                     std::string(lua_typename(L_, lua_type(L_, -1))) + " value";
  }
  lua_settop(L_, base);
  return false;
}

bool LuaState::renew_env() noexcept {
  if (!lua_checkstack(L_, 4)) return !env_dirty_;
  int top = lua_gettop(L_);
  CallArgs args;
  args.self = this;
  args.kind = CallArgs::Kind::renew_env;
  lua_pushcfunction(L_, run_call);
  lua_pushlightuserdata(L_, &args);
  StateCtx& c = *ctx_;
  c.deadline_ns = detail::steady_ns() + c.timeout_ns;
  int status = lua_pcall(L_, 1, 0, 0);
  c.deadline_ns = detail::kNoDeadline;
  c.killed = Kill::none;  // only C code ran: no deadline check
  lua_settop(L_, top);
  if (status == LUA_OK) {
    renew_env_ = false;
    env_dirty_ = false;
  }
  // A failed renewal of a cleared environment only keeps its size.
  return !env_dirty_;
}

void LuaState::clear_env() noexcept {
  StateCtx& c = *ctx_;
  int writes = c.env_writes;
  c.env_writes = 0;
  int top = lua_gettop(L_);
  if (!lua_checkstack(L_, 4)) {
    env_dirty_ = true;  // not cleared: replaced before the next call runs
    return;
  }
  lua_rawgeti(L_, LUA_REGISTRYINDEX, env_ref_);
  int env = top + 1;
  int keys = 0;
  lua_pushnil(L_);
  while (lua_next(L_, env)) {
    // Clearing an existing field while traversing is allowed and allocates nothing.
    lua_pop(L_, 1);
    lua_pushvalue(L_, -1);
    lua_pushnil(L_);
    lua_rawset(L_, env);
    ++keys;
  }
  lua_settop(L_, top);
  if (keys > kEnvKeepKeys || writes > kEnvKeepKeys) renew_env_ = true;
}

Error LuaState::failure(const CallReport& report) const {
  switch (report.status) {
    case RunStatus::timeout:
      return Error{ErrorCode::timeout, report.error};
    case RunStatus::memory:
      return Error{ErrorCode::resource_exhausted, report.error};
    default:
      return Error{ErrorCode::invalid_argument, report.error};
  }
}

Result<std::unique_ptr<LuaState>> LuaState::create(std::string name, std::string_view source,
                                                   const ScriptLimits& limits,
                                                   Logger* log) noexcept {
  try {
    std::unique_ptr<LuaState> s(new LuaState());
    s->ctx_ = std::make_unique<StateCtx>();
    StateCtx& c = *s->ctx_;
    c.limit = limits.memory_bytes;
    c.timeout_ns = limits.timeout.count();
    c.name = std::move(name);
    c.log = log;
    s->L_ = lua_newstate(detail::limited_alloc, &c);
    if (!s->L_)
      return fail(ErrorCode::resource_exhausted,
                  c.name + ": memory limit too small for an interpreter");
    *static_cast<StateCtx**>(lua_getextraspace(s->L_)) = &c;
    lua_atpanic(s->L_, panic);
    lua_sethook(s->L_, detail::deadline_hook, LUA_MASKCOUNT, detail::kHookInstructions);

    lua_pushcfunction(s->L_, detail::open_sandbox);
    if (lua_pcall(s->L_, 0, 0, 0) != LUA_OK)
      return fail(ErrorCode::resource_exhausted,
                  c.name + ": memory limit too small for the sandbox");

    std::string chunkname = "=" + c.name;
    int status = luaL_loadbufferx(s->L_, source.data(), source.size(), chunkname.c_str(), "t");
    if (status != LUA_OK) {
      std::string msg = lua_type(s->L_, -1) == LUA_TSTRING ? lua_tostring(s->L_, -1) : "";
      if (status == LUA_ERRMEM) msg = c.name + ": memory limit exceeded while compiling";
      return fail(ErrorCode::invalid_argument, msg);
    }
    CallArgs args;
    args.self = s.get();
    args.kind = CallArgs::Kind::prepare;
    CallReport report;
    int base = lua_gettop(s->L_);  // the chunk
    if (!s->protected_call(args, base, report)) return std::unexpected(s->failure(report));
    lua_settop(s->L_, 0);
    if (!s->defines(ScriptFunction::transform) && !s->defines(ScriptFunction::decode) &&
        !s->defines(ScriptFunction::encode))
      return fail(ErrorCode::invalid_argument,
                  c.name + ": the script defines none of transform, decode, encode");
    return s;
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, std::string("cannot build a Lua interpreter: ") + e.what());
  }
}

LuaState::~LuaState() {
  if (!L_) return;
  // Finalizers cannot be set from the sandbox; bound closing anyway.
  ctx_->killed = Kill::none;
  ctx_->deadline_ns = detail::steady_ns() + ctx_->timeout_ns;
  lua_close(L_);
}

bool LuaState::defines(ScriptFunction f) const noexcept {
  return fn_refs_[static_cast<int>(f)] >= 0;
}

std::size_t LuaState::memory_used() const noexcept { return ctx_->used; }

Result<std::vector<Message>> LuaState::transform(const Message& in, CallReport& report) noexcept {
  try {
    if (!defines(ScriptFunction::transform))
      return fail(ErrorCode::failed_precondition, ctx_->name + ": no transform function");
    CallArgs args;
    args.self = this;
    args.fn = ScriptFunction::transform;
    EnvReset reset{*this};
    args.message = &in;
    int base = lua_gettop(L_);
    if (!protected_call(args, base, report)) return std::unexpected(failure(report));
    std::vector<Message> out;
    std::string error;
    bool ok = detail::read_transform_result(L_, base + 1, in, out, error);
    lua_settop(L_, base);
    if (!ok) {
      report.status = RunStatus::error;
      report.error = ctx_->name + ": transform result: " + error;
      return fail(ErrorCode::invalid_argument, report.error);
    }
    return out;
  } catch (const std::exception& e) {
    report.status = RunStatus::error;
    report.error = ctx_->name + ": " + e.what();
    return fail(ErrorCode::internal, report.error);
  }
}

Result<DecodedPayload> LuaState::decode(std::string_view bytes, std::string_view meta_json,
                                        std::int64_t now_ns, CallReport& report) noexcept {
  try {
    if (!defines(ScriptFunction::decode))
      return fail(ErrorCode::failed_precondition, ctx_->name + ": no decode function");
    CallArgs args;
    args.self = this;
    args.fn = ScriptFunction::decode;
    EnvReset reset{*this};
    args.bytes = bytes;
    args.meta = meta_json;
    int base = lua_gettop(L_);
    if (!protected_call(args, base, report)) return std::unexpected(failure(report));
    DecodedPayload out;
    std::string error;
    bool ok = detail::read_decoded(L_, base + 1, now_ns, out, error);
    lua_settop(L_, base);
    if (!ok) {
      report.status = RunStatus::error;
      report.error = ctx_->name + ": decode result: " + error;
      return fail(ErrorCode::invalid_argument, report.error);
    }
    return out;
  } catch (const std::exception& e) {
    report.status = RunStatus::error;
    report.error = ctx_->name + ": " + e.what();
    return fail(ErrorCode::internal, report.error);
  }
}

Result<EncodedPayload> LuaState::encode(const std::vector<SenmlRecord>& records,
                                        std::string_view meta_json, CallReport& report) noexcept {
  try {
    if (!defines(ScriptFunction::encode))
      return fail(ErrorCode::failed_precondition, ctx_->name + ": no encode function");
    CallArgs args;
    args.self = this;
    args.fn = ScriptFunction::encode;
    EnvReset reset{*this};
    args.records = &records;
    args.meta = meta_json;
    int base = lua_gettop(L_);
    if (!protected_call(args, base, report)) return std::unexpected(failure(report));
    EncodedPayload out;
    std::string error;
    bool ok = true;
    if (lua_type(L_, base + 1) != LUA_TSTRING) {
      error = std::string("encode must return a string of bytes, not a ") +
              lua_typename(L_, lua_type(L_, base + 1));
      ok = false;
    } else {
      std::size_t n = 0;
      const char* s = lua_tolstring(L_, base + 1, &n);
      out.bytes.assign(s, n);
      if (lua_gettop(L_) >= base + 2 && !lua_isnil(L_, base + 2)) {
        out.meta_json.clear();
        if (lua_type(L_, base + 2) != LUA_TTABLE) {
          error = "encode's second value (meta) must be a table";
          ok = false;
        } else {
          ok = detail::encode_json(L_, base + 2, out.meta_json, error);
        }
      }
    }
    lua_settop(L_, base);
    if (!ok) {
      report.status = RunStatus::error;
      report.error = ctx_->name + ": encode result: " + error;
      return fail(ErrorCode::invalid_argument, report.error);
    }
    return out;
  } catch (const std::exception& e) {
    report.status = RunStatus::error;
    report.error = ctx_->name + ": " + e.what();
    return fail(ErrorCode::internal, report.error);
  }
}

bool LuaState::call_transform_on(int arg_ref) noexcept {
  if (!defines(ScriptFunction::transform)) return false;
  CallArgs args;
  args.self = this;
  args.kind = CallArgs::Kind::prepared;
  args.arg_ref = arg_ref;
  EnvReset reset{*this};
  CallReport report;
  int base = lua_gettop(L_);
  bool ok = protected_call(args, base, report);
  lua_settop(L_, base);
  return ok;
}

}  // namespace conflux::core::scripting
