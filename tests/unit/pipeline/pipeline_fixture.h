// tests/unit/pipeline — helpers shared by the pipeline tests: profiles,
// requests, a blocking publish, a controllable CommitStage and a latch-based
// TransformHook that can hold workers.
//
// Thread-safety: FakeCommitStage and BlockingHook are thread-safe; the rest
// are plain helpers.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "conflux/pipeline.h"
#include "core/pipeline/commit_stage.h"
#include "core/pipeline/transform_hook.h"

namespace conflux::core::testing {

inline ProfileConfig senml_profile(bool write = true) {
  ProfileConfig p;
  p.content_type = "application/senml+json";
  p.write_enabled = write;
  return p;
}

inline ProfileConfig json_profile(bool write = true) {
  ProfileConfig p;
  p.content_type = "application/json";
  p.write_enabled = write;
  return p;
}

inline PublishRequest request(std::string payload, ProfileConfig profile,
                              std::string publisher = "7d6f2a58-5c1e-4b36-9d7e-1f0a2b3c4d5e") {
  PublishRequest r;
  r.message.publisher = std::move(publisher);
  r.message.protocol = "http";
  r.message.subtopic = "room.1";
  r.message.content_type = profile.content_type;
  r.message.payload = std::move(payload);
  r.profile = std::move(profile);
  return r;
}

// A SenML pack of `records` numeric records with absolute times.
inline std::string senml_pack(int records, double base = 20.0) {
  std::string s = "[";
  for (int i = 0; i < records; ++i) {
    if (i) s += ',';
    s += "{\"bn\":\"dev:\",\"n\":\"temp" + std::to_string(i) +
         "\",\"u\":\"Cel\",\"t\":1700000000." + std::to_string(100 + i) +
         ",\"v\":" + std::to_string(base + i) + "}";
  }
  return s + "]";
}

// Publishes and waits for the callback.
inline Result<PublishReceipt> publish_sync(
    Pipeline& p, PublishRequest r, std::chrono::seconds timeout = std::chrono::seconds(30)) {
  auto promise = std::make_shared<std::promise<Result<PublishReceipt>>>();
  auto f = promise->get_future();
  p.publish(std::move(r),
            [promise](Result<PublishReceipt> res) { promise->set_value(std::move(res)); });
  if (f.wait_for(timeout) != std::future_status::ready)
    return fail(ErrorCode::timeout, "publish callback never came");
  return f.get();
}

// A CommitStage that records every batch. In `hold` mode commits wait until
// `release` (the test decides the outcome); otherwise `outcome` answers at
// once, inline.
class FakeCommitStage final : public CommitStage {
 public:
  using Outcome = std::function<Status(const CommitBatch&)>;

  void commit(std::shared_ptr<const CommitBatch> batch,
              std::function<void(Status)> done) noexcept override {
    std::unique_lock lock(mu_);
    batches_.push_back(batch);
    if (hold_) {
      held_.push_back({std::move(batch), std::move(done)});
      cv_.notify_all();
      return;
    }
    auto outcome = outcome_;
    lock.unlock();
    done(outcome ? outcome(*batch) : ok());
  }
  void durable_subscription(std::string_view owner, std::string_view name,
                            bool active) noexcept override {
    std::lock_guard lock(mu_);
    grants_.push_back(std::string(owner) + "/" + std::string(name) + (active ? "+" : "-"));
  }

  void set_hold(bool hold) {
    std::lock_guard lock(mu_);
    hold_ = hold;
  }
  void set_outcome(Outcome o) {
    std::lock_guard lock(mu_);
    outcome_ = std::move(o);
  }
  // Waits until at least `n` commits are held.
  bool wait_held(std::size_t n, std::chrono::seconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return held_.size() >= n; });
  }
  // Completes every held commit with `status`.
  void release(Status status = ok()) {
    std::vector<Held> held;
    {
      std::lock_guard lock(mu_);
      held.swap(held_);
    }
    for (auto& h : held) h.done(status);
  }
  std::vector<std::shared_ptr<const CommitBatch>> batches() const {
    std::lock_guard lock(mu_);
    return batches_;
  }
  std::vector<std::string> grants() const {
    std::lock_guard lock(mu_);
    return grants_;
  }

 private:
  struct Held {
    std::shared_ptr<const CommitBatch> batch;
    std::function<void(Status)> done;
  };
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool hold_ = false;
  Outcome outcome_;
  std::vector<Held> held_;
  std::vector<std::shared_ptr<const CommitBatch>> batches_;
  std::vector<std::string> grants_;
};

// A TransformHook that blocks every call until opened (to hold workers), then
// applies `fn` (identity when empty).
class BlockingHook final : public TransformHook {
 public:
  using Fn = std::function<Result<std::vector<Message>>(Message&&)>;
  explicit BlockingHook(bool open = false, Fn fn = {}) : open_(open), fn_(std::move(fn)) {}

  Result<std::vector<Message>> transform(Message&& m) noexcept override {
    {
      std::unique_lock lock(mu_);
      ++entered_;
      cv_.notify_all();
      cv_.wait(lock, [&] { return open_; });
    }
    if (fn_) return fn_(std::move(m));
    std::vector<Message> out;
    out.push_back(std::move(m));
    return out;
  }
  void open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  bool wait_entered(int n, std::chrono::seconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return entered_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_;
  int entered_ = 0;
  Fn fn_;
};

}  // namespace conflux::core::testing
