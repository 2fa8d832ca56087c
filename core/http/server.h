// core/http — the HTTP/1.1 server on Boost.Beast, in the shape of Beast's
// advanced_server: one acceptor, one session per connection on its own strand,
// keep-alive, pipelining with in-order responses (at most `pipeline_limit`
// requests in flight per connection; reading pauses while full), a timeout on
// every read, limits on header and body size, graceful shutdown.
//
// Errors the server answers itself, each with a JSON body {"error": "..."}:
// 400 malformed request, 404 unknown route, 405 wrong method (with Allow),
// 413 body too large, 431 headers too large, 500 handler threw or never
// replied. The connection is closed after 400/413/431.
//
// Every request is counted in conflux_http_requests_total{method,route,status}
// and timed in conflux_http_request_duration_seconds{route}.
//
// Thread-safety: start/shutdown are called from one thread; sessions run on
// the io_context's threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "conflux/log.h"
#include "conflux/metrics.h"
#include "conflux/status.h"
#include "core/http/router.h"

namespace boost::asio {
class io_context;
}

namespace conflux::core {

struct HttpServerOptions {
  std::string listen = "0.0.0.0:8080";            // "host:port"; port 0 picks a free one
  std::size_t body_limit = 1 << 20;               // bytes
  std::size_t header_limit = 16 << 10;            // bytes
  std::chrono::milliseconds read_timeout{30000};  // per request, once started
  std::chrono::milliseconds idle_timeout{60000};  // keep-alive between requests
  std::size_t pipeline_limit = 16;                // in-flight requests per connection
  std::string tls_cert_file;                      // PEM; TLS when both files are set
  std::string tls_key_file;
  std::string spool_dir;  // spooled request bodies; "" = the system temp directory
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, const Router& router, Metrics& metrics, Logger& logger,
             HttpServerOptions options);
  // Closes the listener and every connection at once (shutdown() is the
  // graceful way). The io_context must outlive the server, and the router,
  // metrics and logger must outlive the io_context's handlers.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Resolves, binds and starts accepting. Fails with a message naming the
  // address (e.g. "cannot listen on 0.0.0.0:8080: Address already in use").
  Status start();
  // The bound address, e.g. "127.0.0.1:41234" (valid after start).
  std::string local_endpoint() const;
  std::uint16_t port() const;
  // Number of open connections.
  std::size_t connections() const;

  // Stops accepting; requests already received complete and are answered
  // (with Connection: close); idle connections close at once. Calls `done`
  // (on an io thread) when every connection is closed, or after `grace` when
  // some still are (those are then closed forcibly).
  void shutdown(std::chrono::milliseconds grace, std::function<void()> done);

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace conflux::core
