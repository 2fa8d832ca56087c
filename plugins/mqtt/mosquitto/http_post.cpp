// plugins/mqtt/mosquitto — blocking HTTP POST over a TCP socket.
#include "http_post.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace conflux::mosquitto_auth {
namespace {

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

bool connect_with_timeout(int fd, const sockaddr* addr, socklen_t len,
                          std::chrono::milliseconds timeout) {
  int flags = ::fcntl(fd, F_GETFL, 0);
  ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  int rc = ::connect(fd, addr, len);
  if (rc != 0 && errno != EINPROGRESS) return false;
  if (rc != 0) {
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) return false;
    int err = 0;
    socklen_t errlen = sizeof err;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errlen) != 0 || err != 0) return false;
  }
  ::fcntl(fd, F_SETFL, flags);
  return true;
}

}  // namespace

std::optional<Endpoint> parse_endpoint(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) return std::nullopt;
  url.remove_prefix(kScheme.size());
  auto slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : url.substr(slash);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  auto colon = authority.rfind(':');
  Endpoint e;
  if (colon == std::string_view::npos) {
    e.host = std::string(authority);
    e.port = "80";
  } else {
    e.host = std::string(authority.substr(0, colon));
    e.port = std::string(authority.substr(colon + 1));
  }
  if (e.host.empty() || e.port.empty()) return std::nullopt;
  e.base_path = std::string(path);
  return e;
}

HttpResult request(const Endpoint& endpoint, std::string_view method, std::string_view path,
                   std::string_view body, std::chrono::milliseconds timeout,
                   std::string_view extra_headers) {
  HttpResult result;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  if (::getaddrinfo(endpoint.host.c_str(), endpoint.port.c_str(), &hints, &list) != 0 || !list) {
    result.error = "cannot resolve " + endpoint.host;
    return result;
  }
  Fd sock;
  for (addrinfo* a = list; a != nullptr; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (connect_with_timeout(fd, a->ai_addr, a->ai_addrlen, timeout)) {
      sock.fd = fd;
      break;
    }
    ::close(fd);
  }
  ::freeaddrinfo(list);
  if (sock.fd < 0) {
    result.error = "cannot connect to " + endpoint.host + ":" + endpoint.port;
    return result;
  }
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(sock.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(sock.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);

  std::string message = std::string(method) + " " + endpoint.base_path + std::string(path) +
                        " HTTP/1.1\r\nHost: " + endpoint.host + ":" + endpoint.port +
                        "\r\nContent-Type: application/json\r\nAccept: application/json\r\n"
                        "Connection: close\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\n" + std::string(extra_headers) + "\r\n";
  message.append(body);
  std::string_view out = message;
  while (!out.empty()) {
    ssize_t n = ::send(sock.fd, out.data(), out.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      result.error = std::string("send failed: ") + std::strerror(errno);
      return result;
    }
    out.remove_prefix(static_cast<std::size_t>(n));
  }

  std::string response;
  char buf[4096];
  std::size_t header_end = std::string::npos;
  std::size_t content_length = std::string::npos;
  while (true) {
    ssize_t n = ::recv(sock.fd, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      result.error = std::string("receive failed: ") + std::strerror(errno);
      return result;
    }
    if (n == 0) break;
    response.append(buf, static_cast<std::size_t>(n));
    if (response.size() > (1u << 20)) {
      result.error = "response too large";
      return result;
    }
    if (header_end == std::string::npos) {
      header_end = response.find("\r\n\r\n");
      if (header_end != std::string::npos) {
        std::string headers = response.substr(0, header_end);
        for (auto& c : headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto cl = headers.find("\r\ncontent-length:");
        if (cl != std::string::npos)
          content_length = std::strtoul(headers.c_str() + cl + 17, nullptr, 10);
      }
    }
    if (header_end != std::string::npos && content_length != std::string::npos &&
        response.size() >= header_end + 4 + content_length)
      break;
  }
  if (response.size() < 12 || !response.starts_with("HTTP/1.")) {
    result.error = "malformed response";
    return result;
  }
  result.status = std::atoi(response.c_str() + 9);
  if (header_end != std::string::npos) {
    auto first_line = response.find("\r\n");
    if (first_line < header_end)
      result.headers = response.substr(first_line + 2, header_end - first_line - 2);
    result.body = response.substr(header_end + 4);
    if (content_length != std::string::npos && result.body.size() > content_length)
      result.body.resize(content_length);
  }
  return result;
}

}  // namespace conflux::mosquitto_auth
