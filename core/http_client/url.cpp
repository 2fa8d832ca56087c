// core/http_client/url.cpp — parse_http_url and the HttpUrl helpers.
//
// Thread-safety: pure functions over plain values.
#include "core/http_client/url.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace conflux::core {
namespace {

Result<HttpUrl> bad(std::string_view url, std::string_view why) {
  return fail(ErrorCode::invalid_argument,
              "invalid URL '" + std::string(url) + "': " + std::string(why));
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

bool is_ipv4(const std::string& host) {
  in_addr addr{};
  return inet_pton(AF_INET, host.c_str(), &addr) == 1;
}

bool is_ipv6(const std::string& host) {
  in6_addr addr{};
  return inet_pton(AF_INET6, host.c_str(), &addr) == 1;
}

}  // namespace

std::string HttpUrl::host_header() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != (tls ? 443 : 80)) h += ":" + std::to_string(port);
  return h;
}

std::string HttpUrl::authority() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return h + ":" + std::to_string(port);
}

std::string HttpUrl::pool_key() const { return std::string(scheme()) + "://" + authority(); }

Result<HttpUrl> parse_http_url(std::string_view url) {
  for (char c : url) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return bad(url, "contains whitespace or a non-ASCII character");
  }
  HttpUrl out;
  auto sep = url.find("://");
  if (sep == std::string_view::npos)
    return bad(url, "missing scheme (expected http:// or https://)");
  std::string scheme;
  std::transform(url.begin(), url.begin() + sep, std::back_inserter(scheme), lower);
  if (scheme == "https") {
    out.tls = true;
  } else if (scheme != "http") {
    return bad(url, "unsupported scheme '" + scheme + "' (expected http or https)");
  }
  std::string_view rest = url.substr(sep + 3);
  if (auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);

  auto target_at = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, target_at);
  std::string_view target =
      target_at == std::string_view::npos ? std::string_view{} : rest.substr(target_at);
  if (authority.find('@') != std::string_view::npos)
    return bad(url, "user info in URLs is not supported (use an Authorization header)");
  if (authority.empty()) return bad(url, "missing host");

  std::string_view port_text;
  bool has_port = false;
  if (authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return bad(url, "unterminated IPv6 literal");
    std::string host(authority.substr(1, close - 1));
    std::transform(host.begin(), host.end(), host.begin(), lower);
    if (!is_ipv6(host)) return bad(url, "malformed IPv6 literal '" + host + "'");
    out.host = std::move(host);
    out.host_is_ip = true;
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad(url, "unexpected characters after IPv6 literal");
      has_port = true;
      port_text = after.substr(1);
    }
  } else {
    auto colon = authority.find(':');
    std::string host(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      has_port = true;
      port_text = authority.substr(colon + 1);
    }
    if (host.empty()) return bad(url, "missing host");
    std::transform(host.begin(), host.end(), host.begin(), lower);
    if (!std::all_of(host.begin(), host.end(), is_name_char) || host.size() > 253 ||
        host.front() == '.' || host.front() == '-')
      return bad(url, "malformed host '" + host + "'");
    out.host_is_ip = is_ipv4(host);
    out.host = std::move(host);
  }

  out.port = out.tls ? 443 : 80;
  if (has_port && !port_text.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || value == 0 ||
        value > 65535 || port_text.size() > 5)
      return bad(url, "bad port '" + std::string(port_text) + "'");
    out.port = static_cast<std::uint16_t>(value);
  }

  if (target.empty()) {
    out.target = "/";
  } else if (target.front() == '?') {
    out.target = "/" + std::string(target);
  } else {
    out.target = std::string(target);
  }
  return out;
}

}  // namespace conflux::core
