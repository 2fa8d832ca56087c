// core/pipeline — MessagePipeline: admission, workers, commit completion and
// the graceful stop (see message_pipeline.h for the contract).
// Thread-safety: as documented in message_pipeline.h.
#include "core/pipeline/message_pipeline.h"

#include "conflux/thread_name.h"
#include "core/pipeline/prepare_stage.h"
#include "core/pipeline/publish_batch.h"

namespace conflux::core {
namespace {

constexpr std::int64_t kRejectLogIntervalNs = 1'000'000'000;
constexpr auto kDrainReportInterval = std::chrono::seconds(5);

}  // namespace

MessagePipeline::MessagePipeline(PipelineOptions options, CommitStage& store, Clock& clock,
                                 Metrics& metrics, Logger& log)
    : options_(options),
      store_(store),
      clock_(clock),
      log_(log),
      metrics_(metrics),
      queue_(std::max<std::size_t>(options.queue_size, 1)) {
  options_.queue_size = queue_.capacity();
  options_.workers = std::max(options_.workers, 1u);
  options_.max_batch = std::max<std::size_t>(options_.max_batch, 1);
}

MessagePipeline::~MessagePipeline() { stop(); }

void MessagePipeline::set_transform_hook(std::shared_ptr<TransformHook> hook) noexcept {
  hook_.store(std::move(hook));
}

void MessagePipeline::start() {
  if (started_) return;
  started_ = true;
  accepting_.store(true);
  for (unsigned i = 0; i < options_.workers; ++i)
    workers_.emplace_back([this, i] {
      name_this_thread("cfx-pipeline-" + std::to_string(i));
      worker_loop();
    });
}

void MessagePipeline::stop() {
  if (stopped_) return;
  stopped_ = true;
  accepting_.store(false);
  queue_.close();
  for (auto& w : workers_) w.join();
  workers_.clear();
  std::unique_lock lock(idle_mu_);
  while (!idle_cv_.wait_for(lock, kDrainReportInterval, [this] { return in_flight_.load() == 0; }))
    log_.warn("pipeline stop: still waiting for {} publish(es) to commit", in_flight_.load());
}

void MessagePipeline::publish(PublishRequest request, PublishCallback done) noexcept {
  if (!accepting_.load(std::memory_order_acquire))
    return reject(done, RejectReason::stopped,
                  Error{ErrorCode::unavailable, "pipeline is not running"});
  if (request.profile.content_type.empty())
    return reject(done, RejectReason::no_config,
                  Error{ErrorCode::failed_precondition, "profile has no usable message config"});
  if (request.message.publisher.empty())
    return reject(done, RejectReason::invalid,
                  Error{ErrorCode::invalid_argument, "message has no publisher"});

  if (in_flight_.fetch_add(1, std::memory_order_acq_rel) >= options_.queue_size) {
    in_flight_.fetch_sub(1, std::memory_order_acq_rel);
    return reject(done, RejectReason::queue_full, Error{ErrorCode::unavailable, "pipeline full"});
  }
  if (request.message.created == 0) request.message.created = clock_.now_ns();
  Pending pending{std::move(request), std::move(done), clock_.monotonic()};
  if (!queue_.try_push(pending)) {
    release(1);
    return reject(pending.done, RejectReason::stopped,
                  Error{ErrorCode::unavailable, "pipeline is stopping"});
  }
  metrics_.queue_depth.set(static_cast<double>(in_flight_.load(std::memory_order_relaxed)));
}

Result<SubscriptionId> MessagePipeline::subscribe(SubscriptionOptions options,
                                                  MessageHandler handler) noexcept {
  return subscribe_as("", std::move(options), std::move(handler));
}

void MessagePipeline::unsubscribe(SubscriptionId id) noexcept {
  removed(subscriptions_.remove(id));
}

Result<SubscriptionId> MessagePipeline::subscribe_as(std::string_view owner,
                                                     SubscriptionOptions options,
                                                     MessageHandler handler) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto sub,
                             subscriptions_.add(owner, std::move(options), std::move(handler)));
    if (sub->durable()) store_.durable_subscription(sub->owner(), sub->name(), true);
    return sub->id();
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, std::string("subscribe failed: ") + e.what());
  }
}

void MessagePipeline::unsubscribe_as(std::string_view owner, SubscriptionId id) noexcept {
  removed(subscriptions_.remove(owner, id));
}

void MessagePipeline::unsubscribe_owner(std::string_view owner) noexcept {
  removed(subscriptions_.remove_owner(owner));
}

void MessagePipeline::unsubscribe_all() noexcept { removed(subscriptions_.clear()); }

void MessagePipeline::removed(const SubscriptionList& subscriptions) noexcept {
  for (const auto& s : subscriptions)
    if (s->durable()) store_.durable_subscription(s->owner(), s->name(), false);
}

void MessagePipeline::worker_loop() {
  std::vector<Pending> taken;
  taken.reserve(options_.max_batch);
  while (queue_.pop_batch(taken, options_.max_batch)) {
    process(taken);
    taken.clear();
  }
}

void MessagePipeline::process(std::vector<Pending>& taken) {
  auto hook = hook_.load();
  auto batch = std::make_shared<PublishBatch>();
  batch->subscriptions = subscriptions_.snapshot();
  batch->slots.reserve(taken.size());
  batch->commit->units.reserve(taken.size());

  for (auto& p : taken) {
    auto prepared = prepare_messages(p.request.message, p.request.profile, hook.get());
    if (!prepared) {
      reject(p.done, prepared.error().reason, std::move(prepared.error().error));
      release(1);
      continue;
    }
    CommitUnit unit;
    unit.store = p.request.profile.write_enabled && !prepared->empty();
    unit.messages = std::move(*prepared);
    PublishSlot slot{std::move(p.done), p.accepted, {}, {}};
    route_unit(*batch->subscriptions, unit, slot);
    if (!unit.store && unit.items.empty()) {
      // Nothing durable to write: answer and fan out now.
      metrics_.published.inc(unit.messages.size());
      metrics_.latency.observe(
          std::chrono::duration<double>(clock_.monotonic() - slot.accepted).count());
      fan_out(unit, slot);
      finish(slot.done, std::move(slot.receipt));
      release(1);
      continue;
    }
    batch->slots.push_back(std::move(slot));
    batch->commit->units.push_back(std::move(unit));
  }
  if (!batch->slots.empty()) submit(std::move(batch));
}

void MessagePipeline::submit(std::shared_ptr<PublishBatch> batch) {
  std::shared_ptr<const CommitBatch> commit = batch->commit;
  store_.commit(std::move(commit),
                [this, batch = std::move(batch)](Status status) { on_committed(batch, status); });
}

void MessagePipeline::on_committed(const std::shared_ptr<PublishBatch>& batch,
                                   Status status) noexcept {
  auto& units = batch->commit->units;
  if (!status) {
    auto code = status.error().code;
    if (batch->slots.size() > 1 && code != ErrorCode::cancelled) {
      // Isolate the publish that failed: retry each on its own, so one bad
      // message does not fail its batch-mates.
      for (std::size_t i = 0; i < batch->slots.size(); ++i) {
        auto single = std::make_shared<PublishBatch>();
        single->subscriptions = batch->subscriptions;
        single->slots.push_back(std::move(batch->slots[i]));
        single->commit->units.push_back(std::move(units[i]));
        submit(std::move(single));
      }
      return;
    }
    for (auto& slot : batch->slots) reject(slot.done, RejectReason::store, status.error());
    release(batch->slots.size());
    return;
  }
  // Subscribers first, so a publisher that has its receipt knows that every
  // subscriber has seen (or, durable, holds) its messages.
  for (std::size_t i = 0; i < batch->slots.size(); ++i) fan_out(units[i], batch->slots[i]);
  auto now = clock_.monotonic();
  for (std::size_t i = 0; i < batch->slots.size(); ++i) {
    auto& slot = batch->slots[i];
    if (units[i].store) metrics_.stored.inc(units[i].messages.size());
    metrics_.published.inc(units[i].messages.size());
    metrics_.latency.observe(std::chrono::duration<double>(now - slot.accepted).count());
    finish(slot.done, std::move(slot.receipt));
  }
  release(batch->slots.size());
}

void MessagePipeline::finish(PublishCallback& done, Result<PublishReceipt> result) noexcept {
  if (!done) return;
  try {
    done(std::move(result));
  } catch (...) {
    log_.error("a publish callback threw; the exception was dropped");
  }
}

void MessagePipeline::reject(PublishCallback& done, RejectReason reason, Error error) noexcept {
  metrics_.rejected(reason).inc();
  if (reason != RejectReason::queue_full && reason != RejectReason::stopped) {
    // Rate-limited: at most one line per second, with the count skipped.
    auto now = clock_.now_ns();
    auto last = last_reject_log_ns_.load(std::memory_order_relaxed);
    if (now - last >= kRejectLogIntervalNs &&
        last_reject_log_ns_.compare_exchange_strong(last, now, std::memory_order_relaxed)) {
      auto skipped = suppressed_reject_logs_.exchange(0, std::memory_order_relaxed);
      log_.warn("publish rejected ({}): {}{}", to_string(reason), error.message,
                skipped ? fmt::format(" ({} similar lines suppressed)", skipped) : std::string());
    } else {
      suppressed_reject_logs_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  finish(done, std::unexpected(std::move(error)));
}

void MessagePipeline::release(std::size_t publishes) noexcept {
  auto left = in_flight_.fetch_sub(publishes, std::memory_order_acq_rel) - publishes;
  metrics_.queue_depth.set(static_cast<double>(left));
  if (left == 0) {
    std::lock_guard lock(idle_mu_);
    idle_cv_.notify_all();
  }
}

}  // namespace conflux::core
