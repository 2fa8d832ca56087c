// core/http — conversions between Beast messages and the SDK's HttpRequest /
// HttpResponse, done once at the socket.
//
// Private to core/http (included by session.cpp only).
//
// Thread-safety: pure functions.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "conflux/http.h"

namespace conflux::core {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

// The SDK method of a Beast verb; nullopt for methods the SDK does not route.
std::optional<HttpMethod> to_method(boost::beast::http::verb verb) noexcept;

// The method's label for metrics: "GET", ... or "OTHER" (bounded cardinality).
std::string_view method_label(std::optional<HttpMethod> method) noexcept;

// A request target split at '?'. An absolute-form target
// ("http://host/a?b") yields its path ("/a"). `path` is empty when the target
// is not a path (e.g. "*").
struct RequestTarget {
  std::string_view path;
  std::string_view query;
};
RequestTarget split_target(std::string_view target) noexcept;

// Copies the header fields of `from` into `to` (in order).
void copy_headers(const boost::beast::http::fields& from, HttpHeaders& to);

// Copies the handler's header fields into `out`, leaving out the framing
// fields the server owns and fields containing CR or LF.
void copy_response_headers(const HttpHeaders& in, boost::beast::http::fields& out);

// Fills `out` (status, headers, body, Content-Length) from `in`. A HEAD
// answer keeps the Content-Length of the body it drops; 1xx, 204 and 304
// carry neither body nor Content-Length. Connection, Content-Length and
// Transfer-Encoding set by the handler are ignored (the server owns framing),
// as are fields containing CR or LF.
void to_beast(HttpResponse&& in, bool head, BeastResponse& out);

// "1.2.3.4:80" or "[::1]:80".
std::string format_endpoint(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace conflux::core
