// tests/integration — a small JSON client for the account routes of a
// running conflux (ConfluxProcess): one request per connection, optional
// bearer token, parsed JSON bodies.
//
// Thread-safety: one test thread.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "tests/support/http_test_client.h"

namespace conflux::test {

struct ApiResponse {
  int status = 0;
  std::string body;
  HttpHeaders headers;
  nlohmann::json json;  // null unless the body is JSON

  std::string location() const { return std::string(headers.get("Location").value_or("")); }
  // The error text of a {"error": "..."} body ("" when the body is not one).
  std::string error() const {
    return json.is_object() && json.contains("error") && json["error"].is_string()
               ? json["error"].get<std::string>()
               : std::string();
  }
};

class ApiClient {
 public:
  explicit ApiClient(std::uint16_t port) : port_(port) {}

  ApiResponse call(std::string_view method, std::string_view path, std::string_view body = {},
                   std::string_view token = {},
                   std::string_view content_type = "application/json") const {
    TestHeaders headers;
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")
      headers.emplace_back("Content-Type", std::string(content_type));
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + std::string(token));
    auto r = http_request("127.0.0.1", port_, method, path, body, headers);
    ApiResponse out{r.status, r.body, r.headers, nullptr};
    if (!r.body.empty()) {
      auto doc = nlohmann::json::parse(r.body, nullptr, false);
      if (!doc.is_discarded()) out.json = std::move(doc);
    }
    return out;
  }
  ApiResponse get(std::string_view path, std::string_view token) const {
    return call("GET", path, {}, token);
  }
  ApiResponse post(std::string_view path, const nlohmann::json& body,
                   std::string_view token = {}) const {
    return call("POST", path, body.dump(), token);
  }
  ApiResponse put(std::string_view path, const nlohmann::json& body, std::string_view token) const {
    return call("PUT", path, body.dump(), token);
  }
  ApiResponse patch(std::string_view path, const nlohmann::json& body,
                    std::string_view token) const {
    return call("PATCH", path, body.dump(), token);
  }
  ApiResponse del(std::string_view path, std::string_view token) const {
    return call("DELETE", path, {}, token);
  }

  // Logs in; "" (and a test failure) when the login fails.
  std::string login(const std::string& email, const std::string& password) const {
    auto r = post("/tokens", {{"email", email}, {"password", password}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json.is_object() && r.json.contains("token") ? r.json["token"].get<std::string>()
                                                          : std::string();
  }

 private:
  std::uint16_t port_;
};

// The last path segment of a Location header ("/users/<id>" → "<id>").
inline std::string id_from_location(const std::string& location) {
  auto slash = location.rfind('/');
  return slash == std::string::npos ? location : location.substr(slash + 1);
}

}  // namespace conflux::test
