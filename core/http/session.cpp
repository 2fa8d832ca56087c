// core/http — Session<Stream>: one HTTP/1.1 connection (plain or TLS), in the
// shape of Beast's advanced_server.
//
// Reading: the session waits for the first byte of the next request
// (read_timeout on a new connection, idle_timeout between keep-alive requests,
// no deadline while earlier requests are still being answered), then reads the
// whole request (read_timeout). The header is parsed first — from the bytes
// already buffered when it is complete, without another I/O operation — and
// routed; the route's options then decide the body limit (413 before any body
// is read when Content-Length exceeds it) and whether the body goes to memory
// or is spooled to a temporary file; a client that sent `Expect: 100-continue`
// gets "100 Continue" only then (after a 413 it never sends the body; a
// request no route takes is answered 404/405 at once, and the connection
// closed after it). A body
// that is already buffered is parsed in place, so a small request costs a
// single socket read. Each request takes a slot in an ordered queue; reading
// pauses while `pipeline_limit` slots are taken.
// Answering: a handler's HttpReply dispatches its response onto the session strand
// into the request's slot; slots are written strictly in order, so pipelined
// responses never overtake each other. After the last response of a closing
// connection the session half-closes and drains the peer briefly (a "lingering
// close", so the peer reads the response instead of a reset).
// Streamed responses (HttpResponse::stream): the header goes out first, then
// each chunk the producer wrote (chunked transfer encoding; for HTTP/1.0 raw
// bytes and a close). The session pulls the next chunk only after the previous
// one is written, so a slow client fills the pipe and blocks the producer. A
// producer failure aborts the connection; closing cancels the pipe.
//
// Thread-safety: every member is touched on the session strand only; the
// Connection methods and HttpReply sinks post onto it.
#include "core/http/session.h"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/asio/basic_waitable_timer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <deque>
#include <exception>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "core/http/beast_messages.h"

namespace conflux::core {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;
using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t kReadChunk = 4096;
constexpr milliseconds kMaxLinger{2000};

using TlsStream = beast::ssl_stream<SessionSocket>;
using Timer =
    net::basic_waitable_timer<SteadyClock, net::wait_traits<SteadyClock>, SessionExecutor>;

// A request read from the connection and not yet fully answered.
struct Slot {
  std::optional<HttpResponse> response;  // set when the handler has replied
  std::string_view method;               // metrics label (static storage)
  std::string route;                     // matched pattern; empty when unmatched
  SteadyClock::time_point start;
  unsigned version = 11;
  bool head = false;
};

// "Allow: GET, HEAD" for a 405.
std::string allow_header(const std::vector<HttpMethod>& methods) {
  std::string out;
  for (auto m : methods) {
    if (!out.empty()) out += ", ";
    out += to_string(m);
  }
  return out;
}

HttpResponse method_not_allowed(const std::vector<HttpMethod>& allowed) {
  auto r = HttpResponse::error(405, "method not allowed");
  r.headers.set("Allow", allow_header(allowed));
  return r;
}

template <class Stream>
class Session final : public Connection, public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(Stream stream, std::shared_ptr<ServerContext> context, std::shared_ptr<void> keep)
      : stream_(std::move(stream)),
        context_(std::move(context)),
        options_(context_->options),
        keep_(std::move(keep)),
        executor_(socket().get_executor()),
        read_timer_(executor_),
        write_timer_(executor_) {
    error_code ec;
    auto peer = socket().remote_endpoint(ec);
    remote_ = ec ? std::string("unknown") : format_endpoint(peer);
  }

  ~Session() override { context_->connections.remove(this); }

  void run() {
    net::dispatch(executor_, [self = this->shared_from_this()] { self->begin(); });
  }

  void finish_and_close() noexcept override {
    post_self([](Session& s) {
      s.shutting_down_ = true;
      s.stop_reading();
      s.maybe_finish();
    });
  }

  void force_close() noexcept override {
    post_self([](Session& s) { s.close(); });
  }

 private:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  SessionSocket& socket() { return beast::get_lowest_layer(stream_); }

  template <class F>
  void post_self(F f) noexcept {
    try {
      net::post(executor_, [self = this->shared_from_this(), f] { f(*self); });
    } catch (...) {
    }
  }

  // --- timers -------------------------------------------------------------

  void arm(Timer& timer, unsigned& generation, milliseconds after, const char* what) {
    ++generation;
    timer.expires_after(after);
    timer.async_wait(
        [self = this->shared_from_this(), &generation, g = generation, what](error_code ec) {
          if (ec || g != generation || self->closed_) return;
          self->context_->logger.debug("closing {}: {} timeout", self->remote_, what);
          self->close();
        });
  }

  static void disarm(Timer& timer, unsigned& generation) {
    ++generation;
    timer.cancel();
  }

  // --- reading ------------------------------------------------------------

  void begin() {
    if (closed_) return;
    if constexpr (kTls) {
      reading_ = true;
      arm(read_timer_, read_generation_, options_.read_timeout, "TLS handshake");
      stream_.async_handshake(
          net::ssl::stream_base::server,
          [self = this->shared_from_this()](error_code ec) { self->on_handshake(ec); });
    } else {
      do_read();
    }
  }

  void on_handshake(error_code ec) {
    reading_ = false;
    disarm(read_timer_, read_generation_);
    if (closed_) return;
    if (ec) {
      context_->logger.debug("TLS handshake with {} failed: {}", remote_, ec.message());
      close();
      return;
    }
    if (stop_reading_) {
      maybe_finish();
      return;
    }
    do_read();
  }

  void do_read() {
    if (closed_ || stop_reading_ || reading_) return;
    if (slots_.size() >= std::max<std::size_t>(options_.pipeline_limit, 1)) return;
    reading_ = true;
    if (buffer_.size() > 0) {
      read_request();
      return;
    }
    // Wait for the first byte of the next request.
    awaiting_request_ = true;
    if (first_request_)
      arm(read_timer_, read_generation_, options_.read_timeout, "read");
    else
      arm_idle_timer();
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = this->shared_from_this()](error_code ec, std::size_t n) {
                              self->on_first_bytes(ec, n);
                            });
  }

  // The idle deadline runs only while nothing is being answered.
  void arm_idle_timer() {
    if (slots_.empty() && !writing_)
      arm(read_timer_, read_generation_, options_.idle_timeout, "idle");
    else
      disarm(read_timer_, read_generation_);
  }

  void on_first_bytes(error_code ec, std::size_t n) {
    reading_ = false;
    awaiting_request_ = false;
    disarm(read_timer_, read_generation_);
    if (closed_) return;
    if (ec) {
      on_stream_end(ec);
      return;
    }
    buffer_.commit(n);
    if (stop_reading_) {
      maybe_finish();
      return;
    }
    reading_ = true;
    read_request();
  }

  // Feeds the bytes already buffered to `p` without I/O; need_more is not an
  // error. With eager(false) it stops once the header is parsed.
  template <class Parser>
  error_code feed(Parser& p) {
    error_code ec;
    while (buffer_.size() > 0 && !p.is_done()) {
      bool header_was_done = p.is_header_done();
      std::size_t n = p.put(buffer_.data(), ec);
      buffer_.consume(n);
      if (ec == http::error::need_more) return {};
      if (ec || n == 0) return ec;
      if (!p.eager() && !header_was_done && p.is_header_done()) break;
    }
    return ec;
  }

  void read_request() {
    first_request_ = false;
    resolution_.reset();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(options_.header_limit, std::numeric_limits<std::uint32_t>::max())));
    // The route's limit applies once the header is routed (on_header).
    parser_->body_limit(
        std::max<std::uint64_t>(options_.body_limit, context_->router.max_body_limit()));
    parser_->eager(false);
    arm(read_timer_, read_generation_, options_.read_timeout, "read");
    if (auto ec = feed(*parser_)) {
      on_read(ec);
      return;
    }
    if (parser_->is_header_done()) {
      on_header();
      return;
    }
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](error_code ec, std::size_t) {
                              if (self->closed_) return;
                              if (ec)
                                self->on_read(ec);
                              else
                                self->on_header();
                            });
  }

  // The header is parsed: route it, apply the route's body options, read the body.
  void on_header() {
    const auto& req = parser_->get();
    auto method = to_method(req.method());
    auto target_text = req.target();
    RequestTarget target = split_target({target_text.data(), target_text.size()});
    std::uint64_t limit = options_.body_limit;
    bool spool = false;
    if (method && !target.path.empty()) {
      resolution_ = context_->router.resolve(*method, target.path);
      if (resolution_->outcome == Router::Outcome::matched) {
        if (resolution_->options.body_limit) limit = resolution_->options.body_limit;
        spool = resolution_->options.spool_to_file;
      }
    }
    if (auto length = parser_->content_length(); length && *length > limit) {
      on_read(http::error::body_limit);
      return;
    }
    parser_->body_limit(limit);  // chunked bodies are counted as they arrive
    bool routed = method && resolution_ && resolution_->outcome == Router::Outcome::matched;
    if (!routed && awaits_continue()) {
      // No handler will read this body: answer (404/405/400) without a
      // "100 Continue", and close after the answer since the client may
      // still send the body.
      reading_ = false;
      disarm(read_timer_, read_generation_);
      stop_reading_ = true;
      if (shutting_down_) {  // arrived after shutdown began: not taken
        maybe_finish();
        return;
      }
      dispatch(parser_->release(), nullptr);
      parser_.reset();
      return;
    }
    if (awaits_continue()) {
      if (slots_.empty() && !writing_) {
        send_continue(spool);
      } else {
        // Earlier responses are still owed: the 100 goes out after them
        // (on_write); no read deadline while the client waits for it.
        continue_owed_ = spool;
        disarm(read_timer_, read_generation_);
      }
      return;
    }
    read_body(spool);
  }

  // True when the client sent `Expect: 100-continue` and has not sent any
  // of the body yet.
  bool awaits_continue() const {
    if (parser_->is_done() || buffer_.size() != 0) return false;
    const auto& req = parser_->get();
    if (req.version() < 11) return false;
    auto expect = req.find(http::field::expect);
    return expect != req.end() && beast::iequals(expect->value(), "100-continue");
  }

  // Writes "100 Continue", then reads the body.
  void send_continue(bool spool) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    writing_ = true;
    net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                     [self = this->shared_from_this(), spool](error_code ec, std::size_t) {
                       self->writing_ = false;
                       if (self->closed_) return;
                       if (ec || self->stop_reading_) {  // stop_reading held back by the write
                         self->on_read(ec ? ec : net::error::operation_aborted);
                         return;
                       }
                       self->read_body(spool);
                     });
  }

  // Reads the routed request's body into memory, or into a spool file.
  void read_body(bool spool) {
    if (spool && !parser_->is_done()) {
      start_spool();
      return;
    }
    parser_->eager(true);
    if (auto ec = feed(*parser_)) {
      on_read(ec);
      return;
    }
    if (parser_->is_done()) {
      on_read({});
      return;
    }
    http::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_read(ec); });
  }

  // Continues reading the body into a new temporary file.
  void start_spool() {
    std::filesystem::path dir = options_.spool_dir;
    std::error_code fs_ec;
    if (dir.empty()) dir = std::filesystem::temp_directory_path(fs_ec);
    std::string path =
        (dir / ("conflux-body-" + std::string(6, 'X'))).string();  // mkstemp template
    int fd = ::mkstemp(path.data());
    if (fd < 0) {
      context_->logger.error("cannot create a spool file in {}: {}", dir.string(),
                             std::generic_category().message(errno));
      auto method = to_method(parser_->get().method());
      reading_ = false;
      disarm(read_timer_, read_generation_);
      parser_.reset();
      reject(method, 500, "cannot store the request body");
      return;
    }
    ::close(fd);
    spool_path_ = path;
    file_parser_.emplace(std::move(*parser_));
    parser_.reset();
    error_code ec;
    file_parser_->get().body().open(path.c_str(), beast::file_mode::write, ec);
    if (!ec) {
      file_parser_->eager(true);
      ec = feed(*file_parser_);
    }
    if (ec || file_parser_->is_done()) {
      on_spooled(ec);
      return;
    }
    http::async_read(
        stream_, buffer_, *file_parser_,
        [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_spooled(ec); });
  }

  void drop_spool() {
    if (file_parser_) file_parser_->get().body().close();
    file_parser_.reset();
    if (!spool_path_.empty()) std::remove(spool_path_.c_str());
    spool_path_.clear();
  }

  void on_spooled(error_code ec) {
    reading_ = false;
    disarm(read_timer_, read_generation_);
    if (closed_) {
      drop_spool();
      return;
    }
    if (ec) {
      auto method = to_method(file_parser_->get().method());
      drop_spool();
      on_read_error(ec, method);
      return;
    }
    if (shutting_down_) {
      drop_spool();
      maybe_finish();
      return;
    }
    auto req = file_parser_->release();
    req.body().close();
    file_parser_.reset();
    std::error_code fs_ec;
    auto size = std::filesystem::file_size(spool_path_, fs_ec);
    auto file = std::make_shared<HttpBodyFile>(std::move(spool_path_), fs_ec ? 0 : size);
    spool_path_.clear();
    dispatch(std::move(req), std::move(file));
    do_read();
  }

  // The peer closed its side, a read was cancelled, or the socket failed.
  void on_stream_end(error_code ec) {
    bool peer_done = ec == net::error::eof || ec == http::error::end_of_stream ||
                     ec == net::ssl::error::stream_truncated;
    if (peer_done || (ec == net::error::operation_aborted && stop_reading_)) {
      stop_reading_ = true;  // answer what was received, then close
      maybe_finish();
      return;
    }
    if (ec != net::error::operation_aborted)
      context_->logger.debug("connection {} failed: {}", remote_, ec.message());
    close();
  }

  void on_read(error_code ec) {
    reading_ = false;
    disarm(read_timer_, read_generation_);
    if (closed_) return;
    if (ec) {
      std::optional<HttpMethod> method;
      if (parser_ && parser_->is_header_done()) method = to_method(parser_->get().method());
      on_read_error(ec, method);
      return;
    }
    if (shutting_down_) {  // completed after shutdown began: not taken
      maybe_finish();
      return;
    }
    dispatch(parser_->release(), nullptr);
    parser_.reset();
    do_read();
  }

  void on_read_error(error_code ec, std::optional<HttpMethod> method) {
    if (ec.category() != http::make_error_code(http::error::need_more).category() ||
        ec == http::error::end_of_stream || ec == http::error::partial_message) {
      on_stream_end(ec == http::error::partial_message ? net::error::connection_reset : ec);
      return;
    }
    if (ec == http::error::header_limit)
      reject(method, 431, "request headers too large");
    else if (ec == http::error::body_limit)
      reject(method, 413, "request body too large");
    else
      reject(method, 400, "malformed request: " + ec.message());
  }

  // Answers an unreadable request and closes the connection after it.
  void reject(std::optional<HttpMethod> method, int status, std::string_view message) {
    stop_reading_ = true;
    Slot slot;
    slot.method = method_label(method);
    slot.start = SteadyClock::now();
    std::uint64_t seq = add_slot(std::move(slot));
    set_response(seq, HttpResponse::error(status, message));
  }

  std::uint64_t add_slot(Slot slot) {
    slots_.push_back(std::move(slot));
    return front_seq_ + slots_.size() - 1;
  }

  // --- handling -----------------------------------------------------------

  template <class Body>
  void dispatch(http::request<Body>&& req, std::shared_ptr<const HttpBodyFile> body_file) {
    auto method = to_method(req.method());
    Slot slot;
    slot.method = method_label(method);
    slot.start = SteadyClock::now();
    slot.version = req.version();
    slot.head = method == HttpMethod::head;
    bool keep_alive = req.keep_alive();
    auto target_text = req.target();
    RequestTarget target = split_target({target_text.data(), target_text.size()});

    if (target.path.empty()) {
      reject(method, 400, "request target must be a path");
      return;
    }
    if (!keep_alive) stop_reading_ = true;  // this is the last request

    if (!method) {
      auto allowed = context_->router.allowed_methods(target.path);
      std::uint64_t seq = add_slot(std::move(slot));
      set_response(seq, allowed.empty() ? HttpResponse::error(404, "not found")
                                        : method_not_allowed(allowed));
      return;
    }
    auto resolution =
        resolution_ ? std::move(*resolution_) : context_->router.resolve(*method, target.path);
    resolution_.reset();
    if (resolution.outcome != Router::Outcome::matched) {
      std::uint64_t seq = add_slot(std::move(slot));
      set_response(seq, resolution.outcome == Router::Outcome::method_not_allowed
                            ? method_not_allowed(resolution.allowed)
                            : HttpResponse::error(404, "not found"));
      return;
    }

    slot.route = resolution.route;
    std::uint64_t seq = add_slot(std::move(slot));
    HttpRequest request;
    request.method = *method;
    request.path = std::string(target.path);
    request.query = std::string(target.query);
    copy_headers(req, request.headers);
    if constexpr (std::is_same_v<Body, http::string_body>) request.body = std::move(req.body());
    request.body_file = std::move(body_file);
    request.remote = remote_;
    request.params = std::move(resolution.params);
    request.route = std::move(resolution.route);
    HttpReply reply(make_sink(seq));
    try {
      (*resolution.handler)(std::move(request), reply);
    } catch (const std::exception& e) {
      context_->logger.error("handler for {} {} threw: {}", to_string(*method), slots_route(seq),
                             e.what());
      reply.send(HttpResponse::error(500, "internal error"));
    } catch (...) {
      context_->logger.error("handler for {} {} threw a non-standard exception", to_string(*method),
                             slots_route(seq));
      reply.send(HttpResponse::error(500, "internal error"));
    }
  }

  std::string_view slots_route(std::uint64_t seq) const {
    if (seq < front_seq_ || seq - front_seq_ >= slots_.size()) return "?";
    return slots_[seq - front_seq_].route;
  }

  // The HttpReply sink of request `seq`: moves the response onto the strand.
  // `dispatch` runs it inline when the handler answers on the strand (the
  // common synchronous case: no extra post, allocation or strand lock) and
  // posts it otherwise. set_response and do_read tolerate that re-entry.
  HttpReply::Sink make_sink(std::uint64_t seq) {
    return [self = this->shared_from_this(), seq](HttpResponse response) {
      net::dispatch(self->executor_, [self, seq, r = std::move(response)]() mutable {
        self->set_response(seq, std::move(r));
      });
    };
  }

  void set_response(std::uint64_t seq, HttpResponse response) {
    if (closed_ || seq < front_seq_ || seq - front_seq_ >= slots_.size() ||
        slots_[seq - front_seq_].response) {
      if (response.stream) response.stream->cancel();
      return;
    }
    Slot& slot = slots_[seq - front_seq_];
    std::chrono::duration<double> elapsed = SteadyClock::now() - slot.start;
    context_->metrics.record(slot.method,
                             slot.route.empty() ? RequestMetrics::kUnmatched : slot.route,
                             response.status, elapsed.count());
    slot.response = std::move(response);
    do_write();
  }

  // --- writing ------------------------------------------------------------

  void do_write() {
    if (writing_ || closed_ || slots_.empty() || !slots_.front().response) return;
    Slot& slot = slots_.front();
    // The last response of a connection that reads no more says so.
    bool close_after = stop_reading_ && slots_.size() == 1;
    if (close_after) stop_reading();
    if (slot.response->stream) {
      bool bodyless = slot.response->status < 200 || slot.response->status == 204 ||
                      slot.response->status == 304;
      if (slot.head || bodyless) {
        slot.response->stream->cancel();
        slot.response->stream.reset();
      } else {
        write_stream_head(slot, close_after);
        return;
      }
    }
    out_ = {};
    out_.version(slot.version);
    to_beast(std::move(*slot.response), slot.head, out_);
    out_.keep_alive(!close_after);
    close_after_write_ = close_after;
    writing_ = true;
    arm(write_timer_, write_generation_, std::max(options_.read_timeout, options_.idle_timeout),
        "write");
    http::async_write(stream_, out_, [self = this->shared_from_this()](error_code ec, std::size_t) {
      self->on_write(ec);
    });
  }

  void on_write(error_code ec) {
    writing_ = false;
    disarm(write_timer_, write_generation_);
    if (closed_) return;
    if (ec) {
      context_->logger.debug("writing to {} failed: {}", remote_, ec.message());
      close();
      return;
    }
    slots_.pop_front();
    ++front_seq_;
    if (close_after_write_) {
      stop_reading_ = true;
      linger_ = true;  // the peer may still be sending: drain before closing
      maybe_finish();
      return;
    }
    if (continue_owed_ && slots_.empty()) {  // a 100 held back by earlier responses
      bool spool = *continue_owed_;
      continue_owed_.reset();
      if (stop_reading_) {
        on_read(net::error::operation_aborted);
      } else {
        arm(read_timer_, read_generation_, options_.read_timeout, "read");
        send_continue(spool);
      }
      maybe_finish();
      return;
    }
    if (stop_reading_) stop_reading();  // a read held back by the write
    do_write();
    do_read();  // resumes a read paused by the pipeline limit
    if (awaiting_request_) arm_idle_timer();
    maybe_finish();
  }

  // --- streamed responses -----------------------------------------------

  void write_stream_head(Slot& slot, bool close_after) {
    HttpResponse& response = *slot.response;
    body_stream_ = std::move(response.stream);
    chunked_ = slot.version >= 11;
    if (!chunked_) close_after = true;  // HTTP/1.0: the body ends at the close
    if (close_after) stop_reading();
    stream_head_.emplace();
    stream_head_->version(slot.version);
    stream_head_->result(static_cast<unsigned>(
        response.status >= 100 && response.status <= 999 ? response.status : 500));
    copy_response_headers(response.headers, *stream_head_);
    if (chunked_) stream_head_->chunked(true);
    stream_head_->keep_alive(!close_after);
    close_after_write_ = close_after;
    stream_serializer_.emplace(*stream_head_);
    writing_ = true;
    arm(write_timer_, write_generation_, std::max(options_.read_timeout, options_.idle_timeout),
        "write");
    http::async_write_header(stream_, *stream_serializer_,
                             [self = this->shared_from_this()](error_code ec, std::size_t) {
                               self->disarm(self->write_timer_, self->write_generation_);
                               if (self->closed_) return;
                               if (ec) {
                                 self->on_write(ec);
                                 return;
                               }
                               self->pump_stream();
                             });
  }

  // Writes what the producer has buffered, waits for more, or ends the body.
  void pump_stream() {
    if (closed_ || !body_stream_) return;
    disarm(write_timer_, write_generation_);
    // The wake keeps the session alive while it waits for the producer (the
    // cycle ends when the wake runs, or close() cancels the pipe); the write
    // deadline bounds the wait.
    auto wake = [self = this->shared_from_this()] {
      self->post_self([](Session& s) { s.pump_stream(); });
    };
    switch (body_stream_->pull(chunk_, std::move(wake))) {
      case HttpBodyStream::Pull::pending:
        arm(write_timer_, write_generation_, std::max(options_.read_timeout, options_.idle_timeout),
            "streamed body");
        return;
      case HttpBodyStream::Pull::failed:
        context_->logger.warn("streamed response to {} failed: {}", remote_,
                              body_stream_->failure());
        close();
        return;
      case HttpBodyStream::Pull::end:
        end_stream();
        return;
      case HttpBodyStream::Pull::data:
        break;
    }
    auto done = [self = this->shared_from_this()](error_code ec, std::size_t) {
      self->disarm(self->write_timer_, self->write_generation_);
      if (self->closed_) return;
      if (ec) {
        self->on_write(ec);
        return;
      }
      self->pump_stream();
    };
    arm(write_timer_, write_generation_, std::max(options_.read_timeout, options_.idle_timeout),
        "write");
    if (chunked_)
      net::async_write(stream_, http::make_chunk(net::buffer(chunk_)), std::move(done));
    else
      net::async_write(stream_, net::buffer(chunk_), std::move(done));
  }

  void end_stream() {
    auto done = [self = this->shared_from_this()](error_code ec, std::size_t) {
      self->body_stream_.reset();
      self->stream_serializer_.reset();
      self->stream_head_.reset();
      self->chunk_.clear();
      self->on_write(ec);
    };
    if (chunked_) {
      arm(write_timer_, write_generation_, std::max(options_.read_timeout, options_.idle_timeout),
          "write");
      net::async_write(stream_, http::make_chunk_last(), std::move(done));
    } else {
      done({}, 0);
    }
  }

  // --- closing ------------------------------------------------------------

  // No more requests are read; a pending read is cancelled unless a write is
  // in progress (cancel would abort it too; on_write retries).
  void stop_reading() {
    stop_reading_ = true;
    if (reading_ && !writing_) {
      error_code ignored;
      socket().cancel(ignored);
    }
  }

  // Closes once nothing is read, written or awaited any more.
  void maybe_finish() {
    if (closed_ || lingering_) return;
    if (!stop_reading_ || reading_ || writing_ || !slots_.empty()) return;
    if (linger_)
      linger_close();
    else
      close();
  }

  // Half-closes, then discards what the peer still sends until it closes or
  // the linger deadline passes.
  void linger_close() {
    lingering_ = true;
    error_code ec;
    socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) {
      close();
      return;
    }
    arm(read_timer_, read_generation_, std::min(options_.read_timeout, kMaxLinger), "linger");
    drain();
  }

  void drain() {
    socket().async_read_some(net::buffer(drain_buffer_),
                             [self = this->shared_from_this()](error_code ec, std::size_t) {
                               if (self->closed_) return;
                               if (ec)
                                 self->close();
                               else
                                 self->drain();
                             });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    disarm(read_timer_, read_generation_);
    disarm(write_timer_, write_generation_);
    error_code ignored;
    socket().shutdown(tcp::socket::shutdown_both, ignored);
    socket().close(ignored);
    if (body_stream_) body_stream_->cancel();
    for (auto& slot : slots_)
      if (slot.response && slot.response->stream) slot.response->stream->cancel();
    slots_.clear();
    parser_.reset();
    drop_spool();
    context_->connections.remove(this);
  }

  Stream stream_;
  std::shared_ptr<ServerContext> context_;
  const HttpServerOptions& options_;
  std::shared_ptr<void> keep_;  // the TLS context, for TLS sessions
  SessionExecutor executor_;
  Timer read_timer_;
  Timer write_timer_;
  unsigned read_generation_ = 0;
  unsigned write_generation_ = 0;
  std::string remote_;

  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::request_parser<http::file_body>> file_parser_;  // spooling routes
  std::string spool_path_;
  std::optional<Router::Resolution> resolution_;  // the routed header being read
  std::shared_ptr<HttpBodyStream> body_stream_;   // the streamed response being written
  std::optional<http::response<http::empty_body>> stream_head_;
  std::optional<http::response_serializer<http::empty_body>> stream_serializer_;
  std::string chunk_;
  bool chunked_ = true;
  std::deque<Slot> slots_;
  std::uint64_t front_seq_ = 0;  // sequence number of slots_.front()
  BeastResponse out_;
  std::array<char, 1024> drain_buffer_{};

  bool first_request_ = true;
  bool reading_ = false;
  bool awaiting_request_ = false;  // the pending read waits for a first byte
  bool writing_ = false;
  std::optional<bool> continue_owed_;  // a "100 Continue" to send once no response is owed (spool?)
  bool close_after_write_ = false;
  bool stop_reading_ = false;
  bool shutting_down_ = false;
  bool linger_ = false;     // close with a lingering close
  bool lingering_ = false;  // the lingering close has begun
  bool closed_ = false;
};

template <class S>
void launch(const std::shared_ptr<S>& session, ConnectionRegistry& registry) {
  if (registry.add(session))
    session->run();
  else
    session->force_close();
}

}  // namespace

void start_session(SessionSocket socket, std::shared_ptr<ServerContext> context,
                   std::shared_ptr<net::ssl::context> tls) {
  auto& registry = context->connections;
  if (tls) {
    auto& ssl_context = *tls;
    auto session = std::make_shared<Session<TlsStream>>(TlsStream(std::move(socket), ssl_context),
                                                        std::move(context), std::move(tls));
    launch(session, registry);
  } else {
    auto session =
        std::make_shared<Session<SessionSocket>>(std::move(socket), std::move(context), nullptr);
    launch(session, registry);
  }
}

}  // namespace conflux::core
