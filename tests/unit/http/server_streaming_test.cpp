// Streamed response bodies (HttpBodyStream), per-route body limits and
// request bodies spooled to a temporary file, over real sockets.
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "tests/unit/http/server_fixture.h"

namespace conflux::core {
namespace {

using ::conflux::testing::IsOk;

std::string pattern_bytes(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7) % 26);
  return s;
}

// A handler that streams `total` bytes in `chunk`-sized writes from its own thread.
HttpHandler streaming(std::size_t total, std::size_t chunk, std::size_t capacity,
                      std::promise<bool>* last_write = nullptr) {
  return [=](HttpRequest, HttpReply reply) {
    auto stream = std::make_shared<HttpBodyStream>(capacity);
    reply.send(HttpResponse::streamed(200, "text/plain", stream));
    std::thread([=] {
      std::string all = pattern_bytes(total);
      bool ok = true;
      for (std::size_t at = 0; at < total && ok; at += chunk)
        ok = stream->write(std::string_view(all).substr(at, chunk));
      stream->finish();
      if (last_write) last_write->set_value(ok);
    }).detach();
  };
}

TEST_F(ServerTest, StreamsAResponseBodyInChunks) {
  route(HttpMethod::get, "/stream", streaming(1 << 20, 10000, 64 << 10));
  start();
  auto conn = connect();
  auto r = conn.request("GET", "/stream");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Transfer-Encoding"), "chunked");
  EXPECT_EQ(r.header("Content-Type"), "text/plain");
  EXPECT_EQ(r.body, pattern_bytes(1 << 20));
  // The connection stays usable after a streamed response.
  auto again = conn.request("GET", "/stream");
  EXPECT_EQ(again.body.size(), 1u << 20);
}

TEST_F(ServerTest, StreamedEmptyBodyEndsCleanly) {
  route(HttpMethod::get, "/empty", [](HttpRequest, HttpReply reply) {
    auto stream = std::make_shared<HttpBodyStream>();
    stream->finish();
    reply.send(HttpResponse::streamed(200, "text/csv", stream));
  });
  start();
  auto r = connect().request("GET", "/empty");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
}

TEST_F(ServerTest, HttpOneZeroClientGetsRawBodyAndClose) {
  route(HttpMethod::get, "/stream", streaming(5000, 100, 1024));
  start();
  auto conn = connect();
  conn.send_raw("GET /stream HTTP/1.0\r\nHost: x\r\n\r\n");
  auto r = conn.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.header("Transfer-Encoding").has_value());
  EXPECT_EQ(r.body.size(), 5000u);
  EXPECT_EQ(r.body, pattern_bytes(5000));  // delimited by the server's close
  EXPECT_FALSE(r.keep_alive);
}

TEST_F(ServerTest, ProducerFailureAbortsTheConnection) {
  route(HttpMethod::get, "/broken", [](HttpRequest, HttpReply reply) {
    auto stream = std::make_shared<HttpBodyStream>();
    reply.send(HttpResponse::streamed(200, "text/plain", stream));
    std::thread([stream] {
      (void)stream->write("partial");
      stream->fail("disk error");
    }).detach();
  });
  start();
  auto conn = connect();
  conn.send_request("GET", "/broken");
  EXPECT_FALSE(conn.try_read_response().has_value());
  EXPECT_TRUE(logger.contains("disk error"));
}

TEST_F(ServerTest, ClientGoingAwayReleasesTheProducer) {
  std::promise<bool> last;
  auto result = last.get_future();
  // Far more than the socket buffers hold: the producer must block, then be released.
  route(HttpMethod::get, "/huge", streaming(512 << 20, 64 << 10, 64 << 10, &last));
  start();
  {
    auto conn = connect();
    conn.send_request("GET", "/huge");
    std::this_thread::sleep_for(100ms);
    conn.close();
  }
  ASSERT_EQ(result.wait_for(30s), std::future_status::ready);
  EXPECT_FALSE(result.get());  // write reported the consumer gone
}

TEST_F(ServerTest, RouteBodyLimitRaisesAndLowersTheServerLimit) {
  auto echo_size = [](HttpRequest req, HttpReply reply) {
    reply.send(HttpResponse::with_body(200, std::to_string(req.body.size()), "text/plain"));
  };
  ASSERT_THAT(router.add_with_options(HttpMethod::post, "/big", {.body_limit = 3 << 20}, echo_size),
              IsOk());
  ASSERT_THAT(router.add_with_options(HttpMethod::post, "/small", {.body_limit = 10}, echo_size),
              IsOk());
  route(HttpMethod::post, "/default", echo_size);
  auto options = test_options();
  options.body_limit = 1 << 20;
  start(options);
  auto body = pattern_bytes(2 << 20);
  EXPECT_EQ(connect().request("POST", "/big", body).body, std::to_string(body.size()));
  EXPECT_EQ(connect().request("POST", "/default", body).status, 413);
  EXPECT_EQ(connect().request("POST", "/small", "0123456789A").status, 413);
  EXPECT_EQ(connect().request("POST", "/small", "0123456789").body, "10");
  EXPECT_EQ(connect().request("POST", "/default", "abc").body, "3");
}

TEST_F(ServerTest, SpooledBodyArrivesAsAFileThatIsRemovedAfterwards) {
  auto seen = std::make_shared<std::string>();
  auto path = std::make_shared<std::string>();
  ASSERT_THAT(router.add_with_options(
                  HttpMethod::post, "/upload", {.body_limit = 8 << 20, .spool_to_file = true},
                  [seen, path](HttpRequest req, HttpReply reply) {
                    if (!req.body_file || !req.body.empty()) {
                      reply.send(HttpResponse::error(500, "no body file"));
                      return;
                    }
                    std::ifstream in(req.body_file->path(), std::ios::binary);
                    std::stringstream ss;
                    ss << in.rdbuf();
                    *seen = ss.str();
                    *path = req.body_file->path();
                    reply.send(HttpResponse::with_body(200, std::to_string(req.body_file->size()),
                                                       "text/plain"));
                  }),
              IsOk());
  auto options = test_options();
  options.body_limit = 1 << 20;
  options.spool_dir = ::testing::TempDir();
  start(options);
  auto body = pattern_bytes(5 << 20);
  auto conn = connect();
  auto r = conn.request("POST", "/upload", body);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, std::to_string(body.size()));
  EXPECT_EQ(*seen, body);
  auto first_path = *path;
  // Chunked uploads are spooled too, and the limit still holds.
  conn.send_raw(
      "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
      "chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  auto chunked = conn.read_response();
  EXPECT_EQ(chunked.body, "5");
  EXPECT_EQ(*seen, "hello");
  // The first handler has returned (same connection, same strand): its file is gone.
  EXPECT_FALSE(std::filesystem::exists(first_path));
  // Over the route's limit: refused from the header, before any body is read.
  auto over = connect();
  over.send_raw("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 9437184\r\n\r\n");
  EXPECT_EQ(over.read_response().status, 413);
}

TEST_F(ServerTest, TailParameterBindsTheRestOfThePath) {
  route(HttpMethod::post, "/http/messages/{subtopic...}", [](HttpRequest req, HttpReply reply) {
    reply.send(HttpResponse::with_body(200, std::string(req.param("subtopic")), "text/plain"));
  });
  route(HttpMethod::post, "/http/messages", text("none"));
  start();
  EXPECT_EQ(connect().request("POST", "/http/messages/a/b%2Fc/d").body, "a/b%2Fc/d");
  EXPECT_EQ(connect().request("POST", "/http/messages/x").body, "x");
  EXPECT_EQ(connect().request("POST", "/http/messages").body, "none");
  EXPECT_EQ(connect().request("POST", "/svchttp/http/messages/q").body, "q");
}

}  // namespace
}  // namespace conflux::core
