// tests/unit/pipeline — MessagePipeline behaviour against a controllable
// CommitStage: validation, backpressure, transform hook, routing, fan-out,
// failures and the graceful stop.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "conflux/testing.h"
#include "core/pipeline/message_pipeline.h"
#include "core/pipeline/plugin_pipeline.h"
#include "tests/unit/pipeline/pipeline_fixture.h"

namespace conflux::core {
namespace {

using testing::BlockingHook;
using testing::FakeCommitStage;
using testing::json_profile;
using testing::publish_sync;
using testing::request;
using testing::senml_pack;
using testing::senml_profile;

class PipelineTest : public ::testing::Test {
 protected:
  void make(PipelineOptions options = {}) {
    pipeline_ = std::make_unique<MessagePipeline>(options, stage_, clock_, metrics_, log_);
    pipeline_->start();
  }
  std::uint64_t rejected(std::string_view reason) const {
    return metrics_.counter_value("conflux_pipeline_rejected_total",
                                  {{"reason", std::string(reason)}});
  }

  conflux::testing::FakeClock clock_;
  conflux::testing::FakeMetrics metrics_;
  conflux::testing::CaptureLogger log_;
  FakeCommitStage stage_;
  std::unique_ptr<MessagePipeline> pipeline_;
};

TEST_F(PipelineTest, SenmlPublishCommitsOneMessageWithIdAndTime) {
  make();
  auto res = publish_sync(*pipeline_, request(senml_pack(3), senml_profile()));
  ASSERT_TRUE(res) << res.error().message;
  ASSERT_EQ(res->message_ids.size(), 1u);
  EXPECT_EQ(res->message_ids[0].size(), 36u);
  EXPECT_EQ(res->records, 3u);
  EXPECT_TRUE(res->stored);
  auto batches = stage_.batches();
  ASSERT_EQ(batches.size(), 1u);
  const auto& m = batches[0]->units.at(0).messages.at(0);
  EXPECT_EQ(m.id, res->message_ids[0]);
  EXPECT_EQ(m.created, clock_.now_ns());
  EXPECT_EQ(m.format, MessageFormat::senml);
  EXPECT_EQ(m.records.size(), 3u);
  EXPECT_EQ(m.records[0].name, "dev:temp0");
  EXPECT_EQ(metrics_.counter_value("conflux_pipeline_published_total"), 1u);
  EXPECT_EQ(metrics_.counter_value("conflux_pipeline_stored_messages_total"), 1u);
}

TEST_F(PipelineTest, IdsAreDistinctAcrossPublishes) {
  make({.queue_size = 64, .workers = 2});
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    auto res = publish_sync(*pipeline_, request(senml_pack(1), senml_profile()));
    ASSERT_TRUE(res);
    ids.insert(res->message_ids.at(0));
  }
  EXPECT_EQ(ids.size(), 50u);
}

TEST_F(PipelineTest, JsonArrayBecomesSeveralMessages) {
  make();
  auto res = publish_sync(*pipeline_, request(R"([{"a":1},{"a":2},{"a":3}])", json_profile()));
  ASSERT_TRUE(res) << res.error().message;
  EXPECT_EQ(res->message_ids.size(), 3u);
  EXPECT_EQ(res->records, 0u);
  const auto& unit = stage_.batches().at(0)->units.at(0);
  ASSERT_EQ(unit.messages.size(), 3u);
  EXPECT_EQ(unit.messages[1].json, R"({"a":2})");
  EXPECT_NE(unit.messages[0].id, unit.messages[1].id);
}

TEST_F(PipelineTest, BadSenmlNamesTheRecordAndCommitsNothing) {
  make();
  auto res = publish_sync(*pipeline_,
                          request(R"([{"n":"a","v":1},{"n":"b","v":"hot"}])", senml_profile()));
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(res.error().message.find("record 1"), std::string::npos) << res.error().message;
  EXPECT_TRUE(stage_.batches().empty());
  EXPECT_EQ(rejected("invalid"), 1u);
  EXPECT_TRUE(log_.contains("publish rejected (invalid)"));
}

TEST_F(PipelineTest, ProfileWithoutConfigIsFailedPreconditionAndCounted) {
  make();
  auto res = publish_sync(*pipeline_, request(senml_pack(1), ProfileConfig{}));
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::failed_precondition);
  EXPECT_EQ(rejected("no_config"), 1u);
  EXPECT_TRUE(stage_.batches().empty());
}

TEST_F(PipelineTest, MissingPublisherIsInvalid) {
  make();
  auto res = publish_sync(*pipeline_, request(senml_pack(1), senml_profile(), ""));
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::invalid_argument);
}

TEST_F(PipelineTest, PublishBeforeStartIsUnavailable) {
  MessagePipeline p({}, stage_, clock_, metrics_, log_);
  auto res = publish_sync(p, request(senml_pack(1), senml_profile()));
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::unavailable);
  EXPECT_EQ(rejected("stopped"), 1u);
}

TEST_F(PipelineTest, FullQueueAnswersUnavailableAtOnce) {
  auto hook = std::make_shared<BlockingHook>();
  make({.queue_size = 4, .workers = 1, .max_batch = 1});
  pipeline_->set_transform_hook(hook);
  std::atomic<int> ok_count{0}, unavailable{0};
  auto count = [&](Result<PublishReceipt> r) {
    if (r)
      ++ok_count;
    else if (r.error().code == ErrorCode::unavailable)
      ++unavailable;
  };
  for (int i = 0; i < 4; ++i) pipeline_->publish(request(senml_pack(1), senml_profile()), count);
  ASSERT_TRUE(hook->wait_entered(1));
  // Four accepted (one in the worker, three queued): everything else is
  // refused synchronously, inside publish().
  for (int i = 0; i < 100; ++i) {
    int before = unavailable.load();
    pipeline_->publish(request(senml_pack(1), senml_profile()), count);
    EXPECT_EQ(unavailable.load(), before + 1);
  }
  EXPECT_EQ(pipeline_->in_flight(), 4u);
  EXPECT_EQ(rejected("queue_full"), 100u);
  hook->open();
  pipeline_->stop();
  EXPECT_EQ(ok_count.load(), 4);
  EXPECT_EQ(pipeline_->in_flight(), 0u);
}

TEST_F(PipelineTest, PublishesAwaitingCommitCountAgainstTheBound) {
  stage_.set_hold(true);
  make({.queue_size = 3, .workers = 1, .max_batch = 1});
  std::atomic<int> done{0};
  for (int i = 0; i < 3; ++i)
    pipeline_->publish(request(senml_pack(1), senml_profile()), [&](auto) { ++done; });
  ASSERT_TRUE(stage_.wait_held(3));
  auto res = publish_sync(*pipeline_, request(senml_pack(1), senml_profile()));
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::unavailable);
  EXPECT_EQ(res.error().message, "pipeline full");
  EXPECT_EQ(done.load(), 0) << "no acknowledgement before the commit";
  stage_.release();
  EXPECT_EQ(done.load(), 3);
  EXPECT_EQ(pipeline_->in_flight(), 0u);
}

TEST_F(PipelineTest, StoreFailureIsReportedAndIsolatedToTheFailingPublish) {
  // Commits containing a message of publisher "poison" fail.
  stage_.set_outcome([](const CommitBatch& b) -> Status {
    for (const auto& u : b.units)
      for (const auto& m : u.messages)
        if (m.publisher == "poison") return fail(ErrorCode::internal, "cannot store");
    return ok();
  });
  auto hook = std::make_shared<BlockingHook>();
  make({.queue_size = 16, .workers = 1, .max_batch = 16});
  pipeline_->set_transform_hook(hook);
  // Hold the worker on a first publish so the next three are taken as one batch.
  std::promise<Result<PublishReceipt>> first, good1, bad, good2;
  pipeline_->publish(request(senml_pack(1), senml_profile()),
                     [&](auto r) { first.set_value(std::move(r)); });
  ASSERT_TRUE(hook->wait_entered(1));
  pipeline_->publish(request(senml_pack(1), senml_profile()),
                     [&](auto r) { good1.set_value(std::move(r)); });
  pipeline_->publish(request(senml_pack(1), senml_profile(), "poison"),
                     [&](auto r) { bad.set_value(std::move(r)); });
  pipeline_->publish(request(senml_pack(1), senml_profile()),
                     [&](auto r) { good2.set_value(std::move(r)); });
  hook->open();
  EXPECT_TRUE(first.get_future().get());
  EXPECT_TRUE(good1.get_future().get());
  EXPECT_TRUE(good2.get_future().get());
  auto r = bad.get_future().get();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "cannot store");
  EXPECT_EQ(rejected("store"), 1u);
}

TEST_F(PipelineTest, TransformHookCanDropSplitAndModify) {
  make();
  auto hook = std::make_shared<BlockingHook>(true, [](Message&& m) -> Result<std::vector<Message>> {
    std::vector<Message> out;
    if (m.records.at(0).name == "dev:temp0" && m.records.size() == 1) return out;  // drop
    if (m.records.size() == 2) {                                                   // split
      for (auto& r : m.records) {
        Message part = m;
        part.id.clear();
        part.records = {r};
        out.push_back(std::move(part));
      }
      return out;
    }
    m.subtopic = "modified";  // modify
    out.push_back(std::move(m));
    return out;
  });
  pipeline_->set_transform_hook(hook);

  auto dropped = publish_sync(*pipeline_, request(senml_pack(1), senml_profile()));
  ASSERT_TRUE(dropped);
  EXPECT_TRUE(dropped->message_ids.empty());
  EXPECT_FALSE(dropped->stored);

  auto split = publish_sync(*pipeline_, request(senml_pack(2), senml_profile()));
  ASSERT_TRUE(split);
  ASSERT_EQ(split->message_ids.size(), 2u);
  EXPECT_NE(split->message_ids[0], split->message_ids[1]);
  EXPECT_EQ(split->records, 2u);

  auto modified = publish_sync(*pipeline_, request(senml_pack(3), senml_profile()));
  ASSERT_TRUE(modified);
  auto batches = stage_.batches();
  ASSERT_EQ(batches.size(), 2u) << "the dropped publish commits nothing";
  EXPECT_EQ(batches[0]->units.at(0).messages.size(), 2u);
  EXPECT_EQ(batches[1]->units.at(0).messages.at(0).subtopic, "modified");
}

TEST_F(PipelineTest, TransformErrorFailsThePublish) {
  make();
  pipeline_->set_transform_hook(
      std::make_shared<BlockingHook>(true, [](Message&&) -> Result<std::vector<Message>> {
        return fail(ErrorCode::invalid_argument, "script: bad value");
      }));
  auto res = publish_sync(*pipeline_, request(senml_pack(1), senml_profile()));
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().message, "script: bad value");
  EXPECT_EQ(rejected("transform"), 1u);
  EXPECT_TRUE(stage_.batches().empty());
  pipeline_->set_transform_hook(nullptr);
  EXPECT_TRUE(publish_sync(*pipeline_, request(senml_pack(1), senml_profile())));
}

TEST_F(PipelineTest, WriteDisabledIsNotStoredButSubscribersSeeIt) {
  make();
  std::vector<Message> seen;
  std::mutex mu;
  ASSERT_TRUE(pipeline_->subscribe({.name = "watch"}, [&](const Message& m) {
    std::lock_guard lock(mu);
    seen.push_back(m);
  }));
  auto res = publish_sync(*pipeline_, request(senml_pack(2), senml_profile(false)));
  ASSERT_TRUE(res);
  EXPECT_FALSE(res->stored);
  EXPECT_EQ(res->message_ids.size(), 1u);
  EXPECT_TRUE(stage_.batches().empty());
  std::lock_guard lock(mu);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].records.size(), 2u);
  EXPECT_EQ(metrics_.counter_value("conflux_pipeline_stored_messages_total"), 0u);
}

TEST_F(PipelineTest, SubscribersSeeMessagesOnlyAfterTheCommit) {
  stage_.set_hold(true);
  make();
  std::atomic<int> seen{0};
  ASSERT_TRUE(pipeline_->subscribe({.name = "s"}, [&](const Message&) { ++seen; }));
  std::atomic<bool> acked{false};
  pipeline_->publish(request(senml_pack(1), senml_profile()), [&](auto) { acked = true; });
  ASSERT_TRUE(stage_.wait_held(1));
  EXPECT_EQ(seen.load(), 0);
  EXPECT_FALSE(acked.load());
  stage_.release();
  EXPECT_EQ(seen.load(), 1);
  EXPECT_TRUE(acked.load());
}

TEST_F(PipelineTest, SubscriberFilterSelectsMessages) {
  make();
  std::vector<std::string> seen;
  std::mutex mu;
  ASSERT_TRUE(pipeline_->subscribe(
      {.name = "only-b", .filter = [](const Message& m) { return m.publisher == "b"; }},
      [&](const Message& m) {
        std::lock_guard lock(mu);
        seen.push_back(m.publisher);
      }));
  ASSERT_TRUE(publish_sync(*pipeline_, request(senml_pack(1), senml_profile(), "a")));
  ASSERT_TRUE(publish_sync(*pipeline_, request(senml_pack(1), senml_profile(), "b")));
  std::lock_guard lock(mu);
  EXPECT_EQ(seen, std::vector<std::string>{"b"});
}

TEST_F(PipelineTest, DurableSubscriptionAddsOutboxItemsToTheSameCommit) {
  make();
  PluginPipeline plugin(*pipeline_, "webhooks");
  std::atomic<int> hints{0};
  auto id = plugin.subscribe({.name = "hooks",
                              .durable = true,
                              .filter = [](const Message& m) { return m.publisher != "skip"; }},
                             [&](const Message&) { ++hints; });
  ASSERT_TRUE(id);
  EXPECT_EQ(stage_.grants(), std::vector<std::string>{"webhooks/hooks+"});

  auto res = publish_sync(*pipeline_, request(senml_pack(2), senml_profile()));
  ASSERT_TRUE(res);
  ASSERT_TRUE(publish_sync(*pipeline_, request(senml_pack(1), senml_profile(), "skip")));
  auto batches = stage_.batches();
  ASSERT_EQ(batches.size(), 2u);
  const auto& unit = batches[0]->units.at(0);
  ASSERT_EQ(unit.items.size(), 1u);
  EXPECT_EQ(unit.items[0].queue, "subscription:hooks");
  EXPECT_NE(unit.items[0].payload.find(res->message_ids[0]), std::string::npos);
  EXPECT_TRUE(batches[1]->units.at(0).items.empty());
  EXPECT_EQ(hints.load(), 1);

  plugin.unsubscribe(*id);
  EXPECT_EQ(stage_.grants().back(), "webhooks/hooks-");
}

TEST_F(PipelineTest, DurableSubscriptionCommitsUnstoredMessagesToo) {
  stage_.set_hold(true);
  make();
  ASSERT_TRUE(pipeline_->subscribe({.name = "d", .durable = true}, [](const Message&) {}));
  std::atomic<bool> acked{false};
  pipeline_->publish(request(senml_pack(1), senml_profile(false)), [&](auto r) {
    EXPECT_TRUE(r);
    EXPECT_FALSE(r->stored);
    acked = true;
  });
  ASSERT_TRUE(stage_.wait_held(1));
  EXPECT_FALSE(acked.load()) << "acknowledged only after the outbox item is durable";
  auto batch = stage_.batches().at(0);
  EXPECT_FALSE(batch->units.at(0).store);
  EXPECT_EQ(batch->units.at(0).items.size(), 1u);
  stage_.release();
  EXPECT_TRUE(acked.load());
}

TEST_F(PipelineTest, SubscriptionNamesAreUnique) {
  make();
  ASSERT_TRUE(pipeline_->subscribe({.name = "x"}, [](const Message&) {}));
  PluginPipeline other(*pipeline_, "other");
  auto again = other.subscribe({.name = "x"}, [](const Message&) {});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::already_exists);
  EXPECT_FALSE(pipeline_->subscribe({.name = ""}, [](const Message&) {}));
}

TEST_F(PipelineTest, APluginCannotRemoveAnotherPluginsSubscription) {
  make();
  PluginPipeline a(*pipeline_, "a"), b(*pipeline_, "b");
  std::atomic<int> calls{0};
  auto id = a.subscribe({.name = "mine"}, [&](const Message&) { ++calls; });
  ASSERT_TRUE(id);
  b.unsubscribe(*id);
  ASSERT_TRUE(publish_sync(*pipeline_, request(senml_pack(1), senml_profile())));
  EXPECT_EQ(calls.load(), 1);
  a.unsubscribe(*id);
  ASSERT_TRUE(publish_sync(*pipeline_, request(senml_pack(1), senml_profile())));
  EXPECT_EQ(calls.load(), 1);
}

TEST_F(PipelineTest, UnsubscribeFromInsideTheHandlerDoesNotDeadlock) {
  make();
  std::atomic<int> calls{0};
  SubscriptionId id = 0;
  auto res = pipeline_->subscribe({.name = "once"}, [&](const Message&) {
    ++calls;
    pipeline_->unsubscribe(id);
  });
  ASSERT_TRUE(res);
  id = *res;
  ASSERT_TRUE(publish_sync(*pipeline_, request(senml_pack(1), senml_profile())));
  ASSERT_TRUE(publish_sync(*pipeline_, request(senml_pack(1), senml_profile())));
  EXPECT_EQ(calls.load(), 1);
}

TEST_F(PipelineTest, StopDrainsEveryAcceptedPublish) {
  make({.queue_size = 1000, .workers = 2, .max_batch = 8});
  std::atomic<int> answered{0}, succeeded{0};
  int accepted = 0;
  for (int i = 0; i < 500; ++i) {
    pipeline_->publish(request(senml_pack(2), senml_profile()), [&](Result<PublishReceipt> r) {
      ++answered;
      if (r) ++succeeded;
    });
    ++accepted;
  }
  pipeline_->stop();
  EXPECT_EQ(answered.load(), accepted);
  EXPECT_EQ(succeeded.load(), accepted) << "every accepted publish was committed";
  std::size_t committed = 0;
  for (const auto& b : stage_.batches()) committed += b->units.size();
  EXPECT_EQ(committed, 500u);
  auto res = publish_sync(*pipeline_, request(senml_pack(1), senml_profile()));
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::unavailable);
}

TEST_F(PipelineTest, StopWaitsForHeldCommits) {
  stage_.set_hold(true);
  make();
  std::atomic<bool> acked{false};
  pipeline_->publish(request(senml_pack(1), senml_profile()),
                     [&](auto r) { acked = r.has_value(); });
  ASSERT_TRUE(stage_.wait_held(1));
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    stage_.release();
  });
  pipeline_->stop();
  EXPECT_TRUE(acked.load());
  releaser.join();
}

}  // namespace
}  // namespace conflux::core
