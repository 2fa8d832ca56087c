// core/http_client/pooled_client.cpp — PooledHttpClient on Beast/Asio: one
// Exchange per request (resolve, connect, TLS handshake, write, read, retry),
// a keep-alive pool of idle connections, and shutdown.
//
// Thread-safety: the shared state (pool, pending exchanges, shut-down flag) is
// guarded by ClientCore::mu_; each Exchange runs every step on its own strand; a
// Connection is owned by exactly one Exchange or by the pool at any time.
#include "core/http_client/pooled_client.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "conflux/backoff.h"
#include "core/http_client/idle_pool.h"
#include "core/http_client/url.h"

namespace conflux::core {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using Strand = asio::strand<asio::io_context::executor_type>;

constexpr std::size_t kResponseHeaderLimit = 64 << 10;

// One socket to one origin, plain or TLS, with its read buffer.
struct Connection {
  std::unique_ptr<tcp::socket> plain;
  std::unique_ptr<ssl::stream<tcp::socket>> tls;
  beast::flat_buffer buffer;

  tcp::socket& socket() { return tls ? tls->next_layer() : *plain; }

  // Runs `f` with the stream to read and write (the TLS stream or the socket).
  template <class F>
  void with_stream(F&& f) {
    if (tls)
      f(*tls);
    else
      f(*plain);
  }

  void close() {
    beast::error_code ignored;
    socket().shutdown(tcp::socket::shutdown_both, ignored);
    socket().close(ignored);
  }

  // An idle keep-alive connection is reusable while it is open and the peer
  // has sent nothing (no EOF, no data: an idle HTTP/1.1 peer never speaks).
  bool idle_usable() {
    if (!socket().is_open() || buffer.size() != 0) return false;
    if (tls && SSL_pending(tls->native_handle()) > 0) return false;
    char byte;
    auto n = ::recv(socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
};

using ConnectionPtr = std::shared_ptr<Connection>;

http::verb verb_of(HttpMethod m) {
  switch (m) {
    case HttpMethod::get:
      return http::verb::get;
    case HttpMethod::head:
      return http::verb::head;
    case HttpMethod::post:
      return http::verb::post;
    case HttpMethod::put:
      return http::verb::put;
    case HttpMethod::patch:
      return http::verb::patch;
    case HttpMethod::del:
      return http::verb::delete_;
    case HttpMethod::options:
      return http::verb::options;
  }
  return http::verb::get;
}

bool is_token_char(char c) {
  static constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         kExtra.find(c) != std::string_view::npos;
}

// Rejects header names that are not tokens and values that could split the
// header block.
Status check_header(const HttpHeaders::Field& f) {
  if (f.name.empty() || !std::all_of(f.name.begin(), f.name.end(), is_token_char))
    return fail(ErrorCode::invalid_argument, "invalid header name '" + f.name + "'");
  if (f.value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
    return fail(ErrorCode::invalid_argument, "invalid value for header '" + f.name + "'");
  return ok();
}

std::string millis(std::chrono::milliseconds d) { return std::to_string(d.count()) + "ms"; }

class Exchange;

// The state every exchange shares: TLS context, idle pool, pending set.
class ClientCore : public std::enable_shared_from_this<ClientCore> {
 public:
  ClientCore(asio::io_context& io, Logger& logger, HttpClientOptions options);

  void send(HttpClientRequest request, HttpClientCallback done);
  void shutdown();

  // A parked connection for `key` that still looks alive, or null.
  ConnectionPtr acquire(const std::string& key);
  // Parks a connection after a complete keep-alive exchange.
  void release(const std::string& key, ConnectionPtr conn);
  // Drops a finished exchange from the pending set.
  void forget(std::uint64_t id);

  asio::io_context& io;
  Logger& logger;
  const HttpClientOptions options;
  ssl::context tls_context{ssl::context::tls_client};
  std::string tls_setup_error;  // set when the CA store could not be loaded

 private:
  void arm_sweep();  // on sweep_strand_
  void on_sweep(beast::error_code ec);

  std::mutex mu_;
  bool shut_down_ = false;
  std::uint64_t next_id_ = 0;
  std::unordered_map<std::uint64_t, std::weak_ptr<Exchange>> pending_;
  IdlePool<Connection> pool_;
  bool sweep_armed_ = false;

  Strand sweep_strand_;
  asio::steady_timer sweep_timer_;  // used on sweep_strand_ only
};

// One request from send() to its callback, across attempts.
class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(std::shared_ptr<ClientCore> client, std::uint64_t id, HttpClientRequest request,
           HttpClientCallback done)
      : client_(std::move(client)),
        id_(id),
        strand_(asio::make_strand(client_->io)),
        request_(std::move(request)),
        done_(std::move(done)),
        resolver_(strand_),
        deadline_(strand_),
        backoff_timer_(strand_) {}

  std::uint64_t id() const { return id_; }

  // Both post to the strand; whichever finishes first wins.
  void post_start() {
    asio::post(strand_, [self = shared_from_this()] { self->start(); });
  }
  void post_cancel() {
    asio::post(strand_, [self = shared_from_this()] {
      self->finish(fail(ErrorCode::cancelled, "HTTP client shut down"));
    });
  }

 private:
  enum class Phase { connecting, exchanging };
  enum class Timeout { none, connect, total };

  template <class F>
  auto on_strand(F&& f) {
    return asio::bind_executor(strand_, std::forward<F>(f));
  }

  void start() {
    if (finished_) return;
    auto url = parse_http_url(request_.url);
    if (!url) return finish(std::unexpected(url.error()));
    url_ = std::move(*url);
    if (url_.tls && !client_->tls_setup_error.empty())
      return finish(fail(ErrorCode::unavailable, "cannot connect to " + url_.authority() + ": " +
                                                     client_->tls_setup_error));
    if (auto built = build_message(); !built) return finish(std::unexpected(built.error()));
    attempt();
  }

  Status build_message() {
    message_.method(verb_of(request_.method));
    message_.target(url_.target);
    message_.version(11);
    for (const auto& f : request_.headers.fields()) {
      CONFLUX_RETURN_IF_ERROR(check_header(f));
      if (iequals(f.name, "content-length") || iequals(f.name, "transfer-encoding")) continue;
      message_.insert(f.name, f.value);
    }
    if (!request_.headers.get("host")) message_.set(http::field::host, url_.host_header());
    if (!request_.headers.get("user-agent") && !client_->options.user_agent.empty())
      message_.set(http::field::user_agent, client_->options.user_agent);
    message_.body() = std::move(request_.body);
    message_.prepare_payload();
    return ok();
  }

  // Starts one attempt: a parked connection when there is one, else a fresh one.
  void attempt() {
    ++attempt_;
    timed_out_ = Timeout::none;
    response_started_ = false;
    tls_failure_.reset();
    parser_.reset();
    conn_ = force_fresh_ ? nullptr : client_->acquire(url_.pool_key());
    force_fresh_ = false;
    auto now = SteadyClock::now();
    total_deadline_ = now + request_.timeout;
    if (conn_) {
      reused_ = true;
      begin_exchange();
      return;
    }
    reused_ = false;
    phase_ = Phase::connecting;
    connect_deadline_ = now + request_.connect_timeout;
    arm_deadline(std::min(connect_deadline_, total_deadline_));
    resolver_.async_resolve(
        url_.host, std::to_string(url_.port),
        on_strand([self = shared_from_this()](beast::error_code ec, tcp::resolver::results_type r) {
          self->on_resolved(ec, std::move(r));
        }));
  }

  void arm_deadline(SteadyClock::time_point at) {
    deadline_.expires_at(at);
    deadline_.async_wait(on_strand([self = shared_from_this(), gen = attempt_](
                                       beast::error_code ec) { self->on_deadline(ec, gen); }));
  }

  void on_deadline(beast::error_code ec, std::uint64_t gen) {
    if (finished_ || ec || gen != attempt_ || deadline_.expiry() > SteadyClock::now()) return;
    timed_out_ = phase_ == Phase::connecting && connect_deadline_ <= total_deadline_
                     ? Timeout::connect
                     : Timeout::total;
    resolver_.cancel();
    if (conn_) conn_->close();
  }

  void on_resolved(beast::error_code ec, tcp::resolver::results_type results) {
    if (finished_) return;
    if (ec) {
      if (timed_out_ != Timeout::none) return on_timeout();
      return connection_failed("cannot resolve " + url_.authority() + ": " + ec.message());
    }
    conn_ = std::make_shared<Connection>();
    if (url_.tls)
      conn_->tls = std::make_unique<ssl::stream<tcp::socket>>(client_->io, client_->tls_context);
    else
      conn_->plain = std::make_unique<tcp::socket>(client_->io);
    asio::async_connect(
        conn_->socket(), results,
        on_strand([self = shared_from_this(), keep = conn_](
                      beast::error_code ec, const tcp::endpoint&) { self->on_connected(ec); }));
  }

  void on_connected(beast::error_code ec) {
    if (finished_) return;
    if (ec) {
      if (timed_out_ != Timeout::none) return on_timeout();
      return connection_failed("cannot connect to " + url_.authority() + ": " + ec.message());
    }
    beast::error_code ignored;
    conn_->socket().set_option(tcp::no_delay(true), ignored);
    if (!url_.tls) return begin_exchange();

    auto* native = conn_->tls->native_handle();
    if (!url_.host_is_ip) SSL_set_tlsext_host_name(native, url_.host.c_str());
    tls_failure_ = std::make_shared<std::string>();
    if (client_->options.verify_peer) {
      // Captures only values: the stream outlives this exchange in the pool.
      conn_->tls->set_verify_callback([failure = tls_failure_, host = url_.host,
                                       check = ssl::host_name_verification(url_.host)](
                                          bool preverified, ssl::verify_context& ctx) {
        bool good = check(preverified, ctx);
        if (!good && failure->empty()) {
          int err = X509_STORE_CTX_get_error(ctx.native_handle());
          *failure = preverified || err == X509_V_OK
                         ? "certificate does not match host '" + host + "'"
                         : X509_verify_cert_error_string(err);
        }
        return good;
      });
    }
    conn_->tls->async_handshake(ssl::stream_base::client,
                                on_strand([self = shared_from_this(), keep = conn_](
                                              beast::error_code ec) { self->on_handshake(ec); }));
  }

  void on_handshake(beast::error_code ec) {
    if (finished_) return;
    if (ec) {
      if (timed_out_ != Timeout::none) return on_timeout();
      std::string why = "TLS handshake with " + url_.authority() + " failed: " + ec.message();
      if (tls_failure_ && !tls_failure_->empty()) {
        // A certificate that fails verification will fail again: no retry.
        return connection_failed(why + " (" + *tls_failure_ + ")", ErrorCode::unavailable, false);
      }
      return connection_failed(why);
    }
    begin_exchange();
  }

  void begin_exchange() {
    phase_ = Phase::exchanging;
    arm_deadline(total_deadline_);
    conn_->with_stream([&](auto& stream) {
      http::async_write(
          stream, message_,
          on_strand([self = shared_from_this(), keep = conn_](beast::error_code ec, std::size_t) {
            self->on_written(ec);
          }));
    });
  }

  void on_written(beast::error_code ec) {
    if (finished_) return;
    if (ec) {
      if (timed_out_ != Timeout::none) return on_timeout();
      return lost_before_response("sending the request to " + url_.authority() +
                                  " failed: " + ec.message());
    }
    read_response();
  }

  // Reads the next response header into a fresh parser.
  void read_response() {
    parser_.emplace();
    parser_->header_limit(kResponseHeaderLimit);
    parser_->body_limit(client_->options.max_response_bytes);
    if (request_.method == HttpMethod::head) parser_->skip(true);
    conn_->with_stream([&](auto& stream) {
      http::async_read_header(
          stream, conn_->buffer, *parser_,
          on_strand([self = shared_from_this(), keep = conn_](beast::error_code ec, std::size_t) {
            self->on_header(ec);
          }));
    });
  }

  // The header is read separately because Beast 1.74 drops the body_limit
  // error for a Content-Length that arrives together with body bytes.
  void on_header(beast::error_code ec) {
    if (finished_) return;
    if (ec) return read_failed(ec);
    response_started_ = true;
    auto length = parser_->content_length();
    if (length && *length > client_->options.max_response_bytes) return response_too_large();
    conn_->with_stream([&](auto& stream) {
      http::async_read(stream, conn_->buffer, *parser_,
                       on_strand([self = shared_from_this(), keep = conn_](
                                     beast::error_code ec, std::size_t) { self->on_read(ec); }));
    });
  }

  void on_read(beast::error_code ec) {
    if (finished_) return;
    if (ec) return read_failed(ec);
    int status = static_cast<int>(parser_->get().result_int());
    if (status >= 100 && status < 200 && status != 101) return read_response();  // interim
    bool keep_alive = parser_->get().keep_alive() && message_.keep_alive() && status != 101 &&
                      !parser_->need_eof() && timed_out_ == Timeout::none &&
                      conn_->buffer.size() == 0;
    auto message = parser_->release();
    HttpClientResponse response;
    response.status = status;
    for (const auto& field : message)
      response.headers.add(std::string(field.name_string()), std::string(field.value()));
    response.body = std::move(message.body());
    if (keep_alive) client_->release(url_.pool_key(), std::move(conn_));
    finish(std::move(response));
  }

  void read_failed(beast::error_code ec) {
    if (timed_out_ != Timeout::none) return on_timeout();
    if (ec == http::error::body_limit) return response_too_large();
    if (!response_started_ && !parser_->got_some())
      return lost_before_response("connection to " + url_.authority() +
                                  " closed before a response: " + ec.message());
    finish(fail(ErrorCode::unavailable,
                "bad response from " + url_.authority() + ": " + ec.message()));
  }

  void response_too_large() {
    finish(fail(ErrorCode::payload_too_large,
                "response from " + url_.authority() + " exceeds " +
                    std::to_string(client_->options.max_response_bytes) + " bytes"));
  }

  // Nothing of a response arrived. A parked connection that turns out stale
  // gets one free attempt on a fresh connection; otherwise it is a connection
  // failure.
  void lost_before_response(std::string why) {
    if (reused_ && !stale_retry_used_) {
      stale_retry_used_ = true;
      force_fresh_ = true;
      drop_connection();
      deadline_.cancel();
      client_->logger.debug("http client: pooled connection to {} was stale ({}); reconnecting",
                            url_.authority(), why);
      return attempt();
    }
    connection_failed(std::move(why));
  }

  // Retries with backoff while retries are left, else fails the request.
  void connection_failed(std::string why, ErrorCode code = ErrorCode::unavailable,
                         bool retryable = true) {
    drop_connection();
    deadline_.cancel();
    if (!retryable || retries_used_ >= request_.retries) {
      if (retries_used_ > 0) why += " (after " + std::to_string(retries_used_) + " retries)";
      return finish(fail(code, std::move(why)));
    }
    ++retries_used_;
    auto delay = backoff_.next();
    client_->logger.debug("http client: {}; retry {}/{} in {}", why, retries_used_,
                          request_.retries, millis(delay));
    backoff_timer_.expires_after(delay);
    backoff_timer_.async_wait(on_strand([self = shared_from_this()](beast::error_code ec) {
      if (self->finished_ || ec) return;
      self->attempt();
    }));
  }

  void on_timeout() {
    drop_connection();
    if (timed_out_ == Timeout::connect)
      return connection_failed("connecting to " + url_.authority() + " timed out after " +
                                   millis(request_.connect_timeout),
                               ErrorCode::timeout);
    finish(fail(ErrorCode::timeout,
                "request to " + url_.authority() + " timed out after " + millis(request_.timeout)));
  }

  void drop_connection() {
    if (conn_) conn_->close();
    conn_.reset();
  }

  // Delivers the outcome once and releases everything the exchange holds.
  void finish(Result<HttpClientResponse> result) {
    if (finished_) return;
    finished_ = true;
    deadline_.cancel();
    backoff_timer_.cancel();
    resolver_.cancel();
    drop_connection();
    client_->forget(id_);
    auto done = std::move(done_);
    done_ = nullptr;
    try {
      if (done) done(std::move(result));
    } catch (const std::exception& e) {
      client_->logger.error("http client: request callback threw: {}", e.what());
    } catch (...) {
      client_->logger.error("http client: request callback threw");
    }
  }

  std::shared_ptr<ClientCore> client_;
  std::uint64_t id_;
  Strand strand_;
  HttpClientRequest request_;
  HttpClientCallback done_;
  HttpUrl url_;
  http::request<http::string_body> message_;
  std::optional<http::response_parser<http::string_body>> parser_;

  tcp::resolver resolver_;
  asio::steady_timer deadline_;
  asio::steady_timer backoff_timer_;
  ConnectionPtr conn_;
  Backoff backoff_;

  bool finished_ = false;
  bool reused_ = false;
  bool stale_retry_used_ = false;
  bool force_fresh_ = false;
  bool response_started_ = false;  // a response header arrived in this attempt
  int retries_used_ = 0;
  std::uint64_t attempt_ = 0;
  Phase phase_ = Phase::connecting;
  Timeout timed_out_ = Timeout::none;
  SteadyClock::time_point connect_deadline_, total_deadline_;
  std::shared_ptr<std::string> tls_failure_;  // why certificate verification failed
};

ClientCore::ClientCore(asio::io_context& io_context, Logger& log, HttpClientOptions opts)
    : io(io_context),
      logger(log),
      options(std::move(opts)),
      pool_(options.max_idle_per_host, options.idle_timeout),
      sweep_strand_(asio::make_strand(io_context)),
      sweep_timer_(sweep_strand_) {
  SSL_CTX_set_min_proto_version(tls_context.native_handle(), TLS1_2_VERSION);
  SSL_CTX_set_options(tls_context.native_handle(), SSL_OP_NO_RENEGOTIATION);
  tls_context.set_verify_mode(options.verify_peer ? ssl::verify_peer : ssl::verify_none);
  beast::error_code ec;
  if (options.ca_file.empty()) {
    tls_context.set_default_verify_paths(ec);
    if (ec) tls_setup_error = "cannot load the system CA store: " + ec.message();
  } else {
    tls_context.load_verify_file(options.ca_file, ec);
    if (ec) tls_setup_error = "cannot load CA file '" + options.ca_file + "': " + ec.message();
  }
  if (!tls_setup_error.empty()) logger.error("http client: {}", tls_setup_error);
}

void ClientCore::send(HttpClientRequest request, HttpClientCallback done) {
  std::shared_ptr<Exchange> exchange;
  bool accepted = false;
  {
    std::lock_guard lock(mu_);
    exchange = std::make_shared<Exchange>(shared_from_this(), ++next_id_, std::move(request),
                                          std::move(done));
    if (!shut_down_) {
      pending_.emplace(exchange->id(), exchange);
      accepted = true;
    }
  }
  if (accepted)
    exchange->post_start();
  else
    exchange->post_cancel();
}

void ClientCore::shutdown() {
  std::vector<std::shared_ptr<Exchange>> exchanges;
  std::vector<ConnectionPtr> idle;
  {
    std::lock_guard lock(mu_);
    if (shut_down_) return;
    shut_down_ = true;
    for (auto& [id, weak] : pending_)
      if (auto e = weak.lock()) exchanges.push_back(std::move(e));
    pending_.clear();
    idle = pool_.drain();
  }
  for (auto& conn : idle) conn->close();
  for (auto& e : exchanges) e->post_cancel();
  asio::post(sweep_strand_, [self = shared_from_this()] { self->sweep_timer_.cancel(); });
}

ConnectionPtr ClientCore::acquire(const std::string& key) {
  std::vector<ConnectionPtr> evicted;
  ConnectionPtr found;
  {
    std::lock_guard lock(mu_);
    if (shut_down_) return nullptr;
    while ((found = pool_.take(key, SteadyClock::now(), evicted)) && !found->idle_usable())
      evicted.push_back(std::move(found));
  }
  for (auto& conn : evicted) conn->close();
  return found;
}

void ClientCore::release(const std::string& key, ConnectionPtr conn) {
  std::vector<ConnectionPtr> evicted;
  bool start_sweep = false;
  {
    std::lock_guard lock(mu_);
    if (shut_down_) {
      evicted.push_back(std::move(conn));
    } else {
      pool_.put(key, std::move(conn), SteadyClock::now(), evicted);
      if (!sweep_armed_ && pool_.size() > 0) start_sweep = sweep_armed_ = true;
    }
  }
  for (auto& c : evicted) c->close();
  if (start_sweep) asio::post(sweep_strand_, [self = shared_from_this()] { self->arm_sweep(); });
}

void ClientCore::forget(std::uint64_t id) {
  std::lock_guard lock(mu_);
  pending_.erase(id);
}

// Parked connections only ever expire later than the earliest one, so one
// timer set to the earliest expiry covers the whole pool.
void ClientCore::arm_sweep() {
  std::optional<SteadyClock::time_point> next;
  {
    std::lock_guard lock(mu_);
    next = shut_down_ ? std::nullopt : pool_.next_expiry();
    if (!next) {
      sweep_armed_ = false;
      return;
    }
  }
  sweep_timer_.expires_at(*next);
  sweep_timer_.async_wait(asio::bind_executor(
      sweep_strand_, [self = shared_from_this()](beast::error_code ec) { self->on_sweep(ec); }));
}

void ClientCore::on_sweep(beast::error_code ec) {
  if (ec == asio::error::operation_aborted) {
    std::lock_guard lock(mu_);
    sweep_armed_ = false;
    return;
  }
  std::vector<ConnectionPtr> expired;
  {
    std::lock_guard lock(mu_);
    pool_.expire(SteadyClock::now(), expired);
  }
  for (auto& conn : expired) conn->close();
  arm_sweep();
}

}  // namespace

struct PooledHttpClient::Impl : ClientCore {
  using ClientCore::ClientCore;
};

PooledHttpClient::PooledHttpClient(boost::asio::io_context& io, Logger& logger,
                                   HttpClientOptions options)
    : impl_(std::make_shared<Impl>(io, logger, std::move(options))) {}

PooledHttpClient::~PooledHttpClient() { shutdown(); }

void PooledHttpClient::send(HttpClientRequest request, HttpClientCallback done) noexcept {
  try {
    impl_->send(std::move(request), std::move(done));
  } catch (const std::exception& e) {
    impl_->logger.error("http client: cannot start request: {}", e.what());
  }
}

void PooledHttpClient::shutdown() noexcept {
  try {
    impl_->shutdown();
  } catch (const std::exception& e) {
    impl_->logger.error("http client: shutdown failed: {}", e.what());
  }
}

}  // namespace conflux::core
