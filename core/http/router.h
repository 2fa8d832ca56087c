// core/http — owns the shared HTTP listener (Beast) and its route table.
//
// Router: method + path matching with `{param}` segments, where a literal
// segment wins over a parameter at the same position; 404 vs 405 (with the
// allowed methods); HEAD falls back to GET; the gateway prefix rule: when a
// path does not match and its first segment is `svc<name>` (e.g. /svcthings,
// /svcauth), the segment is stripped and matching is retried. A tail
// parameter `{name...}` (last segment) matches one or more remaining segments
// and binds them undecoded; literal > parameter > tail at each position.
// Routes may carry HttpRouteOptions (per-route body limit, spooling), which
// the session applies once the request headers are read.
//
// Thread-safety: `add` and `freeze` are called during start-up from one
// thread; after `freeze`, `resolve` may be called from any thread without
// locks.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "conflux/http.h"

namespace conflux::core {

class Router final : public HttpRoutes {
 public:
  Router();
  ~Router() override;
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  Status add(HttpMethod method, std::string_view pattern, HttpHandler handler) noexcept override;
  Status add_with_options(HttpMethod method, std::string_view pattern, HttpRouteOptions options,
                          HttpHandler handler) noexcept override;
  // The largest per-route body_limit registered (0: none).
  std::uint64_t max_body_limit() const noexcept { return max_body_limit_; }
  // After this, `add` fails with failed_precondition.
  void freeze() noexcept;
  bool frozen() const noexcept;

  enum class Outcome { matched, not_found, method_not_allowed };
  struct Resolution {
    Outcome outcome = Outcome::not_found;
    const HttpHandler* handler = nullptr;  // set when matched
    std::string route;                     // the matched pattern, e.g. "/things/{id}"
    std::vector<std::pair<std::string, std::string>> params;  // decoded
    std::vector<HttpMethod> allowed;  // for method_not_allowed (Allow header)
    HttpRouteOptions options;         // the matched route's body handling
  };
  // `path` is the raw request path without the query string.
  Resolution resolve(HttpMethod method, std::string_view path) const;
  // The methods routed for `path` (HEAD included when GET is), in enum order;
  // empty when no route matches the path. Used to answer methods the server
  // does not know with 405 and an Allow header.
  std::vector<HttpMethod> allowed_methods(std::string_view path) const;

 private:
  struct Route {
    HttpMethod method;
    RoutePattern pattern;
    HttpHandler handler;
    HttpRouteOptions options;
  };
  struct Node;  // a segment trie node (router.cpp)
  struct Search;

  Resolution resolve_path(int method, std::string_view path) const;
  bool search(const Node& node, std::string_view rest, bool end, Search& s) const;

  std::vector<Route> routes_;
  std::unique_ptr<Node> root_;
  std::atomic<bool> frozen_{false};
  std::uint64_t max_body_limit_ = 0;
};

}  // namespace conflux::core
