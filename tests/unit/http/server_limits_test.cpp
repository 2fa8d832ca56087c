// HttpServer protection: size limits (413, 431), malformed requests (400),
// read and idle timeouts. Timeouts are short here and used only as triggers.
#include <string>
#include <thread>

#include "tests/unit/http/server_fixture.h"

namespace conflux::core {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;

HttpHandler echo() {
  return [](HttpRequest req, HttpReply reply) {
    reply.send(HttpResponse::with_body(200, req.body, "text/plain"));
  };
}

TEST_F(ServerTest, BodyOverTheLimitIs413AndCloses) {
  route(HttpMethod::post, "/echo", echo());
  auto options = test_options();
  options.body_limit = 1024;
  start(options);

  auto conn = connect();
  EXPECT_EQ(conn.request("POST", "/echo", std::string(1024, 'a')).status, 200);
  auto r = conn.request("POST", "/echo", std::string(64 * 1024, 'b'));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.body, R"({"error":"request body too large"})");
  EXPECT_FALSE(r.keep_alive);
  EXPECT_TRUE(conn.closed());
}

TEST_F(ServerTest, DeclaredContentLengthOverTheLimitIsRejectedBeforeTheBody) {
  route(HttpMethod::post, "/echo", echo());
  auto options = test_options();
  options.body_limit = 1024;
  start(options);

  auto conn = connect();
  conn.send_raw("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100000000\r\n\r\n");
  auto r = conn.read_response();
  EXPECT_EQ(r.status, 413);
  EXPECT_TRUE(conn.closed());
}

TEST_F(ServerTest, ExpectContinueGetsTheInterimResponseBeforeTheBody) {
  route(HttpMethod::post, "/echo", echo());
  start();

  auto conn = connect();
  conn.send_raw(
      "POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
  EXPECT_EQ(conn.read_response().status, 100);  // before any body byte was sent
  conn.send_raw("hello");
  auto r = conn.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello");
  EXPECT_TRUE(r.keep_alive);
  EXPECT_EQ(conn.request("POST", "/echo", "again").body, "again");  // the connection goes on
}

TEST_F(ServerTest, ExpectContinueBehindAnOwedResponseIsSentAfterIt) {
  route(HttpMethod::get, "/slow", [](HttpRequest, HttpReply reply) {
    std::thread([reply] {
      std::this_thread::sleep_for(200ms);
      reply.send(HttpResponse::with_body(200, "slow", "text/plain"));
    }).detach();
  });
  route(HttpMethod::post, "/echo", echo());
  start();

  auto conn = connect();
  conn.send_raw(
      "GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"
      "POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
  auto slow = conn.read_response();
  EXPECT_EQ(slow.status, 200);
  EXPECT_EQ(slow.body, "slow");
  EXPECT_EQ(conn.read_response().status, 100);  // only after the owed response
  conn.send_raw("hello");
  auto r = conn.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello");
}

TEST_F(ServerTest, ExpectContinueOverTheLimitGets413InsteadOfContinue) {
  route(HttpMethod::post, "/echo", echo());
  auto options = test_options();
  options.body_limit = 1024;
  start(options);

  auto conn = connect();
  conn.send_raw(
      "POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
      "Content-Length: 100000000\r\n\r\n");
  EXPECT_EQ(conn.read_response().status, 413);
  EXPECT_TRUE(conn.closed());
}

TEST_F(ServerTest, ExpectContinueForNoRouteIsAnsweredWithoutContinue) {
  route(HttpMethod::post, "/echo", echo());
  start();

  auto unknown = connect();
  unknown.send_raw(
      "POST /nowhere HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
  auto r = unknown.read_response();
  EXPECT_EQ(r.status, 404);  // at once, not 100
  EXPECT_FALSE(r.keep_alive);
  EXPECT_TRUE(unknown.closed());

  auto wrong_method = connect();
  wrong_method.send_raw(
      "PUT /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
  EXPECT_EQ(wrong_method.read_response().status, 405);
  EXPECT_TRUE(wrong_method.closed());
}

TEST_F(ServerTest, ChunkedBodyOverTheLimitIs413) {
  route(HttpMethod::post, "/echo", echo());
  auto options = test_options();
  options.body_limit = 16;
  start(options);

  auto conn = connect();
  conn.send_raw(
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "10\r\n0123456789abcdef\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n");
  EXPECT_EQ(conn.read_response().status, 413);
  EXPECT_TRUE(conn.closed());
}

TEST_F(ServerTest, HeadersOverTheLimitAre431AndClose) {
  route(HttpMethod::get, "/a", echo());
  auto options = test_options();
  options.header_limit = 1024;
  start(options);

  auto conn = connect();
  auto r = conn.request("GET", "/a", {}, {{"X-Big", std::string(4096, 'x')}});
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(r.body, R"({"error":"request headers too large"})");
  EXPECT_THAT(r.header("Content-Type"), Optional(std::string_view("application/json")));
  EXPECT_TRUE(conn.closed());
  // Other connections are unaffected.
  EXPECT_EQ(test::http_request("127.0.0.1", port(), "GET", "/a").status, 200);
}

TEST_F(ServerTest, MalformedRequestIs400AndCloses) {
  route(HttpMethod::get, "/a", echo());
  start();
  for (std::string_view bad :
       {"GARBAGE\r\n\r\n", "GET /a HTTP/9\r\n\r\n", "GET /a HTTP/1.1\r\nBad Header\r\n\r\n",
        "POST /a HTTP/1.1\r\nContent-Length: x\r\n\r\n"}) {
    auto conn = connect();
    conn.send_raw(bad);
    auto r = conn.read_response();
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_THAT(r.body, HasSubstr(R"({"error":"malformed request)")) << bad;
    EXPECT_FALSE(r.keep_alive);
    EXPECT_TRUE(conn.closed()) << bad;
  }
}

TEST_F(ServerTest, TargetThatIsNotAPathIs400) {
  route(HttpMethod::get, "/a", echo());
  start();
  auto conn = connect();
  auto r = conn.request("OPTIONS", "*");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(conn.closed());
}

TEST_F(ServerTest, ErrorAfterPipelinedRequestsKeepsTheirOrder) {
  route(HttpMethod::get, "/slow", [this](HttpRequest, HttpReply reply) {
    after(100ms, [reply] { reply.send(HttpResponse::with_body(200, "slow", "text/plain")); });
  });
  start();
  auto conn = connect();
  conn.send_raw("GET /slow HTTP/1.1\r\nHost: t\r\n\r\nNOT HTTP AT ALL\r\n\r\n");
  auto first = conn.read_response();
  auto second = conn.read_response();
  EXPECT_EQ(first.body, "slow");
  EXPECT_TRUE(first.keep_alive);
  EXPECT_EQ(second.status, 400);
  EXPECT_TRUE(conn.closed());
}

TEST_F(ServerTest, StalledRequestIsClosedAfterReadTimeout) {
  route(HttpMethod::get, "/a", echo());
  auto options = test_options();
  options.read_timeout = 200ms;
  start(options);

  auto conn = connect();
  conn.send_raw("GET /a HTTP/1.1\r\nHost: t\r\n");  // the blank line never comes
  EXPECT_TRUE(conn.closed(10s));
}

TEST_F(ServerTest, ConnectionThatSendsNothingIsClosed) {
  auto options = test_options();
  options.read_timeout = 200ms;
  start(options);
  auto conn = connect();
  EXPECT_TRUE(conn.closed(10s));
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  route(HttpMethod::get, "/a", echo());
  auto options = test_options();
  options.idle_timeout = 200ms;
  start(options);

  auto conn = connect();
  EXPECT_EQ(conn.request("GET", "/a").status, 200);
  EXPECT_TRUE(conn.closed(10s));
}

TEST_F(ServerTest, SlowHandlerIsNotCutByIdleTimeout) {
  route(HttpMethod::get, "/slow", [this](HttpRequest, HttpReply reply) {
    after(800ms, [reply] { reply.send(HttpResponse::with_body(200, "done", "text/plain")); });
  });
  auto options = test_options();
  options.idle_timeout = 100ms;
  start(options);

  auto conn = connect();
  auto r = conn.request("GET", "/slow");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "done");
}

}  // namespace
}  // namespace conflux::core
