// Integration tests of the registry routes (seed 002: Groups, Group
// Memberships, Profiles, Things) against the real conflux binary over real
// HTTP: status codes, bodies, the /svcthings forms, bad input with nothing
// changed, and access by role. One process serves the whole suite; each test
// works in its own org.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/conflux_process.h"
#include "tests/support/http_test_client.h"

namespace conflux::test {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr const char* kAdminEmail = "root@example.com";
constexpr const char* kAdminPassword = "root-password-1";

class RegistryApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ConfluxOptions options;
    options.env["CONFLUX_ADMIN_EMAIL"] = kAdminEmail;
    options.env["CONFLUX_ADMIN_PASSWORD"] = kAdminPassword;
    options.env["CONFLUX_LOG_LEVEL"] = "info";
    process_ = new ConfluxProcess(options);
    ASSERT_TRUE(process_->wait_ready()) << process_->log();
  }
  static void TearDownTestSuite() {
    delete process_;
    process_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(process_, nullptr);
    admin_ = login(kAdminEmail, kAdminPassword);
    ASSERT_FALSE(admin_.empty()) << process_->log();
    owner_ = make_user("owner");
    auto org = call("POST", "/orgs", owner_.token, R"({"name":"org"})");
    ASSERT_EQ(org.status, 201) << org.body;
    org_ = std::string(org.header("Location").value_or("")).substr(6);
    ASSERT_FALSE(org_.empty());
  }

  struct User {
    std::string id;
    std::string email;
    std::string token;
  };

  TestHttpResponse call(std::string_view method, const std::string& path, const std::string& token,
                        std::string_view body = {}, std::string content_type = "application/json") {
    TestHeaders headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty()) headers.emplace_back("Content-Type", content_type);
    return http_request("127.0.0.1", process_->port(), method, path, body, headers);
  }
  TestHttpResponse raw_auth(std::string_view method, const std::string& path,
                            const std::string& authorization) {
    return http_request("127.0.0.1", process_->port(), method, path, {},
                        {{"Authorization", authorization}});
  }
  static json body_of(const TestHttpResponse& r) {
    auto doc = json::parse(r.body, nullptr, false);
    return doc.is_discarded() ? json() : doc;
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
    auto location = std::string(r.header("Location").value_or(""));
    u.id = location.substr(location.rfind('/') + 1);
    u.token = login(u.email, "password-123");
    EXPECT_FALSE(u.token.empty());
    return u;
  }
  // A user with `role` in the test's org.
  User org_member(const std::string& name, const std::string& role) {
    auto u = make_user(name);
    auto r = call("POST", "/orgs/" + org_ + "/memberships", owner_.token,
                  json{{"org_memberships", {{{"email", u.email}, {"role", role}}}}}.dump());
    EXPECT_LT(r.status, 300) << r.body;
    return u;
  }
  std::string make_group(const std::string& name = "group") {
    auto r =
        call("POST", "/svcthings/orgs/" + org_ + "/groups", owner_.token,
             json{{"name", name}, {"description", "desc"}, {"metadata", json::object()}}.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    auto location = std::string(r.header("Location").value_or(""));
    EXPECT_THAT(location, HasSubstr("/groups/"));
    return location.substr(location.rfind('/') + 1);
  }
  std::string make_profile(const std::string& group) {
    auto r = call("POST", "/groups/" + group + "/profiles", owner_.token,
                  R"([{"name":"p","config":{"content_type":"application/senml+json"}}])");
    EXPECT_EQ(r.status, 201) << r.body;
    return body_of(r)["profiles"][0].value("id", "");
  }
  json make_thing(const std::string& profile,
                  json thing = json{{"name", "t"}, {"type", "device"}}) {
    auto r =
        call("POST", "/profiles/" + profile + "/things", owner_.token, json::array({thing}).dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return body_of(r)["things"][0];
  }
  void add_group_member(const std::string& group, const User& u, const std::string& role) {
    auto r = call("POST", "/groups/" + group + "/memberships", owner_.token,
                  json{{"group_memberships", {{{"member_id", u.id}, {"role", role}}}}}.dump());
    ASSERT_EQ(r.status, 201) << r.body;
  }

  static ConfluxProcess* process_;
  std::string admin_;
  User owner_;
  std::string org_;
};

ConfluxProcess* RegistryApi::process_ = nullptr;

TEST_F(RegistryApi, GroupRoutes) {
  auto create = call("POST", "/svcthings/orgs/" + org_ + "/groups", owner_.token,
                     R"({"name":"g1","description":"d","metadata":{"a":"b"}})");
  ASSERT_EQ(create.status, 201) << create.body;
  EXPECT_TRUE(create.body.empty());
  auto location = std::string(create.header("Location").value_or(""));
  ASSERT_THAT(location, ::testing::StartsWith("/groups/"));
  auto id = location.substr(8);

  auto view = call("GET", "/groups/" + id, owner_.token);
  ASSERT_EQ(view.status, 200);
  auto g = body_of(view);
  EXPECT_EQ(g["id"], id);
  EXPECT_EQ(g["org_id"], org_);
  EXPECT_EQ(g["name"], "g1");
  EXPECT_EQ(g["description"], "d");
  EXPECT_EQ(g["metadata"], json({{"a", "b"}}));
  EXPECT_THAT(g.value("created_at", ""), ::testing::EndsWith("Z"));

  make_group("g2");
  auto all = body_of(call("GET", "/groups", owner_.token));
  EXPECT_EQ(all["total"], 2);
  EXPECT_EQ(all["limit"], 10);
  EXPECT_EQ(all["offset"], 0);
  EXPECT_EQ(all["groups"].size(), 2u);
  auto by_org = body_of(call("GET", "/svcthings/orgs/" + org_ + "/groups?limit=1", owner_.token));
  EXPECT_EQ(by_org["total"], 2);
  EXPECT_EQ(by_org["groups"].size(), 1u);
  EXPECT_EQ(body_of(call("GET", "/orgs/" + org_ + "/groups?name=g2", owner_.token))["total"], 1);

  auto update = call("PUT", "/groups/" + id, owner_.token, R"({"name":"renamed"})");
  EXPECT_EQ(update.status, 200);
  EXPECT_TRUE(update.body.empty());
  EXPECT_EQ(body_of(call("GET", "/groups/" + id, owner_.token))["name"], "renamed");

  auto profile = make_profile(id);
  auto thing = make_thing(profile);
  EXPECT_EQ(body_of(call("GET", "/things/" + thing["id"].get<std::string>() + "/groups",
                         owner_.token))["id"],
            id);
  EXPECT_EQ(body_of(call("GET", "/profiles/" + profile + "/groups", owner_.token))["id"], id);

  auto del = call("DELETE", "/groups/" + id, owner_.token);
  EXPECT_EQ(del.status, 204);
  EXPECT_EQ(call("GET", "/groups/" + id, owner_.token).status, 404);
  EXPECT_EQ(call("GET", "/things/" + thing["id"].get<std::string>(), owner_.token).status, 404);
  EXPECT_EQ(call("GET", "/profiles/" + profile, owner_.token).status, 404);
  auto identify =
      call("POST", "/identify", "", json{{"key", thing["key"]}, {"type", "internal"}}.dump());
  EXPECT_EQ(identify.status, 404);
}

TEST_F(RegistryApi, GroupBadInputChangesNothing) {
  auto path = "/orgs/" + org_ + "/groups";
  auto long_name = call("POST", path, owner_.token, json{{"name", std::string(1025, 'x')}}.dump());
  EXPECT_EQ(long_name.status, 400);
  EXPECT_THAT(body_of(long_name).value("error", ""), HasSubstr("1024"));
  EXPECT_EQ(call("POST", path, owner_.token, "{not json").status, 400);
  EXPECT_EQ(call("POST", path, owner_.token, R"({"name":"x"})", "text/plain").status, 415);
  EXPECT_EQ(call("POST", path, owner_.token, R"({"description":"no name"})").status, 400);
  EXPECT_EQ(call("POST", path, "", R"({"name":"x"})").status, 401);
  EXPECT_EQ(call("POST", path, "not-a-token", R"({"name":"x"})").status, 401);
  EXPECT_EQ(
      call("POST", "/orgs/00000000-0000-4000-8000-000000000000/groups", admin_, R"({"name":"x"})")
          .status,
      404);
  EXPECT_EQ(body_of(call("GET", path, owner_.token))["total"], 0);
  EXPECT_EQ(call("GET", "/groups/00000000-0000-4000-8000-000000000000", owner_.token).status, 404);
  EXPECT_EQ(call("GET", "/groups/whatever", owner_.token).status, 404);
  auto error = body_of(call("GET", "/groups", ""));
  EXPECT_TRUE(error.contains("error"));
}

TEST_F(RegistryApi, GroupMembershipRoutes) {
  auto group = make_group();
  auto viewer = org_member("viewer", "viewer");
  auto editor = org_member("editor", "viewer");
  auto create = call("POST", "/groups/" + group + "/memberships", owner_.token,
                     json{{"group_memberships",
                           {{{"member_id", viewer.id}, {"role", "viewer"}},
                            {{"member_id", editor.id}, {"role", "editor"}}}}}
                         .dump());
  ASSERT_EQ(create.status, 201) << create.body;
  EXPECT_EQ(create.body, "{}");

  auto list = body_of(call("GET", "/groups/" + group + "/memberships", owner_.token));
  EXPECT_EQ(list["total"], 3);
  std::map<std::string, std::pair<std::string, std::string>> seen;
  for (const auto& m : list["group_memberships"]) seen[m["member_id"]] = {m["email"], m["role"]};
  EXPECT_EQ(seen[viewer.id], (std::pair<std::string, std::string>{viewer.email, "viewer"}));
  EXPECT_EQ(seen[owner_.id], (std::pair<std::string, std::string>{owner_.email, "owner"}));

  auto update =
      call("PUT", "/groups/" + group + "/memberships", owner_.token,
           json{{"group_memberships", {{{"member_id", viewer.id}, {"role", "admin"}}}}}.dump());
  EXPECT_EQ(update.status, 200);
  auto owner_change =
      call("PUT", "/groups/" + group + "/memberships", owner_.token,
           json{{"group_memberships", {{{"member_id", owner_.id}, {"role", "viewer"}}}}}.dump());
  EXPECT_EQ(owner_change.status, 403);
  auto owner_remove = call("PATCH", "/groups/" + group + "/memberships", owner_.token,
                           json{{"member_ids", {owner_.id}}}.dump());
  EXPECT_EQ(owner_remove.status, 403);
  EXPECT_EQ(
      call("POST", "/groups/" + group + "/memberships", owner_.token,
           json{{"group_memberships", {{{"member_id", viewer.id}, {"role", "viewer"}}}}}.dump())
          .status,
      409);
  EXPECT_EQ(call("POST", "/groups/" + group + "/memberships", owner_.token,
                 json{{"group_memberships", {{{"member_id", "nope"}, {"role", "viewer"}}}}}.dump())
                .status,
            400);
  EXPECT_EQ(
      call("POST", "/groups/" + group + "/memberships", owner_.token,
           json{{"group_memberships",
                 {{{"member_id", "00000000-0000-4000-8000-000000000000"}, {"role", "viewer"}}}}}
               .dump())
          .status,
      404);
  EXPECT_EQ(call("POST", "/groups/" + group + "/memberships", owner_.token,
                 json{{"group_memberships", {{{"member_id", editor.id}, {"role", "king"}}}}}.dump())
                .status,
            400);

  auto remove = call("PATCH", "/groups/" + group + "/memberships", owner_.token,
                     json{{"member_ids", {viewer.id}}}.dump());
  EXPECT_EQ(remove.status, 204);
  list = body_of(call("GET", "/groups/" + group + "/memberships", owner_.token));
  EXPECT_EQ(list["total"], 2);
  for (const auto& m : list["group_memberships"]) EXPECT_NE(m["member_id"], viewer.id);
}

TEST_F(RegistryApi, ProfileRoutes) {
  auto group = make_group();
  const std::string id1 = "6f1c1b2e-8d3a-4c1b-9e2f-0a1b2c3d4e51";
  const std::string id2 = "6f1c1b2e-8d3a-4c1b-9e2f-0a1b2c3d4e52";
  auto create = call("POST", "/groups/" + group + "/profiles", owner_.token,
                     json::array({{{"id", id1},
                                   {"name", "profile_one"},
                                   {"metadata", {{"key", "val"}}},
                                   {"config", {{"Content-Type", "application/json"}}}},
                                  {{"id", id2}, {"name", "profile_two"}}})
                         .dump());
  ASSERT_EQ(create.status, 201) << create.body;
  EXPECT_EQ(create.header("Location").value_or(""), "/profiles/" + id1);
  auto made = body_of(create)["profiles"];
  ASSERT_EQ(made.size(), 2u);
  EXPECT_EQ(made[0], json({{"id", id1},
                           {"name", "profile_one"},
                           {"group_id", group},
                           {"metadata", {{"key", "val"}}},
                           {"config", {{"Content-Type", "application/json"}}}}));
  EXPECT_EQ(made[1], json({{"id", id2}, {"name", "profile_two"}, {"group_id", group}}));

  EXPECT_EQ(body_of(call("GET", "/profiles/" + id1, owner_.token))["name"], "profile_one");
  EXPECT_EQ(body_of(call("GET", "/profiles", owner_.token))["total"], 2);
  EXPECT_EQ(body_of(call("GET", "/groups/" + group + "/profiles", owner_.token))["total"], 2);
  EXPECT_EQ(body_of(call("GET", "/svcthings/orgs/" + org_ + "/profiles", owner_.token))["total"],
            2);
  auto search = body_of(
      call("POST", "/profiles/search", owner_.token, R"({"name":"one","limit":10,"offset":0})"));
  EXPECT_EQ(search["total"], 1);
  EXPECT_EQ(search["profiles"][0]["id"], id1);
  EXPECT_EQ(body_of(call("POST", "/groups/" + group + "/profiles/search", owner_.token,
                         R"({"metadata":{"key":"val"}})"))["total"],
            1);
  EXPECT_EQ(body_of(call("POST", "/orgs/" + org_ + "/profiles/search", owner_.token,
                         R"({"name":"profile"})"))["total"],
            2);

  EXPECT_EQ(call("PUT", "/profiles/" + id2, owner_.token,
                 R"({"name":"renamed","config":{"content_type":"application/senml+json"}})")
                .status,
            200);
  EXPECT_EQ(body_of(call("GET", "/profiles/" + id2, owner_.token))["name"], "renamed");

  auto thing = make_thing(id2);
  EXPECT_EQ(body_of(call("GET", "/things/" + thing["id"].get<std::string>() + "/profiles",
                         owner_.token))["id"],
            id2);
  auto in_use = call("DELETE", "/profiles/" + id2, owner_.token);
  EXPECT_EQ(in_use.status, 409);
  EXPECT_EQ(call("GET", "/profiles/" + id2, owner_.token).status, 200);
  EXPECT_EQ(call("DELETE", "/profiles/" + id1, owner_.token).status, 204);
  EXPECT_EQ(call("GET", "/profiles/" + id1, owner_.token).status, 404);

  // bad input: nothing created
  auto before = body_of(call("GET", "/groups/" + group + "/profiles", owner_.token))["total"];
  EXPECT_EQ(call("POST", "/groups/" + group + "/profiles", owner_.token,
                 R"([{"id":"not-a-uuid","name":"x"}])")
                .status,
            400);
  EXPECT_EQ(call("POST", "/groups/" + group + "/profiles", owner_.token,
                 json::array({{{"name", "fresh"}}, {{"id", id2}, {"name", "dup"}}}).dump())
                .status,
            409);
  EXPECT_EQ(call("POST", "/groups/" + group + "/profiles", owner_.token,
                 json::array({{{"name", std::string(1025, 'p')}}}).dump())
                .status,
            400);
  EXPECT_EQ(call("POST", "/groups/" + group + "/profiles", owner_.token,
                 R"([{"name":"x","config":{"content_type":"text/csv"}}])")
                .status,
            400);
  EXPECT_EQ(call("POST", "/groups/" + group + "/profiles", owner_.token, R"({"name":"x"})").status,
            400);
  EXPECT_EQ(body_of(call("GET", "/groups/" + group + "/profiles", owner_.token))["total"], before);
}

TEST_F(RegistryApi, ThingRoutes) {
  auto group = make_group();
  auto profile = make_profile(group);
  const std::string client_id = "0b7e7c1e-5d2b-4a3c-8e1f-123456789abc";
  auto create = call("POST", "/profiles/" + profile + "/things", owner_.token,
                     json::array({{{"id", client_id}, {"name", "thing_one"}, {"type", "device"}},
                                  {{"name", "thing_two"},
                                   {"type", "sensor"},
                                   {"metadata", {{"key", "val"}}},
                                   {"external_key", "serial-0001"}}})
                         .dump());
  ASSERT_EQ(create.status, 201) << create.body;
  auto things = body_of(create)["things"];
  ASSERT_EQ(things.size(), 2u);
  EXPECT_EQ(things[0]["id"], client_id);
  EXPECT_EQ(things[0]["group_id"], group);
  EXPECT_EQ(things[0]["profile_id"], profile);
  EXPECT_EQ(things[0]["type"], "device");
  EXPECT_EQ(things[0]["key"].get<std::string>().size(), 36u);
  EXPECT_EQ(things[1]["metadata"], json({{"key", "val"}}));
  const std::string key1 = things[0]["key"];
  const std::string id2 = things[1]["id"];

  auto view = body_of(call("GET", "/things/" + id2, owner_.token));
  EXPECT_EQ(view["name"], "thing_two");
  EXPECT_EQ(view["external_key"], "serial-0001");
  for (const auto& path : std::vector<std::string>{"/things", "/groups/" + group + "/things",
                                                   "/profiles/" + profile + "/things",
                                                   "/svcthings/orgs/" + org_ + "/things"}) {
    auto page = body_of(call("GET", path, owner_.token));
    EXPECT_EQ(page["total"], 2) << path;
    EXPECT_EQ(page["things"].size(), 2u) << path;
  }
  EXPECT_EQ(body_of(call("GET", "/things?limit=1&offset=1", owner_.token))["things"].size(), 1u);
  EXPECT_EQ(body_of(call("GET", "/things?name=two", owner_.token))["total"], 1);
  EXPECT_EQ(body_of(call("GET", R"(/things?metadata=%7B%22key%22%3A%22val%22%7D)",
                         owner_.token))["total"],
            1);
  for (const auto& path : std::vector<std::string>{
           "/things/search", "/profiles/" + profile + "/things/search",
           "/groups/" + group + "/things/search", "/orgs/" + org_ + "/things/search"}) {
    auto found =
        body_of(call("POST", path, owner_.token, R"({"name":"thing_one","limit":10,"offset":0})"));
    EXPECT_EQ(found["total"], 1) << path;
    EXPECT_EQ(found["things"][0]["id"], client_id) << path;
  }

  // identify and metadata by key
  auto identify = call("POST", "/identify", "", json{{"key", key1}, {"type", "internal"}}.dump());
  ASSERT_EQ(identify.status, 200);
  EXPECT_EQ(body_of(identify), json({{"id", client_id}}));
  EXPECT_EQ(
      body_of(call("POST", "/identify", "", R"({"key":"serial-0001","type":"external"})"))["id"],
      id2);
  EXPECT_EQ(call("POST", "/identify", "", R"({"key":"serial-0001","type":"internal"})").status,
            404);
  EXPECT_EQ(call("POST", "/identify", "", R"({"key":"x","type":"weird"})").status, 400);
  auto meta = raw_auth("GET", "/metadata", "External serial-0001");
  ASSERT_EQ(meta.status, 200);
  EXPECT_EQ(body_of(meta), json({{"metadata", {{"key", "val"}}}}));
  EXPECT_EQ(raw_auth("GET", "/metadata", "Thing " + key1).status, 200);
  EXPECT_EQ(raw_auth("GET", "/metadata", "Thing wrong-key").status, 401);
  EXPECT_EQ(raw_auth("GET", "/metadata", "Bearer " + owner_.token).status, 401);

  // PUT: the old key stops identifying at once
  auto update = call("PUT", "/things/" + client_id, owner_.token,
                     R"({"name":"renamed","key":"rotated-key-1","type":"actuator"})");
  EXPECT_EQ(update.status, 200);
  EXPECT_EQ(call("POST", "/identify", "", json{{"key", key1}, {"type", "internal"}}.dump()).status,
            404);
  EXPECT_EQ(
      body_of(call("POST", "/identify", "", R"({"key":"rotated-key-1","type":"internal"})"))["id"],
      client_id);
  EXPECT_EQ(body_of(call("GET", "/things/" + client_id, owner_.token))["type"], "actuator");

  // bulk metadata
  EXPECT_EQ(call("PUT", "/things", owner_.token,
                 json::array({{{"id", client_id}, {"metadata", {{"new_key1", "new_val1"}}}},
                              {{"id", id2}, {"metadata", {{"new_key2", "new_val2"}}}}})
                     .dump())
                .status,
            200);
  EXPECT_EQ(body_of(call("GET", "/things/" + id2, owner_.token))["metadata"],
            json({{"new_key2", "new_val2"}}));

  // external key set, replace, remove
  EXPECT_EQ(
      call("PATCH", "/things/" + client_id + "/external-key", owner_.token, R"({"key":"abc"})")
          .status,
      400);
  EXPECT_EQ(call("PATCH", "/things/" + client_id + "/external-key", owner_.token,
                 R"({"key":"serial-0001"})")
                .status,
            409);
  EXPECT_EQ(call("PATCH", "/things/" + client_id + "/external-key", owner_.token,
                 R"({"key":"serial-0002"})")
                .status,
            200);
  EXPECT_EQ(
      body_of(call("POST", "/identify", "", R"({"key":"serial-0002","type":"external"})"))["id"],
      client_id);
  EXPECT_EQ(call("DELETE", "/things/" + client_id + "/external-key", owner_.token).status, 204);
  EXPECT_EQ(call("POST", "/identify", "", R"({"key":"serial-0002","type":"external"})").status,
            404);

  // move to another group and profile
  auto group2 = make_group("second");
  auto profile2 = make_profile(group2);
  EXPECT_EQ(call("PATCH", "/things/" + id2, owner_.token,
                 json{{"profile_id", profile}, {"group_id", group2}}.dump())
                .status,
            400);
  EXPECT_EQ(call("PATCH", "/things/" + id2, owner_.token,
                 json{{"profile_id", "bad"}, {"group_id", group2}}.dump())
                .status,
            400);
  EXPECT_EQ(body_of(call("GET", "/things/" + id2, owner_.token))["group_id"], group);
  EXPECT_EQ(call("PATCH", "/things/" + id2, owner_.token,
                 json{{"profile_id", profile2}, {"group_id", group2}}.dump())
                .status,
            200);
  auto moved = body_of(call("GET", "/things/" + id2, owner_.token));
  EXPECT_EQ(moved["group_id"], group2);
  EXPECT_EQ(moved["profile_id"], profile2);

  // delete
  EXPECT_EQ(call("DELETE", "/things/" + id2, owner_.token).status, 204);
  EXPECT_EQ(call("GET", "/things/" + id2, owner_.token).status, 404);
  EXPECT_EQ(call("DELETE", "/things/" + id2, owner_.token).status, 404);
}

TEST_F(RegistryApi, ThingBadInputChangesNothing) {
  auto group = make_group();
  auto profile = make_profile(group);
  auto existing =
      make_thing(profile, json{{"name", "e"}, {"type", "device"}, {"external_key", "taken-key"}});
  auto path = "/profiles/" + profile + "/things";
  auto ok_thing = json{{"name", "fresh"}, {"type", "device"}};
  auto post = [&](json bad) {
    return call("POST", path, owner_.token, json::array({ok_thing, bad}).dump());
  };
  auto bad_type = post({{"name", "x"}, {"type", "toaster"}});
  EXPECT_EQ(bad_type.status, 400);
  EXPECT_THAT(body_of(bad_type).value("error", ""), HasSubstr("type"));
  EXPECT_EQ(post({{"name", "x"}}).status, 400);
  EXPECT_EQ(post({{"name", std::string(1025, 'n')}, {"type", "device"}}).status, 400);
  EXPECT_EQ(post({{"name", "x"}, {"type", "device"}, {"external_key", "abcd"}}).status, 400);
  EXPECT_EQ(post({{"name", "x"}, {"type", "device"}, {"id", "12345"}}).status, 400);
  EXPECT_EQ(post({{"name", "x"}, {"type", "device"}, {"external_key", "taken-key"}}).status, 409);
  EXPECT_EQ(post({{"name", "x"}, {"type", "device"}, {"id", existing["id"]}}).status, 409);
  EXPECT_EQ(call("POST", path, owner_.token, "[]").status, 400);
  EXPECT_EQ(call("POST", "/profiles/00000000-0000-4000-8000-000000000000/things", owner_.token,
                 json::array({ok_thing}).dump())
                .status,
            404);
  EXPECT_EQ(body_of(call("GET", path, owner_.token))["total"], 1);
  EXPECT_EQ(call("PUT", "/things/" + existing["id"].get<std::string>(), owner_.token,
                 R"({"name":"x","type":"device"})")
                .status,
            400);
}

TEST_F(RegistryApi, AccessByRole) {
  auto group = make_group();
  auto profile = make_profile(group);
  auto thing = make_thing(profile);
  const std::string tid = thing["id"];
  auto viewer = org_member("viewer", "viewer");
  auto editor = org_member("editor", "viewer");
  auto admin = org_member("admin", "viewer");
  auto stranger = org_member("stranger", "viewer");
  add_group_member(group, viewer, "viewer");
  add_group_member(group, editor, "editor");
  add_group_member(group, admin, "admin");
  auto new_things = json::array({{{"name", "n"}, {"type", "device"}}}).dump();

  // viewer reads, nothing else
  EXPECT_EQ(call("GET", "/things/" + tid, viewer.token).status, 200);
  EXPECT_EQ(call("GET", "/groups/" + group, viewer.token).status, 200);
  EXPECT_EQ(body_of(call("GET", "/things", viewer.token))["total"], 1);
  EXPECT_EQ(call("POST", "/profiles/" + profile + "/things", viewer.token, new_things).status, 403);
  EXPECT_EQ(call("PUT", "/groups/" + group, viewer.token, R"({"name":"v"})").status, 403);
  // a member of the org outside the group sees nothing of it
  EXPECT_EQ(call("GET", "/things/" + tid, stranger.token).status, 403);
  EXPECT_EQ(body_of(call("GET", "/things", stranger.token))["total"], 0);

  // editor creates and updates, cannot delete things or manage members
  EXPECT_EQ(call("POST", "/profiles/" + profile + "/things", editor.token, new_things).status, 201);
  EXPECT_EQ(call("PUT", "/things/" + tid, editor.token,
                 json{{"name", "e"}, {"key", thing["key"]}, {"type", "device"}}.dump())
                .status,
            200);
  EXPECT_EQ(call("DELETE", "/things/" + tid, editor.token).status, 403);
  EXPECT_EQ(call("DELETE", "/profiles/" + profile, editor.token).status, 403);
  EXPECT_EQ(call("PATCH", "/groups/" + group + "/memberships", editor.token,
                 json{{"member_ids", {viewer.id}}}.dump())
                .status,
            403);
  EXPECT_EQ(call("GET", "/things/" + tid, owner_.token).status, 200);  // nothing changed

  // admin deletes things and manages members, cannot delete the group
  EXPECT_EQ(
      call("PUT", "/groups/" + group + "/memberships", admin.token,
           json{{"group_memberships", {{{"member_id", viewer.id}, {"role", "editor"}}}}}.dump())
          .status,
      200);
  EXPECT_EQ(call("DELETE", "/things/" + tid, admin.token).status, 204);
  EXPECT_EQ(call("DELETE", "/groups/" + group, admin.token).status, 403);
  EXPECT_EQ(call("GET", "/groups/" + group, owner_.token).status, 200);

  // the owner deletes the group
  EXPECT_EQ(call("DELETE", "/groups/" + group, owner_.token).status, 204);
  EXPECT_EQ(call("GET", "/groups/" + group, owner_.token).status, 404);
}

TEST_F(RegistryApi, BackupAndRestoreAreForTheRootAdmin) {
  auto group = make_group();
  auto profile = make_profile(group);
  auto thing = make_thing(profile);
  EXPECT_EQ(call("GET", "/backup", owner_.token).status, 403);
  auto backup = call("GET", "/backup", admin_);
  ASSERT_EQ(backup.status, 200);
  auto doc = body_of(backup);
  bool found = false;
  for (const auto& t : doc["things"]) found = found || t["id"] == thing["id"];
  EXPECT_TRUE(found);
  EXPECT_EQ(call("POST", "/restore", owner_.token, backup.body).status, 403);
  // everything exists already: refused, nothing changed
  EXPECT_EQ(call("POST", "/restore", admin_, backup.body).status, 409);
  EXPECT_EQ(call("POST", "/restore", admin_, "[]").status, 400);

  ASSERT_EQ(call("DELETE", "/groups/" + group, owner_.token).status, 204);
  json only;
  only["groups"] = json::array();
  for (const auto& g : doc["groups"])
    if (g["id"] == group) only["groups"].push_back(g);
  for (const char* part : {"group_memberships", "profiles", "things"}) {
    only[part] = json::array();
    for (const auto& e : doc[part])
      if (e["group_id"] == group) only[part].push_back(e);
  }
  ASSERT_EQ(call("POST", "/restore", admin_, only.dump()).status, 201);
  EXPECT_EQ(body_of(call("GET", "/things/" + thing["id"].get<std::string>(), owner_.token))["key"],
            thing["key"]);
  EXPECT_EQ(body_of(call("POST", "/identify", "",
                         json{{"key", thing["key"]}, {"type", "internal"}}.dump()))["id"],
            thing["id"]);
}

}  // namespace
}  // namespace conflux::test
