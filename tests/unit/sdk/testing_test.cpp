// The plugin-author fakes: FakeClock timers, FakeRoutes dispatch, backoff.
#include <conflux/backoff.h>
#include <conflux/testing.h>
#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using conflux::HttpMethod;
using conflux::HttpReply;
using conflux::HttpRequest;
using conflux::HttpResponse;

TEST(FakeClock, FiresDueTimersInOrderAndMovesTime) {
  conflux::testing::FakeClock clock;
  auto start = clock.now();
  std::vector<int> fired;
  clock.call_after(2s, [&] { fired.push_back(2); });
  auto cancelled = clock.call_after(1500ms, [&] { fired.push_back(99); });
  clock.call_after(1s, [&] {
    fired.push_back(1);
    clock.call_after(500ms, [&] { fired.push_back(15); });
  });
  EXPECT_TRUE(clock.cancel(cancelled));
  EXPECT_FALSE(clock.cancel(cancelled));
  clock.advance(1600ms);
  EXPECT_EQ(fired, (std::vector<int>{1, 15}));
  clock.advance(1s);
  EXPECT_EQ(fired, (std::vector<int>{1, 15, 2}));
  EXPECT_EQ(clock.now() - start, 2600ms);
  EXPECT_EQ(clock.pending(), 0u);
}

TEST(FakeHost, LiteralRouteBeatsParameterAnd404Vs405) {
  conflux::testing::FakeHost host;
  ASSERT_TRUE(
      host.routes().add(HttpMethod::get, "/things/{id}", [](HttpRequest r, HttpReply reply) {
        reply.send(HttpResponse::json(200, std::string(r.param("id"))));
      }));
  ASSERT_TRUE(host.routes().add(
      HttpMethod::get, "/things/search",
      [](HttpRequest, HttpReply reply) { reply.send(HttpResponse::json(200, "search")); }));
  EXPECT_FALSE(host.routes().add(HttpMethod::get, "/things/search", {}));
  EXPECT_EQ(host.call(HttpMethod::get, "/things/search").body, "search");
  EXPECT_EQ(host.call(HttpMethod::get, "/things/42").body, "42");
  EXPECT_EQ(host.call(HttpMethod::post, "/things/42").status, 405);
  EXPECT_EQ(host.call(HttpMethod::get, "/nothing").status, 404);
}

TEST(Backoff, GrowsWithinBoundsAndResets) {
  conflux::Backoff b(100ms, 1s);
  auto first = b.next();
  EXPECT_GE(first, 50ms);
  EXPECT_LE(first, 100ms);
  for (int i = 0; i < 10; ++i) {
    auto d = b.next();
    EXPECT_LE(d, 1s);
  }
  EXPECT_GE(b.next(), 500ms);
  b.reset();
  EXPECT_LE(b.next(), 100ms);
}

}  // namespace
