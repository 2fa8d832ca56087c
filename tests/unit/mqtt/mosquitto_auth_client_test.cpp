#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "plugins/mqtt/mosquitto/auth_client.h"
#include "plugins/mqtt/mosquitto/identity_file.h"

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

TEST_F(AuthClientTest, AnIdentityOutlivesTheConnectionAndARefusedConnect) {
  auto c = make();
  EXPECT_TRUE(c.authenticate("a", "internal", "key-1"));
  // Offline (persistent session): deliveries are still checked as thing t1.
  EXPECT_TRUE(c.check("a", Access::publish, "things/t1/messages"));
  // Someone else's CONNECT with the same client id and a wrong key is
  // refused and does not take the session's identity away.
  EXPECT_FALSE(c.authenticate("a", "internal", "nope"));
  EXPECT_TRUE(c.check("a", Access::publish, "things/t1/messages"));
  EXPECT_FALSE(c.check("never-connected", Access::subscribe, "things/t1/commands"));
}

// The identity file: a broker restart is a new AuthClient on the same file.
class IdentityFileTest : public AuthClientTest {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "conflux-identities-").string() +
                       std::string(6, 'X');
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    file_ = dir_ / "sub" / "identities";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::size_t lines() {
    std::ifstream in(file_);
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
  }
  std::filesystem::path dir_, file_;
};

TEST_F(IdentityFileTest, IdentitiesSurviveARestartSoOfflineSessionsAreStillChecked) {
  {
    auto c = make({.service_username = "conflux", .service_password = "s3cret"});
    ASSERT_EQ(c.persist_identities(file_), "");
    EXPECT_TRUE(c.authenticate("dev1", "internal", "key-1"));
    EXPECT_TRUE(c.authenticate("svc", "conflux", "s3cret"));
  }
  EXPECT_EQ(std::filesystem::status(file_).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto restarted = make({.service_username = "conflux", .service_password = "s3cret"});
  EXPECT_FALSE(restarted.check("dev1", Access::subscribe, "things/t1/messages"));
  ASSERT_EQ(restarted.persist_identities(file_), "");
  EXPECT_EQ(restarted.identities(), 2u);
  calls_.clear();
  // Still asked of Conflux, as thing t1: the file holds who, not what is allowed.
  EXPECT_TRUE(restarted.check("dev1", Access::subscribe, "things/t1/messages"));
  EXPECT_FALSE(restarted.check("dev1", Access::subscribe, "things/t2/messages"));
  ASSERT_EQ(calls_.size(), 2u);
  EXPECT_NE(calls_[0].find(R"("thing_id":"t1")"), std::string::npos) << calls_[0];
  EXPECT_TRUE(restarted.check("svc", Access::subscribe, "things/+/messages"));
  EXPECT_FALSE(restarted.check("never-connected", Access::subscribe, "things/t1/messages"));
  // No secrets on disk.
  std::ifstream in(file_);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text.find("key-1"), std::string::npos) << text;
  EXPECT_EQ(text.find("s3cret"), std::string::npos) << text;
}

TEST_F(IdentityFileTest, ARefusedConnectLeavesTheIdentityOnDisk) {
  {
    auto c = make();
    ASSERT_EQ(c.persist_identities(file_), "");
    EXPECT_TRUE(c.authenticate("dev1", "internal", "key-1"));
    EXPECT_TRUE(c.authenticate("dev2", "internal", "key-1"));
    EXPECT_FALSE(c.authenticate("dev1", "internal", "wrong"));
  }
  auto restarted = make();
  ASSERT_EQ(restarted.persist_identities(file_), "");
  EXPECT_EQ(restarted.identities(), 2u);
  EXPECT_TRUE(restarted.check("dev1", Access::publish, "things/t1/messages"));
  EXPECT_TRUE(restarted.check("dev2", Access::publish, "things/t1/messages"));
}

TEST_F(IdentityFileTest, ReconnectsWithTheSameIdentityWriteNothing) {
  auto c = make();
  ASSERT_EQ(c.persist_identities(file_), "");
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(c.authenticate("dev1", "internal", "key-1"));
  EXPECT_EQ(lines(), 1u);
}

TEST_F(IdentityFileTest, ATornTailIsSkippedAndTheFileIsCompacted) {
  std::filesystem::create_directories(file_.parent_path());
  {
    std::ofstream out(file_);
    out << R"({"c":"a","u":"internal","t":"t1","s":false})"
        << "\n"
        << R"({"c":"b","u":"internal","t":"t1","s":false})"
        << "\n"
        << R"({"c":"a"})"
        << "\n"
        << R"({"c":"b","u":"inter)";
  }
  Identities loaded;
  std::string error;
  auto file = IdentityFile::open(file_, loaded, error);
  ASSERT_TRUE(file) << error;
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded.at("b"), (Identity{false, "internal", "t1"}));
  EXPECT_EQ(lines(), 1u);  // rewritten at open
  // Appends, then a compaction once the dead lines dominate.
  for (int i = 0; i < 3000; ++i) {
    loaded["b"] = Identity{false, "internal", std::to_string(i)};
    ASSERT_TRUE(file->put("b", loaded["b"], loaded));
  }
  EXPECT_LT(lines(), 1100u);
  Identities reread;
  ASSERT_TRUE(IdentityFile::open(file_, reread, error)) << error;
  EXPECT_EQ(reread, loaded);
}

TEST_F(IdentityFileTest, AnUnusableFileIsReported) {
  std::filesystem::create_directories(file_);  // a directory where the file should be
  auto c = make();
  EXPECT_NE(c.persist_identities(file_), "");
  EXPECT_TRUE(c.authenticate("dev1", "internal", "key-1"));  // memory only
  EXPECT_TRUE(c.check("dev1", Access::publish, "things/t1/messages"));
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
