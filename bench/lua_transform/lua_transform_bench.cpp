// bench_lua_transform — the cost of Conflux's Lua sandbox, on one core.
//
// For a 1-record and a 10-record SenML message and a unit-conversion
// transform (°F → Cel into a new message table), in the same run:
//   raw        lua_pcall of the transform on one prepared table in a plain
//              luaL_newstate interpreter (the ceiling)
//   +hook      the same with the deadline count hook installed
//   +alloc     the same with the capped allocator
//   sandboxed  LuaState::call_transform_on: the sandbox's call of the same
//              function on the same prepared table (call environment
//              emptied after the call, deadline, hook, allocator, protected
//              call)
//   engine     CompiledScript::transform: a conflux::Message in, messages
//              out (conversion to and from Lua included): what the pipeline
//              pays per message and script
// The cases run interleaved (slices of 200 calls) and are timed in thread
// CPU time, so a loaded machine skews them alike. Prints a Markdown table
// (calls per CPU second and the sandbox/raw ratio).
//
// Usage: bench_lua_transform [seconds-per-case, default 1]
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

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

// This thread's CPU time, ns: a call preempted on a loaded machine does not
// count (on an idle machine it equals the elapsed time).
double cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

// Runs the cases interleaved in slices of 200 calls for about `seconds`
// each, so load that comes and goes hits them alike; returns calls per CPU
// second per case. Any failed call ends the benchmark.
std::vector<double> rates(double seconds, const std::vector<std::function<bool()>>& ops) {
  auto call = [](const std::function<bool()>& op) {
    if (!op()) {
      std::fprintf(stderr, "bench: call failed\n");
      std::exit(1);
    }
  };
  for (const auto& op : ops)
    for (int i = 0; i < 2000; ++i) call(op);
  std::vector<double> ns(ops.size(), 0.0);
  std::vector<long> calls(ops.size(), 0);
  double total = 0;
  while (total < seconds * 1e9 * static_cast<double>(ops.size())) {
    for (std::size_t k = 0; k < ops.size(); ++k) {
      double start = cpu_ns();
      for (int i = 0; i < 200; ++i) call(ops[k]);
      double spent = cpu_ns() - start;
      ns[k] += spent;
      calls[k] += 200;
      total += spent;
    }
  }
  std::vector<double> out;
  for (std::size_t k = 0; k < ops.size(); ++k)
    out.push_back(static_cast<double>(calls[k]) / (ns[k] / 1e9));
  return out;
}

// The deadline of every case: long enough that a call preempted on a loaded
// machine is not killed (a timed-out interpreter keeps a per-instruction
// hook); the hook's cost does not depend on it.
constexpr std::chrono::nanoseconds kTimeout = std::chrono::seconds(1);

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
    ctx.deadline_ns = detail::steady_ns() + kTimeout.count();
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

    ScriptLimits limits;
    limits.timeout = kTimeout;
    auto state = LuaState::create("bench", kScript, limits, nullptr);
    if (!state) {
      std::fprintf(stderr, "bench: %s\n", state.error().message.c_str());
      return 1;
    }
    lua_State* L = (*state)->raw();
    lua_pushcfunction(L, push_message_protected);
    lua_pushlightuserdata(L, &m);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) return 1;
    int arg = luaL_ref(L, LUA_REGISTRYINDEX);

    ScriptSpec spec;
    spec.id = "bench";
    spec.name = "bench";
    spec.source = kScript;
    spec.limits = limits;
    auto compiled = CompiledScript::compile(spec, nullptr);
    if (!compiled) return 1;
    auto r = rates(seconds,
                   {[&] { return raw.call(); }, [&] { return hooked.call(); },
                    [&] { return alloc.call(); }, [&] { return (*state)->call_transform_on(arg); },
                    [&] {
                      CallReport report;
                      auto out = (*compiled)->transform(m, report);
                      return out.has_value() && out->size() == 1;
                    }});
    double r_raw = r[0], r_hook = r[1], r_alloc = r[2], r_sandbox = r[3], r_engine = r[4];
    std::printf("| %d | %.0f | %.0f | %.0f | %.0f | %.2f× | %.0f |\n", records, r_raw, r_hook,
                r_alloc, r_sandbox, r_raw / r_sandbox, r_engine);
  }
  return 0;
}
