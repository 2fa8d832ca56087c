// core/scripting — ScriptsService: owns the scripts area at run time. It is
// the pipeline's TransformHook (a message's scripts: those attached to its
// profile, then those attached to its publisher, each applied to every
// message the previous one produced), the conflux::Scripts interface
// (codecs and management, see conflux/scripts.h) and the run log.
//
// Hot path: one atomic load of an immutable snapshot (script id → compiled
// version, profile/thing → scripts in run order); no lock, no LMDB read.
// Management writes (serialized by one mutex) commit to LMDB first
// (write_sync), then publish a new snapshot; a message already holding the
// previous snapshot finishes with the versions in it, so each message is
// transformed by exactly one version of each script.
//
// A failing transform (error, deadline, memory cap) is logged with the
// script's name and line (at most once a second per script version),
// counted in conflux_scripts_runs_total{result=...}, recorded in the run
// log, and the script's policy applies: `pass` keeps the message the script
// got, `drop` drops it (conflux_scripts_dropped_total). The hook itself
// never fails a publish.
//
// Metrics: conflux_scripts_runs_total{result="ok|error|timeout|memory"},
// conflux_scripts_dropped_total, conflux_scripts_run_seconds,
// conflux_scripts_loaded (gauge).
//
// Thread-safety: every method may be called from any thread; management
// methods block on LMDB commits (never call them from a pipeline callback
// or an LMDB completion). Clock, Metrics, Logger and the env must outlive
// the service.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "conflux/clock.h"
#include "conflux/log.h"
#include "conflux/metrics.h"
#include "conflux/scripts.h"
#include "core/pipeline/transform_hook.h"
#include "core/scripting/compiled_script.h"
#include "core/scripting/run_log.h"
#include "core/scripting/script_store.h"
#include "core/store/lmdb_env.h"

namespace conflux::core::scripting {

struct ScriptsOptions {
  std::size_t runs_per_script = 50;
  std::size_t runs_per_thing = 20;
  std::size_t max_source_bytes = std::size_t{1} << 20;
};

class ScriptsService final : public conflux::Scripts, public TransformHook {
 public:
  // Opens the tables and compiles every stored script (one that no longer
  // compiles is logged and left out of the snapshot).
  static Result<std::shared_ptr<ScriptsService>> open(store::LmdbEnv& env, Clock& clock,
                                                      Metrics& metrics, Logger& log,
                                                      ScriptsOptions options = {});

  // TransformHook.
  Result<std::vector<Message>> transform(Message&& message) noexcept override;

  // conflux::Scripts.
  Result<DecodedPayload> decode(std::string_view script_id, std::string_view bytes,
                                std::string_view meta_json) noexcept override;
  Result<EncodedPayload> encode(std::string_view script_id, const std::vector<SenmlRecord>& records,
                                std::string_view meta_json) noexcept override;
  Result<ScriptInfo> create(std::string_view group_id, const ScriptDraft& draft) noexcept override;
  Result<ScriptPage> list(std::string_view group_id, std::size_t offset,
                          std::size_t limit) noexcept override;
  Result<ScriptInfo> get(std::string_view script_id) noexcept override;
  Result<ScriptInfo> find(std::string_view group_id, std::string_view name) noexcept override;
  Result<ScriptInfo> update(std::string_view script_id, const ScriptDraft& draft) noexcept override;
  Status remove(std::string_view script_id) noexcept override;
  Status assign(ScriptTarget target, std::string_view target_id,
                const std::vector<std::string>& script_ids) noexcept override;
  Status unassign(ScriptTarget target, std::string_view target_id,
                  const std::vector<std::string>& script_ids) noexcept override;
  Result<std::vector<std::string>> targets(std::string_view script_id,
                                           ScriptTarget target) noexcept override;
  Result<std::vector<ScriptInfo>> attached(ScriptTarget target,
                                           std::string_view target_id) noexcept override;
  Result<std::vector<ScriptRun>> thing_runs(std::string_view thing_id,
                                            std::size_t limit) noexcept override;
  Result<std::vector<ScriptRun>> script_runs(std::string_view script_id,
                                             std::size_t limit) noexcept override;

  // Registry clean-up (see registry_watch.h). `forget_target` drops every
  // binding of a thing or profile (and a thing's run log);
  // `remove_group` removes every script of a group with its bindings. Both
  // are Ok when there is nothing to drop.
  Status forget_target(ScriptTarget target, std::string_view target_id) noexcept;
  Status remove_group(std::string_view group_id) noexcept;

  // The binding a profile's config.script_id makes (RegistryWatch):
  // `script_id` ("" = none) becomes the profile's one config binding. A
  // binding there only because of an earlier config is dropped; one also
  // made through `assign` stays (and `assign` never touches the config's
  // claim). The script is attached after the profile's other scripts, or
  // keeps its place when already attached. Unclassified bindings of the
  // profile (stored by an older version) are classified first: the one to
  // `script_id` came from the config, the others from `assign`. not_found
  // (nothing changed) when `script_id` is unknown.
  Status set_config_script(std::string_view profile_id, std::string_view script_id) noexcept;
  // The profiles that have unclassified bindings.
  Result<std::vector<std::string>> unclassified_profiles() noexcept;

  // The compiled version currently in use (null when unknown).
  std::shared_ptr<const CompiledScript> current(std::string_view script_id) const noexcept;

 private:
  struct Snapshot {
    using List = std::vector<std::shared_ptr<const CompiledScript>>;
    std::unordered_map<std::string, std::shared_ptr<const CompiledScript>> by_id;
    std::unordered_map<std::string, List> by_thing;
    std::unordered_map<std::string, List> by_profile;
  };
  struct Instruments;

  ScriptsService(store::LmdbEnv& env, ScriptStore store, Clock& clock, Metrics& metrics,
                 Logger& log, ScriptsOptions options);

  std::int64_t now_ns() const noexcept;
  Status check_draft(const ScriptDraft& draft, bool creating) const;
  Result<std::shared_ptr<const CompiledScript>> compile(const ScriptInfo& info) noexcept;
  // Publishes a snapshot from `compiled_` and `bindings_` (write_mu_ held).
  void publish();
  // Replaces the binding with b's key in `bindings_`, or appends b (it is
  // the newest) (write_mu_ held).
  void put_binding(Binding b);
  void record(const CompiledScript& script, ScriptFunction fn, std::string_view thing_id,
              std::int64_t started, CallReport& report) noexcept;

  store::LmdbEnv& env_;
  ScriptStore store_;
  Clock& clock_;
  Logger& log_;
  ScriptsOptions options_;
  std::unique_ptr<Instruments> metrics_;
  RunLog runs_;

  std::mutex write_mu_;
  std::unordered_map<std::string, std::shared_ptr<const CompiledScript>> compiled_;
  std::vector<Binding> bindings_;  // mirror of script_bindings, by assignment time
  std::atomic<std::shared_ptr<const Snapshot>> snapshot_;
};

}  // namespace conflux::core::scripting
