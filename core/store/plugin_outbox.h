// core/store/plugin_outbox.h — one plugin's view of the outbox: maps its
// queue names to full names ("<plugin>/<queue>", or a granted
// "subscription:<name>") and forwards to OutboxQueues. Internal to
// core/store; plugins see it as conflux::Outbox.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <string>
#include <string_view>

#include "conflux/outbox.h"

namespace conflux::core::store {

class OutboxQueues;

class PluginOutbox final : public conflux::Outbox {
 public:
  PluginOutbox(OutboxQueues& queues, std::string plugin)
      : queues_(queues), plugin_(std::move(plugin)) {}

  void enqueue(std::string_view queue, std::string payload, std::int64_t due,
               std::function<void(Result<std::uint64_t>)> done) noexcept override;
  Result<std::vector<OutboxItem>> claim(std::string_view queue, std::size_t max,
                                        std::chrono::milliseconds lease) noexcept override;
  void complete(std::string_view queue, std::uint64_t id,
                std::function<void(Status)> done) noexcept override;
  void retry(std::string_view queue, std::uint64_t id, std::int64_t due, std::string error,
             bool give_up, std::function<void(Status)> done) noexcept override;
  Result<OutboxStats> stats(std::string_view queue) noexcept override;
  Result<std::vector<OutboxItem>> dead_letters(std::string_view queue,
                                               std::size_t max) noexcept override;

 private:
  // The full name of `queue` for this plugin, or permission_denied for a
  // subscription queue it was not granted.
  Result<std::string> resolve(std::string_view queue) const;

  OutboxQueues& queues_;
  std::string plugin_;
};

}  // namespace conflux::core::store
