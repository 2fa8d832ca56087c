#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "plugins/mqtt/mosquitto/auth_client.h"

namespace conflux::mosquitto_auth {
namespace {

using namespace std::chrono_literals;

class AuthClientTest : public ::testing::Test {
 protected:
  HttpResult answer(std::string_view path, std::string_view body) {
    calls_.push_back(std::string(path) + " " + std::string(body));
    if (down_) return HttpResult{.status = 0, .error = "connection refused"};
    auto req = nlohmann::json::parse(body);
    if (path == "/mqtt/auth") {
      if (req["password"] == "key-1")
        return HttpResult{
            .status = 200,
            .body = R"({"result":"allow","is_superuser":false,"client_attrs":{"thing_id":"t1"}})"};
      return HttpResult{.status = 200, .body = R"({"result":"deny"})"};
    }
    bool allow = req["thing_id"] == "t1" && req["topic"] == "things/t1/messages";
    return HttpResult{.status = 200,
                      .body = allow ? R"({"result":"allow"})" : R"({"result":"deny"})"};
  }
  AuthClient make(AuthOptions options = {}) {
    return AuthClient(
        std::move(options), [this](std::string_view p, std::string_view b) { return answer(p, b); },
        [this] { return now_; });
  }
  std::vector<std::string> calls_;
  bool down_ = false;
  std::chrono::steady_clock::time_point now_{};
};

TEST_F(AuthClientTest, AuthenticatesAndChecksThroughConflux) {
  auto c = make();
  EXPECT_TRUE(c.authenticate("dev1", "internal", "key-1"));
  EXPECT_TRUE(c.check("dev1", Access::publish, "things/t1/messages"));
  EXPECT_FALSE(c.check("dev1", Access::publish, "things/t2/messages"));
  ASSERT_EQ(calls_.size(), 3u);
  EXPECT_NE(calls_[1].find(R"("thing_id":"t1")"), std::string::npos) << calls_[1];
  EXPECT_NE(calls_[1].find(R"("action":"publish")"), std::string::npos) << calls_[1];
}

TEST_F(AuthClientTest, UnknownKeysAndAnonymousClientsAreRefused) {
  auto c = make();
  EXPECT_FALSE(c.authenticate("dev1", "internal", "nope"));
  EXPECT_FALSE(c.authenticate("dev1", "", ""));
  EXPECT_FALSE(c.check("dev1", Access::publish, "things/t1/messages"));
}

TEST_F(AuthClientTest, AnswersAreCachedForTheTtl) {
  auto c = make({.ttl = 10s});
  EXPECT_TRUE(c.authenticate("a", "internal", "key-1"));
  EXPECT_TRUE(c.authenticate("b", "internal", "key-1"));
  EXPECT_TRUE(c.check("a", Access::publish, "things/t1/messages"));
  EXPECT_TRUE(c.check("b", Access::publish, "things/t1/messages"));
  EXPECT_EQ(c.requests(), 2u);
  now_ += 11s;
  EXPECT_TRUE(c.check("a", Access::publish, "things/t1/messages"));
  EXPECT_EQ(c.requests(), 3u);
}

TEST_F(AuthClientTest, AnUnreachableConfluxDeniesAndIsNotCached) {
  auto c = make();
  down_ = true;
  EXPECT_FALSE(c.authenticate("a", "internal", "key-1"));
  down_ = false;
  now_ += 2s;  // after the quiet period
  EXPECT_TRUE(c.authenticate("a", "internal", "key-1"));
}

TEST_F(AuthClientTest, AnUnreachableConfluxFallsBackToRecentAnswers) {
  auto c = make({.ttl = 2s, .stale_ttl = 60s});
  EXPECT_TRUE(c.authenticate("a", "internal", "key-1"));
  EXPECT_TRUE(c.check("a", Access::publish, "things/t1/messages"));
  EXPECT_FALSE(c.check("a", Access::publish, "things/t2/messages"));
  now_ += 10s;
  down_ = true;
  auto before = c.requests();
  EXPECT_TRUE(c.check("a", Access::publish, "things/t1/messages"));
  EXPECT_FALSE(c.check("a", Access::publish, "things/t2/messages"));
  EXPECT_TRUE(c.authenticate("b", "internal", "key-1"));
  EXPECT_EQ(c.requests(), before + 1);  // one failure, then a quiet second
  now_ += 2s;
  EXPECT_TRUE(c.check("a", Access::publish, "things/t1/messages"));
  EXPECT_EQ(c.requests(), before + 2);
  now_ += 61s;
  EXPECT_FALSE(c.check("a", Access::publish, "things/t1/messages"));
}

TEST_F(AuthClientTest, TheLocalServiceClientIsAllowedEverywhereWithoutRequests) {
  auto c = make({.service_username = "conflux", .service_password = "s3cret"});
  EXPECT_FALSE(c.authenticate("conflux", "conflux", "wrong"));
  EXPECT_TRUE(c.authenticate("conflux", "conflux", "s3cret"));
  EXPECT_TRUE(c.check("conflux", Access::subscribe, "things/+/messages/#"));
  EXPECT_EQ(c.requests(), 0u);
}

TEST_F(AuthClientTest, AnIdentityOutlivesTheConnectionUntilTheNextConnect) {
  auto c = make();
  EXPECT_TRUE(c.authenticate("a", "internal", "key-1"));
  // Offline (persistent session): deliveries are still checked as thing t1.
  EXPECT_TRUE(c.check("a", Access::publish, "things/t1/messages"));
  EXPECT_FALSE(c.authenticate("a", "internal", "nope"));
  EXPECT_FALSE(c.check("a", Access::publish, "things/t1/messages"));
  EXPECT_FALSE(c.check("never-connected", Access::subscribe, "things/t1/commands"));
}

TEST(Endpoint, ParsesHttpUrls) {
  auto e = parse_endpoint("http://127.0.0.1:8080/svc");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->host, "127.0.0.1");
  EXPECT_EQ(e->port, "8080");
  EXPECT_EQ(e->base_path, "/svc");
  EXPECT_FALSE(parse_endpoint("https://x:1"));
  EXPECT_FALSE(parse_endpoint("http://:1"));
}

}  // namespace
}  // namespace conflux::mosquitto_auth
