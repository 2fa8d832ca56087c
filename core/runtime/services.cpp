// core/runtime — Services: opening, per-plugin interfaces and the ordered
// shutdown (see services.h).
// Thread-safety: as documented in services.h.
#include "core/runtime/services.h"

#include <algorithm>

#include "conflux/accounts.h"
#include "conflux/commands.h"
#include "conflux/kv_store.h"
#include "conflux/message_reader.h"
#include "conflux/outbox.h"
#include "conflux/pipeline.h"
#include "conflux/registry.h"
#include "conflux/scripts.h"
#include "conflux/things.h"

namespace conflux::core {
namespace {

template <class T>
Result<T> storage_error(const Settings& settings, Result<T> r) {
  if (r) return r;
  return fail(r.error().code, "cannot open storage at '" + settings.storage_path.string() +
                                  "': " + r.error().message);
}

}  // namespace

Result<std::unique_ptr<Services>> Services::open(const Settings& settings, Clock& clock,
                                                 Metrics& metrics, Logger& log) {
  store::EnvOptions env_options;
  env_options.path = settings.storage_path;
  env_options.map_size = settings.storage.map_size;
  env_options.max_map_size = settings.storage.max_map_size;
  env_options.commit_interval = settings.storage.commit_interval;
  env_options.commit_batch = settings.storage.commit_batch;
  env_options.sync = settings.storage.sync;

  std::unique_ptr<Services> s(new Services());
  CONFLUX_ASSIGN_OR_RETURN(
      s->env_, storage_error(settings, store::LmdbEnv::open(env_options, log, metrics)));
  CONFLUX_ASSIGN_OR_RETURN(
      s->messages_, storage_error(settings, store::MessageStore::open(*s->env_, log, metrics)));
  CONFLUX_ASSIGN_OR_RETURN(
      s->kv_, storage_error(settings, store::KvNamespaces::open(*s->env_, log, metrics)));
  CONFLUX_ASSIGN_OR_RETURN(s->outbox_,
                           storage_error(settings, store::OutboxQueues::open(*s->env_, clock)));

  accounts::AccountsOptions accounts_options;
  accounts_options.admin_email = settings.admin_email;
  accounts_options.admin_password = settings.admin_password;
  accounts_options.auth_secret = settings.auth_secret;
  accounts_options.token_ttl =
      std::max(std::chrono::seconds(1),
               std::chrono::duration_cast<std::chrono::seconds>(settings.token_ttl));
  accounts_options.invite_ttl =
      std::max(std::chrono::seconds(1),
               std::chrono::duration_cast<std::chrono::seconds>(settings.invite_ttl));
  accounts_options.self_register = settings.self_register;
  CONFLUX_ASSIGN_OR_RETURN(s->accounts_, storage_error(settings, accounts::AccountsService::open(
                                                                     *s->env_, clock, log,
                                                                     std::move(accounts_options))));
  s->access_ = std::make_unique<authz::AccessControlService>(*s->accounts_, *s->accounts_);
  CONFLUX_ASSIGN_OR_RETURN(s->registry_,
                           storage_error(settings, registry::RegistryService::open(*s->env_, log)));
  s->registry_->set_org_directory(s->accounts_.get());
  s->accounts_->set_group_directory(s->registry_.get());
  s->access_->set_group_directory(s->registry_.get());
  s->access_->set_thing_directory(s->registry_.get());

  CONFLUX_ASSIGN_OR_RETURN(
      s->scripts_,
      storage_error(settings, scripting::ScriptsService::open(*s->env_, clock, metrics, log)));
  s->script_watch_ = std::make_unique<scripting::RegistryWatch>(*s->scripts_, *s->registry_, log,
                                                                s->registry_.get());

  s->stage_ = std::make_unique<StoreCommitStage>(*s->env_, *s->messages_, *s->outbox_);
  PipelineOptions pipeline_options;
  pipeline_options.queue_size = settings.pipeline_queue_size;
  pipeline_options.workers = settings.pipeline_workers;
  s->pipeline_ =
      std::make_unique<MessagePipeline>(pipeline_options, *s->stage_, clock, metrics, log);
  s->pipeline_->set_transform_hook(s->scripts_);
  s->pipeline_->start();
  s->commands_ = std::make_unique<InProcessCommandBus>(clock, metrics);

  RetentionOptions retention;
  retention.max_age = settings.storage.retention_max_age;
  retention.max_size_bytes = settings.storage.retention_max_size;
  s->retention_ = std::make_unique<RetentionTask>(retention, clock, *s->messages_, log);

  log.info(
      "storage open at {} (sync {}, group commit {} ms / {} jobs); pipeline: {} worker(s), "
      "queue {}",
      settings.storage_path.string(), settings.storage.sync ? "on" : "off",
      settings.storage.commit_interval.count(), settings.storage.commit_batch,
      pipeline_options.workers, pipeline_options.queue_size);
  return s;
}

Services::~Services() {
  stop();
  retention_.reset();
  access_.reset();
  if (accounts_) accounts_->set_group_directory(nullptr);
  script_watch_.reset();
  registry_.reset();
  accounts_.reset();
  pipeline_.reset();
  scripts_.reset();
  {
    std::lock_guard lock(mu_);
    plugin_pipelines_.clear();
  }
  stage_.reset();
  outbox_.reset();
  kv_.reset();
  messages_.reset();
  env_.reset();
}

void Services::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (retention_) retention_->stop();
  if (commands_) commands_->unsubscribe_all();
  if (pipeline_) {
    pipeline_->unsubscribe_all();
    pipeline_->stop();
  }
}

void* Services::find_interface(std::string_view plugin, std::string_view name) noexcept {
  try {
    if (name == Accounts::kInterfaceName) return static_cast<Accounts*>(accounts_.get());
    if (name == AccessControl::kInterfaceName) return static_cast<AccessControl*>(access_.get());
    if (name == Registry::kInterfaceName) return static_cast<Registry*>(registry_.get());
    if (name == Scripts::kInterfaceName) return static_cast<Scripts*>(scripts_.get());
    if (name == ThingDirectory::kInterfaceName)
      return static_cast<ThingDirectory*>(registry_.get());
    if (name == MessageReader::kInterfaceName) return static_cast<MessageReader*>(messages_.get());
    if (name == CommandBus::kInterfaceName) return static_cast<CommandBus*>(commands_.get());
    if (name == Pipeline::kInterfaceName) {
      std::lock_guard lock(mu_);
      auto it = plugin_pipelines_.find(plugin);
      if (it == plugin_pipelines_.end())
        it = plugin_pipelines_
                 .emplace(std::string(plugin),
                          std::make_unique<PluginPipeline>(*pipeline_, std::string(plugin)))
                 .first;
      return static_cast<Pipeline*>(it->second.get());
    }
    if (name == KvStore::kInterfaceName) {
      auto ns = kv_->get(plugin);
      return ns ? static_cast<KvStore*>(*ns) : nullptr;
    }
    if (name == Outbox::kInterfaceName) {
      auto outbox = outbox_->plugin(plugin);
      return outbox ? static_cast<Outbox*>(*outbox) : nullptr;
    }
  } catch (...) {
  }
  return nullptr;
}

}  // namespace conflux::core
