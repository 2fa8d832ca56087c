// plugins/rest — helpers every REST route file shares: the request context,
// JSON bodies and their field readers, Mainflux errors, pagination, the
// access check, and running handlers off the io threads.
//
// Handlers registered with `RestApi::add` run on the plugin's worker pool
// (never on an io thread: password hashing and store writes block), with
// the Principal already authenticated when the route asks for it. A handler
// answers by returning a Result<HttpResponse>; errors become
// {"error":"..."} with the status of their code. An exception escaping a
// handler becomes a 500 and is logged.
//
// Thread-safety: RestApi is set up in start() and used read-only afterwards.
#pragma once

#include <conflux/access.h>
#include <conflux/host.h>
#include <conflux/http.h>
#include <conflux/status.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace conflux::rest {

// Pagination and filters of a list route (DESIGN §9).
struct PageQuery {
  std::size_t offset = 0;
  std::size_t limit = 10;
  std::string name;      // substring filter on name ("" = none)
  std::string metadata;  // JSON object text to match by containment ("" = none)
  std::string order;     // field to order by ("" = default)
  std::string dir;       // "asc" | "desc" ("" = default)
};

// offset (≥ 0), limit (1..max_limit, default 10), name, metadata (a JSON
// object), order, dir (asc|desc). invalid_argument names the parameter.
Result<PageQuery> page_query(const HttpRequest& request, std::size_t max_limit = 200);

// The request body as JSON. unsupported_media unless Content-Type is
// application/json (parameters allowed); invalid_argument for an empty or
// malformed body.
Result<nlohmann::json> json_body(const HttpRequest& request);

// A JSON response with the serialized document.
HttpResponse json_response(int status, const nlohmann::json& body);

// Field readers for request bodies: invalid_argument naming the field when it
// has the wrong type (or is missing, for `required_*`).
Result<std::string> required_string(const nlohmann::json& object, std::string_view field);
Result<std::optional<std::string>> optional_string(const nlohmann::json& object,
                                                   std::string_view field);
// A JSON object field serialized to text ("{}" when absent).
Result<std::string> optional_object_text(const nlohmann::json& object, std::string_view field);
// A non-negative integer field of at most `max` (nullopt when absent or
// null).
Result<std::optional<std::uint64_t>> optional_unsigned(
    const nlohmann::json& object, std::string_view field,
    std::uint64_t max = std::numeric_limits<std::uint64_t>::max());

// The request as a handler sees it.
struct RestRequest {
  HttpRequest http;
  std::optional<Principal> principal;  // set when the route requires authentication

  // Shortcut for http.param(name).
  std::string_view param(std::string_view name) const noexcept { return http.param(name); }
  const Principal& caller() const noexcept { return *principal; }
};

using RestHandler = std::function<Result<HttpResponse>(RestRequest&)>;

enum class Auth : bool { none = false, required = true };

class RestApi {
 public:
  // `workers` threads run the handlers.
  RestApi(Host& host, AccessControl& access, std::size_t workers);
  ~RestApi();  // joins the workers after finishing queued handlers
  RestApi(const RestApi&) = delete;
  RestApi& operator=(const RestApi&) = delete;

  // Registers `pattern` (and its /svc<name> forms through the core router).
  // With Auth::required the Authorization header is authenticated first
  // (401 on failure) and the Principal handed to the handler.
  Status add(HttpMethod method, std::string_view pattern, Auth auth, RestHandler handler);

  Host& host() noexcept { return host_; }
  AccessControl& access() noexcept { return access_; }

 private:
  struct Pool;
  Host& host_;
  AccessControl& access_;
  std::unique_ptr<Pool> pool_;
};

// Ok when the caller may do `action` on `resource` (401/403/404 otherwise):
// the access check every authenticated route makes.
Status allow(RestApi& api, const RestRequest& request, Action action, const Resource& resource);

}  // namespace conflux::rest
