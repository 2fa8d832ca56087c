// tests/unit/http_client/idle_pool_test.cpp — IdlePool: LIFO reuse per key,
// the per-key limit, expiry and draining.
#include "core/http_client/idle_pool.h"

#include <gtest/gtest.h>

namespace conflux::core {
namespace {

using namespace std::chrono_literals;
using Pool = IdlePool<int>;
const auto t0 = std::chrono::steady_clock::time_point(std::chrono::seconds(1000));

std::shared_ptr<int> conn(int id) { return std::make_shared<int>(id); }

TEST(IdlePool, TakesTheMostRecentConnectionOfTheKey) {
  Pool pool(4, 30s);
  std::vector<Pool::Ptr> evicted;
  pool.put("http://a:80", conn(1), t0, evicted);
  pool.put("http://a:80", conn(2), t0 + 1s, evicted);
  pool.put("http://b:80", conn(3), t0, evicted);

  auto got = pool.take("http://a:80", t0 + 2s, evicted);
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, 2);
  EXPECT_EQ(pool.size("http://a:80"), 1u);
  EXPECT_EQ(pool.size(), 2u);
  EXPECT_FALSE(pool.take("http://c:80", t0, evicted));
  EXPECT_TRUE(evicted.empty());
}

TEST(IdlePool, EvictsTheOldestBeyondTheLimit) {
  Pool pool(2, 30s);
  std::vector<Pool::Ptr> evicted;
  for (int i = 1; i <= 3; ++i) pool.put("k", conn(i), t0, evicted);

  ASSERT_EQ(evicted.size(), 1u);
  EXPECT_EQ(*evicted[0], 1);
  EXPECT_EQ(pool.size("k"), 2u);
}

TEST(IdlePool, ZeroLimitParksNothing) {
  Pool pool(0, 30s);
  std::vector<Pool::Ptr> evicted;
  pool.put("k", conn(1), t0, evicted);
  EXPECT_EQ(evicted.size(), 1u);
  EXPECT_EQ(pool.size(), 0u);
}

TEST(IdlePool, ExpiredConnectionsAreNotHandedOut) {
  Pool pool(4, 10s);
  std::vector<Pool::Ptr> evicted;
  pool.put("k", conn(1), t0, evicted);
  pool.put("k", conn(2), t0 + 5s, evicted);

  auto got = pool.take("k", t0 + 12s, evicted);
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, 2);

  pool.put("k", conn(3), t0 + 12s, evicted);
  EXPECT_FALSE(pool.take("k", t0 + 30s, evicted));
  EXPECT_EQ(pool.size(), 0u);
}

TEST(IdlePool, ExpireRemovesDueConnectionsAndReportsTheNext) {
  Pool pool(4, 10s);
  std::vector<Pool::Ptr> evicted;
  EXPECT_FALSE(pool.next_expiry());
  pool.put("a", conn(1), t0, evicted);
  pool.put("b", conn(2), t0 + 3s, evicted);
  EXPECT_EQ(pool.next_expiry(), t0 + 10s);

  pool.expire(t0 + 10s, evicted);
  ASSERT_EQ(evicted.size(), 1u);
  EXPECT_EQ(*evicted[0], 1);
  EXPECT_EQ(pool.next_expiry(), t0 + 13s);
  EXPECT_EQ(pool.size("a"), 0u);
}

TEST(IdlePool, DrainEmptiesThePool) {
  Pool pool(4, 10s);
  std::vector<Pool::Ptr> evicted;
  pool.put("a", conn(1), t0, evicted);
  pool.put("b", conn(2), t0, evicted);

  auto all = pool.drain();
  EXPECT_EQ(all.size(), 2u);
  EXPECT_EQ(pool.size(), 0u);
  EXPECT_FALSE(pool.next_expiry());
}

}  // namespace
}  // namespace conflux::core
