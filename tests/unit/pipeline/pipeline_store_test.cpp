// tests/unit/pipeline — the pipeline on a real LMDB env and message store:
// end to end through the MessageReader, acknowledgement after the durable
// commit, durable subscriptions' outbox items in the same commit, nothing
// stored on error, and the graceful drain.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "core/pipeline/outbox_payload.h"
#include "core/pipeline/plugin_pipeline.h"
#include "tests/unit/pipeline/pipeline_fixture.h"
#include "tests/unit/pipeline/store_harness.h"

namespace conflux::core {
namespace {

using testing::json_profile;
using testing::publish_sync;
using testing::request;
using testing::senml_pack;
using testing::senml_profile;
using testing::StoreHarness;
using testing::TempDir;

constexpr const char* kPublisher = "7d6f2a58-5c1e-4b36-9d7e-1f0a2b3c4d5e";

MessageQuery by_publisher(MessageFormat format = MessageFormat::senml, std::size_t limit = 100) {
  MessageQuery q;
  q.format = format;
  q.publishers = {kPublisher};
  q.limit = limit;
  return q;
}

TEST(PipelineStoreTest, SenmlIsStoredAndReadBack) {
  TempDir dir;
  StoreHarness h(dir.path());
  auto res = publish_sync(*h.pipeline,
                          request(R"([{"bn":"dev:","bt":1700000000,"n":"temp","u":"Cel","v":21.5},
                  {"n":"hum","u":"%RH","t":1,"v":40},{"n":"on","vb":true,"t":2}])",
                                  senml_profile()));
  ASSERT_TRUE(res) << res.error().message;
  ASSERT_EQ(res->message_ids.size(), 1u);
  EXPECT_EQ(res->records, 3u);

  auto page = h.messages->query(by_publisher());
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->total, 3u);
  ASSERT_EQ(page->records.size(), 3u);
  // Newest first.
  EXPECT_EQ(page->records[0].senml.name, "dev:on");
  EXPECT_EQ(page->records[0].senml.bool_value, true);
  EXPECT_EQ(page->records[2].senml.name, "dev:temp");
  EXPECT_EQ(page->records[2].senml.unit, "Cel");
  EXPECT_EQ(page->records[2].senml.value, 21.5);
  EXPECT_EQ(page->records[2].senml.time, 1700000000LL * 1000000000LL);
  for (const auto& r : page->records) {
    EXPECT_EQ(r.message_id, res->message_ids[0]);
    EXPECT_EQ(r.publisher, kPublisher);
    EXPECT_EQ(r.subtopic, "room.1");
    EXPECT_EQ(r.protocol, "http");
    EXPECT_EQ(r.created, h.clock.now_ns());
  }
}

TEST(PipelineStoreTest, JsonArrayIsStoredAsSeveralMessages) {
  TempDir dir;
  StoreHarness h(dir.path());
  auto res = publish_sync(*h.pipeline, request(R"([{"t":1},{"t":2},{"t":3}])", json_profile()));
  ASSERT_TRUE(res) << res.error().message;
  ASSERT_EQ(res->message_ids.size(), 3u);
  auto page = h.messages->query(by_publisher(MessageFormat::json));
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->total, 3u);
  std::set<std::string> stored_ids, docs;
  for (const auto& r : page->records) {
    stored_ids.insert(r.message_id);
    docs.insert(r.json);
  }
  EXPECT_EQ(stored_ids, std::set<std::string>(res->message_ids.begin(), res->message_ids.end()));
  EXPECT_EQ(docs, (std::set<std::string>{R"({"t":1})", R"({"t":2})", R"({"t":3})"}));
}

TEST(PipelineStoreTest, ReceiptIdsAreReadableWhenTheCallbackRuns) {
  TempDir dir;
  StoreHarness h(dir.path(), {.commit_interval = std::chrono::milliseconds(5)});
  constexpr int kPublishes = 40;
  std::atomic<int> visible{0}, answered{0};
  std::promise<void> all;
  for (int i = 0; i < kPublishes; ++i) {
    h.pipeline->publish(request(senml_pack(2, i), senml_profile()), [&](Result<PublishReceipt> r) {
      if (r) {
        MessageQuery q = by_publisher(MessageFormat::senml, 1000);
        auto page = h.messages->query(q);
        bool found = false;
        if (page)
          for (const auto& row : page->records) found |= row.message_id == r->message_ids.at(0);
        if (found) ++visible;
      }
      if (++answered == kPublishes) all.set_value();
    });
  }
  all.get_future().wait();
  EXPECT_EQ(visible.load(), kPublishes);
}

TEST(PipelineStoreTest, CallbackWaitsForTheBatchCommit) {
  TempDir dir;
  // A long group-commit interval: the job waits in the open batch.
  StoreHarness h(dir.path(), {.commit_interval = std::chrono::milliseconds(1500)});
  std::promise<Result<PublishReceipt>> done;
  std::atomic<bool> called{false};
  h.pipeline->publish(request(senml_pack(1), senml_profile()), [&](Result<PublishReceipt> r) {
    called = true;
    done.set_value(std::move(r));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(called.load()) << "acknowledged before the batch committed";
  auto before = h.messages->query(by_publisher());
  ASSERT_TRUE(before);
  EXPECT_EQ(before->total, 0u) << "nothing is visible before the commit";
  auto r = done.get_future().get();
  ASSERT_TRUE(r);
  auto after = h.messages->query(by_publisher());
  ASSERT_TRUE(after);
  EXPECT_EQ(after->total, 1u);
}

TEST(PipelineStoreTest, DurableSubscriptionItemIsCommittedWithTheMessage) {
  TempDir dir;
  StoreHarness h(dir.path());
  PluginPipeline sink(*h.pipeline, "sink");
  ASSERT_TRUE(sink.subscribe({.name = "forward", .durable = true}, [](const Message&) {}));
  auto outbox = h.outbox->plugin("sink");
  ASSERT_TRUE(outbox);

  std::promise<std::uint64_t> pending_at_ack;
  std::promise<Result<PublishReceipt>> done;
  h.pipeline->publish(request(senml_pack(2), senml_profile()), [&](Result<PublishReceipt> r) {
    auto stats = (*outbox)->stats("subscription:forward");
    pending_at_ack.set_value(stats ? stats->pending : 0);
    done.set_value(std::move(r));
  });
  auto receipt = done.get_future().get();
  ASSERT_TRUE(receipt);
  EXPECT_EQ(pending_at_ack.get_future().get(), 1u);

  auto items = (*outbox)->claim("subscription:forward", 10, std::chrono::seconds(30));
  ASSERT_TRUE(items) << items.error().message;
  ASSERT_EQ(items->size(), 1u);
  auto decoded = decode_outbox_payload(items->at(0).payload);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->id, receipt->message_ids.at(0));
  EXPECT_EQ(decoded->publisher, kPublisher);
  EXPECT_EQ(decoded->records.size(), 2u);

  // Another plugin may not drain it.
  auto other = h.outbox->plugin("other");
  ASSERT_TRUE(other);
  EXPECT_FALSE((*other)->claim("subscription:forward", 10, std::chrono::seconds(1)));
}

TEST(PipelineStoreTest, WriteDisabledStoresNothingButSubscribersSeeIt) {
  TempDir dir;
  StoreHarness h(dir.path());
  std::atomic<int> seen{0};
  ASSERT_TRUE(h.pipeline->subscribe({.name = "watch"}, [&](const Message&) { ++seen; }));
  auto res = publish_sync(*h.pipeline, request(senml_pack(3), senml_profile(false)));
  ASSERT_TRUE(res);
  EXPECT_FALSE(res->stored);
  EXPECT_EQ(seen.load(), 1);
  auto page = h.messages->query(by_publisher());
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 0u);
}

TEST(PipelineStoreTest, BadInputStoresNothing) {
  TempDir dir;
  StoreHarness h(dir.path());
  auto bad = publish_sync(
      *h.pipeline, request(R"([{"n":"ok","v":1},{"n":"x","v":1,"vs":"two"}])", senml_profile()));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(bad.error().message.find("record 1"), std::string::npos) << bad.error().message;
  auto none = publish_sync(*h.pipeline, request(senml_pack(1), ProfileConfig{}));
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::failed_precondition);
  auto page = h.messages->query(by_publisher());
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 0u);
  EXPECT_EQ(h.metrics.counter_value("conflux_pipeline_rejected_total", {{"reason", "invalid"}}),
            1u);
  EXPECT_EQ(h.metrics.counter_value("conflux_pipeline_rejected_total", {{"reason", "no_config"}}),
            1u);
}

// The stage encodes rows on the caller's thread; a batch it cannot encode
// fails as a whole, with `done` on the env's completion thread, and stores
// nothing (not even its storable units).
TEST(PipelineStoreTest, StageFailsAnUnstorableBatchOnTheCompletionThread) {
  TempDir dir;
  StoreHarness h(dir.path());
  auto batch = std::make_shared<CommitBatch>();
  Message good;
  good.id = "5f8a0d2c-4b1e-4c3a-9d1f-0a1b2c3d4e5f";
  good.publisher = kPublisher;
  good.created = 1700000000LL * 1000000000LL;
  good.format = MessageFormat::senml;
  SenmlRecord r;
  r.name = "t";
  r.time = good.created;
  r.value = 1;
  good.records.push_back(r);
  Message bad = good;
  bad.publisher.clear();
  batch->units.push_back(CommitUnit{true, {good}, {}});
  batch->units.push_back(CommitUnit{true, {bad}, {}});
  std::promise<std::pair<Status, std::thread::id>> result;
  h.stage->commit(batch, [&](Status s) {
    result.set_value({std::move(s), std::this_thread::get_id()});
  });
  auto [status, thread] = result.get_future().get();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(thread, std::this_thread::get_id());
  auto page = h.messages->query(by_publisher());
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 0u);

  // The good unit alone is stored.
  auto alone = std::make_shared<CommitBatch>();
  alone->units.push_back(CommitUnit{true, {good}, {}});
  std::promise<Status> stored;
  h.stage->commit(alone, [&](Status s) { stored.set_value(std::move(s)); });
  auto s = stored.get_future().get();
  ASSERT_TRUE(s) << s.error().message;
  page = h.messages->query(by_publisher());
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 1u);
}

TEST(PipelineStoreTest, StopDrainsAndEverySuccessIsStored) {
  TempDir dir;
  std::vector<std::string> acked;
  std::mutex mu;
  std::atomic<int> answered{0};
  {
    StoreHarness h(dir.path(), {.pipeline = {.queue_size = 256, .workers = 2, .max_batch = 16}});
    std::vector<std::thread> publishers;
    for (int t = 0; t < 3; ++t)
      publishers.emplace_back([&] {
        for (int i = 0; i < 200; ++i)
          h.pipeline->publish(request(senml_pack(1, i), senml_profile()),
                              [&](Result<PublishReceipt> r) {
                                if (r) {
                                  std::lock_guard lock(mu);
                                  acked.push_back(r->message_ids.at(0));
                                }
                                ++answered;
                              });
      });
    for (auto& t : publishers) t.join();
    h.close();
    EXPECT_EQ(answered.load(), 600) << "every publish (accepted or refused) got an answer";
  }
  StoreHarness reopened(dir.path());
  auto page = reopened.messages->query(by_publisher(MessageFormat::senml, 1000));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, acked.size());
  std::set<std::string> stored;
  for (const auto& r : page->records) stored.insert(r.message_id);
  for (const auto& id : acked) EXPECT_TRUE(stored.count(id)) << id;
}

}  // namespace
}  // namespace conflux::core
