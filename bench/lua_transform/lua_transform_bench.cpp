// bench_lua_transform — the cost of Conflux's Lua sandbox, on one core.
//
// For a 1-record and a 10-record SenML message and a unit-conversion
// transform (°F → Cel into a new message table), in the same run:
//   raw        lua_pcall of the transform on one prepared table in a plain
//              luaL_newstate interpreter (the ceiling)
//   +hook      the same with the deadline count hook installed
//   +alloc     the same with the capped allocator
//   sandboxed  LuaState::call_transform_on: the sandbox's call of the same
//              function on the same prepared table (fresh environment,
//              deadline, hook, allocator, protected call)
//   engine     CompiledScript::transform: a conflux::Message in, messages
//              out (conversion to and from Lua included): what the pipeline
//              pays per message and script
// Prints a Markdown table (messages/s and the sandbox/raw ratio).
//
// Usage: bench_lua_transform [seconds-per-case, default 1]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

#include "core/scripting/compiled_script.h"
#include "core/scripting/lua_internal.h"
#include "core/scripting/lua_message.h"
#include "core/scripting/lua_state.h"

namespace {

using namespace conflux;
using namespace conflux::core::scripting;

const char* kScript = R"(
CONVERSIONS = {degF = {to = "Cel", add = -32, mul = 5 / 9}, kWh = {to = "J", add = 0, mul = 3.6e6}}

function transform(msg)
  local out = {}
  for i, r in ipairs(msg.records) do
    local c = CONVERSIONS[r.u]
    if c then
      out[i] = {n = r.n, t = r.t, u = c.to, v = (r.v + c.add) * c.mul}
    else
      out[i] = r
    end
  end
  return {records = out}
end
)";

Message message(int records) {
  Message m;
  m.publisher = "7d6f2a58-5c1e-4b36-9d7e-1f0a2b3c4d5e";
  m.group = "g";
  m.profile = "p";
  m.protocol = "http";
  m.subtopic = "room.1";
  m.content_type = "application/senml+json";
  m.created = 1'700'000'000'000'000'000;
  m.format = MessageFormat::senml;
  for (int i = 0; i < records; ++i) {
    SenmlRecord r;
    r.name = "dev:temp" + std::to_string(i);
    r.unit = "degF";
    r.value = 70.0 + i;
    r.time = m.created + i;
    m.records.push_back(r);
  }
  return m;
}

// Calls `op` repeatedly for about `seconds`; returns calls per second.
double rate(double seconds, const std::function<bool()>& op) {
  using clock = std::chrono::steady_clock;
  for (int i = 0; i < 2000; ++i)
    if (!op()) {
      std::fprintf(stderr, "bench: call failed\n");
      std::exit(1);
    }
  long n = 0;
  auto start = clock::now();
  auto stop = start + std::chrono::duration<double>(seconds);
  clock::time_point now;
  do {
    for (int i = 0; i < 1000; ++i) op();
    n += 1000;
    now = clock::now();
  } while (now < stop);
  return static_cast<double>(n) / std::chrono::duration<double>(now - start).count();
}

int push_message_protected(lua_State* L) {
  detail::push_message(L, *static_cast<const Message*>(lua_touserdata(L, 1)));
  return 1;
}

// A plain interpreter (optionally with the capped allocator / the hook),
// the script loaded with its globals in _G, the message prepared in the
// registry.
struct Raw {
  detail::StateCtx ctx;
  lua_State* L = nullptr;
  int fn = LUA_NOREF;
  int arg = LUA_NOREF;

  Raw(const Message& m, bool alloc, bool hook) {
    ctx.limit = std::size_t{8} << 20;
    ctx.name = "bench";
    L = alloc ? lua_newstate(detail::limited_alloc, &ctx) : luaL_newstate();
    *static_cast<detail::StateCtx**>(lua_getextraspace(L)) = &ctx;
    luaL_openlibs(L);
    if (hook) lua_sethook(L, detail::deadline_hook, LUA_MASKCOUNT, detail::kHookInstructions);
    if (luaL_dostring(L, kScript) != LUA_OK) std::abort();
    lua_getglobal(L, "transform");
    fn = luaL_ref(L, LUA_REGISTRYINDEX);
    // The array marker the message conversion uses.
    lua_createtable(L, 0, 0);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &detail::kArrayMtKey);
    lua_pushcfunction(L, push_message_protected);
    lua_pushlightuserdata(L, const_cast<Message*>(&m));
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) std::abort();
    arg = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  ~Raw() { lua_close(L); }
  bool call() {
    ctx.deadline_ns = detail::steady_ns() + 10'000'000;
    lua_rawgeti(L, LUA_REGISTRYINDEX, fn);
    lua_rawgeti(L, LUA_REGISTRYINDEX, arg);
    bool ok = lua_pcall(L, 1, 1, 0) == LUA_OK;
    lua_pop(L, 1);
    return ok;
  }
};

}  // namespace

int main(int argc, char** argv) {
  double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
  std::printf(
      "| records | raw lua_pcall /s | +hook /s | +alloc /s | sandboxed /s | sandboxed ÷ raw "
      "(time) | engine (Message in/out) /s |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  for (int records : {1, 10}) {
    Message m = message(records);
    Raw raw(m, false, false);
    Raw hooked(m, false, true);
    Raw alloc(m, true, false);
    double r_raw = rate(seconds, [&] { return raw.call(); });
    double r_hook = rate(seconds, [&] { return hooked.call(); });
    double r_alloc = rate(seconds, [&] { return alloc.call(); });

    auto state = LuaState::create("bench", kScript, ScriptLimits{}, nullptr);
    if (!state) {
      std::fprintf(stderr, "bench: %s\n", state.error().message.c_str());
      return 1;
    }
    lua_State* L = (*state)->raw();
    lua_pushcfunction(L, push_message_protected);
    lua_pushlightuserdata(L, &m);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) return 1;
    int arg = luaL_ref(L, LUA_REGISTRYINDEX);
    double r_sandbox = rate(seconds, [&] { return (*state)->call_transform_on(arg); });

    ScriptSpec spec;
    spec.id = "bench";
    spec.name = "bench";
    spec.source = kScript;
    auto compiled = CompiledScript::compile(spec, nullptr);
    if (!compiled) return 1;
    double r_engine = rate(seconds, [&] {
      CallReport report;
      auto out = (*compiled)->transform(m, report);
      return out.has_value() && out->size() == 1;
    });
    std::printf("| %d | %.0f | %.0f | %.0f | %.0f | %.2f× | %.0f |\n", records, r_raw, r_hook,
                r_alloc, r_sandbox, r_raw / r_sandbox, r_engine);
  }
  return 0;
}
