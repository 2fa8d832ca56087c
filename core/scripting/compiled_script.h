// core/scripting — CompiledScript: one immutable version of a script (its
// source, limits and policy) and the per-thread interpreters that run it.
//
// `compile` builds an interpreter on the calling thread (compiles and runs
// the top level: the test run) and fails with the compiler's or the top
// level's message and line. Each thread that later calls the script gets its
// own LuaState for this version, built on first use and cached
// thread-locally by the version's unique id (`uid`); an interpreter that hit
// a limit is rebuilt before the next call; interpreters of versions no
// longer referenced are closed when their thread next builds one (or exits).
// A new version is a new CompiledScript (new uid): holders of the old one
// keep using it, so a message is transformed by exactly one version.
//
// Thread-safety: immutable; every method may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/log.h"
#include "conflux/message.h"
#include "conflux/scripts.h"
#include "core/scripting/lua_state.h"

namespace conflux::core::scripting {

struct ScriptSpec {
  std::string id;
  std::string name;
  std::string source;
  ScriptLimits limits;
  ScriptPolicy policy = ScriptPolicy::pass;
  std::uint64_t revision = 1;
};

class CompiledScript : public std::enable_shared_from_this<CompiledScript> {
 public:
  static Result<std::shared_ptr<const CompiledScript>> compile(ScriptSpec spec,
                                                               Logger* log) noexcept;

  const ScriptSpec& spec() const noexcept { return spec_; }
  std::uint64_t uid() const noexcept { return uid_; }
  bool defines(ScriptFunction f) const noexcept { return defines_[static_cast<int>(f)]; }

  Result<std::vector<Message>> transform(const Message& in, CallReport& report) const noexcept;
  Result<DecodedPayload> decode(std::string_view bytes, std::string_view meta_json,
                                std::int64_t now_ns, CallReport& report) const noexcept;
  Result<EncodedPayload> encode(const std::vector<SenmlRecord>& records, std::string_view meta_json,
                                CallReport& report) const noexcept;

  // This thread's interpreter for this version (built when missing or
  // broken); null with `report` filled when it cannot be built.
  LuaState* state(CallReport& report) const noexcept;

  // Rate limit for error logs: true at most once per second per version.
  bool should_log_error(std::int64_t now_ns) const noexcept;

 private:
  CompiledScript(ScriptSpec spec, Logger* log);

  ScriptSpec spec_;
  Logger* log_;
  std::uint64_t uid_;
  bool defines_[3] = {false, false, false};
  mutable std::atomic<std::int64_t> last_error_log_ns_{0};
};

// Interpreters cached on the calling thread (all versions).
std::size_t thread_state_count() noexcept;

}  // namespace conflux::core::scripting
