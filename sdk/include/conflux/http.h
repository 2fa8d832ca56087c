// conflux/http.h — HTTP requests, responses and route registration on the
// shared listener.
//
// These are SDK value types, independent of Beast: the core converts at the
// socket. A plugin registers handlers with `Host::routes().add(...)` during
// `start()`; after all plugins have started the route table is frozen and
// `add` fails with `failed_precondition`.
//
// Handlers run on an io_context thread and must not block. A handler answers
// through its `HttpReply`, now or later, from any thread; the reply can be
// copied into callbacks. If every copy is destroyed without `send`, the client
// gets 500 — a request is never left hanging.
//
// Large bodies (see docs/http.md):
// - A response may stream its body: set `HttpResponse::stream` to an
//   HttpBodyStream (a bounded pipe). A producer thread writes chunks into it
//   (write blocks while the pipe is full: that is the backpressure of a slow
//   client) and calls finish(); the server sends them with chunked transfer
//   encoding as they come. When the client goes away, write returns false.
// - A route may accept a larger request body than `http.body_limit`, spooled
//   to a temporary file while it arrives instead of being held in memory:
//   register it with `add_with_options` and HttpRouteOptions{.body_limit,
//   .spool_to_file = true}; the handler then finds the body in
//   `HttpRequest::body_file` (removed when the last reference is dropped) and
//   `body` stays empty.
// - A route pattern may end with a tail parameter `{name...}` that binds the
//   rest of the path (one or more segments), as sent (still percent-encoded).
//
// Thread-safety: HttpRequest/HttpResponse are plain values. HttpReply::send is
// thread-safe; only the first send counts. HttpBodyStream is thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "conflux/status.h"

namespace conflux {

enum class HttpMethod : std::uint8_t { get, head, post, put, patch, del, options };

constexpr std::string_view to_string(HttpMethod m) noexcept {
  switch (m) {
    case HttpMethod::get:
      return "GET";
    case HttpMethod::head:
      return "HEAD";
    case HttpMethod::post:
      return "POST";
    case HttpMethod::put:
      return "PUT";
    case HttpMethod::patch:
      return "PATCH";
    case HttpMethod::del:
      return "DELETE";
    case HttpMethod::options:
      return "OPTIONS";
  }
  return "GET";
}

// ASCII case-insensitive equality (header names).
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Ordered header list with case-insensitive lookup.
class HttpHeaders {
 public:
  struct Field {
    std::string name;
    std::string value;
  };

  // The first value of `name`, if present.
  std::optional<std::string_view> get(std::string_view name) const noexcept {
    for (const auto& f : fields_)
      if (iequals(f.name, name)) return std::string_view(f.value);
    return std::nullopt;
  }
  // Replaces every `name` field with one field.
  void set(std::string_view name, std::string value) {
    erase(name);
    fields_.push_back({std::string(name), std::move(value)});
  }
  // Appends a field (keeps existing ones).
  void add(std::string name, std::string value) {
    fields_.push_back({std::move(name), std::move(value)});
  }
  void erase(std::string_view name) {
    std::erase_if(fields_, [&](const Field& f) { return iequals(f.name, name); });
  }
  const std::vector<Field>& fields() const noexcept { return fields_; }

 private:
  std::vector<Field> fields_;
};

// Percent-decodes `in` ('+' becomes ' ' when `plus_is_space`). Fails on a
// truncated or non-hex escape.
inline std::optional<std::string> url_decode(std::string_view in, bool plus_is_space = false) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      int h = hex(in[i + 1]), l = hex(in[i + 2]);
      if (h < 0 || l < 0) return std::nullopt;
      out.push_back(static_cast<char>(h * 16 + l));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Appends `s` to `out`, escaped for use inside a JSON string literal
// (without the quotes). Bytes >= 0x80 are copied as they are.
inline void json_escape_to(std::string& out, std::string_view s) {
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 15]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
}

// `s` escaped for use inside a JSON string literal (without the quotes).
inline std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  json_escape_to(out, s);
  return out;
}

class HttpBodyFile;

struct HttpRequest {
  HttpMethod method = HttpMethod::get;
  std::string path;   // the path as received, without the query; percent-encoded
  std::string query;  // the raw query string, without '?'
  HttpHeaders headers;
  std::string body;
  std::string remote;  // peer "address:port"
  // Path parameters bound by the route pattern, percent-decoded.
  std::vector<std::pair<std::string, std::string>> params;
  // The route pattern that matched, e.g. "/things/{id}" (metrics label).
  std::string route;
  // Routes added with HttpRouteOptions::spool_to_file: the body, spooled to a
  // temporary file (`body` is then empty). Null otherwise.
  std::shared_ptr<const HttpBodyFile> body_file;

  // The value of path parameter `{name}`, or "".
  std::string_view param(std::string_view name) const noexcept {
    for (const auto& [k, v] : params)
      if (k == name) return v;
    return {};
  }
  std::optional<std::string_view> header(std::string_view name) const noexcept {
    return headers.get(name);
  }
  // The first value of query parameter `name`, percent-decoded ('+' = ' ').
  // nullopt when absent or undecodable.
  std::optional<std::string> query_param(std::string_view name) const {
    std::string_view rest = query;
    while (!rest.empty()) {
      auto amp = rest.find('&');
      std::string_view pair = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
      auto eq = pair.find('=');
      std::string_view key = pair.substr(0, eq);
      auto dkey = url_decode(key, true);
      if (!dkey || *dkey != name) continue;
      if (eq == std::string_view::npos) return std::string();
      return url_decode(pair.substr(eq + 1), true);
    }
    return std::nullopt;
  }
};

// A request body spooled to a temporary file by the server (routes added
// with HttpRouteOptions::spool_to_file). The file is removed when the last
// reference is dropped. Read it with any file API; do not rename or delete it.
class HttpBodyFile {
 public:
  HttpBodyFile(std::string path, std::uint64_t size) : path_(std::move(path)), size_(size) {}
  ~HttpBodyFile() { std::remove(path_.c_str()); }
  HttpBodyFile(const HttpBodyFile&) = delete;
  HttpBodyFile& operator=(const HttpBodyFile&) = delete;

  const std::string& path() const noexcept { return path_; }
  std::uint64_t size() const noexcept { return size_; }

 private:
  std::string path_;
  std::uint64_t size_ = 0;
};

// A streamed response body: a bounded pipe from one producer to the server.
//
// Producer (a thread of the handler's own, never an io thread: write blocks):
//   write(chunk)... then finish(), or fail(reason) when the body cannot be
//   completed. write returns false once the consumer is gone (the client
//   disconnected, or the server is stopping): stop producing then.
// Consumer (the server): pull() takes everything buffered; when nothing is,
//   it keeps `wake` and calls it once data, finish or fail arrives. cancel()
//   says the consumer is gone and releases a blocked producer.
// A response whose body failed midway cannot change its status any more: the
// server aborts the connection, so the client sees an incomplete body.
// Destroying the last reference without finish() counts as fail().
class HttpBodyStream {
 public:
  enum class Pull : std::uint8_t { data, pending, end, failed };

  // `capacity`: bytes buffered before write blocks.
  explicit HttpBodyStream(std::size_t capacity = 256 * 1024) : capacity_(capacity ? capacity : 1) {}
  HttpBodyStream(const HttpBodyStream&) = delete;
  HttpBodyStream& operator=(const HttpBodyStream&) = delete;

  // Appends a copy of `chunk`; blocks while `capacity` bytes are waiting.
  // false when the consumer is gone (nothing more will be sent).
  bool write(std::string_view chunk) {
    std::function<void()> wake;
    {
      std::unique_lock lock(mu_);
      space_.wait(lock, [&] { return cancelled_ || buffer_.size() < capacity_; });
      if (cancelled_ || state_ != State::open) return false;
      buffer_.append(chunk);
      wake = std::move(wake_);
      wake_ = nullptr;
    }
    if (wake) wake();
    return true;
  }
  // The body is complete.
  void finish() noexcept { close(State::finished, {}); }
  // The body cannot be completed; `reason` is logged by the server.
  void fail(std::string reason) noexcept { close(State::failed, std::move(reason)); }
  // Why the producer failed ("" when it did not).
  std::string failure() const {
    std::lock_guard lock(mu_);
    return failure_;
  }

  // Consumer: moves the buffered bytes into `out` (data), or reports the end
  // (end / failed), or keeps `wake` for later (pending).
  Pull pull(std::string& out, std::function<void()> wake) {
    std::lock_guard lock(mu_);
    if (!buffer_.empty()) {
      out.clear();
      out.swap(buffer_);
      space_.notify_all();
      return Pull::data;
    }
    if (state_ == State::finished) return Pull::end;
    if (state_ == State::failed) return Pull::failed;
    wake_ = std::move(wake);
    return Pull::pending;
  }
  // Consumer: gone; write returns false from now on.
  void cancel() noexcept {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    wake_ = nullptr;
    space_.notify_all();
  }
  bool cancelled() const noexcept {
    std::lock_guard lock(mu_);
    return cancelled_;
  }
  // Consumer for callers that may block (tests, in-process use): reads to the
  // end. nullopt when the producer failed.
  std::optional<std::string> read_all() {
    std::string all, part;
    while (true) {
      std::mutex m;
      std::condition_variable cv;
      bool woken = false;
      auto r = pull(part, [&] {
        std::lock_guard l(m);
        woken = true;
        cv.notify_all();
      });
      if (r == Pull::data) {
        all += part;
      } else if (r == Pull::end) {
        return all;
      } else if (r == Pull::failed) {
        return std::nullopt;
      } else {
        std::unique_lock l(m);
        cv.wait(l, [&] { return woken; });
      }
    }
  }

  ~HttpBodyStream() = default;

 private:
  enum class State : std::uint8_t { open, finished, failed };

  void close(State s, std::string reason) noexcept {
    std::function<void()> wake;
    {
      std::lock_guard lock(mu_);
      if (state_ != State::open) return;
      state_ = s;
      try {
        failure_ = std::move(reason);
      } catch (...) {
      }
      wake = std::move(wake_);
      wake_ = nullptr;
    }
    if (wake) {
      try {
        wake();
      } catch (...) {
      }
    }
  }

  mutable std::mutex mu_;
  std::condition_variable space_;
  std::string buffer_;
  std::function<void()> wake_;
  std::size_t capacity_;
  State state_ = State::open;
  bool cancelled_ = false;
  std::string failure_;
};

struct HttpResponse {
  int status = 200;
  HttpHeaders headers;
  std::string body;
  // When set, the body is streamed from this pipe (chunked transfer encoding;
  // `body` is ignored). See HttpBodyStream.
  std::shared_ptr<HttpBodyStream> stream;

  // A streamed response; the producer writes into `stream`.
  static HttpResponse streamed(int status, std::string content_type,
                               std::shared_ptr<HttpBodyStream> stream) {
    HttpResponse r;
    r.status = status;
    r.headers.set("Content-Type", std::move(content_type));
    r.stream = std::move(stream);
    return r;
  }

  // A response with a body and its content type.
  static HttpResponse with_body(int status, std::string body, std::string content_type) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers.set("Content-Type", std::move(content_type));
    return r;
  }
  static HttpResponse json(int status, std::string body) {
    return with_body(status, std::move(body), "application/json");
  }
  // The Mainflux error shape: {"error":"<message>"}.
  static HttpResponse error(int status, std::string_view message) {
    return json(status, "{\"error\":\"" + json_escape(message) + "\"}");
  }
  // An error response for an Error, with the status of its code.
  static HttpResponse error(const Error& e);
  static HttpResponse empty(int status) {
    HttpResponse r;
    r.status = status;
    return r;
  }
};

// The HTTP status an ErrorCode maps to.
constexpr int http_status(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::invalid_argument:
      return 400;
    case ErrorCode::unauthenticated:
      return 401;
    case ErrorCode::permission_denied:
      return 403;
    case ErrorCode::not_found:
      return 404;
    case ErrorCode::already_exists:
      return 409;
    case ErrorCode::failed_precondition:
      return 409;
    case ErrorCode::payload_too_large:
      return 413;
    case ErrorCode::unsupported_media:
      return 415;
    case ErrorCode::resource_exhausted:
      return 503;
    case ErrorCode::unavailable:
      return 503;
    case ErrorCode::timeout:
      return 504;
    case ErrorCode::cancelled:
      return 503;
    case ErrorCode::internal:
      return 500;
  }
  return 500;
}

inline HttpResponse HttpResponse::error(const Error& e) {
  return error(http_status(e.code), e.message);
}

// The one-shot answer channel of a request. Copyable; the first `send` wins.
class HttpReply {
 public:
  using Sink = std::function<void(HttpResponse)>;

  HttpReply() = default;
  explicit HttpReply(Sink sink) : state_(std::make_shared<State>(std::move(sink))) {}

  // Sends the response. Later calls are ignored. Thread-safe.
  void send(HttpResponse response) const noexcept {
    if (!state_ || state_->sent.exchange(true)) return;
    try {
      state_->sink(std::move(response));
    } catch (...) {
    }
  }
  bool sent() const noexcept { return state_ && state_->sent.load(); }

 private:
  struct State {
    explicit State(Sink s) : sink(std::move(s)) {}
    ~State() {
      if (!sent.exchange(true)) {
        try {
          sink(HttpResponse::error(500, "handler did not reply"));
        } catch (...) {
        }
      }
    }
    Sink sink;
    std::atomic<bool> sent{false};
  };
  std::shared_ptr<State> state_;
};

// A request handler. Receives the request by value (keep or move it freely).
using HttpHandler = std::function<void(HttpRequest request, HttpReply reply)>;

// Per-route request body handling.
struct HttpRouteOptions {
  // The largest request body accepted (413 above it); 0: the server's
  // http.body_limit.
  std::uint64_t body_limit = 0;
  // Write the body to a temporary file while it arrives (memory stays flat);
  // the handler gets it in HttpRequest::body_file.
  bool spool_to_file = false;
};

// The shared listener's route table.
class HttpRoutes {
 public:
  virtual ~HttpRoutes() = default;

  // Registers `handler` for `method` on `pattern`. Patterns are absolute paths
  // whose segments are literals or `{name}` parameters, e.g.
  // "/things/{id}/channels". A literal segment wins over a parameter.
  // Fails with already_exists for a duplicate (method, pattern), with
  // invalid_argument for a malformed pattern, and with failed_precondition
  // once the table is frozen.
  virtual Status add(HttpMethod method, std::string_view pattern, HttpHandler handler) noexcept = 0;

  // Like `add`, with per-route body handling (see HttpRouteOptions). A table
  // that does not support an option fails with failed_precondition.
  virtual Status add_with_options(HttpMethod method, std::string_view pattern,
                                  HttpRouteOptions options, HttpHandler handler) noexcept {
    if (options.body_limit == 0 && !options.spool_to_file)
      return add(method, pattern, std::move(handler));
    return fail(ErrorCode::failed_precondition,
                "this route table does not support route options: " + std::string(pattern));
  }
};

// A parsed route pattern. Used by the core router and by FakeHost.
class RoutePattern {
 public:
  struct Segment {
    std::string text;  // literal text, or the parameter name
    bool is_param = false;
    bool is_tail = false;  // `{name...}`: binds the rest of the path (last segment only)
  };

  // Parses "/a/{b}/c" and "/a/{rest...}". Fails on a missing leading '/', an
  // empty segment (except a lone "/"), an unbalanced brace, or a tail
  // parameter that is not the last segment.
  static Result<RoutePattern> parse(std::string_view pattern) {
    if (pattern.empty() || pattern[0] != '/')
      return fail(ErrorCode::invalid_argument,
                  "route pattern must start with '/': " + std::string(pattern));
    RoutePattern p;
    p.text_ = std::string(pattern);
    std::string_view rest = pattern.substr(1);
    if (rest.empty()) return p;
    while (true) {
      auto slash = rest.find('/');
      std::string_view seg = rest.substr(0, slash);
      if (seg.empty())
        return fail(ErrorCode::invalid_argument,
                    "empty segment in route pattern: " + std::string(pattern));
      bool open = seg.front() == '{', close = seg.back() == '}';
      if (open != close || (open && seg.size() < 3) ||
          (!open && (seg.find('{') != seg.npos || seg.find('}') != seg.npos)))
        return fail(ErrorCode::invalid_argument,
                    "malformed segment in route pattern: " + std::string(pattern));
      if (open) {
        std::string_view name = seg.substr(1, seg.size() - 2);
        bool tail = name.size() > 3 && name.ends_with("...");
        if (tail) name.remove_suffix(3);
        if (tail && slash != std::string_view::npos)
          return fail(ErrorCode::invalid_argument,
                      "a tail parameter must be the last segment: " + std::string(pattern));
        p.segments_.push_back({std::string(name), true, tail});
      } else {
        p.segments_.push_back({std::string(seg), false});
      }
      if (slash == std::string_view::npos) break;
      rest = rest.substr(slash + 1);
    }
    return p;
  }

  // Splits a request path into raw segments ("/a//b/" -> {"a","","b"}; a
  // trailing slash is ignored).
  static std::vector<std::string_view> split(std::string_view path) {
    std::vector<std::string_view> out;
    if (!path.empty() && path[0] == '/') path.remove_prefix(1);
    if (!path.empty() && path.back() == '/') path.remove_suffix(1);
    if (path.empty()) return out;
    while (true) {
      auto slash = path.find('/');
      out.push_back(path.substr(0, slash));
      if (slash == std::string_view::npos) break;
      path = path.substr(slash + 1);
    }
    return out;
  }

  // Matches split path segments; on success appends decoded parameters.
  // A tail parameter binds the remaining segments joined by '/', undecoded.
  bool match(const std::vector<std::string_view>& path,
             std::vector<std::pair<std::string, std::string>>* params) const {
    bool tail = !segments_.empty() && segments_.back().is_tail;
    if (tail ? path.size() < segments_.size() : path.size() != segments_.size()) return false;
    std::vector<std::pair<std::string, std::string>> bound;
    for (std::size_t i = 0; i < segments_.size(); ++i) {
      const auto& s = segments_[i];
      if (s.is_tail) {
        std::string rest;
        for (std::size_t j = i; j < path.size(); ++j) {
          if (j > i) rest.push_back('/');
          rest.append(path[j]);
        }
        bound.emplace_back(s.text, std::move(rest));
      } else if (s.is_param) {
        if (path[i].empty()) return false;
        auto v = url_decode(path[i]);
        if (!v) return false;
        bound.emplace_back(s.text, std::move(*v));
      } else if (s.text != path[i]) {
        return false;
      }
    }
    if (params)
      for (auto& b : bound) params->push_back(std::move(b));
    return true;
  }

  const std::string& text() const noexcept { return text_; }
  const std::vector<Segment>& segments() const noexcept { return segments_; }

 private:
  std::string text_;
  std::vector<Segment> segments_;
};

}  // namespace conflux
