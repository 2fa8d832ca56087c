// tests/unit/http_client/client_harness.h — a PooledHttpClient with its own
// io_context running on background threads, plus blocking and future-based
// send helpers for the tests.
//
// Thread-safety: create/destroy on the test thread; send/send_async from any
// thread.
#pragma once

#include <chrono>
#include <future>
#include <memory>

#include "conflux/http_client.h"
#include "conflux/testing.h"
#include "core/http_client/pooled_client.h"

namespace conflux::test {

class ClientHarness {
 public:
  explicit ClientHarness(core::HttpClientOptions options = {}, int threads = 1);
  // Shuts the client down, then stops and joins the io threads.
  ~ClientHarness();
  ClientHarness(const ClientHarness&) = delete;
  ClientHarness& operator=(const ClientHarness&) = delete;

  core::PooledHttpClient& client();
  conflux::testing::CaptureLogger& logger();

  // Sends and waits up to `limit` (a test failure and an `internal` error when
  // the callback never came). Records the callback's thread and call count.
  Result<HttpClientResponse> send(HttpClientRequest request,
                                  std::chrono::seconds limit = std::chrono::seconds(30));
  std::future<Result<HttpClientResponse>> send_async(HttpClientRequest request);

  // True when every callback so far ran on one of the io threads.
  bool callbacks_on_io_threads() const;
  // The number of callbacks delivered so far.
  int callbacks() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A GET request for `url` with short test-friendly timeouts.
HttpClientRequest get(std::string url);

}  // namespace conflux::test
