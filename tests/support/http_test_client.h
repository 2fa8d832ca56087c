// tests/support — a blocking HTTP/1.1 client over one raw TCP (or TLS)
// connection, for tests that need control a library client does not give:
// keep-alive, pipelining, malformed bytes, watching the server close.
//
//   conflux::test::TestHttpConnection conn("127.0.0.1", port);
//   auto r = conn.request("GET", "/health");
//   EXPECT_EQ(r.status, 200);
//   EXPECT_EQ(r.header("Content-Type"), "application/json");
//
//   conn.send_raw("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
//   auto both = conn.read_responses(2);        // pipelined, in order
//   EXPECT_TRUE(conn.closed());                 // did the server hang up?
//
//   auto one = conflux::test::http_request("127.0.0.1", port, "POST", "/x", "{}",
//                                          {{"Content-Type", "application/json"}});
//
// Every operation is bounded by `TestConnectionOptions::timeout` and throws
// std::runtime_error (naming the server and the reason) when it fails or
// times out, which GoogleTest reports as a test failure. `try_read_response`
// and `closed` are the non-throwing ways to observe a closed connection.
//
// Thread-safety: one connection per thread; distinct connections are
// independent (each runs its own io_context).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "conflux/http.h"

namespace conflux::test {

// Extra request header fields, in order. A field named here replaces the
// default of the same name (Host, Content-Length).
using TestHeaders = std::vector<std::pair<std::string, std::string>>;

struct TestHttpResponse {
  int status = 0;
  std::string reason;
  unsigned version = 11;  // 10 or 11
  HttpHeaders headers;    // case-insensitive lookup
  std::string body;
  bool keep_alive = true;  // false when the server announced Connection: close

  std::optional<std::string_view> header(std::string_view name) const { return headers.get(name); }
};

struct TestConnectionOptions {
  // Bound on each connect, write and read.
  std::chrono::milliseconds timeout{10000};
  // Speak TLS (the server's certificate is not verified: tests use
  // self-signed ones). SNI is set to the host.
  bool tls = false;
};

class TestHttpConnection {
 public:
  // Connects (and completes the TLS handshake). Throws on failure.
  TestHttpConnection(std::string host, std::uint16_t port, TestConnectionOptions options = {});
  ~TestHttpConnection();
  TestHttpConnection(TestHttpConnection&&) noexcept;
  TestHttpConnection& operator=(TestHttpConnection&&) noexcept;

  // Sends one request and reads its response (a HEAD response has no body).
  // Host is "host:port"; Content-Length is set when there is a body or the
  // method usually carries one (POST, PUT, PATCH).
  TestHttpResponse request(std::string_view method, std::string_view target,
                           std::string_view body = {}, const TestHeaders& headers = {});
  // Sends a request like `request` without reading the response (pipelining).
  void send_request(std::string_view method, std::string_view target, std::string_view body = {},
                    const TestHeaders& headers = {});
  // Sends bytes as they are.
  void send_raw(std::string_view bytes);

  // Reads the next response. `head` tells the parser not to expect a body
  // (the answer to a HEAD request). Throws when none can be read.
  TestHttpResponse read_response(bool head = false);
  // Like read_response, but nullopt when the connection closes (or fails,
  // or times out) before a complete response.
  std::optional<TestHttpResponse> try_read_response(bool head = false);
  // Reads `n` responses in order (none of them to HEAD requests).
  std::vector<TestHttpResponse> read_responses(std::size_t n);

  // True when the server has closed the connection (end of stream or reset)
  // within `wait`; false when the connection is still open after `wait`, or
  // when the server sent more bytes (kept for the next read_response).
  bool closed(std::chrono::milliseconds wait = std::chrono::seconds(2));
  // Closes our side.
  void close();

  // Changes the per-operation timeout.
  void set_timeout(std::chrono::milliseconds timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Opens a connection, sends one request, reads the response, closes.
TestHttpResponse http_request(const std::string& host, std::uint16_t port, std::string_view method,
                              std::string_view target, std::string_view body = {},
                              const TestHeaders& headers = {}, TestConnectionOptions options = {});

}  // namespace conflux::test
