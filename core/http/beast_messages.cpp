// core/http — Beast <-> SDK message conversions (see beast_messages.h).
#include "core/http/beast_messages.h"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

namespace conflux::core {
namespace http = boost::beast::http;

namespace {

std::string_view sv(boost::beast::string_view s) noexcept { return {s.data(), s.size()}; }

bool has_line_break(std::string_view s) noexcept {
  return s.find_first_of("\r\n") != std::string_view::npos;
}

bool all_digits(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool framing_field(std::string_view name) noexcept {
  return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
         iequals(name, "Connection");
}

}  // namespace

std::optional<HttpMethod> to_method(http::verb verb) noexcept {
  switch (verb) {
    case http::verb::get:
      return HttpMethod::get;
    case http::verb::head:
      return HttpMethod::head;
    case http::verb::post:
      return HttpMethod::post;
    case http::verb::put:
      return HttpMethod::put;
    case http::verb::patch:
      return HttpMethod::patch;
    case http::verb::delete_:
      return HttpMethod::del;
    case http::verb::options:
      return HttpMethod::options;
    default:
      return std::nullopt;
  }
}

std::string_view method_label(std::optional<HttpMethod> method) noexcept {
  return method ? to_string(*method) : std::string_view("OTHER");
}

RequestTarget split_target(std::string_view target) noexcept {
  if (auto scheme = target.find("://");
      scheme != std::string_view::npos && !target.starts_with("/")) {
    auto slash = target.find('/', scheme + 3);
    auto question = target.find('?', scheme + 3);
    if (slash == std::string_view::npos || (question != std::string_view::npos && question < slash))
      return {"/", question == std::string_view::npos ? std::string_view()
                                                      : target.substr(question + 1)};
    target = target.substr(slash);
  }
  if (!target.starts_with("/")) return {};
  auto question = target.find('?');
  if (question == std::string_view::npos) return {target, {}};
  return {target.substr(0, question), target.substr(question + 1)};
}

void copy_headers(const http::fields& from, HttpHeaders& to) {
  for (const auto& field : from)
    to.add(std::string(sv(field.name_string())), std::string(sv(field.value())));
}

void copy_response_headers(const HttpHeaders& in, http::fields& out) {
  for (const auto& f : in.fields()) {
    if (f.name.empty() || has_line_break(f.name) || has_line_break(f.value)) continue;
    if (framing_field(f.name)) continue;
    out.insert(f.name, f.value);
  }
}

void to_beast(HttpResponse&& in, bool head, BeastResponse& out) {
  int status = in.status >= 100 && in.status <= 999 ? in.status : 500;
  out.result(static_cast<unsigned>(status));
  std::optional<std::string_view> declared_length;
  for (const auto& f : in.headers.fields()) {
    if (f.name.empty() || has_line_break(f.name) || has_line_break(f.value)) continue;
    if (iequals(f.name, "Content-Length")) declared_length = f.value;
    if (framing_field(f.name)) continue;
    out.insert(f.name, f.value);
  }
  bool bodyless = status < 200 || status == 204 || status == 304;
  if (bodyless) {
    out.body().clear();
    return;
  }
  if (head) {
    // A HEAD handler may announce the length of the body it does not send.
    if (in.body.empty() && declared_length && all_digits(*declared_length))
      out.set(http::field::content_length,
              boost::beast::string_view(declared_length->data(), declared_length->size()));
    else
      out.content_length(in.body.size());
    out.body().clear();
    return;
  }
  out.body() = std::move(in.body);
  out.content_length(out.body().size());
}

std::string format_endpoint(const boost::asio::ip::tcp::endpoint& endpoint) {
  auto address = endpoint.address();
  std::string host = address.to_string();
  if (address.is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(endpoint.port());
}

}  // namespace conflux::core
