// core/http_client/url.h — parsing of the absolute http/https URLs that
// outbound requests name (http://host[:port]/path?query, IPv6 literals in
// brackets).
//
// Thread-safety: pure functions over plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "conflux/status.h"

namespace conflux::core {

struct HttpUrl {
  bool tls = false;        // https
  std::string host;        // lower-cased name or address; IPv6 without brackets
  std::uint16_t port = 0;  // explicit, or 80 / 443 by scheme
  std::string target;      // path and query, never empty ("/" by default)
  bool host_is_ip = false;

  // "http" or "https".
  std::string_view scheme() const noexcept { return tls ? "https" : "http"; }
  // The Host header value: the host (bracketed when IPv6), with ":port" only
  // when the port is not the scheme's default.
  std::string host_header() const;
  // "host:port" for messages ("[::1]:8080" for IPv6).
  std::string authority() const;
  // The keep-alive pool key: "scheme://host:port".
  std::string pool_key() const;
};

// Parses an absolute URL. Fails with invalid_argument (the message names the
// URL and the reason) on a scheme other than http/https, a missing or
// malformed host, user info, a bad port, or whitespace/control characters.
// A fragment ("#...") is dropped.
[[nodiscard]] Result<HttpUrl> parse_http_url(std::string_view url);

}  // namespace conflux::core
