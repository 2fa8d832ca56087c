// core/pipeline — PluginPipeline: the conflux::Pipeline one plugin finds
// through its Host. Publishes go straight to the shared MessagePipeline;
// subscriptions are owned by the plugin: a durable one fills the queue
// "subscription:<name>", which that plugin (and only it) may then drain
// through its Outbox; the runtime drops a plugin's subscriptions when it
// stops.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <string>

#include "conflux/pipeline.h"
#include "core/pipeline/message_pipeline.h"

namespace conflux::core {

class PluginPipeline final : public Pipeline {
 public:
  // `pipeline` must outlive this object.
  PluginPipeline(MessagePipeline& pipeline, std::string plugin)
      : pipeline_(pipeline), plugin_(std::move(plugin)) {}

  void publish(PublishRequest request, PublishCallback done) noexcept override {
    pipeline_.publish(std::move(request), std::move(done));
  }
  Result<SubscriptionId> subscribe(SubscriptionOptions options,
                                   MessageHandler handler) noexcept override {
    return pipeline_.subscribe_as(plugin_, std::move(options), std::move(handler));
  }
  void unsubscribe(SubscriptionId id) noexcept override { pipeline_.unsubscribe_as(plugin_, id); }

  const std::string& plugin() const noexcept { return plugin_; }

 private:
  MessagePipeline& pipeline_;
  std::string plugin_;
};

}  // namespace conflux::core
