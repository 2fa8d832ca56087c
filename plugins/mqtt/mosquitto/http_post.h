// plugins/mqtt/mosquitto — a small blocking HTTP/1.1 client for the
// Mosquitto auth plugin (and the MQTT benchmark): one request per connection ("Connection: close")
// to a plain-HTTP endpoint (Conflux on loopback or a private network), with connect/send/receive
// timeouts.
//
// Thread-safety: post() is reentrant; Endpoint is a plain value.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace conflux::mosquitto_auth {

struct Endpoint {
  std::string host;
  std::string port;
  std::string base_path;  // "" or "/prefix" (no trailing slash)
};

// Parses "http://host:port[/prefix]"; nullopt for anything else.
std::optional<Endpoint> parse_endpoint(std::string_view url);

struct HttpResult {
  int status = 0;       // 0: no response (the error says why)
  std::string headers;  // the raw header block (status line excluded)
  std::string body;
  std::string error;
};

// `extra_headers`: more "Name: value\r\n" lines (e.g. Authorization).
HttpResult request(const Endpoint& endpoint, std::string_view method, std::string_view path,
                   std::string_view body, std::chrono::milliseconds timeout,
                   std::string_view extra_headers = {});

inline HttpResult post_json(const Endpoint& endpoint, std::string_view path, std::string_view body,
                            std::chrono::milliseconds timeout) {
  return request(endpoint, "POST", path, body, timeout);
}

}  // namespace conflux::mosquitto_auth
