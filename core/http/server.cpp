// core/http — HttpServer: the listener (bind, accept loop, TLS context) and
// the graceful shutdown sequence. Connections are served by session.cpp.
//
// Thread-safety: start() runs before the acceptor is shared; afterwards the
// acceptor and the shutdown state are touched on the listener strand only.
#include "core/http/server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <charconv>
#include <utility>
#include <vector>

#include "core/http/beast_messages.h"
#include "core/http/server_context.h"
#include "core/http/session.h"

namespace conflux::core {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

namespace {

constexpr std::chrono::milliseconds kAcceptRetry{100};

struct HostPort {
  std::string host;
  std::string port;
};

// "0.0.0.0:8080", "[::1]:8080", ":8080" (all addresses).
Result<HostPort> split_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos)
    return fail(ErrorCode::invalid_argument, "cannot listen on " + listen + ": expected host:port");
  HostPort out{listen.substr(0, colon), listen.substr(colon + 1)};
  if (out.host.size() >= 2 && out.host.front() == '[' && out.host.back() == ']')
    out.host = out.host.substr(1, out.host.size() - 2);
  if (out.host.empty()) out.host = "0.0.0.0";
  unsigned port = 0;
  auto [end, ec] = std::from_chars(out.port.data(), out.port.data() + out.port.size(), port);
  if (out.port.empty() || ec != std::errc() || end != out.port.data() + out.port.size() ||
      port > 65535)
    return fail(ErrorCode::invalid_argument, "cannot listen on " + listen + ": bad port");
  return out;
}

Result<std::shared_ptr<net::ssl::context>> make_tls_context(const HttpServerOptions& options) {
  auto ctx = std::make_shared<net::ssl::context>(net::ssl::context::tls_server);
  ctx->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                   net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                   net::ssl::context::no_tlsv1_1 | net::ssl::context::single_dh_use);
  error_code ec;
  ctx->use_certificate_chain_file(options.tls_cert_file, ec);
  if (ec)
    return fail(ErrorCode::invalid_argument,
                "cannot load TLS certificate '" + options.tls_cert_file + "': " + ec.message());
  ctx->use_private_key_file(options.tls_key_file, net::ssl::context::pem, ec);
  if (ec)
    return fail(ErrorCode::invalid_argument,
                "cannot load TLS key '" + options.tls_key_file + "': " + ec.message());
  return ctx;
}

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  Impl(net::io_context& io_context, const Router& router, Metrics& metrics, Logger& logger,
       HttpServerOptions options)
      : io(io_context),
        context(std::make_shared<ServerContext>(router, metrics, logger, std::move(options))),
        strand(net::make_strand(io_context)),
        acceptor(strand),
        retry_timer(strand),
        grace_timer(strand) {}

  Status start();
  void accept();
  void on_accept(error_code ec, SessionSocket socket);
  void begin_shutdown(std::chrono::milliseconds grace, std::function<void()> done);
  void finish();
  void stop_now();

  net::io_context& io;
  std::shared_ptr<ServerContext> context;
  net::strand<net::io_context::executor_type> strand;
  tcp::acceptor acceptor;
  net::steady_timer retry_timer;
  net::steady_timer grace_timer;
  std::shared_ptr<net::ssl::context> tls;
  bool started = false;
  std::string local;
  std::uint16_t port = 0;

  // On the strand:
  bool shutdown_started = false;
  bool finished = false;
  std::vector<std::function<void()>> done_callbacks;
};

Status HttpServer::Impl::start() {
  const auto& options = context->options;
  if (started) return fail(ErrorCode::failed_precondition, "the HTTP server is already started");
  if (options.tls_cert_file.empty() != options.tls_key_file.empty())
    return fail(ErrorCode::invalid_argument,
                "TLS needs both tls_cert_file and tls_key_file (only one is set)");
  if (!options.tls_cert_file.empty()) {
    CONFLUX_ASSIGN_OR_RETURN(tls, make_tls_context(options));
  }
  CONFLUX_ASSIGN_OR_RETURN(auto where, split_listen(options.listen));

  auto failed = [&](const error_code& ec) {
    error_code ignored;
    acceptor.close(ignored);
    return fail(ErrorCode::unavailable, "cannot listen on " + options.listen + ": " + ec.message());
  };
  error_code ec;
  tcp::resolver resolver(io);
  auto endpoints = resolver.resolve(where.host, where.port,
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec) return failed(ec);
  if (endpoints.empty()) return failed(net::error::host_not_found);
  tcp::endpoint endpoint = endpoints.begin()->endpoint();
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return failed(ec);
  auto bound = acceptor.local_endpoint(ec);
  if (ec) return failed(ec);
  local = format_endpoint(bound);
  port = bound.port();
  started = true;
  context->logger.debug("accepting HTTP{} connections on {}", tls ? "S" : "", local);
  net::post(strand, [self = shared_from_this()] { self->accept(); });
  return ok();
}

void HttpServer::Impl::accept() {
  if (shutdown_started || !acceptor.is_open()) return;
  acceptor.async_accept(net::make_strand(io),
                        [self = shared_from_this()](error_code ec, SessionSocket socket) {
                          self->on_accept(ec, std::move(socket));
                        });
}

void HttpServer::Impl::on_accept(error_code ec, SessionSocket socket) {
  if (shutdown_started || !acceptor.is_open()) return;  // the socket closes here
  if (ec) {
    if (ec == net::error::operation_aborted) return;
    // E.g. too many open files: wait a little instead of spinning.
    context->logger.warn("accept on {} failed: {}", local, ec.message());
    retry_timer.expires_after(kAcceptRetry);
    retry_timer.async_wait([self = shared_from_this()](error_code wait_ec) {
      if (!wait_ec) self->accept();
    });
    return;
  }
  start_session(std::move(socket), context, tls);
  accept();
}

void HttpServer::Impl::begin_shutdown(std::chrono::milliseconds grace, std::function<void()> done) {
  if (done) done_callbacks.push_back(std::move(done));
  if (finished) {
    finish();
    return;
  }
  if (shutdown_started) return;
  shutdown_started = true;
  error_code ignored;
  acceptor.close(ignored);
  retry_timer.cancel();
  context->logger.debug("HTTP shutdown: {} connection(s) open", context->connections.size());
  grace_timer.expires_after(grace);
  grace_timer.async_wait([self = shared_from_this()](error_code ec) {
    if (ec || self->finished) return;
    self->context->logger.warn("HTTP shutdown grace period over; closing {} connection(s)",
                               self->context->connections.size());
    self->context->connections.force_close_all();
  });
  std::weak_ptr<Impl> weak = shared_from_this();
  context->connections.begin_shutdown([weak] {
    if (auto self = weak.lock()) net::post(self->strand, [self] { self->finish(); });
  });
}

// Every connection is closed: report it (once per shutdown() call).
void HttpServer::Impl::finish() {
  finished = true;
  grace_timer.cancel();
  auto callbacks = std::exchange(done_callbacks, {});
  for (auto& callback : callbacks) {
    try {
      callback();
    } catch (...) {
      context->logger.error("an HTTP shutdown callback threw");
    }
  }
}

void HttpServer::Impl::stop_now() {
  context->connections.begin_shutdown(nullptr);
  context->connections.force_close_all();
  net::post(strand, [self = shared_from_this()] {
    self->shutdown_started = true;
    error_code ignored;
    self->acceptor.close(ignored);
    self->retry_timer.cancel();
    self->grace_timer.cancel();
  });
}

HttpServer::HttpServer(boost::asio::io_context& io, const Router& router, Metrics& metrics,
                       Logger& logger, HttpServerOptions options)
    : impl_(std::make_shared<Impl>(io, router, metrics, logger, std::move(options))) {}

HttpServer::~HttpServer() { impl_->stop_now(); }

Status HttpServer::start() {
  try {
    return impl_->start();
  } catch (const std::exception& e) {
    return fail(ErrorCode::unavailable,
                "cannot listen on " + impl_->context->options.listen + ": " + e.what());
  }
}

std::string HttpServer::local_endpoint() const { return impl_->local; }

std::uint16_t HttpServer::port() const { return impl_->port; }

std::size_t HttpServer::connections() const { return impl_->context->connections.size(); }

void HttpServer::shutdown(std::chrono::milliseconds grace, std::function<void()> done) {
  net::post(impl_->strand, [self = impl_, grace, done = std::move(done)]() mutable {
    self->begin_shutdown(grace, std::move(done));
  });
}

}  // namespace conflux::core
