// core/scripting — ScriptsService (see scripts_service.h).
// Thread-safety: see scripts_service.h.
#include "core/scripting/scripts_service.h"

#include <algorithm>
#include <iterator>
#include <set>

#include "core/pipeline/message_ids.h"

namespace conflux::core::scripting {

struct ScriptsService::Instruments {
  explicit Instruments(Metrics& m)
      : ok(m.counter("conflux_scripts_runs_total", "Lua script calls by result",
                     {{"result", "ok"}})),
        error(m.counter("conflux_scripts_runs_total", "Lua script calls by result",
                        {{"result", "error"}})),
        timeout(m.counter("conflux_scripts_runs_total", "Lua script calls by result",
                          {{"result", "timeout"}})),
        memory(m.counter("conflux_scripts_runs_total", "Lua script calls by result",
                         {{"result", "memory"}})),
        dropped(m.counter("conflux_scripts_dropped_total",
                          "Messages dropped by a failing script's drop policy")),
        seconds(m.histogram("conflux_scripts_run_seconds", "Lua script call duration",
                            {0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1})),
        loaded(m.gauge("conflux_scripts_loaded", "Scripts compiled and ready")) {}

  Counter& by_status(RunStatus s) {
    switch (s) {
      case RunStatus::ok:
        return ok;
      case RunStatus::timeout:
        return timeout;
      case RunStatus::memory:
        return memory;
      default:
        return error;
    }
  }

  Counter& ok;
  Counter& error;
  Counter& timeout;
  Counter& memory;
  Counter& dropped;
  Histogram& seconds;
  Gauge& loaded;
};

namespace {

// The binding of `script_id` to (target, target_id): a binding's identity.
bool binds(const Binding& b, ScriptTarget target, std::string_view target_id,
           std::string_view script_id) {
  return b.target == target && b.target_id == target_id && b.script_id == script_id;
}

template <class F>
auto guarded(F&& f) noexcept -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, std::string("scripts: ") + e.what());
  } catch (...) {
    return fail(ErrorCode::internal, "scripts: unexpected failure");
  }
}

ScriptLimits limits_of(const ScriptInfo& s) {
  ScriptLimits l;
  l.timeout = std::chrono::milliseconds(s.timeout_ms);
  l.memory_bytes = s.memory_bytes;
  return l;
}

Error not_found(std::string_view id) {
  return Error{ErrorCode::not_found, "script '" + std::string(id) + "' not found"};
}

}  // namespace

ScriptsService::ScriptsService(store::LmdbEnv& env, ScriptStore store, Clock& clock,
                               Metrics& metrics, Logger& log, ScriptsOptions options)
    : env_(env),
      store_(std::move(store)),
      clock_(clock),
      log_(log),
      options_(options),
      metrics_(std::make_unique<Instruments>(metrics)),
      runs_(options.runs_per_script, options.runs_per_thing) {}

Result<std::shared_ptr<ScriptsService>> ScriptsService::open(store::LmdbEnv& env, Clock& clock,
                                                             Metrics& metrics, Logger& log,
                                                             ScriptsOptions options) {
  CONFLUX_ASSIGN_OR_RETURN(auto store, ScriptStore::open(env));
  std::shared_ptr<ScriptsService> s(
      new ScriptsService(env, std::move(store), clock, metrics, log, options));
  std::vector<ScriptInfo> rows;
  {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env.read());
    CONFLUX_ASSIGN_OR_RETURN(rows, s->store_.all(txn));
    CONFLUX_ASSIGN_OR_RETURN(s->bindings_, s->store_.all_bindings(txn));
  }
  std::lock_guard lock(s->write_mu_);
  for (const auto& row : rows) {
    auto compiled = s->compile(row);
    if (!compiled) {
      log.error("script {} ({}) does not load: {}", row.name, row.id, compiled.error().message);
      continue;
    }
    s->compiled_[row.id] = std::move(*compiled);
  }
  s->publish();
  if (!rows.empty()) log.info("scripts: {} loaded", s->compiled_.size());
  return s;
}

std::int64_t ScriptsService::now_ns() const noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(clock_.now().time_since_epoch())
      .count();
}

Result<std::shared_ptr<const CompiledScript>> ScriptsService::compile(
    const ScriptInfo& info) noexcept {
  ScriptSpec spec;
  spec.id = info.id;
  spec.name = info.name;
  spec.source = info.source;
  spec.limits = limits_of(info);
  spec.policy = info.policy;
  spec.revision = info.revision;
  return CompiledScript::compile(std::move(spec), &log_);
}

void ScriptsService::publish() {
  auto snap = std::make_shared<Snapshot>();
  snap->by_id = compiled_;
  for (const auto& b : bindings_) {
    auto it = compiled_.find(b.script_id);
    if (it == compiled_.end()) continue;
    auto& list = b.target == ScriptTarget::thing ? snap->by_thing[b.target_id]
                                                 : snap->by_profile[b.target_id];
    list.push_back(it->second);
  }
  metrics_->loaded.set(static_cast<double>(compiled_.size()));
  snapshot_.store(std::move(snap));
}

void ScriptsService::put_binding(Binding b) {
  auto it = std::find_if(bindings_.begin(), bindings_.end(), [&](const Binding& x) {
    return binds(x, b.target, b.target_id, b.script_id);
  });
  if (it != bindings_.end())
    *it = std::move(b);
  else
    bindings_.push_back(std::move(b));
}

std::shared_ptr<const CompiledScript> ScriptsService::current(
    std::string_view script_id) const noexcept {
  auto snap = snapshot_.load();
  auto it = snap->by_id.find(std::string(script_id));
  return it == snap->by_id.end() ? nullptr : it->second;
}

void ScriptsService::record(const CompiledScript& script, ScriptFunction fn,
                            std::string_view thing_id, std::int64_t started,
                            CallReport& report) noexcept {
  try {
    metrics_->by_status(report.status).inc();
    metrics_->seconds.observe(static_cast<double>(report.duration_ns) / 1e9);
    if (report.status != RunStatus::ok && script.should_log_error(started))
      log_.warn("script {} ({}) {} failed ({}): {}", script.spec().name, script.spec().id,
                to_string(fn), to_string(report.status), report.error);
    ScriptRun run;
    run.script_id = script.spec().id;
    run.script_name = script.spec().name;
    run.thing_id = std::string(thing_id);
    run.function = std::string(to_string(fn));
    run.status = std::string(to_string(report.status));
    run.error = std::move(report.error);
    run.started = started;
    run.duration_ns = report.duration_ns;
    run.logs = std::move(report.logs);
    runs_.record(std::move(run));
  } catch (...) {
  }
}

Result<std::vector<Message>> ScriptsService::transform(Message&& message) noexcept {
  try {
    auto snap = snapshot_.load();
    const Snapshot::List* lists[2] = {nullptr, nullptr};
    if (!snap->by_profile.empty() && !message.profile.empty()) {
      auto it = snap->by_profile.find(message.profile);
      if (it != snap->by_profile.end()) lists[0] = &it->second;
    }
    if (!snap->by_thing.empty()) {
      auto it = snap->by_thing.find(message.publisher);
      if (it != snap->by_thing.end()) lists[1] = &it->second;
    }
    std::vector<Message> current;
    current.push_back(std::move(message));
    for (const auto* list : lists) {
      if (!list) continue;
      for (const auto& script : *list) {
        if (!script->defines(ScriptFunction::transform)) continue;
        std::vector<Message> next;
        next.reserve(current.size());
        for (auto& m : current) {
          CallReport report;
          auto started = now_ns();
          auto r = script->transform(m, report);
          if (!r && report.status == RunStatus::ok) {  // the interpreter could not be built
            report.status = RunStatus::error;
            report.error = r.error().message;
          }
          record(*script, ScriptFunction::transform, m.publisher, started, report);
          if (r) {
            for (auto& out : *r) next.push_back(std::move(out));
          } else if (script->spec().policy == ScriptPolicy::pass) {
            next.push_back(std::move(m));
          } else {
            metrics_->dropped.inc();
          }
        }
        current = std::move(next);
      }
    }
    return current;
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, std::string("scripts: ") + e.what());
  }
}

Result<DecodedPayload> ScriptsService::decode(std::string_view script_id, std::string_view bytes,
                                              std::string_view meta_json) noexcept {
  return guarded([&]() -> Result<DecodedPayload> {
    auto script = current(script_id);
    if (!script) return std::unexpected(not_found(script_id));
    CallReport report;
    auto started = now_ns();
    auto r = script->decode(bytes, meta_json, started, report);
    if (!r && report.status == RunStatus::ok) {
      report.status = RunStatus::error;
      report.error = r.error().message;
    }
    record(*script, ScriptFunction::decode, "", started, report);
    return r;
  });
}

Result<EncodedPayload> ScriptsService::encode(std::string_view script_id,
                                              const std::vector<SenmlRecord>& records,
                                              std::string_view meta_json) noexcept {
  return guarded([&]() -> Result<EncodedPayload> {
    auto script = current(script_id);
    if (!script) return std::unexpected(not_found(script_id));
    CallReport report;
    auto started = now_ns();
    auto r = script->encode(records, meta_json, report);
    if (!r && report.status == RunStatus::ok) {
      report.status = RunStatus::error;
      report.error = r.error().message;
    }
    record(*script, ScriptFunction::encode, "", started, report);
    return r;
  });
}

Status ScriptsService::check_draft(const ScriptDraft& draft, bool creating) const {
  (void)creating;
  if (draft.name.empty() || draft.name.size() > 256)
    return fail(ErrorCode::invalid_argument, "script name must be 1..256 characters");
  for (char c : draft.name)
    if (static_cast<unsigned char>(c) < 0x20)
      return fail(ErrorCode::invalid_argument, "script name has control characters");
  if (draft.source.empty()) return fail(ErrorCode::invalid_argument, "script source is empty");
  if (draft.source.size() > options_.max_source_bytes)
    return fail(
        ErrorCode::invalid_argument,
        "script source is larger than " + std::to_string(options_.max_source_bytes) + " bytes");
  if (draft.description.size() > 1024)
    return fail(ErrorCode::invalid_argument, "script description is longer than 1024 characters");
  if (draft.timeout_ms && (*draft.timeout_ms < 1 || *draft.timeout_ms > kScriptMaxTimeoutMs))
    return fail(ErrorCode::invalid_argument,
                "timeout must be 1.." + std::to_string(kScriptMaxTimeoutMs) + " ms");
  if (draft.memory_bytes &&
      (*draft.memory_bytes < kScriptMinMemoryBytes || *draft.memory_bytes > kScriptMaxMemoryBytes))
    return fail(ErrorCode::invalid_argument, "memory limit must be " +
                                                 std::to_string(kScriptMinMemoryBytes) + ".." +
                                                 std::to_string(kScriptMaxMemoryBytes) + " bytes");
  return ok();
}

Result<ScriptInfo> ScriptsService::create(std::string_view group_id,
                                          const ScriptDraft& draft) noexcept {
  return guarded([&]() -> Result<ScriptInfo> {
    if (group_id.empty()) return fail(ErrorCode::invalid_argument, "group id is required");
    CONFLUX_RETURN_IF_ERROR(check_draft(draft, true));
    ScriptInfo info;
    info.id = new_message_id();
    info.group_id = std::string(group_id);
    info.name = draft.name;
    info.description = draft.description;
    info.source = draft.source;
    info.timeout_ms = draft.timeout_ms.value_or(kScriptDefaultTimeoutMs);
    info.memory_bytes = draft.memory_bytes.value_or(kScriptDefaultMemoryBytes);
    info.policy = draft.policy.value_or(ScriptPolicy::pass);
    info.created = info.updated = now_ns();
    info.revision = 1;

    std::lock_guard lock(write_mu_);
    CONFLUX_ASSIGN_OR_RETURN(auto compiled, compile(info));
    auto written = env_.write_sync([&](store::WriteTxn& txn) -> Status {
      auto s = store_.scripts().insert(txn, info);
      if (!s && s.error().code == ErrorCode::already_exists)
        return fail(ErrorCode::already_exists,
                    "a script named '" + info.name + "' already exists in this group");
      return s;
    });
    CONFLUX_RETURN_IF_ERROR(written);
    compiled_[info.id] = std::move(compiled);
    publish();
    return info;
  });
}

Result<ScriptPage> ScriptsService::list(std::string_view group_id, std::size_t offset,
                                        std::size_t limit) noexcept {
  return guarded([&]() -> Result<ScriptPage> {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    std::vector<ScriptInfo> all;
    store::PageRequest req;
    req.limit = 1000;
    for (;;) {
      CONFLUX_ASSIGN_OR_RETURN(auto page,
                               store_.scripts().raw().by_index(txn, "group", group_id, req));
      for (const auto& row : page.rows) {
        CONFLUX_ASSIGN_OR_RETURN(auto info, ScriptRowCodec::decode(row.value));
        all.push_back(std::move(info));
      }
      if (page.next.empty()) break;
      req.after = page.next;
    }
    std::sort(all.begin(), all.end(),
              [](const ScriptInfo& a, const ScriptInfo& b) { return a.name < b.name; });
    ScriptPage out;
    out.total = all.size();
    for (std::size_t i = offset; i < all.size() && out.scripts.size() < limit; ++i)
      out.scripts.push_back(std::move(all[i]));
    return out;
  });
}

Result<ScriptInfo> ScriptsService::get(std::string_view script_id) noexcept {
  return guarded([&]() -> Result<ScriptInfo> {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    CONFLUX_ASSIGN_OR_RETURN(auto row, store_.scripts().get(txn, script_id));
    if (!row) return std::unexpected(not_found(script_id));
    return std::move(*row);
  });
}

Result<ScriptInfo> ScriptsService::find(std::string_view group_id, std::string_view name) noexcept {
  return guarded([&]() -> Result<ScriptInfo> {
    std::string id;
    {
      CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
      std::string key = std::string(group_id) + std::string(1, '\0') + std::string(name);
      CONFLUX_ASSIGN_OR_RETURN(auto found,
                               store_.scripts().raw().find_unique(txn, "group_name", key));
      if (!found)
        return fail(ErrorCode::not_found, "script named '" + std::string(name) + "' not found");
      id = *found;
    }
    return get(id);
  });
}

Result<ScriptInfo> ScriptsService::update(std::string_view script_id,
                                          const ScriptDraft& draft) noexcept {
  return guarded([&]() -> Result<ScriptInfo> {
    CONFLUX_RETURN_IF_ERROR(check_draft(draft, false));
    std::lock_guard lock(write_mu_);
    CONFLUX_ASSIGN_OR_RETURN(auto info, get(script_id));
    info.name = draft.name;
    info.description = draft.description;
    info.source = draft.source;
    if (draft.timeout_ms) info.timeout_ms = *draft.timeout_ms;
    if (draft.memory_bytes) info.memory_bytes = *draft.memory_bytes;
    if (draft.policy) info.policy = *draft.policy;
    info.updated = now_ns();
    info.revision += 1;
    // Compile and test-run the new version before anything is stored.
    CONFLUX_ASSIGN_OR_RETURN(auto compiled, compile(info));
    auto written = env_.write_sync([&](store::WriteTxn& txn) -> Status {
      auto s = store_.scripts().update(txn, info);
      if (!s && s.error().code == ErrorCode::already_exists)
        return fail(ErrorCode::already_exists,
                    "a script named '" + info.name + "' already exists in this group");
      return s;
    });
    CONFLUX_RETURN_IF_ERROR(written);
    compiled_[info.id] = std::move(compiled);
    publish();
    return info;
  });
}

Status ScriptsService::remove(std::string_view script_id) noexcept {
  return guarded([&]() -> Status {
    std::lock_guard lock(write_mu_);
    std::string id(script_id);
    auto written = env_.write_sync([&](store::WriteTxn& txn) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto bound, store_.bindings_of_script(txn, id));
      for (const auto& b : bound)
        CONFLUX_RETURN_IF_ERROR(store_.bindings().erase(txn, BindingCodec::key(b)));
      auto s = store_.scripts().erase(txn, id);
      if (!s && s.error().code == ErrorCode::not_found) return std::unexpected(not_found(id));
      return s;
    });
    CONFLUX_RETURN_IF_ERROR(written);
    compiled_.erase(id);
    std::erase_if(bindings_, [&](const Binding& b) { return b.script_id == id; });
    publish();
    runs_.forget_script(id);
    return ok();
  });
}

Status ScriptsService::assign(ScriptTarget target, std::string_view target_id,
                              const std::vector<std::string>& script_ids) noexcept {
  return guarded([&]() -> Status {
    if (target_id.empty()) return fail(ErrorCode::invalid_argument, "target id is required");
    if (script_ids.empty()) return fail(ErrorCode::invalid_argument, "no script ids given");
    std::lock_guard lock(write_mu_);
    // New bindings, and existing ones (e.g. a profile config's) that now
    // are also assigned; those keep their place in the run order.
    std::vector<Binding> added;
    std::set<std::string> seen;
    auto base = now_ns();
    for (const auto& id : script_ids) {
      if (!seen.insert(id).second) continue;
      auto it = std::find_if(bindings_.begin(), bindings_.end(),
                             [&](const Binding& b) { return binds(b, target, target_id, id); });
      if (it == bindings_.end()) {
        added.push_back(Binding{target, std::string(target_id), id,
                                base + static_cast<std::int64_t>(added.size()), kBoundByAssign});
      } else if (!(it->origin & kBoundByAssign)) {
        added.push_back(*it);
        added.back().origin |= kBoundByAssign;
      }
    }
    auto written = env_.write_sync([&](store::WriteTxn& txn) -> Status {
      for (const auto& id : seen) {
        CONFLUX_ASSIGN_OR_RETURN(auto row, store_.scripts().raw().get(txn, id));
        if (!row) return std::unexpected(not_found(id));
      }
      for (const auto& b : added) CONFLUX_RETURN_IF_ERROR(store_.bindings().upsert(txn, b));
      return ok();
    });
    CONFLUX_RETURN_IF_ERROR(written);
    for (auto& b : added) put_binding(std::move(b));
    publish();
    return ok();
  });
}

Status ScriptsService::unassign(ScriptTarget target, std::string_view target_id,
                                const std::vector<std::string>& script_ids) noexcept {
  return guarded([&]() -> Status {
    std::lock_guard lock(write_mu_);
    std::set<std::string> ids(script_ids.begin(), script_ids.end());
    std::vector<Binding> gone;
    for (const auto& b : bindings_)
      if (b.target == target && b.target_id == target_id && ids.count(b.script_id))
        gone.push_back(b);
    if (gone.empty()) return ok();
    auto written = env_.write_sync([&](store::WriteTxn& txn) -> Status {
      for (const auto& b : gone) {
        auto s = store_.bindings().erase(txn, BindingCodec::key(b));
        if (!s && s.error().code != ErrorCode::not_found) return s;
      }
      return ok();
    });
    CONFLUX_RETURN_IF_ERROR(written);
    std::erase_if(bindings_, [&](const Binding& b) {
      return b.target == target && b.target_id == target_id && ids.count(b.script_id);
    });
    publish();
    return ok();
  });
}

Status ScriptsService::forget_target(ScriptTarget target, std::string_view target_id) noexcept {
  return guarded([&]() -> Status {
    if (target == ScriptTarget::thing) runs_.forget_thing(target_id);
    std::lock_guard lock(write_mu_);
    auto of_target = [&](const Binding& b) {
      return b.target == target && b.target_id == target_id;
    };
    std::vector<Binding> gone;
    std::copy_if(bindings_.begin(), bindings_.end(), std::back_inserter(gone), of_target);
    if (gone.empty()) return ok();
    auto written = env_.write_sync([&](store::WriteTxn& txn) -> Status {
      for (const auto& b : gone) {
        auto s = store_.bindings().erase(txn, BindingCodec::key(b));
        if (!s && s.error().code != ErrorCode::not_found) return s;
      }
      return ok();
    });
    CONFLUX_RETURN_IF_ERROR(written);
    std::erase_if(bindings_, of_target);
    publish();
    return ok();
  });
}

Status ScriptsService::set_config_script(std::string_view profile_id,
                                         std::string_view script_id) noexcept {
  return guarded([&]() -> Status {
    if (profile_id.empty()) return fail(ErrorCode::invalid_argument, "profile id is required");
    std::lock_guard lock(write_mu_);
    std::vector<Binding> changed;  // written with their new origin (or added)
    std::vector<Binding> dropped;  // no origin left
    bool present = false;
    for (const auto& b : bindings_) {
      if (b.target != ScriptTarget::profile || b.target_id != profile_id) continue;
      std::uint8_t origin = b.origin;
      if (b.script_id == script_id) {
        present = true;
        origin = origin == kBoundUnclassified ? kBoundByConfig : origin | kBoundByConfig;
      } else {
        origin = origin == kBoundUnclassified ? kBoundByAssign : origin & ~kBoundByConfig;
      }
      if (origin == b.origin) continue;
      Binding c = b;
      c.origin = origin;
      (origin == 0 ? dropped : changed).push_back(std::move(c));
    }
    bool adding = !present && !script_id.empty();
    if (adding)
      changed.push_back(Binding{ScriptTarget::profile, std::string(profile_id),
                                std::string(script_id), now_ns(), kBoundByConfig});
    if (changed.empty() && dropped.empty()) return ok();
    auto written = env_.write_sync([&](store::WriteTxn& txn) -> Status {
      if (adding) {
        CONFLUX_ASSIGN_OR_RETURN(auto row, store_.scripts().raw().get(txn, script_id));
        if (!row) return std::unexpected(not_found(script_id));
      }
      for (const auto& b : dropped) {
        auto s = store_.bindings().erase(txn, BindingCodec::key(b));
        if (!s && s.error().code != ErrorCode::not_found) return s;
      }
      for (const auto& b : changed) CONFLUX_RETURN_IF_ERROR(store_.bindings().upsert(txn, b));
      return ok();
    });
    CONFLUX_RETURN_IF_ERROR(written);
    std::erase_if(bindings_, [&](const Binding& b) {
      return std::any_of(dropped.begin(), dropped.end(), [&](const Binding& d) {
        return binds(b, d.target, d.target_id, d.script_id);
      });
    });
    for (auto& b : changed) put_binding(std::move(b));
    publish();
    return ok();
  });
}

Result<std::vector<std::string>> ScriptsService::unclassified_profiles() noexcept {
  return guarded([&]() -> Result<std::vector<std::string>> {
    std::lock_guard lock(write_mu_);
    std::set<std::string> ids;
    for (const auto& b : bindings_)
      if (b.target == ScriptTarget::profile && b.origin == kBoundUnclassified)
        ids.insert(b.target_id);
    return std::vector<std::string>(ids.begin(), ids.end());
  });
}

Status ScriptsService::remove_group(std::string_view group_id) noexcept {
  return guarded([&]() -> Status {
    if (group_id.empty()) return ok();
    std::lock_guard lock(write_mu_);
    std::set<std::string> ids;
    {
      CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
      store::PageRequest req;
      req.limit = 1000;
      for (;;) {
        CONFLUX_ASSIGN_OR_RETURN(auto page,
                                 store_.scripts().raw().by_index(txn, "group", group_id, req));
        for (const auto& row : page.rows) ids.insert(row.key);
        if (page.next.empty()) break;
        req.after = page.next;
      }
    }
    if (ids.empty()) return ok();
    auto written = env_.write_sync([&](store::WriteTxn& txn) -> Status {
      for (const auto& id : ids) {
        CONFLUX_ASSIGN_OR_RETURN(auto bound, store_.bindings_of_script(txn, id));
        for (const auto& b : bound)
          CONFLUX_RETURN_IF_ERROR(store_.bindings().erase(txn, BindingCodec::key(b)));
        auto s = store_.scripts().erase(txn, id);
        if (!s && s.error().code != ErrorCode::not_found) return s;
      }
      return ok();
    });
    CONFLUX_RETURN_IF_ERROR(written);
    for (const auto& id : ids) {
      compiled_.erase(id);
      runs_.forget_script(id);
    }
    std::erase_if(bindings_, [&](const Binding& b) { return ids.count(b.script_id) > 0; });
    publish();
    return ok();
  });
}

Result<std::vector<std::string>> ScriptsService::targets(std::string_view script_id,
                                                         ScriptTarget target) noexcept {
  return guarded([&]() -> Result<std::vector<std::string>> {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    CONFLUX_ASSIGN_OR_RETURN(auto row, store_.scripts().raw().get(txn, script_id));
    if (!row) return std::unexpected(not_found(script_id));
    CONFLUX_ASSIGN_OR_RETURN(auto bound, store_.bindings_of_script(txn, script_id));
    std::vector<std::string> out;
    for (const auto& b : bound)
      if (b.target == target) out.push_back(b.target_id);
    std::sort(out.begin(), out.end());
    return out;
  });
}

Result<std::vector<ScriptInfo>> ScriptsService::attached(ScriptTarget target,
                                                         std::string_view target_id) noexcept {
  return guarded([&]() -> Result<std::vector<ScriptInfo>> {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    CONFLUX_ASSIGN_OR_RETURN(auto bound, store_.bindings_of(txn, target, target_id));
    std::vector<ScriptInfo> out;
    for (const auto& b : bound) {
      CONFLUX_ASSIGN_OR_RETURN(auto row, store_.scripts().get(txn, b.script_id));
      if (row) out.push_back(std::move(*row));
    }
    return out;
  });
}

Result<std::vector<ScriptRun>> ScriptsService::thing_runs(std::string_view thing_id,
                                                          std::size_t limit) noexcept {
  return guarded(
      [&]() -> Result<std::vector<ScriptRun>> { return runs_.for_thing(thing_id, limit); });
}

Result<std::vector<ScriptRun>> ScriptsService::script_runs(std::string_view script_id,
                                                           std::size_t limit) noexcept {
  return guarded([&]() -> Result<std::vector<ScriptRun>> {
    if (!current(script_id)) {
      CONFLUX_ASSIGN_OR_RETURN(auto info, get(script_id));
      (void)info;
    }
    return runs_.for_script(script_id, limit);
  });
}

}  // namespace conflux::core::scripting
