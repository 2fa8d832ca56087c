// tests/unit/pipeline — BoundedQueue: capacity, FIFO order, batches, close
// and drain, many producers and consumers.
#include "core/pipeline/bounded_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

namespace conflux::core {
namespace {

TEST(BoundedQueueTest, RefusesBeyondCapacityAndKeepsTheItem) {
  BoundedQueue<std::string> q(2);
  std::string a = "a", b = "b", c = "c";
  EXPECT_TRUE(q.try_push(a));
  EXPECT_TRUE(q.try_push(b));
  EXPECT_FALSE(q.try_push(c));
  EXPECT_EQ(c, "c");
  EXPECT_EQ(q.size(), 2u);
  std::vector<std::string> out;
  ASSERT_TRUE(q.pop_batch(out, 10));
  EXPECT_EQ(out, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(q.try_push(c));
}

TEST(BoundedQueueTest, PopBatchTakesAtMostMaxInOrderAcrossTheWrap) {
  BoundedQueue<int> q(3);
  std::vector<int> out;
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 3; ++i) {
      int v = round * 3 + i;
      ASSERT_TRUE(q.try_push(v));
    }
    out.clear();
    ASSERT_TRUE(q.pop_batch(out, 2));
    ASSERT_TRUE(q.pop_batch(out, 2));
    EXPECT_EQ(out, (std::vector<int>{round * 3, round * 3 + 1, round * 3 + 2}));
  }
}

TEST(BoundedQueueTest, CloseDrainsThenStopsConsumers) {
  BoundedQueue<int> q(4);
  int v = 7;
  ASSERT_TRUE(q.try_push(v));
  q.close();
  int w = 8;
  EXPECT_FALSE(q.try_push(w));
  std::vector<int> out;
  EXPECT_TRUE(q.pop_batch(out, 4));
  EXPECT_EQ(out, std::vector<int>{7});
  EXPECT_FALSE(q.pop_batch(out, 4));
}

TEST(BoundedQueueTest, CloseWakesABlockedConsumer) {
  BoundedQueue<int> q(4);
  std::atomic<bool> returned{false};
  std::thread consumer([&] {
    std::vector<int> out;
    EXPECT_FALSE(q.pop_batch(out, 1));
    returned = true;
  });
  q.close();
  consumer.join();
  EXPECT_TRUE(returned.load());
}

// A push while another consumer is busy may not wake a waiting consumer; the
// waiting one must still take the item while the busy one stays busy.
TEST(BoundedQueueTest, AnItemIsTakenWhileTheOtherConsumerStaysBusy) {
  BoundedQueue<int> q(8);
  std::promise<void> release;
  std::promise<int> first, second;
  std::thread busy([&] {
    std::vector<int> out;
    ASSERT_TRUE(q.pop_batch(out, 1));
    first.set_value(out[0]);
    release.get_future().wait();  // busy until the test ends
    out.clear();
    q.pop_batch(out, 8);  // returns at close
  });
  int v = 1;
  ASSERT_TRUE(q.try_push(v));
  EXPECT_EQ(first.get_future().get(), 1);
  std::thread waiting([&] {
    std::vector<int> out;
    ASSERT_TRUE(q.pop_batch(out, 8));
    second.set_value(out[0]);
  });
  v = 2;
  ASSERT_TRUE(q.try_push(v));
  auto taken = second.get_future();
  EXPECT_EQ(taken.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  EXPECT_EQ(taken.get(), 2);
  release.set_value();
  q.close();
  busy.join();
  waiting.join();
}

TEST(BoundedQueueTest, ManyProducersAndConsumersLoseNothing) {
  BoundedQueue<int> q(64);
  constexpr int kPerProducer = 20000;
  std::atomic<long long> sum{0};
  std::atomic<int> count{0};
  std::vector<std::thread> consumers;
  for (int c = 0; c < 3; ++c)
    consumers.emplace_back([&] {
      std::vector<int> out;
      while (q.pop_batch(out, 16)) {
        for (int v : out) sum += v;
        count += static_cast<int>(out.size());
        out.clear();
      }
    });
  std::vector<std::thread> producers;
  for (int p = 0; p < 3; ++p)
    producers.emplace_back([&] {
      for (int i = 1; i <= kPerProducer; ++i) {
        int v = i;
        while (!q.try_push(v)) std::this_thread::yield();
      }
    });
  for (auto& t : producers) t.join();
  q.close();
  for (auto& t : consumers) t.join();
  EXPECT_EQ(count.load(), 3 * kPerProducer);
  EXPECT_EQ(sum.load(), 3LL * kPerProducer * (kPerProducer + 1) / 2);
}

}  // namespace
}  // namespace conflux::core
