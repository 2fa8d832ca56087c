// tests/unit/http_client/test_server.h — a scriptable HTTP(S)/1.1 server on
// 127.0.0.1 for the client tests: records every request and connection, and
// answers as the test's handler says (normally, late, truncated, or by
// closing the connection).
//
// Thread-safety: the server runs on its own thread; every public method may
// be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace conflux::test {

struct RecordedRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int connection = 0;           // 1-based index of the accepted connection
  int index_on_connection = 0;  // 1-based

  std::optional<std::string> header(std::string_view name) const;
};

// What the server does with one request.
struct Reply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds delay{0};  // wait before answering
  bool keep_alive = true;              // false: "Connection: close" and close
  bool chunked = false;                // chunked transfer encoding
  bool close_without_answer = false;   // close the connection instead of answering
  bool close_after_answer = false;     // answer (keep-alive headers), then close
  std::string raw;                     // when set: written verbatim, then close
};

struct TestServerOptions {
  std::uint16_t port = 0;           // 0: any free port
  int close_first_connections = 0;  // accept then close this many connections
  std::string cert_file;            // TLS when set (PEM)
  std::string key_file;
};

class TestServer {
 public:
  using Handler = std::function<Reply(const RecordedRequest&)>;

  // Starts listening on 127.0.0.1. The default handler answers 200 "ok".
  explicit TestServer(TestServerOptions options = {}, Handler handler = {});
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  std::uint16_t port() const;
  // "http(s)://127.0.0.1:<port>" + target.
  std::string url(std::string_view target) const;

  int connections() const;         // accepted so far
  int closed_connections() const;  // ended by the client or the server
  std::vector<RecordedRequest> requests() const;
  std::vector<std::string> server_names() const;  // SNI per TLS handshake ("" without)

  // Polls until `predicate` holds or `limit` passes; returns the last result.
  static bool wait_until(const std::function<bool()>& predicate,
                         std::chrono::milliseconds limit = std::chrono::seconds(10));

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// A port on 127.0.0.1 that nothing listens on (it was free a moment ago).
std::uint16_t unused_port();

}  // namespace conflux::test
