#include "plugins/mqtt/broker_auth.h"

#include <gtest/gtest.h>

#include "conflux/testing.h"
#include "fake_services.h"

namespace conflux::mqtt {
namespace {

class BrokerAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    things_.add("t1", "key-1", "g1", "{}", "external-1");
    things_.add("t2", "key-2", "g2");
    ASSERT_TRUE(auth_.add_routes(host_.routes(), host_.metrics(), host_.logger()));
  }
  HttpResponse post(const std::string& path, const std::string& body) {
    return host_.call(HttpMethod::post, path, body);
  }
  testing::FakeThings things_;
  BrokerAuth auth_{things_, "conflux", "service-secret"};
  conflux::testing::FakeHost host_;
};

TEST_F(BrokerAuthTest, AThingKeyAuthenticates) {
  auto r = post("/mqtt/auth", R"({"username":"internal","password":"key-1","clientid":"c1"})");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"("result":"allow")"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("thing_id":"t1")"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("is_superuser":false)"), std::string::npos) << r.body;
  auto ext = post("/mqtt/auth", R"({"username":"external","password":"external-1"})");
  EXPECT_NE(ext.body.find(R"("thing_id":"t1")"), std::string::npos) << ext.body;
}

TEST_F(BrokerAuthTest, UnknownKeysAndWrongKindsAreDenied) {
  EXPECT_EQ(post("/mqtt/auth", R"({"username":"internal","password":"nope"})").body,
            R"({"result":"deny"})");
  EXPECT_EQ(post("/mqtt/auth", R"({"username":"external","password":"key-1"})").body,
            R"({"result":"deny"})");
  EXPECT_EQ(post("/mqtt/auth", R"({"username":"thing","password":"key-1"})").body,
            R"({"result":"deny"})");
  EXPECT_EQ(post("/mqtt/auth", R"({"username":"conflux","password":"wrong"})").body,
            R"({"result":"deny"})");
}

TEST_F(BrokerAuthTest, TheServiceClientIsASuperuser) {
  auto r = post("/mqtt/auth", R"({"username":"conflux","password":"service-secret"})");
  EXPECT_NE(r.body.find(R"("is_superuser":true)"), std::string::npos) << r.body;
  EXPECT_EQ(
      post(
          "/mqtt/acl",
          R"({"username":"conflux","clientid":"conflux","topic":"things/+/messages/#","action":"subscribe"})")
          .body,
      R"({"result":"allow"})");
}

TEST_F(BrokerAuthTest, MalformedBodiesAre400) {
  EXPECT_EQ(post("/mqtt/auth", "nope").status, 400);
  EXPECT_EQ(post("/mqtt/auth", R"({"username":1})").status, 400);
  EXPECT_EQ(post("/mqtt/acl", R"({"username":"internal","action":"publish"})").status, 400);
  auto r = post("/mqtt/acl", R"({"topic":"a","action":"delete"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("action"), std::string::npos);
}

TEST_F(BrokerAuthTest, AclFollowsTheThingRules) {
  auto acl = [&](const std::string& thing, const std::string& action, const std::string& topic) {
    return post("/mqtt/acl", R"({"username":"internal","clientid":"c","thing_id":")" + thing +
                                 R"(","action":")" + action + R"(","topic":")" + topic + "\"}")
        .body;
  };
  const std::string allow = R"({"result":"allow"})", deny = R"({"result":"deny"})";
  EXPECT_EQ(acl("t1", "publish", "things/t1/messages/x"), allow);
  EXPECT_EQ(acl("t1", "publish", "things/t2/messages"), deny);
  EXPECT_EQ(acl("t1", "subscribe", "things/t1/commands/#"), allow);
  EXPECT_EQ(acl("t1", "subscribe", "groups/g1/commands"), allow);
  EXPECT_EQ(acl("t1", "subscribe", "groups/g2/commands"), deny);
  EXPECT_EQ(acl("ghost", "publish", "things/ghost/messages"), deny);
  // Identified by the key instead of the thing id.
  EXPECT_EQ(
      post(
          "/mqtt/acl",
          R"({"username":"internal","password":"key-2","action":"publish","topic":"things/t2/messages"})")
          .body,
      allow);
  EXPECT_EQ(host_.metrics().counter_value("conflux_mqtt_acl_total", {{"result", "deny"}}), 3u);
}

}  // namespace
}  // namespace conflux::mqtt
