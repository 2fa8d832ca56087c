// core/runtime — Services: the storage-backed core services the runtime owns
// and lends to plugins: the LMDB environment (storage.*), the message store
// (also the conflux::MessageReader), plugin KV namespaces, the durable
// outbox, the message pipeline (pipeline.*) and the retention task.
//
// Interfaces for Host::find_interface, per asking plugin:
//   conflux::Pipeline       a PluginPipeline owned by that plugin
//   conflux::MessageReader  the message store (shared)
//   conflux::CommandBus     the in-process command fan-out (shared)
//   conflux::KvStore        that plugin's namespace
//   conflux::Outbox         that plugin's queues
//   conflux::Accounts       users, tokens, keys, orgs, invites (shared)
//   conflux::AccessControl  authentication and authorization (shared)
//   conflux::Registry       groups, memberships, profiles, things (shared)
//   conflux::ThingDirectory the identify hot path (the registry's cache, shared)
//   conflux::Scripts        Lua scripts: codecs and management (shared); the same
//                           service is the pipeline's transform hook
//
// Shutdown order (`stop` then destruction): retention stops, the plugins'
// subscriptions are dropped, the pipeline drains (every accepted publish is
// committed or answered with an error), then the stores and the env close.
//
// Thread-safety: open/stop/destruction from the controlling thread;
// find_interface and the services themselves from any thread.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "conflux/clock.h"
#include "conflux/log.h"
#include "conflux/metrics.h"
#include "core/accounts/accounts_service.h"
#include "core/authz/access_control.h"
#include "core/pipeline/command_bus.h"
#include "core/pipeline/message_pipeline.h"
#include "core/pipeline/plugin_pipeline.h"
#include "core/pipeline/store_commit_stage.h"
#include "core/registry/registry.h"
#include "core/runtime/retention_task.h"
#include "core/runtime/settings.h"
#include "core/scripting/registry_watch.h"
#include "core/scripting/scripts_service.h"
#include "core/store/kv_namespace.h"
#include "core/store/lmdb_env.h"
#include "core/store/message_store.h"
#include "core/store/outbox_queues.h"

namespace conflux::core {

class Services {
 public:
  // Opens the env at settings.storage_path and the stores on it, starts the
  // pipeline and the retention task. Fails with a message naming the path
  // when storage cannot be opened (e.g. an unwritable directory).
  static Result<std::unique_ptr<Services>> open(const Settings& settings, Clock& clock,
                                                Metrics& metrics, Logger& log);
  ~Services();  // stop(), then closes the stores and the env
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;

  // Stops retention, drops every subscription and drains the pipeline.
  // Idempotent.
  void stop();

  // The interface `name` for `plugin`, or nullptr (unknown name, or a plugin
  // name the stores refuse).
  void* find_interface(std::string_view plugin, std::string_view name) noexcept;

  MessagePipeline& pipeline() noexcept { return *pipeline_; }
  store::MessageStore& messages() noexcept { return *messages_; }
  store::OutboxQueues& outbox() noexcept { return *outbox_; }
  store::KvNamespaces& kv() noexcept { return *kv_; }
  store::LmdbEnv& env() noexcept { return *env_; }
  accounts::AccountsService& accounts() noexcept { return *accounts_; }
  authz::AccessControlService& access() noexcept { return *access_; }
  registry::RegistryService& registry() noexcept { return *registry_; }
  scripting::ScriptsService& scripts() noexcept { return *scripts_; }

 private:
  Services() = default;

  std::unique_ptr<store::LmdbEnv> env_;
  std::unique_ptr<store::MessageStore> messages_;
  std::unique_ptr<store::KvNamespaces> kv_;
  std::unique_ptr<store::OutboxQueues> outbox_;
  std::unique_ptr<StoreCommitStage> stage_;
  std::unique_ptr<MessagePipeline> pipeline_;
  std::unique_ptr<RetentionTask> retention_;
  std::unique_ptr<InProcessCommandBus> commands_;
  std::unique_ptr<accounts::AccountsService> accounts_;
  std::unique_ptr<authz::AccessControlService> access_;
  std::unique_ptr<registry::RegistryService> registry_;
  std::shared_ptr<scripting::ScriptsService> scripts_;  // also the pipeline's transform hook
  // Drops script bindings of removed things/profiles, scripts of removed groups.
  std::unique_ptr<scripting::RegistryWatch> script_watch_;

  std::mutex mu_;
  std::map<std::string, std::unique_ptr<PluginPipeline>, std::less<>> plugin_pipelines_;
  bool stopped_ = false;
};

}  // namespace conflux::core
