// HttpServer lifecycle: binding errors and graceful shutdown.
#include <string>

#include "tests/unit/http/server_fixture.h"

namespace conflux::core {
namespace {

using ::conflux::testing::IsError;
using ::conflux::testing::IsErrorWith;
using ::testing::HasSubstr;

TEST_F(ServerTest, ReportsTheBoundAddress) {
  start();
  EXPECT_NE(port(), 0);
  EXPECT_EQ(server->local_endpoint(), "127.0.0.1:" + std::to_string(port()));
}

TEST_F(ServerTest, StartOnABusyPortFailsNamingTheAddress) {
  start();
  auto options = test_options();
  options.listen = "127.0.0.1:" + std::to_string(port());
  HttpServer second(io, router, metrics, logger, options);
  EXPECT_THAT(second.start(),
              IsErrorWith(ErrorCode::unavailable, "127.0.0.1:" + std::to_string(port())));
}

TEST_F(ServerTest, StartWithABadListenAddressFails) {
  auto options = test_options();
  options.listen = "127.0.0.1";
  HttpServer no_port(io, router, metrics, logger, options);
  EXPECT_THAT(no_port.start(), IsError(ErrorCode::invalid_argument));
  options.listen = "127.0.0.1:http";
  HttpServer bad_port(io, router, metrics, logger, options);
  EXPECT_THAT(bad_port.start(), IsError(ErrorCode::invalid_argument));
}

TEST_F(ServerTest, ShutdownLetsAnInFlightRequestFinishThenRefusesConnections) {
  std::promise<void> handler_started;
  route(HttpMethod::get, "/slow", [&, this](HttpRequest, HttpReply reply) {
    handler_started.set_value();
    after(300ms, [reply] { reply.send(HttpResponse::with_body(200, "finished", "text/plain")); });
  });
  start();
  auto conn = connect();
  conn.send_request("GET", "/slow");
  ASSERT_EQ(handler_started.get_future().wait_for(10s), std::future_status::ready);

  std::promise<void> done;
  server->shutdown(10s, [&done] { done.set_value(); });
  auto r = conn.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "finished");
  EXPECT_FALSE(r.keep_alive);  // Connection: close
  EXPECT_TRUE(conn.closed());
  conn.close();
  ASSERT_EQ(done.get_future().wait_for(10s), std::future_status::ready);
  stopped = true;
  EXPECT_EQ(server->connections(), 0u);
  EXPECT_THROW(connect(), std::runtime_error);
}

TEST_F(ServerTest, ShutdownAnswersPipelinedRequestsAlreadyTaken) {
  std::atomic<int> started{0};
  std::promise<void> both_started;
  route(HttpMethod::get, "/slow/{n}", [&, this](HttpRequest req, HttpReply reply) {
    std::string n(req.param("n"));
    if (++started == 2) both_started.set_value();
    after(200ms, [reply, n] { reply.send(HttpResponse::with_body(200, n, "text/plain")); });
  });
  start();
  auto conn = connect();
  conn.send_raw("GET /slow/1 HTTP/1.1\r\nHost: t\r\n\r\nGET /slow/2 HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_EQ(both_started.get_future().wait_for(10s), std::future_status::ready);
  std::promise<void> done;
  server->shutdown(10s, [&done] { done.set_value(); });
  auto first = conn.read_response();
  auto second = conn.read_response();
  EXPECT_EQ(first.body, "1");
  EXPECT_TRUE(first.keep_alive);
  EXPECT_EQ(second.body, "2");
  EXPECT_FALSE(second.keep_alive);
  EXPECT_TRUE(conn.closed());
  conn.close();
  EXPECT_EQ(done.get_future().wait_for(10s), std::future_status::ready);
  stopped = true;
}

TEST_F(ServerTest, ShutdownClosesIdleConnectionsWithoutWaitingForGrace) {
  route(HttpMethod::get, "/a", [](HttpRequest, HttpReply reply) {
    reply.send(HttpResponse::with_body(200, "A", "text/plain"));
  });
  start();
  auto idle = connect();
  EXPECT_EQ(idle.request("GET", "/a").status, 200);
  auto never_used = connect();

  std::promise<void> done;
  // A grace far longer than the wait below: done must not depend on it.
  server->shutdown(std::chrono::minutes(10), [&done] { done.set_value(); });
  EXPECT_TRUE(idle.closed(10s));
  EXPECT_TRUE(never_used.closed(10s));
  EXPECT_EQ(done.get_future().wait_for(20s), std::future_status::ready);
  stopped = true;
}

TEST_F(ServerTest, ShutdownForceClosesRequestsThatOutliveTheGrace) {
  std::mutex mu;
  std::vector<HttpReply> held;
  std::promise<void> handler_started;
  route(HttpMethod::get, "/forever", [&](HttpRequest, HttpReply reply) {
    std::lock_guard lock(mu);
    held.push_back(reply);
    handler_started.set_value();
  });
  start();
  auto conn = connect();
  conn.send_request("GET", "/forever");
  ASSERT_EQ(handler_started.get_future().wait_for(10s), std::future_status::ready);

  std::promise<void> done;
  server->shutdown(200ms, [&done] { done.set_value(); });
  EXPECT_EQ(done.get_future().wait_for(20s), std::future_status::ready);
  stopped = true;
  EXPECT_EQ(server->connections(), 0u);
  EXPECT_FALSE(conn.try_read_response().has_value());
  std::lock_guard lock(mu);
  held.clear();  // the late 500 goes nowhere
}

TEST_F(ServerTest, ShutdownOfAServerThatNeverStartedStillCallsDone) {
  for (int i = 0; i < 2; ++i) threads.emplace_back([this] { io.run(); });
  HttpServer idle(io, router, metrics, logger, test_options());
  std::promise<void> done;
  idle.shutdown(1s, [&done] { done.set_value(); });
  EXPECT_EQ(done.get_future().wait_for(10s), std::future_status::ready);
}

TEST_F(ServerTest, DestroyingARunningServerClosesItsConnections) {
  route(HttpMethod::get, "/a", [](HttpRequest, HttpReply reply) {
    reply.send(HttpResponse::with_body(200, "A", "text/plain"));
  });
  start();
  auto conn = connect();
  EXPECT_EQ(conn.request("GET", "/a").status, 200);
  server.reset();
  EXPECT_TRUE(conn.closed(10s));
}

}  // namespace
}  // namespace conflux::core
