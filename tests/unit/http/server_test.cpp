// HttpServer over real sockets: requests and responses, keep-alive,
// pipelining, routing errors, handler failures and metrics.
#include <atomic>
#include <mutex>
#include <string>

#include "tests/unit/http/server_fixture.h"

namespace conflux::core {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;
using ::testing::StartsWith;

TEST_F(ServerTest, AnswersGetWithBodyAndContentLength) {
  route(HttpMethod::get, "/hello", text("hello world"));
  start();
  auto r = test::http_request("127.0.0.1", port(), "GET", "/hello");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello world");
  EXPECT_THAT(r.header("Content-Type"), Optional(std::string_view("text/plain")));
  EXPECT_THAT(r.header("Content-Length"), Optional(std::string_view("11")));
  EXPECT_TRUE(r.keep_alive);
}

TEST_F(ServerTest, PassesTheRequestToTheHandler) {
  std::promise<HttpRequest> seen;
  route(HttpMethod::post, "/things/{id}/messages", [&](HttpRequest req, HttpReply reply) {
    HttpResponse res = HttpResponse::json(201, req.body);
    res.headers.set("X-Id", std::string(req.param("id")));
    res.headers.add("X-Multi", "1");
    res.headers.add("X-Multi", "2");
    seen.set_value(std::move(req));
    reply.send(std::move(res));
  });
  start();
  auto r =
      test::http_request("127.0.0.1", port(), "POST", "/svcthings/things/t%201/messages?a=1&b=x+y",
                         R"({"v":1})", {{"Content-Type", "application/json"}, {"X-Trace", "abc"}});
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, R"({"v":1})");
  EXPECT_THAT(r.header("X-Id"), Optional(std::string_view("t 1")));
  int multi = 0;
  for (const auto& f : r.headers.fields()) multi += f.name == "X-Multi";
  EXPECT_EQ(multi, 2);

  auto req = seen.get_future().get();
  EXPECT_EQ(req.method, HttpMethod::post);
  EXPECT_EQ(req.path, "/svcthings/things/t%201/messages");
  EXPECT_EQ(req.query, "a=1&b=x+y");
  EXPECT_THAT(req.query_param("b"), Optional(std::string("x y")));
  EXPECT_EQ(req.route, "/things/{id}/messages");
  EXPECT_EQ(req.param("id"), "t 1");
  EXPECT_THAT(req.header("x-trace"), Optional(std::string_view("abc")));
  EXPECT_THAT(req.header("Content-Type"), Optional(std::string_view("application/json")));
  EXPECT_THAT(req.remote, StartsWith("127.0.0.1:"));
  EXPECT_NE(req.remote, "127.0.0.1:" + std::to_string(port()));
}

TEST_F(ServerTest, KeepsTheConnectionAliveBetweenRequests) {
  route(HttpMethod::get, "/a", text("A"));
  route(HttpMethod::post, "/b", [](HttpRequest req, HttpReply reply) {
    reply.send(HttpResponse::with_body(200, "B:" + req.body, "text/plain"));
  });
  start();
  auto conn = connect();
  auto first = conn.request("GET", "/a");
  auto second = conn.request("POST", "/b", "payload");
  auto third = conn.request("GET", "/a");
  EXPECT_EQ(first.body, "A");
  EXPECT_EQ(second.body, "B:payload");
  EXPECT_EQ(third.body, "A");
  EXPECT_TRUE(third.keep_alive);
  EXPECT_EQ(server->connections(), 1u);
}

TEST_F(ServerTest, ClientConnectionCloseIsHonoured) {
  route(HttpMethod::get, "/a", text("A"));
  start();
  auto conn = connect();
  auto r = conn.request("GET", "/a", {}, {{"Connection", "close"}});
  EXPECT_EQ(r.body, "A");
  EXPECT_FALSE(r.keep_alive);
  EXPECT_TRUE(conn.closed());
}

TEST_F(ServerTest, Http10WithoutKeepAliveGetsOneResponseThenClose) {
  route(HttpMethod::get, "/a", text("A"));
  start();
  auto conn = connect();
  conn.send_raw("GET /a HTTP/1.0\r\n\r\n");
  auto r = conn.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.version, 10u);
  EXPECT_EQ(r.body, "A");
  EXPECT_TRUE(conn.closed());
}

TEST_F(ServerTest, PipelinedResponsesComeBackInRequestOrder) {
  route(HttpMethod::get, "/slow", [this](HttpRequest, HttpReply reply) {
    after(300ms, [reply] { reply.send(HttpResponse::with_body(200, "slow", "text/plain")); });
  });
  route(HttpMethod::get, "/fast/{n}", [](HttpRequest req, HttpReply reply) {
    reply.send(HttpResponse::with_body(200, "fast" + std::string(req.param("n")), "text/plain"));
  });
  start();
  auto conn = connect();
  conn.send_raw(
      "GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"
      "GET /fast/1 HTTP/1.1\r\nHost: t\r\n\r\n"
      "GET /fast/2 HTTP/1.1\r\nHost: t\r\n\r\n");
  auto rs = conn.read_responses(3);
  EXPECT_EQ(rs[0].body, "slow");
  EXPECT_EQ(rs[1].body, "fast1");
  EXPECT_EQ(rs[2].body, "fast2");
  for (const auto& r : rs) EXPECT_TRUE(r.keep_alive);
  // The connection is still usable afterwards.
  EXPECT_EQ(conn.request("GET", "/fast/3").body, "fast3");
}

TEST_F(ServerTest, ReplyCanBeSentFromAThreadOutsideTheIoContext) {
  std::mutex mu;
  std::vector<std::thread> workers;
  route(HttpMethod::get, "/worker/{n}", [&](HttpRequest req, HttpReply reply) {
    std::string n(req.param("n"));
    std::lock_guard lock(mu);
    workers.emplace_back([reply, n] {
      std::this_thread::sleep_for(std::chrono::milliseconds(n == "1" ? 100 : 1));
      reply.send(HttpResponse::with_body(200, "worker" + n, "text/plain"));
    });
  });
  start();
  auto conn = connect();
  conn.send_request("GET", "/worker/1");
  conn.send_request("GET", "/worker/2");
  auto rs = conn.read_responses(2);
  EXPECT_EQ(rs[0].body, "worker1");
  EXPECT_EQ(rs[1].body, "worker2");
  std::lock_guard lock(mu);
  for (auto& w : workers) w.join();
}

TEST_F(ServerTest, PipelineLimitPausesReadingWithoutDeadlock) {
  std::atomic<int> in_flight{0}, max_in_flight{0};
  route(HttpMethod::get, "/n/{n}", [&, this](HttpRequest req, HttpReply reply) {
    int now = ++in_flight;
    int seen = max_in_flight.load();
    while (now > seen && !max_in_flight.compare_exchange_weak(seen, now)) {
    }
    std::string n(req.param("n"));
    // Odd requests answer later, from another io thread.
    auto answer = [&in_flight, reply, n] {
      --in_flight;
      reply.send(HttpResponse::with_body(200, n, "text/plain"));
    };
    if (std::stoi(n) % 2)
      after(50ms, answer);
    else
      answer();
  });
  auto options = test_options();
  options.pipeline_limit = 2;
  start(options);
  auto conn = connect();
  std::string batch;
  for (int i = 0; i < 9; ++i)
    batch += "GET /n/" + std::to_string(i) + " HTTP/1.1\r\nHost: t\r\n\r\n";
  conn.send_raw(batch);
  auto rs = conn.read_responses(9);
  for (int i = 0; i < 9; ++i) EXPECT_EQ(rs[i].body, std::to_string(i));
  EXPECT_LE(max_in_flight.load(), 2);
}

TEST_F(ServerTest, HeadUsesTheGetRouteWithoutBody) {
  route(HttpMethod::get, "/doc", text("0123456789"));
  start();
  auto conn = connect();
  auto r = conn.request("HEAD", "/doc");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
  EXPECT_THAT(r.header("Content-Length"), Optional(std::string_view("10")));
  // The connection stays in sync: the next response is read correctly.
  EXPECT_EQ(conn.request("GET", "/doc").body, "0123456789");
}

TEST_F(ServerTest, UnknownPathIs404WithJsonError) {
  route(HttpMethod::get, "/a", text("A"));
  start();
  auto conn = connect();
  auto r = conn.request("GET", "/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"error":"not found"})");
  EXPECT_THAT(r.header("Content-Type"), Optional(std::string_view("application/json")));
  EXPECT_TRUE(r.keep_alive);
  EXPECT_EQ(conn.request("GET", "/a").body, "A");
}

TEST_F(ServerTest, WrongMethodIs405WithAllowHeader) {
  route(HttpMethod::get, "/things/{id}", text("thing"));
  route(HttpMethod::del, "/things/{id}", text("deleted"));
  start();
  auto r = test::http_request("127.0.0.1", port(), "POST", "/things/1", "{}");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.body, R"({"error":"method not allowed"})");
  EXPECT_THAT(r.header("Allow"), Optional(std::string_view("GET, HEAD, DELETE")));
}

TEST_F(ServerTest, MethodUnknownToTheSdkIs405OrNotFound) {
  route(HttpMethod::get, "/a", text("A"));
  start();
  auto conn = connect();
  auto r = conn.request("BREW", "/a");
  EXPECT_EQ(r.status, 405);
  EXPECT_THAT(r.header("Allow"), Optional(std::string_view("GET, HEAD")));
  EXPECT_EQ(conn.request("TRACE", "/b").status, 404);
}

TEST_F(ServerTest, HandlerThatThrowsGets500AndServerKeepsServing) {
  route(HttpMethod::get, "/boom",
        [](HttpRequest, HttpReply) -> void { throw std::runtime_error("kaput"); });
  route(HttpMethod::get, "/a", text("A"));
  start();
  auto conn = connect();
  auto r = conn.request("GET", "/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, R"({"error":"internal error"})");
  EXPECT_EQ(conn.request("GET", "/a").body, "A");
  EXPECT_EQ(test::http_request("127.0.0.1", port(), "GET", "/a").status, 200);
  EXPECT_TRUE(logger.contains("kaput"));
}

TEST_F(ServerTest, HandlerThatNeverRepliesGets500) {
  route(HttpMethod::get, "/silent", [](HttpRequest, HttpReply) {});
  start();
  auto r = test::http_request("127.0.0.1", port(), "GET", "/silent");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, R"({"error":"handler did not reply"})");
}

TEST_F(ServerTest, OnlyTheFirstReplyCounts) {
  route(HttpMethod::get, "/twice", [](HttpRequest, HttpReply reply) {
    reply.send(HttpResponse::with_body(200, "first", "text/plain"));
    reply.send(HttpResponse::with_body(200, "second", "text/plain"));
  });
  start();
  auto conn = connect();
  EXPECT_EQ(conn.request("GET", "/twice").body, "first");
  EXPECT_EQ(conn.request("GET", "/twice").body, "first");
}

TEST_F(ServerTest, ChunkedRequestBodyIsAssembled) {
  route(HttpMethod::post, "/echo", [](HttpRequest req, HttpReply reply) {
    reply.send(HttpResponse::with_body(200, req.body, "text/plain"));
  });
  start();
  auto conn = connect();
  conn.send_raw(
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  EXPECT_EQ(conn.read_response().body, "hello world");
}

TEST_F(ServerTest, NoContentResponseHasNoBody) {
  route(HttpMethod::del, "/x",
        [](HttpRequest, HttpReply reply) { reply.send(HttpResponse::empty(204)); });
  route(HttpMethod::get, "/a", text("A"));
  start();
  auto conn = connect();
  auto r = conn.request("DELETE", "/x");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(conn.request("GET", "/a").body, "A");
}

TEST_F(ServerTest, CountsRequestsAndTimesThemByRoute) {
  route(HttpMethod::get, "/things/{id}", text("thing"));
  start();
  auto conn = connect();
  EXPECT_EQ(conn.request("GET", "/things/1").status, 200);
  EXPECT_EQ(conn.request("GET", "/things/2").status, 200);
  EXPECT_EQ(conn.request("GET", "/missing").status, 404);
  EXPECT_EQ(conn.request("PUT", "/things/3", "x").status, 405);
  conn.close();
  stop();  // no request in flight while the registry is read

  auto counter = [&](std::string method, std::string route, std::string status) {
    return metrics.counter_value("conflux_http_requests_total",
                                 {{"method", method}, {"route", route}, {"status", status}});
  };
  EXPECT_EQ(counter("GET", "/things/{id}", "200"), 2u);
  EXPECT_EQ(counter("GET", "unmatched", "404"), 1u);
  EXPECT_EQ(counter("PUT", "unmatched", "405"), 1u);
  auto& duration = metrics.histogram("conflux_http_request_duration_seconds", "",
                                     default_latency_buckets(), {{"route", "/things/{id}"}});
  EXPECT_EQ(duration.count(), 2u);
  EXPECT_EQ(duration.bounds(), default_latency_buckets());
}

TEST_F(ServerTest, ServesManyConnectionsConcurrently) {
  route(HttpMethod::post, "/echo/{n}", [this](HttpRequest req, HttpReply reply) {
    auto body = std::string(req.param("n")) + ":" + req.body;
    after(5ms, [reply, body] { reply.send(HttpResponse::with_body(200, body, "text/plain")); });
  });
  start();
  std::vector<std::thread> clients;
  std::atomic<int> good{0};
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      auto conn = connect();
      for (int i = 0; i < 20; ++i) {
        auto n = std::to_string(c * 100 + i);
        if (conn.request("POST", "/echo/" + n, "b" + n).body == n + ":b" + n) ++good;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(good.load(), 160);
}

}  // namespace
}  // namespace conflux::core
