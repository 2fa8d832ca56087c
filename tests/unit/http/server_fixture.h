// tests/unit/http — ServerTest: a fixture running a real HttpServer on
// 127.0.0.1 (port 0) with an io_context run by two threads, a FakeMetrics
// registry and a CaptureLogger; plus small handler helpers.
//
// Thread-safety: the fixture is driven from the test thread; handlers run on
// the io threads.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "conflux/testing.h"
#include "conflux/testing/matchers.h"
#include "core/http/router.h"
#include "core/http/server.h"
#include "tests/support/http_test_client.h"

namespace conflux::core {

using namespace std::chrono_literals;

class ServerTest : public ::testing::Test {
 protected:
  // Options the tests start from: generous timeouts, loopback, port 0.
  static HttpServerOptions test_options() {
    HttpServerOptions o;
    o.listen = "127.0.0.1:0";
    return o;
  }

  void route(HttpMethod method, std::string_view pattern, HttpHandler handler) {
    ASSERT_THAT(router.add(method, pattern, std::move(handler)), ::conflux::testing::IsOk());
  }

  // Freezes the router, starts the server and two io threads.
  void start(HttpServerOptions options = test_options()) {
    router.freeze();
    server = std::make_unique<HttpServer>(io, router, metrics, logger, std::move(options));
    ASSERT_THAT(server->start(), ::conflux::testing::IsOk());
    for (int i = 0; i < 2; ++i) threads.emplace_back([this] { io.run(); });
  }

  // Shuts the server down (waiting for `done`) and joins the io threads.
  void stop() {
    if (server && !stopped) {
      stopped = true;
      std::promise<void> done;
      server->shutdown(2s, [&done] { done.set_value(); });
      EXPECT_EQ(done.get_future().wait_for(30s), std::future_status::ready);
    }
    work.reset();
    for (auto& t : threads) t.join();
    threads.clear();
  }

  void TearDown() override { stop(); }

  std::uint16_t port() const { return server->port(); }
  test::TestHttpConnection connect(test::TestConnectionOptions options = {}) {
    return test::TestHttpConnection("127.0.0.1", port(), options);
  }

  // Runs `f` on an io thread after `delay` (a handler replying later).
  void after(std::chrono::milliseconds delay, std::function<void()> f) {
    auto timer = std::make_shared<boost::asio::steady_timer>(io, delay);
    timer->async_wait([timer, f = std::move(f)](const boost::system::error_code&) { f(); });
  }

  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work =
      boost::asio::make_work_guard(io);
  Router router;
  ::conflux::testing::FakeMetrics metrics;
  ::conflux::testing::CaptureLogger logger;
  std::unique_ptr<HttpServer> server;
  std::vector<std::thread> threads;
  bool stopped = false;
};

// A handler answering 200 with a fixed text body.
inline HttpHandler text(std::string body) {
  return [body](HttpRequest, HttpReply reply) {
    reply.send(HttpResponse::with_body(200, body, "text/plain"));
  };
}

}  // namespace conflux::core
