// Tests for the durable outbox: enqueue/claim/complete, leases and their
// expiry (FakeClock), due order, retry and dead letters, stats, restart,
// enqueue_in inside a caller's write, subscription grants and per-plugin
// isolation.
// Thread-safety: the FakeClock is only advanced while no write is in flight.
#include "core/store/outbox_queues.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>
#include <set>
#include <thread>

#include "tests/unit/store/store_test_support.h"

namespace conflux::core::store {
namespace {

using namespace std::chrono_literals;

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }
  void reopen() {
    queues_.reset();
    env_.reset();
    env_ = testing::open_env(testing::test_options(dir_.path()), log_, metrics_);
    ASSERT_TRUE(env_);
    auto q = OutboxQueues::open(*env_, clock_);
    ASSERT_TRUE(q);
    queues_ = std::move(*q);
  }
  Outbox& plugin(std::string_view name) {
    auto o = queues_->plugin(name);
    EXPECT_TRUE(o);
    return **o;
  }
  static Result<std::uint64_t> enqueue(Outbox& o, std::string_view q, std::string payload,
                                       std::int64_t due = 0) {
    std::promise<Result<std::uint64_t>> p;
    o.enqueue(q, std::move(payload), due, [&](Result<std::uint64_t> r) { p.set_value(r); });
    return p.get_future().get();
  }
  static Status complete(Outbox& o, std::string_view q, std::uint64_t id) {
    std::promise<Status> p;
    o.complete(q, id, [&](Status s) { p.set_value(s); });
    return p.get_future().get();
  }
  static Status retry(Outbox& o, std::string_view q, std::uint64_t id, std::int64_t due,
                      std::string error, bool give_up) {
    std::promise<Status> p;
    o.retry(q, id, due, std::move(error), give_up, [&](Status s) { p.set_value(s); });
    return p.get_future().get();
  }
  static std::vector<std::string> payloads(const Result<std::vector<OutboxItem>>& items) {
    EXPECT_TRUE(items) << items.error().message;
    std::vector<std::string> out;
    if (items)
      for (const auto& i : *items) out.push_back(i.payload);
    return out;
  }
  std::int64_t now() const { return clock_.now_ns(); }
  std::int64_t in(std::chrono::nanoseconds d) const { return clock_.now_ns() + d.count(); }

  testing::TempDir dir_;
  conflux::testing::CaptureLogger log_;
  conflux::testing::FakeMetrics metrics_;
  conflux::testing::FakeClock clock_;
  std::unique_ptr<LmdbEnv> env_;
  std::unique_ptr<OutboxQueues> queues_;
};

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST_F(OutboxTest, EnqueueClaimComplete) {
  auto& o = plugin("webhooks");
  auto id1 = enqueue(o, "hooks", "one");
  auto id2 = enqueue(o, "hooks", "two");
  ASSERT_TRUE(id1 && id2);
  EXPECT_LT(*id1, *id2);
  auto claimed = o.claim("hooks", 10, 30s);
  EXPECT_THAT(payloads(claimed), ElementsAre("one", "two"));
  EXPECT_EQ((*claimed)[0].id, *id1);
  EXPECT_EQ((*claimed)[0].attempts, 0u);
  EXPECT_EQ((*claimed)[0].created, now());
  // Leased: not claimable again.
  EXPECT_THAT(payloads(o.claim("hooks", 10, 30s)), IsEmpty());
  ASSERT_TRUE(complete(o, "hooks", *id1));
  auto stats = o.stats("hooks");
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->pending, 1u);
  EXPECT_EQ(stats->dead, 0u);
  EXPECT_EQ(stats->oldest_due, now());
  Status again = complete(o, "hooks", *id1);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::not_found);
}

TEST_F(OutboxTest, ClaimHonoursMaxAndDueOrder) {
  auto& o = plugin("p");
  ASSERT_TRUE(enqueue(o, "q", "later", in(10s)));
  ASSERT_TRUE(enqueue(o, "q", "now-1"));
  ASSERT_TRUE(enqueue(o, "q", "now-2"));
  EXPECT_THAT(payloads(o.claim("q", 1, 30s)), ElementsAre("now-1"));
  EXPECT_THAT(payloads(o.claim("q", 10, 30s)), ElementsAre("now-2"));
  clock_.advance(10s);
  EXPECT_THAT(payloads(o.claim("q", 10, 30s)), ElementsAre("later"));
  EXPECT_EQ(o.stats("q")->pending, 3u);
}

TEST_F(OutboxTest, ExpiredLeasesMakeItemsClaimableAgain) {
  auto& o = plugin("p");
  ASSERT_TRUE(enqueue(o, "q", "x"));
  EXPECT_THAT(payloads(o.claim("q", 10, 30s)), ElementsAre("x"));
  clock_.advance(29s);
  EXPECT_THAT(payloads(o.claim("q", 10, 30s)), IsEmpty());
  clock_.advance(2s);
  EXPECT_THAT(payloads(o.claim("q", 10, 30s)), ElementsAre("x"));
}

TEST_F(OutboxTest, RetryReschedulesAndCountsAttempts) {
  auto& o = plugin("p");
  auto id = enqueue(o, "q", "x");
  ASSERT_TRUE(id);
  ASSERT_THAT(payloads(o.claim("q", 10, 30s)), ElementsAre("x"));
  ASSERT_TRUE(retry(o, "q", *id, in(5s), "HTTP 503", false));
  EXPECT_THAT(payloads(o.claim("q", 10, 30s)), IsEmpty());  // not due yet
  EXPECT_EQ(o.stats("q")->oldest_due, in(5s));
  clock_.advance(5s);
  auto again = o.claim("q", 10, 30s);
  ASSERT_THAT(payloads(again), ElementsAre("x"));
  EXPECT_EQ((*again)[0].attempts, 1u);
  EXPECT_EQ((*again)[0].last_error, "HTTP 503");
  // Retrying "now" releases the lease at once.
  ASSERT_TRUE(retry(o, "q", *id, 0, "HTTP 500", false));
  auto third = o.claim("q", 10, 30s);
  ASSERT_THAT(payloads(third), ElementsAre("x"));
  EXPECT_EQ((*third)[0].attempts, 2u);
}

TEST_F(OutboxTest, GivingUpMovesToDeadLetters) {
  auto& o = plugin("p");
  auto id = enqueue(o, "q", "x");
  ASSERT_TRUE(enqueue(o, "q", "y"));
  ASSERT_TRUE(id);
  ASSERT_TRUE(retry(o, "q", *id, 0, "gone for good", true));
  auto stats = o.stats("q");
  EXPECT_EQ(stats->pending, 1u);
  EXPECT_EQ(stats->dead, 1u);
  auto dead = o.dead_letters("q", 10);
  ASSERT_THAT(payloads(dead), ElementsAre("x"));
  EXPECT_EQ((*dead)[0].id, *id);
  EXPECT_EQ((*dead)[0].attempts, 1u);
  EXPECT_EQ((*dead)[0].last_error, "gone for good");
  EXPECT_THAT(payloads(o.claim("q", 10, 30s)), ElementsAre("y"));
  EXPECT_FALSE(retry(o, "q", *id, 0, "again", false));
}

TEST_F(OutboxTest, ItemsSurviveReopenAndLeasesDoNot) {
  auto id1 = enqueue(plugin("p"), "q", "x");
  ASSERT_TRUE(id1);
  ASSERT_THAT(payloads(plugin("p").claim("q", 10, 30s)), ElementsAre("x"));
  reopen();
  auto& o = plugin("p");
  EXPECT_THAT(payloads(o.claim("q", 10, 30s)), ElementsAre("x"));
  auto id2 = enqueue(o, "q", "y");
  ASSERT_TRUE(id2);
  EXPECT_GT(*id2, *id1);
  EXPECT_EQ(o.stats("q")->pending, 2u);
}

TEST_F(OutboxTest, EnqueueInJoinsTheCallersTransaction) {
  auto rows = env_->database("rows");
  ASSERT_TRUE(rows);
  const std::string queue = subscription_queue("webhooks");
  ASSERT_TRUE(env_->write_sync([&](WriteTxn& txn) -> Status {
    CONFLUX_RETURN_IF_ERROR(txn.put(*rows, "m1", "message"));
    CONFLUX_ASSIGN_OR_RETURN(auto id, queues_->enqueue_in(txn, queue, "m1", 0));
    EXPECT_GT(id, 0u);
    return ok();
  }));
  Status failed = env_->write_sync([&](WriteTxn& txn) -> Status {
    CONFLUX_RETURN_IF_ERROR(queues_->enqueue_in(txn, queue, "m2", 0));
    return fail(ErrorCode::invalid_argument, "message rejected");
  });
  ASSERT_FALSE(failed);
  queues_->grant_subscription("sink", "webhooks");
  auto& o = plugin("sink");
  EXPECT_THAT(payloads(o.claim("subscription:webhooks", 10, 30s)), ElementsAre("m1"));
  EXPECT_EQ(o.stats("subscription:webhooks")->pending, 1u);
}

TEST_F(OutboxTest, SubscriptionQueuesNeedAGrant) {
  ASSERT_TRUE(env_->write_sync([&](WriteTxn& txn) -> Status {
    CONFLUX_RETURN_IF_ERROR(queues_->enqueue_in(txn, subscription_queue("s"), "m", 0));
    return ok();
  }));
  auto& other = plugin("other");
  auto denied = other.claim("subscription:s", 10, 30s);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::permission_denied);
  queues_->grant_subscription("sink", "s");
  auto& sink = plugin("sink");
  auto refused = enqueue(sink, "subscription:s", "forged");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::permission_denied);
  auto items = sink.claim("subscription:s", 10, 30s);
  ASSERT_THAT(payloads(items), ElementsAre("m"));
  ASSERT_TRUE(complete(sink, "subscription:s", (*items)[0].id));
  queues_->revoke_subscription("sink", "s");
  EXPECT_FALSE(sink.stats("subscription:s"));
}

TEST_F(OutboxTest, PluginsSeeOnlyTheirOwnQueues) {
  auto& a = plugin("a");
  auto& b = plugin("b");
  ASSERT_TRUE(enqueue(a, "q", "for a"));
  EXPECT_THAT(payloads(b.claim("q", 10, 30s)), IsEmpty());
  EXPECT_EQ(b.stats("q")->pending, 0u);
  EXPECT_THAT(payloads(a.claim("q", 10, 30s)), ElementsAre("for a"));
  auto full = queues_->stats(plugin_queue("a", "q"));
  ASSERT_TRUE(full);
  EXPECT_EQ(full->pending, 1u);
  EXPECT_EQ(&plugin("a"), &a);
  EXPECT_FALSE(queues_->plugin("bad/name"));
  EXPECT_FALSE(enqueue(a, std::string("nul\0name", 8), "x"));
}

TEST_F(OutboxTest, ConcurrentClaimersNeverShareAnItem) {
  auto& o = plugin("p");
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(enqueue(o, "q", std::to_string(i)));
  std::mutex mu;
  std::multiset<std::uint64_t> seen;
  std::vector<std::thread> claimers;
  for (int t = 0; t < 4; ++t) {
    claimers.emplace_back([&] {
      for (;;) {
        auto items = o.claim("q", 3, 60s);
        ASSERT_TRUE(items);
        if (items->empty()) return;
        std::lock_guard lock(mu);
        for (const auto& i : *items) seen.insert(i.id);
      }
    });
  }
  for (auto& t : claimers) t.join();
  EXPECT_EQ(seen.size(), 200u);
  EXPECT_EQ(std::set<std::uint64_t>(seen.begin(), seen.end()).size(), 200u);
}

}  // namespace
}  // namespace conflux::core::store
