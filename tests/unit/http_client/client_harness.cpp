// tests/unit/http_client/client_harness.cpp — ClientHarness.
//
// Thread-safety: callback bookkeeping is guarded by Impl::mu.
#include "tests/unit/http_client/client_harness.h"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

namespace conflux::test {

namespace asio = boost::asio;

struct ClientHarness::Impl {
  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  conflux::testing::CaptureLogger logger;
  std::optional<core::PooledHttpClient> client;
  std::vector<std::thread> threads;

  mutable std::mutex mu;
  std::set<std::thread::id> io_threads;
  bool all_on_io = true;
  int callbacks = 0;
};

ClientHarness::ClientHarness(core::HttpClientOptions options, int threads)
    : impl_(std::make_unique<Impl>()) {
  impl_->work.emplace(impl_->io.get_executor());
  impl_->client.emplace(impl_->io, impl_->logger, std::move(options));
  for (int i = 0; i < threads; ++i) {
    impl_->threads.emplace_back([impl = impl_.get()] { impl->io.run(); });
    std::lock_guard lock(impl_->mu);
    impl_->io_threads.insert(impl_->threads.back().get_id());
  }
}

ClientHarness::~ClientHarness() {
  impl_->client.reset();
  impl_->work.reset();
  impl_->io.stop();
  for (auto& t : impl_->threads) t.join();
}

core::PooledHttpClient& ClientHarness::client() { return *impl_->client; }

conflux::testing::CaptureLogger& ClientHarness::logger() { return impl_->logger; }

std::future<Result<HttpClientResponse>> ClientHarness::send_async(HttpClientRequest request) {
  auto promise = std::make_shared<std::promise<Result<HttpClientResponse>>>();
  auto future = promise->get_future();
  impl_->client->send(std::move(request),
                      [promise, impl = impl_.get()](Result<HttpClientResponse> result) {
                        {
                          std::lock_guard lock(impl->mu);
                          ++impl->callbacks;
                          if (!impl->io_threads.contains(std::this_thread::get_id()))
                            impl->all_on_io = false;
                        }
                        promise->set_value(std::move(result));
                      });
  return future;
}

Result<HttpClientResponse> ClientHarness::send(HttpClientRequest request,
                                               std::chrono::seconds limit) {
  auto future = send_async(std::move(request));
  if (future.wait_for(limit) != std::future_status::ready) {
    ADD_FAILURE() << "the client never called back";
    return fail(ErrorCode::internal, "no callback");
  }
  return future.get();
}

bool ClientHarness::callbacks_on_io_threads() const {
  std::lock_guard lock(impl_->mu);
  return impl_->all_on_io;
}

int ClientHarness::callbacks() const {
  std::lock_guard lock(impl_->mu);
  return impl_->callbacks;
}

HttpClientRequest get(std::string url) {
  HttpClientRequest r;
  r.url = std::move(url);
  r.connect_timeout = std::chrono::seconds(5);
  r.timeout = std::chrono::seconds(10);
  return r;
}

}  // namespace conflux::test
