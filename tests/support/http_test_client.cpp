// tests/support — TestHttpConnection implementation: Beast serializes the
// requests and parses the responses; every operation runs on a private
// io_context with a deadline timer that cancels the socket.
#include "tests/support/http_test_client.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <sstream>
#include <stdexcept>

namespace conflux::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

namespace {

beast::string_view bsv(std::string_view s) { return {s.data(), s.size()}; }
std::string str(beast::string_view s) { return std::string(s.data(), s.size()); }

bool carries_body(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

}  // namespace

struct TestHttpConnection::Impl {
  Impl(std::string h, std::uint16_t p, TestConnectionOptions o)
      : host(std::move(h)), port(p), options(o), socket(io), timer(io) {}

  std::string where() const { return host + ":" + std::to_string(port); }

  [[noreturn]] void raise(std::string_view what, const error_code& ec) const {
    throw std::runtime_error(std::string(what) + " " + where() + " failed: " + ec.message());
  }

  tcp::socket& lowest() { return tls ? tls->next_layer() : socket; }

  // Calls `f` with the stream requests and responses travel on.
  template <class F>
  void with_stream(F&& f) {
    if (tls)
      f(*tls);
    else
      f(socket);
  }

  // Runs the operation `start(handler)` until it completes or `timeout`
  // passes (the socket is then cancelled and timed_out returned).
  template <class Start>
  error_code run(std::chrono::milliseconds timeout, Start&& start) {
    io.restart();
    std::optional<error_code> result;
    bool timed_out = false;
    timer.expires_after(timeout);
    timer.async_wait([&](error_code ec) {
      if (ec) return;
      timed_out = true;
      error_code ignored;
      lowest().cancel(ignored);
    });
    start([&](error_code ec, auto&&...) {
      result = ec;
      timer.cancel();
    });
    io.run();
    if (!result) return net::error::timed_out;
    if (timed_out && *result == net::error::operation_aborted) return net::error::timed_out;
    return *result;
  }

  void connect() {
    error_code ec;
    tcp::resolver resolver(io);
    auto endpoints = resolver.resolve(host, std::to_string(port), ec);
    if (ec) raise("resolving", ec);
    ec = run(options.timeout, [&](auto handler) {
      net::async_connect(socket, endpoints,
                         [handler](error_code e, const tcp::endpoint&) mutable { handler(e); });
    });
    if (ec) raise("connecting to", ec);
    if (!options.tls) return;
    ssl_context.emplace(net::ssl::context::tls_client);
    ssl_context->set_verify_mode(net::ssl::verify_none);
    tls.emplace(std::move(socket), *ssl_context);
    SSL_set_tlsext_host_name(tls->native_handle(), host.c_str());
    ec = run(options.timeout,
             [&](auto handler) { tls->async_handshake(net::ssl::stream_base::client, handler); });
    if (ec) raise("TLS handshake with", ec);
  }

  void write(std::string_view bytes) {
    error_code ec = run(options.timeout, [&](auto handler) {
      with_stream(
          [&](auto& s) { net::async_write(s, net::buffer(bytes.data(), bytes.size()), handler); });
    });
    if (ec) raise("writing to", ec);
  }

  std::string serialize(std::string_view method, std::string_view target, std::string_view body,
                        const TestHeaders& headers) {
    http::request<http::string_body> req;
    req.method_string(bsv(method));
    req.target(bsv(target));
    req.version(11);
    req.set(http::field::host, where());
    req.body() = std::string(body);
    if (!body.empty() || carries_body(method)) req.content_length(body.size());
    for (const auto& [name, value] : headers) req.set(bsv(name), bsv(value));
    std::ostringstream out;
    out << req;
    return out.str();
  }

  // Reads one response; the error when none could be read.
  error_code read(bool head, TestHttpResponse& out) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    parser.skip(head);
    error_code ec = run(options.timeout, [&](auto handler) {
      with_stream([&](auto& s) { http::async_read(s, buffer, parser, handler); });
    });
    if (ec) return ec;
    auto& res = parser.get();
    out.status = static_cast<int>(res.result_int());
    out.reason = str(res.reason());
    out.version = res.version();
    for (const auto& field : res) out.headers.add(str(field.name_string()), str(field.value()));
    out.body = std::move(res.body());
    out.keep_alive = res.keep_alive();
    return {};
  }

  std::string host;
  std::uint16_t port;
  TestConnectionOptions options;
  net::io_context io;
  tcp::socket socket;
  net::steady_timer timer;
  std::optional<net::ssl::context> ssl_context;
  std::optional<net::ssl::stream<tcp::socket>> tls;
  beast::flat_buffer buffer;
};

TestHttpConnection::TestHttpConnection(std::string host, std::uint16_t port,
                                       TestConnectionOptions options)
    : impl_(std::make_unique<Impl>(std::move(host), port, options)) {
  impl_->connect();
}

TestHttpConnection::~TestHttpConnection() = default;
TestHttpConnection::TestHttpConnection(TestHttpConnection&&) noexcept = default;
TestHttpConnection& TestHttpConnection::operator=(TestHttpConnection&&) noexcept = default;

TestHttpResponse TestHttpConnection::request(std::string_view method, std::string_view target,
                                             std::string_view body, const TestHeaders& headers) {
  send_request(method, target, body, headers);
  return read_response(method == "HEAD");
}

void TestHttpConnection::send_request(std::string_view method, std::string_view target,
                                      std::string_view body, const TestHeaders& headers) {
  impl_->write(impl_->serialize(method, target, body, headers));
}

void TestHttpConnection::send_raw(std::string_view bytes) { impl_->write(bytes); }

TestHttpResponse TestHttpConnection::read_response(bool head) {
  TestHttpResponse out;
  if (auto ec = impl_->read(head, out)) impl_->raise("reading a response from", ec);
  return out;
}

std::optional<TestHttpResponse> TestHttpConnection::try_read_response(bool head) {
  TestHttpResponse out;
  if (impl_->read(head, out)) return std::nullopt;
  return out;
}

std::vector<TestHttpResponse> TestHttpConnection::read_responses(std::size_t n) {
  std::vector<TestHttpResponse> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(read_response());
  return out;
}

bool TestHttpConnection::closed(std::chrono::milliseconds wait) {
  if (impl_->buffer.size() > 0) return false;
  std::size_t received = 0;
  error_code ec = impl_->run(wait, [&](auto handler) {
    impl_->with_stream([&](auto& s) {
      s.async_read_some(impl_->buffer.prepare(4096),
                        [&received, handler](error_code e, std::size_t n) mutable {
                          received = n;
                          handler(e);
                        });
    });
  });
  impl_->buffer.commit(received);
  if (ec == net::error::timed_out) return false;
  return ec || received == 0;
}

void TestHttpConnection::close() {
  error_code ignored;
  impl_->lowest().shutdown(tcp::socket::shutdown_both, ignored);
  impl_->lowest().close(ignored);
}

void TestHttpConnection::set_timeout(std::chrono::milliseconds timeout) {
  impl_->options.timeout = timeout;
}

TestHttpResponse http_request(const std::string& host, std::uint16_t port, std::string_view method,
                              std::string_view target, std::string_view body,
                              const TestHeaders& headers, TestConnectionOptions options) {
  TestHttpConnection connection(host, port, options);
  return connection.request(method, target, body, headers);
}

}  // namespace conflux::test
