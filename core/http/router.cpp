// core/http — Router: a segment trie built by `add`, searched by `resolve`.
//
// Each trie level is one path segment; a node has literal children (looked up
// by text) and at most one parameter child. The search tries the literal child
// before the parameter child and backtracks, so the first route found is the
// most specific one (the leftmost differing segment is a literal). Resolution
// allocates only for its result (route text, decoded params, allowed list).
//
// Thread-safety: see router.h (build single-threaded, then read-only).
#include "core/http/router.h"

#include <algorithm>
#include <array>
#include <map>
#include <new>
#include <optional>

namespace conflux::core {
namespace {

constexpr int kMethodCount = 7;
constexpr int kNoMethod = -1;  // searching for the allowed methods only

constexpr int index_of(HttpMethod m) noexcept { return static_cast<int>(m); }

// True when every '%' in `segment` starts a valid escape (so url_decode
// succeeds); a parameter never binds an undecodable segment.
bool decodable(std::string_view segment) noexcept {
  auto hex = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  };
  for (std::size_t i = 0; i < segment.size(); ++i) {
    if (segment[i] != '%') continue;
    if (i + 2 >= segment.size()) return false;
    if (!hex(segment[i + 1]) || !hex(segment[i + 2])) return false;
    i += 2;
  }
  return true;
}

// "/svcthings/orgs/1" -> "/orgs/1": the first segment is "svc" followed by at
// least one lower-case letter. nullopt when the prefix rule does not apply.
std::optional<std::string_view> strip_gateway_prefix(std::string_view path) noexcept {
  constexpr std::string_view kPrefix = "/svc";
  if (!path.starts_with(kPrefix)) return std::nullopt;
  std::size_t end = kPrefix.size();
  while (end < path.size() && path[end] >= 'a' && path[end] <= 'z') ++end;
  if (end == kPrefix.size()) return std::nullopt;
  if (end < path.size() && path[end] != '/') return std::nullopt;
  std::string_view rest = path.substr(end);
  return rest.empty() ? std::string_view("/") : rest;
}

std::string describe(HttpMethod method, std::string_view pattern) {
  return std::string(to_string(method)) + " " + std::string(pattern);
}

}  // namespace

struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
  std::unique_ptr<Node> param;
  std::unique_ptr<Node> tail;  // `{name...}`: the rest of the path
  std::array<int, kMethodCount> routes{-1, -1, -1, -1, -1, -1, -1};  // index into routes_
};

// The state of one search: the method looked for, the route found, and the
// methods of every route whose pattern matched the path.
struct Router::Search {
  int method = kNoMethod;
  int found = -1;
  unsigned allowed = 0;  // bit per HttpMethod

  // At a node reached by the whole path: accepts it, or records its methods.
  bool accept(const Node& node) noexcept {
    if (method != kNoMethod) {
      int route = node.routes[method];
      if (route < 0 && method == index_of(HttpMethod::head))
        route = node.routes[index_of(HttpMethod::get)];
      if (route >= 0) {
        found = route;
        return true;
      }
    }
    for (int m = 0; m < kMethodCount; ++m)
      if (node.routes[m] >= 0) allowed |= 1u << m;
    return false;
  }

  std::vector<HttpMethod> allowed_list() const {
    unsigned bits = allowed;
    if (bits & (1u << index_of(HttpMethod::get))) bits |= 1u << index_of(HttpMethod::head);
    std::vector<HttpMethod> out;
    for (int m = 0; m < kMethodCount; ++m)
      if (bits & (1u << m)) out.push_back(static_cast<HttpMethod>(m));
    return out;
  }
};

Router::Router() : root_(std::make_unique<Node>()) {}

Router::~Router() = default;

Status Router::add(HttpMethod method, std::string_view pattern, HttpHandler handler) noexcept {
  return add_with_options(method, pattern, HttpRouteOptions{}, std::move(handler));
}

Status Router::add_with_options(HttpMethod method, std::string_view pattern,
                                HttpRouteOptions options, HttpHandler handler) noexcept {
  try {
    if (frozen())
      return fail(ErrorCode::failed_precondition,
                  "route table is frozen; cannot add " + describe(method, pattern));
    if (!handler)
      return fail(ErrorCode::invalid_argument, "empty handler for " + describe(method, pattern));
    auto parsed = RoutePattern::parse(pattern);
    if (!parsed) return std::unexpected(parsed.error());
    const auto& segments = parsed->segments();
    for (std::size_t i = 0; i < segments.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (segments[i].is_param && segments[j].is_param && segments[i].text == segments[j].text)
          return fail(ErrorCode::invalid_argument,
                      "duplicate parameter {" + segments[i].text + "} in " + std::string(pattern));

    Node* node = root_.get();
    for (const auto& seg : segments) {
      std::unique_ptr<Node>* child = nullptr;
      if (seg.is_tail) {
        child = &node->tail;
      } else if (seg.is_param) {
        child = &node->param;
      } else {
        auto it = node->literals.find(seg.text);
        if (it == node->literals.end()) it = node->literals.emplace(seg.text, nullptr).first;
        child = &it->second;
      }
      if (!*child) *child = std::make_unique<Node>();
      node = child->get();
    }
    int& slot = node->routes[index_of(method)];
    if (slot >= 0) {
      const auto& existing = routes_[slot].pattern.text();
      if (existing == pattern)
        return fail(ErrorCode::already_exists,
                    "route already registered: " + describe(method, pattern));
      return fail(ErrorCode::already_exists,
                  "route " + describe(method, pattern) + " conflicts with " + existing);
    }
    routes_.push_back({method, std::move(*parsed), std::move(handler), options});
    slot = static_cast<int>(routes_.size() - 1);
    max_body_limit_ = std::max<std::uint64_t>(max_body_limit_, options.body_limit);
    return ok();
  } catch (const std::bad_alloc&) {
    return fail(ErrorCode::internal, "out of memory adding " + std::string(pattern));
  } catch (...) {
    return fail(ErrorCode::internal, "cannot add route " + std::string(pattern));
  }
}

void Router::freeze() noexcept { frozen_.store(true, std::memory_order_release); }

bool Router::frozen() const noexcept { return frozen_.load(std::memory_order_acquire); }

bool Router::search(const Node& node, std::string_view rest, bool end, Search& s) const {
  if (end) return s.accept(node);
  auto slash = rest.find('/');
  std::string_view segment = rest.substr(0, slash);
  bool next_end = slash == std::string_view::npos;
  std::string_view next = next_end ? std::string_view() : rest.substr(slash + 1);
  if (auto it = node.literals.find(segment); it != node.literals.end())
    if (search(*it->second, next, next_end, s)) return true;
  if (node.param && !segment.empty() && decodable(segment))
    if (search(*node.param, next, next_end, s)) return true;
  if (node.tail && s.accept(*node.tail)) return true;
  return false;
}

Router::Resolution Router::resolve_path(int method, std::string_view path) const {
  Resolution out;
  if (path.empty() || path.front() != '/') return out;
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);  // trailing slash
  std::string_view rest = path.substr(1);
  Search s;
  s.method = method;
  if (!search(*root_, rest, rest.empty(), s)) {
    out.allowed = s.allowed_list();
    if (!out.allowed.empty()) out.outcome = Outcome::method_not_allowed;
    return out;
  }
  const Route& route = routes_[s.found];
  out.outcome = Outcome::matched;
  out.handler = &route.handler;
  out.route = route.pattern.text();
  out.options = route.options;
  for (const auto& seg : route.pattern.segments()) {
    if (seg.is_tail) {
      out.params.emplace_back(seg.text, std::string(rest));
      break;
    }
    auto slash = rest.find('/');
    std::string_view value = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (seg.is_param)
      out.params.emplace_back(seg.text, url_decode(value).value_or(std::string(value)));
  }
  return out;
}

Router::Resolution Router::resolve(HttpMethod method, std::string_view path) const {
  Resolution first = resolve_path(index_of(method), path);
  if (first.outcome == Outcome::matched) return first;
  if (auto stripped = strip_gateway_prefix(path)) {
    Resolution second = resolve_path(index_of(method), *stripped);
    if (second.outcome == Outcome::matched ||
        (first.outcome == Outcome::not_found && second.outcome != Outcome::not_found))
      return second;
  }
  return first;
}

std::vector<HttpMethod> Router::allowed_methods(std::string_view path) const {
  Resolution r = resolve_path(kNoMethod, path);
  if (r.allowed.empty())
    if (auto stripped = strip_gateway_prefix(path)) r = resolve_path(kNoMethod, *stripped);
  return std::move(r.allowed);
}

}  // namespace conflux::core
