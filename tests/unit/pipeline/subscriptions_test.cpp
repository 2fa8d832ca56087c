// tests/unit/pipeline — SubscriptionRegistry: names, snapshots, filters and
// the guarantee that unsubscribe waits for a running handler.
#include "core/pipeline/subscriptions.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

namespace conflux::core {
namespace {

TEST(SubscriptionsTest, DurableSubscriptionsGetTheirQueueName) {
  SubscriptionRegistry reg;
  auto s = reg.add("webhooks", {.name = "hooks", .durable = true}, [](const Message&) {});
  ASSERT_TRUE(s);
  EXPECT_EQ((*s)->queue(), "subscription:hooks");
  EXPECT_EQ((*s)->owner(), "webhooks");
  auto plain = reg.add("", {.name = "plain"}, [](const Message&) {});
  ASSERT_TRUE(plain);
  EXPECT_TRUE((*plain)->queue().empty());
}

TEST(SubscriptionsTest, RejectsBadNamesAndDuplicates) {
  SubscriptionRegistry reg;
  EXPECT_EQ(reg.add("", {.name = ""}, [](const Message&) {}).error().code,
            ErrorCode::invalid_argument);
  EXPECT_EQ(reg.add("", {.name = "x"}, MessageHandler{}).error().code, ErrorCode::invalid_argument);
  ASSERT_TRUE(reg.add("a", {.name = "x"}, [](const Message&) {}));
  EXPECT_EQ(reg.add("b", {.name = "x"}, [](const Message&) {}).error().code,
            ErrorCode::already_exists);
}

TEST(SubscriptionsTest, SnapshotsAreStableWhileTheRegistryChanges) {
  SubscriptionRegistry reg;
  auto a = reg.add("", {.name = "a"}, [](const Message&) {});
  ASSERT_TRUE(a);
  auto snap = reg.snapshot();
  ASSERT_TRUE(reg.add("", {.name = "b"}, [](const Message&) {}));
  EXPECT_EQ(snap->size(), 1u);
  EXPECT_EQ(reg.snapshot()->size(), 2u);
  auto removed = reg.remove((*a)->id());
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_FALSE(removed[0]->active());
  EXPECT_EQ(reg.snapshot()->size(), 1u);
}

TEST(SubscriptionsTest, RemovedSubscriptionIsNotCalledFromAnOldSnapshot) {
  SubscriptionRegistry reg;
  int calls = 0;
  auto s = reg.add("", {.name = "a"}, [&](const Message&) { ++calls; });
  ASSERT_TRUE(s);
  auto snap = reg.snapshot();
  reg.remove((*s)->id());
  (*snap)[0]->deliver(Message{});
  EXPECT_EQ(calls, 0);
}

TEST(SubscriptionsTest, FilterDecidesAndAThrowingFilterMeansNo) {
  SubscriptionRegistry reg;
  auto s = reg.add("",
                   {.name = "f",
                    .filter =
                        [](const Message& m) {
                          if (m.publisher == "boom") throw std::runtime_error("x");
                          return m.publisher == "yes";
                        }},
                   [](const Message&) {});
  ASSERT_TRUE(s);
  Message m;
  m.publisher = "yes";
  EXPECT_TRUE((*s)->matches(m));
  m.publisher = "no";
  EXPECT_FALSE((*s)->matches(m));
  m.publisher = "boom";
  EXPECT_FALSE((*s)->matches(m));
}

TEST(SubscriptionsTest, RemoveOwnerAndClear) {
  SubscriptionRegistry reg;
  ASSERT_TRUE(reg.add("p1", {.name = "a"}, [](const Message&) {}));
  ASSERT_TRUE(reg.add("p1", {.name = "b"}, [](const Message&) {}));
  ASSERT_TRUE(reg.add("p2", {.name = "c"}, [](const Message&) {}));
  EXPECT_EQ(reg.remove_owner("p1").size(), 2u);
  EXPECT_EQ(reg.snapshot()->size(), 1u);
  EXPECT_EQ(reg.clear().size(), 1u);
  EXPECT_TRUE(reg.snapshot()->empty());
}

TEST(SubscriptionsTest, UnsubscribeWaitsForARunningHandler) {
  SubscriptionRegistry reg;
  std::promise<void> entered, proceed;
  auto proceed_future = proceed.get_future().share();
  std::atomic<bool> handler_done{false};
  auto s = reg.add("", {.name = "slow"}, [&](const Message&) {
    entered.set_value();
    proceed_future.wait();
    handler_done = true;
  });
  ASSERT_TRUE(s);
  auto sub = *s;
  std::thread delivering([sub] { sub->deliver(Message{}); });
  entered.get_future().wait();
  std::atomic<bool> removed{false};
  std::thread remover([&] {
    reg.remove(sub->id());
    removed = true;
    EXPECT_TRUE(handler_done.load()) << "remove returned while the handler ran";
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_FALSE(removed.load());
  proceed.set_value();
  remover.join();
  delivering.join();
  EXPECT_TRUE(removed.load());
}

}  // namespace
}  // namespace conflux::core
