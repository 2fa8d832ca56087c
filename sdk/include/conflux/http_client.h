// conflux/http_client.h — outbound HTTP(S) for plugins (webhooks, downlinks).
//
// The host's client verifies TLS certificates against the system CA store,
// applies connect and total timeouts, keeps a keep-alive pool per host, and
// retries connection failures (never a request that reached the server and got
// an answer) up to `retries` times with exponential backoff.
//
// Thread-safety: `send` may be called from any thread; the callback runs once,
// on an io_context thread.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "conflux/http.h"
#include "conflux/status.h"

namespace conflux {

struct HttpClientRequest {
  HttpMethod method = HttpMethod::get;
  std::string url;  // http://host[:port]/path?query or https://...
  HttpHeaders headers;
  std::string body;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds timeout{30000};  // whole exchange, per attempt
  int retries = 0;                           // extra attempts after a connection failure
};

struct HttpClientResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;
};

// Called once with the response (any status) or an Error: invalid_argument
// (bad URL), unavailable (connect/TLS failure), timeout, cancelled (shutdown).
using HttpClientCallback = std::function<void(Result<HttpClientResponse>)>;

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual void send(HttpClientRequest request, HttpClientCallback done) noexcept = 0;
};

}  // namespace conflux
