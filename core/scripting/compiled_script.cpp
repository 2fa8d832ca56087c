// core/scripting — CompiledScript and the thread-local interpreter cache
// (see compiled_script.h).
// Thread-safety: see compiled_script.h.
#include "core/scripting/compiled_script.h"

#include <unordered_map>

namespace conflux::core::scripting {
namespace {

std::atomic<std::uint64_t> g_next_uid{1};

struct CacheEntry {
  std::weak_ptr<const CompiledScript> owner;
  std::unique_ptr<LuaState> state;
};

struct ThreadCache {
  std::unordered_map<std::uint64_t, CacheEntry> entries;

  // Closes the interpreters of versions nobody references any more.
  void sweep() {
    for (auto it = entries.begin(); it != entries.end();) {
      if (it->second.owner.expired())
        it = entries.erase(it);
      else
        ++it;
    }
  }
};

ThreadCache& cache() {
  thread_local ThreadCache c;
  return c;
}

}  // namespace

CompiledScript::CompiledScript(ScriptSpec spec, Logger* log)
    : spec_(std::move(spec)), log_(log), uid_(g_next_uid.fetch_add(1)) {}

Result<std::shared_ptr<const CompiledScript>> CompiledScript::compile(ScriptSpec spec,
                                                                      Logger* log) noexcept {
  try {
    auto state = LuaState::create(spec.name, spec.source, spec.limits, log);
    if (!state) return std::unexpected(state.error());
    std::shared_ptr<CompiledScript> script(new CompiledScript(std::move(spec), log));
    for (auto f : {ScriptFunction::transform, ScriptFunction::decode, ScriptFunction::encode})
      script->defines_[static_cast<int>(f)] = (*state)->defines(f);
    auto& c = cache();
    c.sweep();
    c.entries[script->uid_] = CacheEntry{script, std::move(*state)};
    return std::shared_ptr<const CompiledScript>(std::move(script));
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, std::string("cannot compile script: ") + e.what());
  }
}

LuaState* CompiledScript::state(CallReport& report) const noexcept {
  try {
    auto& c = cache();
    auto it = c.entries.find(uid_);
    if (it != c.entries.end()) {
      if (!it->second.state->broken()) return it->second.state.get();
      c.entries.erase(it);
    }
    c.sweep();
    auto built = LuaState::create(spec_.name, spec_.source, spec_.limits, log_);
    if (!built) {
      report.status = RunStatus::error;
      report.error = built.error().message;
      return nullptr;
    }
    auto& entry = c.entries[uid_];
    entry.owner = weak_from_this();
    entry.state = std::move(*built);
    return entry.state.get();
  } catch (const std::exception& e) {
    report.status = RunStatus::error;
    report.error = spec_.name + ": " + e.what();
    return nullptr;
  }
}

Result<std::vector<Message>> CompiledScript::transform(const Message& in,
                                                       CallReport& report) const noexcept {
  LuaState* s = state(report);
  if (!s) return fail(ErrorCode::internal, report.error);
  return s->transform(in, report);
}

Result<DecodedPayload> CompiledScript::decode(std::string_view bytes, std::string_view meta_json,
                                              std::int64_t now_ns,
                                              CallReport& report) const noexcept {
  LuaState* s = state(report);
  if (!s) return fail(ErrorCode::internal, report.error);
  return s->decode(bytes, meta_json, now_ns, report);
}

Result<EncodedPayload> CompiledScript::encode(const std::vector<SenmlRecord>& records,
                                              std::string_view meta_json,
                                              CallReport& report) const noexcept {
  LuaState* s = state(report);
  if (!s) return fail(ErrorCode::internal, report.error);
  return s->encode(records, meta_json, report);
}

bool CompiledScript::should_log_error(std::int64_t now_ns) const noexcept {
  auto last = last_error_log_ns_.load(std::memory_order_relaxed);
  if (now_ns - last < 1'000'000'000) return false;
  return last_error_log_ns_.compare_exchange_strong(last, now_ns, std::memory_order_relaxed);
}

std::size_t thread_state_count() noexcept { return cache().entries.size(); }

}  // namespace conflux::core::scripting
