// plugins/rest — shared route helpers (see rest_support.h).
#include "rest_support.h"

#include <conflux/thread_name.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <charconv>
#include <exception>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

namespace conflux::rest {
namespace {

Result<std::size_t> size_param(const HttpRequest& request, std::string_view name,
                               std::size_t fallback) {
  auto text = request.query_param(name);
  if (!text) return fallback;
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc() || end != text->data() + text->size())
    return fail(ErrorCode::invalid_argument,
                "invalid query parameter '" + std::string(name) + "': not a non-negative integer");
  return value;
}

bool is_json_media_type(std::string_view content_type) {
  auto semi = content_type.find(';');
  std::string_view media = content_type.substr(0, semi);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  if (media.size() != 16) return false;
  for (std::size_t i = 0; i < media.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(media[i])) != "application/json"[i]) return false;
  return true;
}

}  // namespace

Result<PageQuery> page_query(const HttpRequest& request, std::size_t max_limit) {
  PageQuery q;
  CONFLUX_ASSIGN_OR_RETURN(q.offset, size_param(request, "offset", 0));
  CONFLUX_ASSIGN_OR_RETURN(q.limit, size_param(request, "limit", 10));
  if (q.limit == 0 || q.limit > max_limit)
    return fail(ErrorCode::invalid_argument,
                "invalid query parameter 'limit': must be 1.." + std::to_string(max_limit));
  q.name = request.query_param("name").value_or("");
  if (auto metadata = request.query_param("metadata"); metadata && !metadata->empty()) {
    auto doc = nlohmann::json::parse(*metadata, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
      return fail(ErrorCode::invalid_argument,
                  "invalid query parameter 'metadata': not a JSON object");
    q.metadata = doc.dump();
  }
  q.order = request.query_param("order").value_or("");
  q.dir = request.query_param("dir").value_or("");
  if (!q.dir.empty() && q.dir != "asc" && q.dir != "desc")
    return fail(ErrorCode::invalid_argument, "invalid query parameter 'dir': must be asc or desc");
  return q;
}

Result<nlohmann::json> json_body(const HttpRequest& request) {
  auto content_type = request.header("Content-Type");
  if (!content_type || !is_json_media_type(*content_type))
    return fail(ErrorCode::unsupported_media,
                "unsupported content type: expected application/json");
  if (request.body.empty()) return fail(ErrorCode::invalid_argument, "empty request body");
  auto doc = nlohmann::json::parse(request.body, nullptr, false);
  if (doc.is_discarded()) return fail(ErrorCode::invalid_argument, "malformed JSON body");
  return doc;
}

HttpResponse json_response(int status, const nlohmann::json& body) {
  return HttpResponse::json(status,
                            body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Result<std::string> required_string(const nlohmann::json& object, std::string_view field) {
  if (!object.is_object())
    return fail(ErrorCode::invalid_argument, "request body must be a JSON object");
  auto it = object.find(field);
  if (it == object.end() || it->is_null())
    return fail(ErrorCode::invalid_argument, "missing field '" + std::string(field) + "'");
  if (!it->is_string())
    return fail(ErrorCode::invalid_argument, "field '" + std::string(field) + "' must be a string");
  return it->get<std::string>();
}

Result<std::optional<std::string>> optional_string(const nlohmann::json& object,
                                                   std::string_view field) {
  if (!object.is_object())
    return fail(ErrorCode::invalid_argument, "request body must be a JSON object");
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string())
    return fail(ErrorCode::invalid_argument, "field '" + std::string(field) + "' must be a string");
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::string> optional_object_text(const nlohmann::json& object, std::string_view field) {
  if (!object.is_object())
    return fail(ErrorCode::invalid_argument, "request body must be a JSON object");
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return std::string("{}");
  if (!it->is_object())
    return fail(ErrorCode::invalid_argument,
                "field '" + std::string(field) + "' must be an object");
  return it->dump();
}

Result<std::optional<std::uint64_t>> optional_unsigned(const nlohmann::json& object,
                                                       std::string_view field, std::uint64_t max) {
  if (!object.is_object())
    return fail(ErrorCode::invalid_argument, "request body must be a JSON object");
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return std::optional<std::uint64_t>();
  if (!it->is_number_unsigned() || it->get<std::uint64_t>() > max)
    return fail(ErrorCode::invalid_argument,
                "field '" + std::string(field) + "' must be a non-negative integer");
  return std::optional<std::uint64_t>(it->get<std::uint64_t>());
}

Status allow(RestApi& api, const RestRequest& request, Action action, const Resource& resource) {
  return api.access().authorize(request.caller(), action, resource);
}

// The handler threads (cfx-rest-N): handlers may block on the store.
struct RestApi::Pool {
  explicit Pool(std::size_t n) : work(boost::asio::make_work_guard(context)) {
    for (std::size_t i = 0; i < n; ++i)
      threads.emplace_back([this, i] {
        name_this_thread("cfx-rest-" + std::to_string(i));
        context.run();
      });
  }
  ~Pool() {
    work.reset();  // finish the queued requests, then return
    for (auto& t : threads) t.join();
  }
  boost::asio::io_context context;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work;
  std::vector<std::thread> threads;
};

RestApi::RestApi(Host& host, AccessControl& access, std::size_t workers)
    : host_(host), access_(access), pool_(std::make_unique<Pool>(workers == 0 ? 1 : workers)) {}

RestApi::~RestApi() = default;  // the pool finishes its queue and joins

Status RestApi::add(HttpMethod method, std::string_view pattern, Auth auth, RestHandler handler) {
  auto shared = std::make_shared<RestHandler>(std::move(handler));
  return host_.routes().add(
      method, pattern, [this, auth, shared](HttpRequest request, HttpReply reply) {
        boost::asio::post(pool_->context, [this, auth, shared, request = std::move(request),
                                           reply = std::move(reply)]() mutable {
          const std::string where = std::string(to_string(request.method)) + " " + request.route;
          try {
            RestRequest rest{std::move(request), std::nullopt};
            if (auth == Auth::required) {
              auto principal = access_.authenticate(rest.http.header("Authorization").value_or(""));
              if (!principal) return reply.send(HttpResponse::error(principal.error()));
              rest.principal = std::move(*principal);
            }
            auto response = (*shared)(rest);
            reply.send(response ? std::move(*response) : HttpResponse::error(response.error()));
          } catch (const std::exception& e) {
            host_.logger().error("{}: {}", where, e.what());
            reply.send(HttpResponse::error(500, "internal error"));
          } catch (...) {
            reply.send(HttpResponse::error(500, "internal error"));
          }
        });
      });
}

}  // namespace conflux::rest
