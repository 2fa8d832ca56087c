// core/scripting — LuaState: one sandboxed PUC Lua 5.4 interpreter holding
// one compiled script (one version of it). See docs/lua.md for what scripts
// see.
//
// Building: the sandbox is opened, the source compiled as text only (chunk
// name = the script name, so errors read "<name>:<line>: ..."), and its top
// level run once under the limits with globals going to the script table;
// then the script's global tables are frozen into read-only proxies.
//
// Calling: every call runs in the interpreter's call environment, a table
// reading through to the script's globals and the sandbox that is empty
// when a call starts: the globals a call writes land in it and are removed
// when the call is over (results read), whether it succeeded, failed or hit
// a limit; so no call sees another's globals, and only the script's `state`
// table is shared between calls. Each call also gets a deadline
// (`limits.timeout`, checked every 1000 VM instructions by a count hook that
// keeps raising once it passed, and that the sandbox's pcall/xpcall rethrow)
// and runs under the interpreter's memory cap (`limits.memory_bytes`, a
// custom allocator; memory errors are rethrown by pcall/xpcall too). A call
// that hits a limit leaves the interpreter `broken()`: discard it and build
// a new one. Other errors leave it usable.
//
// Errors: script failures are invalid_argument "<name>:<line>: <message>";
// a deadline is timeout, the memory cap resource_exhausted; the report says
// which (RunStatus) and carries the call's log lines.
//
// Thread-safety: a LuaState is used by one thread at a time (the engine
// keeps one per thread and script version).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/log.h"
#include "conflux/message.h"
#include "conflux/scripts.h"
#include "conflux/status.h"

struct lua_State;

namespace conflux::core::scripting {

struct ScriptLimits {
  std::chrono::nanoseconds timeout = std::chrono::milliseconds(kScriptDefaultTimeoutMs);
  std::size_t memory_bytes = kScriptDefaultMemoryBytes;
};

enum class RunStatus : std::uint8_t { ok, error, timeout, memory };
std::string_view to_string(RunStatus s) noexcept;

enum class ScriptFunction : std::uint8_t { transform, decode, encode };
std::string_view to_string(ScriptFunction f) noexcept;

// What one call did besides its value.
struct CallReport {
  RunStatus status = RunStatus::ok;
  std::string error;              // when status != ok
  std::vector<std::string> logs;  // conflux.log / print lines
  std::int64_t duration_ns = 0;
};

namespace detail {
struct StateCtx;
}

class LuaState {
 public:
  static Result<std::unique_ptr<LuaState>> create(std::string name, std::string_view source,
                                                  const ScriptLimits& limits, Logger* log) noexcept;
  ~LuaState();
  LuaState(const LuaState&) = delete;
  LuaState& operator=(const LuaState&) = delete;

  bool defines(ScriptFunction f) const noexcept;
  bool broken() const noexcept { return broken_; }
  std::size_t memory_used() const noexcept;

  // transform(msg): the messages to keep (empty: drop).
  Result<std::vector<Message>> transform(const Message& in, CallReport& report) noexcept;
  // decode(bytes, meta). `now_ns` is the time of records without t.
  Result<DecodedPayload> decode(std::string_view bytes, std::string_view meta_json,
                                std::int64_t now_ns, CallReport& report) noexcept;
  // encode(records, meta) → bytes, meta.
  Result<EncodedPayload> encode(const std::vector<SenmlRecord>& records, std::string_view meta_json,
                                CallReport& report) noexcept;

  // Benchmark access: the interpreter, and one sandboxed call of transform
  // on the value in registry slot `arg_ref` (call environment emptied after,
  // deadline, protected call), its result discarded. False when the call
  // failed.
  lua_State* raw() const noexcept { return L_; }
  bool call_transform_on(int arg_ref) noexcept;

 private:
  struct CallArgs;
  struct EnvReset;
  LuaState() = default;
  static int run_call(lua_State* L);
  static int add_location(lua_State* L);
  // Runs `args` protected; leaves the results above `base`. False with the
  // report filled on failure (stack restored).
  bool protected_call(CallArgs& args, int base, CallReport& report) noexcept;
  Error failure(const CallReport& report) const;
  // NO-RAISE. Removes every key of the call environment (what the call
  // wrote); an environment that grew large is replaced before the next call.
  void clear_env() noexcept;
  // A new call environment (protected); false when the old one could not be
  // replaced and still holds a call's globals.
  bool renew_env() noexcept;

  lua_State* L_ = nullptr;
  std::unique_ptr<detail::StateCtx> ctx_;
  int main_ref_ = -1;
  int globals_ref_ = -1;    // S: the script's globals
  int env_ref_ = -1;        // the call environment (reads through to S)
  int env_mt_ref_ = -1;     // its metatable (LUA_NOREF until made)
  bool renew_env_ = false;  // replace the environment before the next call
  bool env_dirty_ = false;  // ... and it was not cleared: the call must not run without it
  int fn_refs_[3] = {-1, -1, -1};
  bool broken_ = false;
};

}  // namespace conflux::core::scripting
