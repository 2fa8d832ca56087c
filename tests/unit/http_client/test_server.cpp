// tests/unit/http_client/test_server.cpp — TestServer: Asio coroutines on a
// private io_context thread; one coroutine per connection.
//
// Thread-safety: records are guarded by Impl::mu; sockets are touched only on
// the server thread.
#include "tests/unit/http_client/test_server.h"

#include <openssl/ssl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <optional>
#include <thread>

namespace conflux::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

}  // namespace

std::optional<std::string> RecordedRequest::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (iequal(k, name)) return v;
  return std::nullopt;
}

struct TestServer::Impl : std::enable_shared_from_this<Impl> {
  TestServerOptions options;
  Handler handler;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::optional<ssl::context> tls;
  std::thread thread;

  mutable std::mutex mu;
  int connections = 0;
  int closed = 0;
  std::vector<RecordedRequest> requests;
  std::vector<std::string> server_names;

  asio::awaitable<void> accept_loop() {
    for (;;) {
      beast::error_code ec;
      tcp::socket socket =
          co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      int index;
      {
        std::lock_guard lock(mu);
        index = ++connections;
      }
      if (index <= options.close_first_connections) {
        socket.close(ec);
        note_closed();
        continue;
      }
      asio::co_spawn(io, session(std::move(socket), index), asio::detached);
    }
  }

  asio::awaitable<void> session(tcp::socket socket, int index) {
    if (tls) {
      ssl::stream<tcp::socket> stream(std::move(socket), *tls);
      beast::error_code ec;
      co_await stream.async_handshake(ssl::stream_base::server,
                                      asio::redirect_error(asio::use_awaitable, ec));
      if (!ec) {
        const char* sni = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
        {
          std::lock_guard lock(mu);
          server_names.push_back(sni ? sni : "");
        }
        co_await serve(stream, index);
      }
      stream.next_layer().close(ec);
    } else {
      co_await serve(socket, index);
      beast::error_code ec;
      socket.close(ec);
    }
    note_closed();
  }

  template <class Stream>
  asio::awaitable<void> serve(Stream& stream, int index) {
    beast::flat_buffer buffer;
    for (int n = 1;; ++n) {
      beast::error_code ec;
      http::request<http::string_body> req;
      co_await http::async_read(stream, buffer, req, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      RecordedRequest rec;
      rec.method = std::string(req.method_string());
      rec.target = std::string(req.target());
      for (const auto& f : req) rec.headers.emplace_back(f.name_string(), f.value());
      rec.body = req.body();
      rec.connection = index;
      rec.index_on_connection = n;
      {
        std::lock_guard lock(mu);
        requests.push_back(rec);
      }
      Reply reply = handler ? handler(rec) : Reply{200, {}, "ok"};
      if (reply.delay.count() > 0) {
        asio::steady_timer timer(io, reply.delay);
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      }
      if (reply.close_without_answer) co_return;
      if (!reply.raw.empty()) {
        co_await asio::async_write(stream, asio::buffer(reply.raw),
                                   asio::redirect_error(asio::use_awaitable, ec));
        co_return;
      }
      http::response<http::string_body> res{static_cast<http::status>(reply.status), req.version()};
      for (const auto& [k, v] : reply.headers) res.insert(k, v);
      res.keep_alive(reply.keep_alive);
      if (req.method() == http::verb::head) {
        res.content_length(reply.body.size());
      } else {
        res.body() = reply.body;
        if (reply.chunked)
          res.chunked(true);
        else
          res.prepare_payload();
      }
      co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
      if (ec || !reply.keep_alive || reply.close_after_answer) co_return;
    }
  }

  void note_closed() {
    std::lock_guard lock(mu);
    ++closed;
  }
};

TestServer::TestServer(TestServerOptions options, Handler handler)
    : impl_(std::make_shared<Impl>()) {
  impl_->options = std::move(options);
  impl_->handler = std::move(handler);
  if (!impl_->options.cert_file.empty()) {
    impl_->tls.emplace(ssl::context::tls_server);
    impl_->tls->use_certificate_chain_file(impl_->options.cert_file);
    impl_->tls->use_private_key_file(impl_->options.key_file, ssl::context::pem);
  }
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), impl_->options.port);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
  impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

TestServer::~TestServer() {
  impl_->io.stop();
  impl_->thread.join();
}

std::uint16_t TestServer::port() const { return impl_->acceptor.local_endpoint().port(); }

std::string TestServer::url(std::string_view target) const {
  return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port()) +
         std::string(target);
}

int TestServer::connections() const {
  std::lock_guard lock(impl_->mu);
  return impl_->connections;
}

int TestServer::closed_connections() const {
  std::lock_guard lock(impl_->mu);
  return impl_->closed;
}

std::vector<RecordedRequest> TestServer::requests() const {
  std::lock_guard lock(impl_->mu);
  return impl_->requests;
}

std::vector<std::string> TestServer::server_names() const {
  std::lock_guard lock(impl_->mu);
  return impl_->server_names;
}

bool TestServer::wait_until(const std::function<bool()>& predicate,
                            std::chrono::milliseconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (!predicate()) {
    if (std::chrono::steady_clock::now() >= end) return predicate();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

std::uint16_t unused_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

}  // namespace conflux::test
