// tests/integration — HttpAdapterTest: one real conflux process (rest + http
// plugins) per suite, and per test an org with one group holding a SenML
// profile and a JSON profile, a thing on each, and helpers to send messages
// and read them back over real HTTP.
//
// Thread-safety: one test thread.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <concepts>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/conflux_process.h"
#include "tests/support/http_test_client.h"

namespace conflux::test {

using nlohmann::json;

inline constexpr const char* kAdminEmail = "root@example.com";
inline constexpr const char* kAdminPassword = "root-password-1";

class HttpAdapterTest : public ::testing::Test {
 protected:
  static ConfluxOptions process_options() {
    ConfluxOptions options;
    options.env["CONFLUX_ADMIN_EMAIL"] = kAdminEmail;
    options.env["CONFLUX_ADMIN_PASSWORD"] = kAdminPassword;
    options.env["CONFLUX_LOG_LEVEL"] = "info";
    return options;
  }
  static void SetUpTestSuite() {
    process_ = new ConfluxProcess(process_options());
    ASSERT_TRUE(process_->wait_ready()) << process_->log();
  }
  static void TearDownTestSuite() {
    delete process_;
    process_ = nullptr;
  }

  struct User {
    std::string id, email, token;
  };
  struct Thing {
    std::string id, key;
  };

  void SetUp() override {
    ASSERT_NE(process_, nullptr);
    port_ = process_->port();
    admin_ = login(kAdminEmail, kAdminPassword);
    ASSERT_FALSE(admin_.empty()) << process_->log();
    owner_ = make_user("owner");
    auto org = call("POST", "/orgs", owner_.token, R"({"name":"org"})");
    ASSERT_EQ(org.status, 201) << org.body;
    org_ = id_of(org);
    group_ = make_group();
    ASSERT_FALSE(group_.empty());
    senml_profile_ = make_profile(R"({"content_type":"application/senml+json"})");
    json_profile_ = make_profile(R"({"content_type":"application/json"})");
    senml_thing_ = make_thing(senml_profile_, "device");
    json_thing_ = make_thing(json_profile_, "device");
  }

  TestHttpResponse call(std::string_view method, const std::string& path, const std::string& token,
                        std::string_view body = {}, std::string content_type = "application/json") {
    TestHeaders headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty()) headers.emplace_back("Content-Type", content_type);
    return http_request("127.0.0.1", port_, method, path, body, headers);
  }
  // A JSON document as the body (a template so text bodies never convert to json).
  template <std::same_as<json> Json>
  TestHttpResponse call(std::string_view method, const std::string& path, const std::string& token,
                        const Json& body) {
    return call(method, path, token, std::string_view(body.dump()));
  }
  TestHttpResponse with_auth(std::string_view method, const std::string& path,
                             const std::string& authorization, std::string_view body = {},
                             std::string content_type = "application/json") {
    TestHeaders headers;
    if (!authorization.empty()) headers.emplace_back("Authorization", authorization);
    if (!content_type.empty()) headers.emplace_back("Content-Type", content_type);
    return http_request("127.0.0.1", port_, method, path, body, headers);
  }
  // POST /http/messages[/subtopic] with a thing key.
  TestHttpResponse send(const Thing& thing, std::string_view body, const std::string& subtopic = {},
                        std::string content_type = "application/json") {
    return with_auth("POST", "/http/messages" + (subtopic.empty() ? "" : "/" + subtopic),
                     "Thing " + thing.key, body, content_type);
  }
  static json body_of(const TestHttpResponse& r) {
    auto doc = json::parse(r.body, nullptr, false);
    return doc.is_discarded() ? json() : doc;
  }
  static std::string id_of(const TestHttpResponse& r) {
    auto location = std::string(r.header("Location").value_or(""));
    return location.substr(location.rfind('/') + 1);
  }
  std::string login(const std::string& email, const std::string& password) {
    auto r = call("POST", "/tokens", "", json{{"email", email}, {"password", password}}.dump());
    if (r.status != 201) return {};
    return body_of(r).value("token", "");
  }
  User make_user(const std::string& name) {
    static int counter = 0;
    User u;
    u.email = name + std::to_string(++counter) + "-" + std::to_string(::getpid()) + "@example.com";
    auto r = call("POST", "/users", admin_,
                  json{{"email", u.email}, {"password", "password-123"}}.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    u.id = id_of(r);
    u.token = login(u.email, "password-123");
    EXPECT_FALSE(u.token.empty());
    return u;
  }
  // A new group in the test's org; its id.
  std::string make_group() {
    auto r = call("POST", "/svcthings/orgs/" + org_ + "/groups", owner_.token,
                  R"({"name":"group","description":"d","metadata":{}})");
    EXPECT_EQ(r.status, 201) << r.body;
    return id_of(r);
  }
  std::string make_profile(const std::string& config) {
    auto r = call("POST", "/groups/" + group_ + "/profiles", owner_.token,
                  R"([{"name":"p","config":)" + config + "}]");
    EXPECT_EQ(r.status, 201) << r.body;
    return body_of(r)["profiles"][0].value("id", "");
  }
  Thing make_thing(const std::string& profile, const std::string& type = "device") {
    auto r = call("POST", "/profiles/" + profile + "/things", owner_.token,
                  json::array({json{{"name", "t"}, {"type", type}}}).dump());
    EXPECT_EQ(r.status, 201) << r.body;
    auto t = body_of(r)["things"][0];
    return {t.value("id", ""), t.value("key", "")};
  }
  // Makes `u` an org viewer, then a member of the test's group with `role`.
  void add_group_member(const User& u, const std::string& role) {
    auto org = call("POST", "/orgs/" + org_ + "/memberships", owner_.token,
                    json{{"org_memberships", {{{"email", u.email}, {"role", "viewer"}}}}}.dump());
    ASSERT_LT(org.status, 300) << org.body;
    auto r = call("POST", "/groups/" + group_ + "/memberships", owner_.token,
                  json{{"group_memberships", {{{"member_id", u.id}, {"role", role}}}}}.dump());
    ASSERT_EQ(r.status, 201) << r.body;
  }
  // GET a reader page as JSON (expects 200).
  json read(const std::string& path, const std::string& token) {
    auto r = call("GET", path, token);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return body_of(r);
  }

  static inline ConfluxProcess* process_ = nullptr;
  std::uint16_t port_ = 0;
  std::string admin_;
  User owner_;
  std::string org_, group_, senml_profile_, json_profile_;
  Thing senml_thing_, json_thing_;
};

// The seed's SenML example (sent with Content-Type application/json).
inline constexpr std::string_view kSeedSenml =
    R"([{"bn":"some-base-name:","bt":1.276020076001e+09,"bu":"A","bver":5,"n":"voltage","u":"V","v":120.1}, {"n":"current","t":-5,"v":1.2}, {"n":"current","t":-4,"v":1.3}])";
// The seed's JSON example.
inline constexpr std::string_view kSeedJson =
    R"([{ "name": "temperature", "value": 20.5, "unit": "°C"}, {"name": "humidity", "value": 68, "unit": "%"}])";

}  // namespace conflux::test
