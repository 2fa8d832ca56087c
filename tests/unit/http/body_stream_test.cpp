// Unit tests of the SDK's streaming pieces without sockets: HttpBodyStream
// (the bounded pipe), the tail route parameter, and FakeRoutes' spooling.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "conflux/http.h"
#include "conflux/testing.h"
#include "conflux/testing/matchers.h"

namespace conflux {
namespace {

using namespace std::chrono_literals;

TEST(HttpBodyStream, PullTakesWhatWasWrittenThenTheEnd) {
  HttpBodyStream s(16);
  ASSERT_TRUE(s.write("abc"));
  ASSERT_TRUE(s.write("def"));
  std::string out;
  EXPECT_EQ(s.pull(out, [] {}), HttpBodyStream::Pull::data);
  EXPECT_EQ(out, "abcdef");
  bool woken = false;
  EXPECT_EQ(s.pull(out, [&] { woken = true; }), HttpBodyStream::Pull::pending);
  s.finish();
  EXPECT_TRUE(woken);
  EXPECT_EQ(s.pull(out, [] {}), HttpBodyStream::Pull::end);
  EXPECT_FALSE(s.write("late"));
}

TEST(HttpBodyStream, WriterBlocksWhenFullAndIsReleasedByCancel) {
  HttpBodyStream s(4);
  ASSERT_TRUE(s.write("1234"));
  auto blocked = std::async(std::launch::async, [&] { return s.write("5"); });
  EXPECT_EQ(blocked.wait_for(50ms), std::future_status::timeout);  // full: waits
  s.cancel();
  ASSERT_EQ(blocked.wait_for(10s), std::future_status::ready);
  EXPECT_FALSE(blocked.get());
  EXPECT_TRUE(s.cancelled());
}

TEST(HttpBodyStream, ReadAllReportsAFailedProducer) {
  auto s = std::make_shared<HttpBodyStream>(8);
  std::thread producer([s] {
    for (int i = 0; i < 100; ++i) (void)s->write("0123456789");
    s->finish();
  });
  auto all = s->read_all();
  producer.join();
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->size(), 1000u);
  HttpBodyStream failed;
  (void)failed.write("x");
  failed.fail("disk error");
  EXPECT_FALSE(failed.read_all().has_value());
  EXPECT_EQ(failed.failure(), "disk error");
}

TEST(RoutePatternTail, MatchesOneOrMoreSegmentsUndecoded) {
  auto p = RoutePattern::parse("/http/messages/{subtopic...}");
  ASSERT_TRUE(p);
  std::vector<std::pair<std::string, std::string>> params;
  EXPECT_FALSE(p->match(RoutePattern::split("/http/messages"), &params));
  EXPECT_TRUE(p->match(RoutePattern::split("/http/messages/a/b%2Fc"), &params));
  ASSERT_EQ(params.size(), 1u);
  EXPECT_EQ(params[0], (std::pair<std::string, std::string>{"subtopic", "a/b%2Fc"}));
  EXPECT_FALSE(RoutePattern::parse("/a/{rest...}/b"));
}

TEST(FakeRoutesSpooling, HandlerGetsAFileAndLimitsHold) {
  testing::FakeHost host;
  std::string seen;
  ASSERT_TRUE(host.routes().add_with_options(HttpMethod::post, "/upload",
                                             {.body_limit = 8, .spool_to_file = true},
                                             [&](HttpRequest req, HttpReply reply) {
                                               std::ifstream in(req.body_file->path());
                                               std::stringstream ss;
                                               ss << in.rdbuf();
                                               seen = ss.str();
                                               reply.send(HttpResponse::empty(204));
                                             }));
  EXPECT_EQ(host.call(HttpMethod::post, "/upload", "12345").status, 204);
  EXPECT_EQ(seen, "12345");
  EXPECT_EQ(host.call(HttpMethod::post, "/upload", "123456789").status, 413);
}

}  // namespace
}  // namespace conflux
