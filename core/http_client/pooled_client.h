// core/http_client — owns outbound HTTP(S): the conflux::HttpClient that
// plugins receive (webhooks, downlinks, notifiers).
//
// Beast over Asio (and Asio SSL for https): certificate verification on, with
// the system CA store (or `ca_file`) and host name checking (SNI set);
// connect timeout and a total timeout per attempt; a keep-alive pool per
// (scheme, host, port); connection failures retried up to request.retries
// times with exponential backoff (a request whose response was received is
// never retried; a pooled connection that turns out stale is retried once on a
// fresh connection without counting as a retry). A certificate that fails
// verification is not retried; a response larger than max_response_bytes
// fails with payload_too_large.
//
// Thread-safety: `send` may be called from any thread; callbacks run on the
// io_context.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "conflux/http_client.h"
#include "conflux/log.h"

namespace boost::asio {
class io_context;
}

namespace conflux::core {

struct HttpClientOptions {
  std::size_t max_idle_per_host = 4;
  std::chrono::milliseconds idle_timeout{30000};  // pooled connections close after
  std::string ca_file;                            // PEM bundle; empty: the system default store
  bool verify_peer = true;                        // false only for tests against self-signed peers
  std::size_t max_response_bytes = 8 << 20;
  std::string user_agent = "conflux";
};

class PooledHttpClient final : public HttpClient {
 public:
  PooledHttpClient(boost::asio::io_context& io, Logger& logger, HttpClientOptions options);
  ~PooledHttpClient() override;

  void send(HttpClientRequest request, HttpClientCallback done) noexcept override;
  // Fails every pending request with `cancelled` and closes pooled connections.
  void shutdown() noexcept;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace conflux::core
