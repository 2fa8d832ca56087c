// tests/unit/mqtt — a ThingDirectory and a Pipeline for the MQTT plugin's
// unit tests.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "conflux/pipeline.h"
#include "conflux/things.h"

namespace conflux::mqtt::testing {

class FakeThings final : public ThingDirectory {
 public:
  ThingRef add(std::string id, std::string key, std::string group, std::string metadata = "{}",
               std::string external_key = {}) {
    auto t = std::make_shared<ThingIdentity>();
    t->id = std::move(id);
    t->key = std::move(key);
    t->group_id = std::move(group);
    t->profile_id = "p1";
    t->metadata = std::move(metadata);
    t->external_key = std::move(external_key);
    t->profile.content_type = "application/senml+json";
    things_[t->id] = t;
    return t;
  }
  Result<ThingRef> identify(KeyKind kind, std::string_view key) noexcept override {
    for (auto& [id, t] : things_)
      if ((kind == KeyKind::internal ? t->key : t->external_key) == key && !key.empty()) return t;
    return fail(ErrorCode::unauthenticated, "unknown key");
  }
  Result<ThingRef> thing(std::string_view id) noexcept override {
    auto it = things_.find(std::string(id));
    if (it == things_.end()) return fail(ErrorCode::not_found, "no thing");
    return it->second;
  }
  Result<std::vector<ThingRef>> group_things(std::string_view) noexcept override { return {}; }
  Result<ThingRef> find_by_metadata(std::string_view field,
                                    std::string_view value) noexcept override {
    std::string needle = "\"" + std::string(field) + "\":\"" + std::string(value) + "\"";
    for (auto& [id, t] : things_)
      if (t->metadata.find(needle) != std::string::npos) return t;
    return fail(ErrorCode::not_found, "no thing");
  }
  RegistryWatchId watch(std::function<void(const RegistryEvent&)>) noexcept override { return 1; }
  void unwatch(RegistryWatchId) noexcept override {}

 private:
  std::map<std::string, ThingRef> things_;
};

// Keeps every publish until the test completes it.
class ManualPipeline final : public Pipeline {
 public:
  struct Call {
    PublishRequest request;
    PublishCallback done;
  };
  void publish(PublishRequest request, PublishCallback done) noexcept override {
    std::lock_guard lock(mu_);
    calls_.push_back({std::move(request), std::move(done)});
  }
  Result<SubscriptionId> subscribe(SubscriptionOptions, MessageHandler) noexcept override {
    return SubscriptionId{1};
  }
  void unsubscribe(SubscriptionId) noexcept override {}

  std::size_t pending() {
    std::lock_guard lock(mu_);
    return calls_.size();
  }
  PublishRequest front() {
    std::lock_guard lock(mu_);
    return calls_.front().request;
  }
  // Completes the oldest publish with `result`.
  void complete(Result<PublishReceipt> result) {
    PublishCallback done;
    {
      std::lock_guard lock(mu_);
      done = std::move(calls_.front().done);
      calls_.pop_front();
    }
    done(std::move(result));
  }

 private:
  std::mutex mu_;
  std::deque<Call> calls_;
};

}  // namespace conflux::mqtt::testing
