// core/pipeline — owns the message pipeline: publish → bounded queue →
// workers (format, transform hook, ids) → one durable commit per worker
// batch (message store + durable subscriptions' outbox items, group-committed
// across workers by the env) → fan-out to subscribers → acknowledgement.
// See docs/pipeline.md.
//
// Backpressure: at most `queue_size` publishes are accepted and unanswered at
// any time (queued, being formatted or awaiting their commit); beyond that
// `publish` answers unavailable "pipeline full" at once, so memory stays
// bounded. Acknowledgement: a publish's callback fires after the durable
// commit of everything it produced, or with the error (nothing of it stored).
// Stop: refuse new publishes, drain the queue, wait for every commit and
// callback, join the workers.
//
// Thread-safety: publish/subscribe/unsubscribe/set_transform_hook from any
// thread; start/stop from one controlling thread, never from a callback.
// Callbacks and subscriber handlers run on pipeline threads (workers for
// messages that need no commit, otherwise the store's completion thread).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "conflux/clock.h"
#include "conflux/log.h"
#include "conflux/metrics.h"
#include "conflux/pipeline.h"
#include "core/pipeline/bounded_queue.h"
#include "core/pipeline/commit_stage.h"
#include "core/pipeline/pipeline_metrics.h"
#include "core/pipeline/subscriptions.h"
#include "core/pipeline/transform_hook.h"

namespace conflux::core {

struct PipelineOptions {
  std::size_t queue_size = 10000;  // accepted, unanswered publishes at most
  unsigned workers = 1;            // format/transform threads
  std::size_t max_batch = 256;     // publishes per worker batch (one store job)
};

struct PublishBatch;

class MessagePipeline final : public Pipeline {
 public:
  // `store`, `clock`, `metrics` and `log` must outlive the pipeline.
  MessagePipeline(PipelineOptions options, CommitStage& store, Clock& clock, Metrics& metrics,
                  Logger& log);
  ~MessagePipeline() override;  // stop()
  MessagePipeline(const MessagePipeline&) = delete;
  MessagePipeline& operator=(const MessagePipeline&) = delete;

  // Replaces the transform hook (nullptr: identity). Takes effect for the
  // next batch a worker takes; safe at any time.
  void set_transform_hook(std::shared_ptr<TransformHook> hook) noexcept;

  // Starts the workers; publishes are refused (unavailable) before.
  void start();
  // Graceful stop (idempotent): refuse new publishes, drain, wait for the
  // commits and callbacks, join the workers.
  void stop();

  void publish(PublishRequest request, PublishCallback done) noexcept override;
  // Subscriptions of the core (owner ""). Plugins get a PluginPipeline.
  Result<SubscriptionId> subscribe(SubscriptionOptions options,
                                   MessageHandler handler) noexcept override;
  void unsubscribe(SubscriptionId id) noexcept override;

  // A subscription owned by `owner` (a plugin name): a durable one fills the
  // queue "subscription:<name>" of that plugin's outbox.
  Result<SubscriptionId> subscribe_as(std::string_view owner, SubscriptionOptions options,
                                      MessageHandler handler) noexcept;
  // Removes subscription `id` if `owner` owns it (a plugin cannot remove
  // another's).
  void unsubscribe_as(std::string_view owner, SubscriptionId id) noexcept;
  // Removes every subscription of `owner`.
  void unsubscribe_owner(std::string_view owner) noexcept;
  // Removes every subscription.
  void unsubscribe_all() noexcept;

  // Publishes accepted and not yet answered.
  std::size_t in_flight() const noexcept { return in_flight_.load(std::memory_order_relaxed); }

 private:
  struct Pending {
    PublishRequest request;
    PublishCallback done;
    std::chrono::steady_clock::time_point accepted;
  };

  void worker_loop();
  void process(std::vector<Pending>& taken);
  void submit(std::shared_ptr<PublishBatch> batch);
  void on_committed(const std::shared_ptr<PublishBatch>& batch, Status status) noexcept;
  void finish(PublishCallback& done, Result<PublishReceipt> result) noexcept;
  void reject(PublishCallback& done, RejectReason reason, Error error) noexcept;
  void release(std::size_t publishes) noexcept;
  void removed(const SubscriptionList& subscriptions) noexcept;

  PipelineOptions options_;
  CommitStage& store_;
  Clock& clock_;
  Logger& log_;
  PipelineMetrics metrics_;
  SubscriptionRegistry subscriptions_;
  BoundedQueue<Pending> queue_;
  std::atomic<std::shared_ptr<TransformHook>> hook_;

  std::atomic<bool> accepting_{false};
  std::atomic<std::size_t> in_flight_{0};
  std::mutex idle_mu_;
  std::condition_variable idle_cv_;
  std::vector<std::thread> workers_;
  bool started_ = false;
  bool stopped_ = false;

  std::atomic<std::int64_t> last_reject_log_ns_{0};
  std::atomic<std::uint64_t> suppressed_reject_logs_{0};
};

}  // namespace conflux::core
