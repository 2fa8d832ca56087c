// Accounts over real HTTP against the real binary: every route of seed 002's
// Users, API Key, Orgs, Org Memberships, Org Invites and Platform Invites
// sections (status and body), bad input (400/415 with {"error"} and nothing
// changed), 401/403/404/409, invites end to end, the /svc<name> prefixes,
// self-registration and the root admin bootstrap across restarts.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <memory>

#include "tests/integration/accounts_client.h"
#include "tests/support/conflux_process.h"

namespace conflux::test {
namespace {

using nlohmann::json;

constexpr const char* kRoot = "admin@example.com";
constexpr const char* kRootPassword = "admin-password-1";
constexpr const char* kUnknownId = "00000000-0000-4000-8000-000000000000";

ConfluxOptions options(std::map<std::string, std::string> extra = {}) {
  ConfluxOptions o;
  o.env = {{"CONFLUX_ADMIN_EMAIL", kRoot},
           {"CONFLUX_ADMIN_PASSWORD", kRootPassword},
           {"CONFLUX_LOG_LEVEL", "info"}};
  for (auto& [k, v] : extra) o.env[k] = v;
  return o;
}

class AccountsApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    process_ = std::make_unique<ConfluxProcess>(options());
    ASSERT_TRUE(process_->wait_ready()) << process_->log();
  }
  static void TearDownTestSuite() { process_.reset(); }

  void SetUp() override {
    ASSERT_TRUE(process_ && process_->running());
    api_ = std::make_unique<ApiClient>(process_->port());
    root_ = api_->login(kRoot, kRootPassword);
    ASSERT_FALSE(root_.empty());
  }

  // Creates a user as root; returns its id.
  std::string create_user(const std::string& email, const std::string& password = "password-123") {
    auto r = api_->post("/users", {{"email", email}, {"password", password}}, root_);
    EXPECT_EQ(r.status, 201) << r.body;
    return id_from_location(r.location());
  }
  std::string create_org(const std::string& token, const std::string& name) {
    auto r = api_->post(
        "/orgs", {{"name", name}, {"description", "d"}, {"metadata", json::object()}}, token);
    EXPECT_EQ(r.status, 201) << r.body;
    return id_from_location(r.location());
  }
  std::size_t user_count() {
    auto r = api_->get("/users?limit=200", root_);
    EXPECT_EQ(r.status, 200);
    return r.json.value("total", std::size_t{0});
  }
  // Expects status and a non-empty {"error"} body.
  static void expect_error(const ApiResponse& r, int status) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_FALSE(r.error().empty()) << r.body;
  }

  static std::unique_ptr<ConfluxProcess> process_;
  std::unique_ptr<ApiClient> api_;
  std::string root_;
};

std::unique_ptr<ConfluxProcess> AccountsApi::process_;

TEST_F(AccountsApi, CreateToken) {
  auto ok = api_->post("/tokens", {{"email", kRoot}, {"password", kRootPassword}});
  EXPECT_EQ(ok.status, 201);
  ASSERT_TRUE(ok.json.contains("token"));
  const auto token = ok.json["token"].get<std::string>();
  EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2) << token;
  expect_error(api_->post("/tokens", {{"email", kRoot}, {"password", "wrong-password"}}), 401);
  expect_error(api_->post("/tokens", {{"email", "nobody@example.com"}, {"password", "whatever1"}}),
               401);
  expect_error(api_->post("/tokens", {{"email", kRoot}}), 400);
  expect_error(api_->post("/tokens", {{"email", "not-an-email"}, {"password", "whatever1"}}), 400);
  expect_error(api_->call("POST", "/tokens", "{\"email\":", {}), 400);
  expect_error(
      api_->call("POST", "/tokens", json{{"email", kRoot}, {"password", kRootPassword}}.dump(), {},
                 "text/plain"),
      415);
}

TEST_F(AccountsApi, CreateViewListUsers) {
  const auto before = user_count();
  auto created =
      api_->post("/users", {{"email", "Carol@Example.com"}, {"password", "password-123"}}, root_);
  ASSERT_EQ(created.status, 201) << created.body;
  ASSERT_TRUE(created.location().starts_with("/users/")) << created.location();
  EXPECT_TRUE(created.body.empty());
  auto id = id_from_location(created.location());

  auto view = api_->get("/users/" + id, root_);
  EXPECT_EQ(view.status, 200);
  EXPECT_EQ(view.json["id"], id);
  EXPECT_EQ(view.json["email"], "carol@example.com");

  auto list = api_->get("/users?offset=0&limit=200", root_);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json["total"], before + 1);
  EXPECT_EQ(list.json["offset"], 0);
  EXPECT_EQ(list.json["limit"], 200);
  ASSERT_TRUE(list.json["Users"].is_array());
  EXPECT_EQ(list.json["Users"].size(), before + 1);
  EXPECT_EQ(list.json["users"], list.json["Users"]);
  auto filtered = api_->get("/users?email=carol", root_);
  EXPECT_EQ(filtered.json["total"], 1);

  // The gateway prefix form.
  EXPECT_EQ(api_->get("/svcusers/users/" + id, root_).status, 200);

  // Duplicates and bad input change nothing.
  expect_error(
      api_->post("/users", {{"email", "carol@example.com"}, {"password", "password-123"}}, root_),
      409);
  expect_error(api_->post("/users", {{"email", "bad email"}, {"password", "password-123"}}, root_),
               400);
  expect_error(
      api_->post("/users", {{"email", "short@example.com"}, {"password", "1234567"}}, root_), 400);
  expect_error(api_->post("/users", {{"password", "password-123"}}, root_), 400);
  expect_error(api_->post("/users", {{"email", 5}, {"password", "password-123"}}, root_), 400);
  expect_error(api_->call("POST", "/users", "[1,2", root_), 400);
  expect_error(
      api_->call("POST", "/users", R"({"email":"ct@example.com","password":"password-123"})", root_,
                 "application/xml"),
      415);
  EXPECT_EQ(user_count(), before + 1);

  expect_error(api_->get("/users/not-a-uuid", root_), 400);
  expect_error(api_->get(std::string("/users/") + kUnknownId, root_), 404);
  expect_error(api_->get("/users?limit=201", root_), 400);
  expect_error(api_->get("/users?offset=-1", root_), 400);
  expect_error(api_->get("/users?limit=0", root_), 400);
  expect_error(api_->get("/users?metadata=nope", root_), 400);
}

TEST_F(AccountsApi, AuthenticationAndRootOnlyUserRoutes) {
  create_user("dan@example.com");
  auto dan = api_->login("dan@example.com", "password-123");
  expect_error(api_->get("/users/profile", ""), 401);
  expect_error(api_->get("/users/profile", "garbage"), 401);
  expect_error(api_->call("GET", "/users/profile", {}, {}), 401);
  auto t = http_request("127.0.0.1", process_->port(), "GET", "/users/profile", {},
                        {{"Authorization", "Basic Zm9vOmJhcg=="}});
  EXPECT_EQ(t.status, 401);
  expect_error(api_->get("/users", dan), 403);
  expect_error(
      api_->post("/users", {{"email", "e@example.com"}, {"password", "password-123"}}, dan), 403);
  auto root_id = api_->get("/users/profile", root_).json["id"].get<std::string>();
  expect_error(api_->get("/users/" + root_id, dan), 403);
}

TEST_F(AccountsApi, ProfileUpdatePasswordEnableDisable) {
  auto id = create_user("erin@example.com");
  auto erin = api_->login("erin@example.com", "password-123");
  auto profile = api_->get("/users/profile", erin);
  ASSERT_EQ(profile.status, 200);
  EXPECT_EQ(profile.json["id"], id);
  EXPECT_EQ(profile.json["email"], "erin@example.com");

  auto updated = api_->put("/users", {{"metadata", {{"foo", "bar"}}}}, erin);
  EXPECT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(api_->get("/users/profile", erin).json["metadata"], json({{"foo", "bar"}}));
  expect_error(api_->put("/users", {{"metadata", "text"}}, erin), 400);
  expect_error(api_->put("/users", json::object(), erin), 400);
  EXPECT_EQ(api_->get("/users/profile", erin).json["metadata"], json({{"foo", "bar"}}));

  expect_error(api_->patch("/password",
                           {{"old_password", "wrong-pass"}, {"password", "new-password"}}, erin),
               401);
  expect_error(
      api_->patch("/password", {{"old_password", "password-123"}, {"password", "short"}}, erin),
      400);
  auto changed = api_->patch(
      "/password", {{"old_password", "password-123"}, {"password", "new-password"}}, erin);
  EXPECT_EQ(changed.status, 201) << changed.body;
  expect_error(api_->post("/tokens", {{"email", "erin@example.com"}, {"password", "password-123"}}),
               401);
  EXPECT_FALSE(api_->login("erin@example.com", "new-password").empty());

  expect_error(api_->post("/users/" + id + "/disable", json::object(), erin), 403);
  EXPECT_EQ(api_->post("/users/" + id + "/disable", json::object(), root_).status, 204);
  expect_error(api_->get("/users/profile", erin), 401);  // the token stops at once
  expect_error(api_->post("/tokens", {{"email", "erin@example.com"}, {"password", "new-password"}}),
               401);
  EXPECT_EQ(api_->post("/users/" + id + "/enable", json::object(), root_).status, 204);
  EXPECT_EQ(api_->get("/users/profile", erin).status, 200);
  expect_error(api_->post(std::string("/users/") + kUnknownId + "/enable", json::object(), root_),
               404);
}

TEST_F(AccountsApi, SelfRegistrationIsOffByDefault) {
  expect_error(
      api_->post("/register", {{"email", "self@example.com"}, {"password", "password-123"}}), 403);
}

TEST_F(AccountsApi, ApiKeys) {
  create_user("fay@example.com");
  auto fay = api_->login("fay@example.com", "password-123");
  auto issued = api_->post("/keys", {{"type", 2}, {"duration", 10000}}, fay);
  ASSERT_EQ(issued.status, 201) << issued.body;
  for (const char* f : {"id", "value", "issued_at", "expires_at"})
    EXPECT_TRUE(issued.json.contains(f)) << f << " in " << issued.body;
  auto id = issued.json["id"].get<std::string>();
  auto key = issued.json["value"].get<std::string>();

  auto as_key = api_->get("/users/profile", key);
  EXPECT_EQ(as_key.status, 200);
  EXPECT_EQ(as_key.json["email"], "fay@example.com");

  auto view = api_->get("/keys/" + id, fay);
  ASSERT_EQ(view.status, 200);
  EXPECT_EQ(view.json["id"], id);
  EXPECT_EQ(view.json["subject"], "fay@example.com");
  EXPECT_EQ(view.json["type"], 2);
  EXPECT_EQ(view.json["issuer_id"], as_key.json["id"]);
  EXPECT_TRUE(view.json.contains("issued_at"));
  EXPECT_TRUE(view.json.contains("expires_at"));
  expect_error(api_->get("/keys/" + id, root_ + "x"), 401);

  auto list = api_->get("/keys", fay);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json["total"], 1);
  EXPECT_EQ(list.json["keys"][0]["id"], id);
  EXPECT_EQ(list.json["limit"], 10);

  expect_error(api_->post("/keys", {{"type", 0}, {"duration", 100}}, fay), 400);
  expect_error(api_->post("/keys", {{"type", 2}}, fay), 400);
  expect_error(api_->post("/keys", {{"type", 2}, {"duration", -5}}, fay), 400);
  expect_error(api_->post("/keys", {{"type", "2"}, {"duration", 5}}, fay), 400);
  EXPECT_EQ(api_->get("/keys", fay).json["total"], 1);

  EXPECT_EQ(api_->del("/keys/" + id, fay).status, 204);
  expect_error(api_->get("/users/profile", key), 401);
  expect_error(api_->get("/keys/" + id, fay), 404);
  expect_error(api_->del(std::string("/keys/") + kUnknownId, fay), 404);
  expect_error(api_->del("/keys/nope", fay), 400);
}

TEST_F(AccountsApi, OrgsCrud) {
  create_user("gus@example.com");
  create_user("hal@example.com");
  auto gus = api_->login("gus@example.com", "password-123");
  auto hal = api_->login("hal@example.com", "password-123");
  auto created = api_->post(
      "/orgs", {{"name", "gus-org"}, {"description", "desc"}, {"metadata", {{"meta", "test1"}}}},
      gus);
  ASSERT_EQ(created.status, 201) << created.body;
  ASSERT_TRUE(created.location().starts_with("/orgs/"));
  auto id = id_from_location(created.location());

  auto view = api_->get("/orgs/" + id, gus);
  ASSERT_EQ(view.status, 200);
  EXPECT_EQ(view.json["id"], id);
  EXPECT_EQ(view.json["name"], "gus-org");
  EXPECT_EQ(view.json["description"], "desc");
  EXPECT_EQ(view.json["owner_id"], api_->get("/users/profile", gus).json["id"]);
  EXPECT_EQ(view.json["metadata"], json({{"meta", "test1"}}));
  EXPECT_TRUE(view.json["created_at"].get<std::string>().ends_with("Z"));
  EXPECT_TRUE(view.json.contains("updated_at"));
  EXPECT_EQ(api_->get("/svcauth/orgs/" + id, gus).status, 200);

  auto updated =
      api_->put("/orgs/" + id,
                {{"name", "renamed"}, {"description", "d2"}, {"metadata", json::object()}}, gus);
  EXPECT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(api_->get("/orgs/" + id, gus).json["name"], "renamed");
  expect_error(api_->put("/orgs/" + id, {{"description", "no name"}}, gus), 400);
  expect_error(api_->put("/orgs/" + id, {{"name", "x"}}, hal), 403);
  expect_error(api_->get("/orgs/" + id, hal), 403);
  expect_error(api_->get(std::string("/orgs/") + kUnknownId, gus), 404);
  expect_error(api_->get("/orgs/xyz", gus), 400);
  expect_error(api_->post("/orgs", {{"name", "x"}, {"metadata", "nope"}}, gus), 400);
  expect_error(api_->post("/orgs", {{"description", "no name"}}, gus), 400);

  create_org(hal, "hal-org");
  auto mine = api_->get("/orgs", gus);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.json["total"], 1);
  EXPECT_EQ(mine.json["orgs"][0]["id"], id);
  EXPECT_EQ(mine.json["limit"], 10);
  EXPECT_EQ(mine.json["offset"], 0);
  auto all = api_->get("/orgs?limit=200", root_);
  EXPECT_GE(all.json["total"].get<int>(), 2);
  EXPECT_EQ(api_->get("/orgs?name=renam", root_).json["total"], 1);
  expect_error(api_->get("/orgs?limit=500", gus), 400);

  expect_error(api_->del("/orgs/" + id, hal), 403);
  EXPECT_EQ(api_->del("/orgs/" + id, gus).status, 204);
  expect_error(api_->get("/orgs/" + id, gus), 404);
}

TEST_F(AccountsApi, OrgMemberships) {
  auto owner_id = create_user("ida@example.com");
  auto jo_id = create_user("jo@example.com");
  create_user("kim@example.com");
  auto ida = api_->login("ida@example.com", "password-123");
  auto jo = api_->login("jo@example.com", "password-123");
  auto org = create_org(ida, "ida-org");
  const auto path = "/orgs/" + org + "/memberships";

  auto added = api_->post(path,
                          {{"org_memberships",
                            {{{"email", "jo@example.com"}, {"role", "viewer"}},
                             {{"email", "kim@example.com"}, {"role", "admin"}}}}},
                          ida);
  EXPECT_EQ(added.status, 200) << added.body;
  expect_error(
      api_->post(path, {{"org_memberships", {{{"email", "jo@example.com"}, {"role", "viewer"}}}}},
                 ida),
      409);
  expect_error(
      api_->post(
          path, {{"org_memberships", {{{"email", "ghost@example.com"}, {"role", "viewer"}}}}}, ida),
      404);
  expect_error(
      api_->post(path, {{"org_memberships", {{{"email", "jo@example.com"}, {"role", "king"}}}}},
                 ida),
      400);
  expect_error(api_->post(path, {{"org_memberships", "jo"}}, ida), 400);
  expect_error(
      api_->post(path, {{"org_memberships", {{{"email", "x@example.com"}, {"role", "viewer"}}}}},
                 jo),
      403);

  auto one = api_->get("/orgs/" + org + "/members/" + jo_id, ida);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.json,
            json({{"member_id", jo_id}, {"email", "jo@example.com"}, {"role", "viewer"}}));
  expect_error(api_->get("/orgs/" + org + "/members/" + kUnknownId, ida), 404);

  auto list = api_->get(path, jo);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json["total"], 3);
  EXPECT_EQ(list.json["org_memberships"][0]["role"], "owner");
  EXPECT_EQ(list.json["org_memberships"][0]["member_id"], owner_id);

  auto updated = api_->put(
      path, {{"org_memberships", {{{"email", "jo@example.com"}, {"role", "editor"}}}}}, ida);
  EXPECT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(api_->get("/orgs/" + org + "/members/" + jo_id, ida).json["role"], "editor");
  expect_error(
      api_->put(path, {{"org_memberships", {{{"email", "ida@example.com"}, {"role", "viewer"}}}}},
                ida),
      403);

  expect_error(api_->patch(path, {{"member_ids", {owner_id}}}, ida), 403);
  expect_error(api_->patch(path, {{"member_ids", {"nope"}}}, ida), 400);
  expect_error(api_->patch(path, {{"member_ids", "nope"}}, ida), 400);
  EXPECT_EQ(api_->patch(path, {{"member_ids", {jo_id}}}, ida).status, 204);
  expect_error(api_->get("/orgs/" + org + "/members/" + jo_id, ida), 404);
  expect_error(api_->get(path, jo), 403);
  EXPECT_EQ(api_->get(path, ida).json["total"], 2);
}

TEST_F(AccountsApi, OrgInvitesEndToEnd) {
  auto lee_id = create_user("lee@example.com");
  auto max_id = create_user("max@example.com");
  auto lee = api_->login("lee@example.com", "password-123");
  auto max = api_->login("max@example.com", "password-123");
  auto org = create_org(lee, "lee-org");

  auto created = api_->post(
      "/orgs/" + org + "/invites",
      {{"email", "max@example.com"}, {"role", "editor"}, {"redirect_path", "/invite-view"}}, lee);
  ASSERT_EQ(created.status, 201) << created.body;
  auto invite = id_from_location(created.location());
  expect_error(api_->post("/orgs/" + org + "/invites",
                          {{"email", "max@example.com"}, {"role", "viewer"}}, lee),
               409);
  expect_error(api_->post("/orgs/" + org + "/invites",
                          {{"email", "nobody@example.com"}, {"role", "viewer"}}, lee),
               404);
  expect_error(api_->post("/orgs/" + org + "/invites",
                          {{"email", "max@example.com"}, {"role", "boss"}}, lee),
               400);
  expect_error(api_->post("/orgs/" + org + "/invites", {{"role", "viewer"}}, lee), 400);
  expect_error(api_->post("/orgs/" + org + "/invites",
                          {{"email", "lee@example.com"}, {"role", "viewer"}}, max),
               403);

  auto list = api_->get("/orgs/" + org + "/invites", lee);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json["total"], 1);
  auto shown = list.json["invites"][0];
  EXPECT_EQ(shown["id"], invite);
  EXPECT_EQ(shown["invitee_email"], "max@example.com");
  EXPECT_EQ(shown["inviter_id"], lee_id);
  EXPECT_EQ(shown["inviter_email"], "lee@example.com");
  EXPECT_EQ(shown["org_id"], org);
  EXPECT_EQ(shown["org_name"], "lee-org");
  EXPECT_EQ(shown["invitee_role"], "editor");
  EXPECT_EQ(shown["state"], "pending");
  EXPECT_TRUE(shown.contains("created_at"));
  EXPECT_TRUE(shown.contains("expires_at"));

  auto view = api_->get("/svcauth/invites/" + invite, max);
  ASSERT_EQ(view.status, 200);
  EXPECT_EQ(view.json, shown);
  expect_error(api_->get(std::string("/svcauth/invites/") + kUnknownId, max), 404);

  auto received = api_->get("/svcauth/users/" + max_id + "/invites/received", max);
  ASSERT_EQ(received.status, 200);
  EXPECT_EQ(received.json["total"], 1);
  EXPECT_EQ(received.json["invites"][0]["id"], invite);
  auto sent = api_->get("/svcauth/users/" + lee_id + "/invites/sent", lee);
  ASSERT_EQ(sent.status, 200);
  EXPECT_EQ(sent.json["total"], 1);
  expect_error(api_->get("/svcauth/users/" + lee_id + "/invites/sent", max), 403);

  expect_error(api_->call("POST", "/svcauth/invites/" + invite + "/accept", {}, lee), 403);
  EXPECT_EQ(api_->call("POST", "/svcauth/invites/" + invite + "/accept", {}, max).status, 201);
  EXPECT_EQ(api_->get("/orgs/" + org + "/members/" + max_id, lee).json["role"], "editor");
  EXPECT_EQ(api_->get("/svcauth/invites/" + invite, max).json["state"], "accepted");
  expect_error(api_->call("POST", "/svcauth/invites/" + invite + "/accept", {}, max), 409);
  expect_error(api_->del("/svcauth/invites/" + invite, lee), 409);

  // Decline and revoke on fresh invites.
  create_user("ned@example.com");
  auto ned = api_->login("ned@example.com", "password-123");
  auto second = id_from_location(api_->post("/orgs/" + org + "/invites",
                                            {{"email", "ned@example.com"}, {"role", "viewer"}}, lee)
                                     .location());
  EXPECT_EQ(api_->call("POST", "/svcauth/invites/" + second + "/decline", {}, ned).status, 204);
  EXPECT_EQ(api_->get("/svcauth/invites/" + second, ned).json["state"], "declined");
  auto third = id_from_location(api_->post("/orgs/" + org + "/invites",
                                           {{"email", "ned@example.com"}, {"role", "viewer"}}, lee)
                                    .location());
  ASSERT_FALSE(third.empty());
  expect_error(api_->del("/svcauth/invites/" + third, ned), 403);
  EXPECT_EQ(api_->del("/svcauth/invites/" + third, lee).status, 204);
  EXPECT_EQ(api_->get("/svcauth/invites/" + third, lee).json["state"], "revoked");
  expect_error(api_->call("POST", "/svcauth/invites/" + third + "/accept", {}, ned), 409);
  expect_error(api_->get("/orgs/" + org, ned), 403);  // never became a member
}

TEST_F(AccountsApi, PlatformInvitesEndToEnd) {
  create_user("olga@example.com");
  auto olga = api_->login("olga@example.com", "password-123");
  auto org = create_org(olga, "olga-org");

  expect_error(api_->post("/svcauth/invites", {{"invitee_email", "pat@example.com"}}, olga), 403);
  expect_error(api_->post("/svcauth/invites", {{"invitee_email", "olga@example.com"}}, root_), 409);
  expect_error(api_->post("/svcauth/invites", {{"invitee_email", "nope"}}, root_), 400);
  expect_error(
      api_->post("/svcauth/invites",
                 {{"invitee_email", "pat@example.com"}, {"org_id", "x"}, {"role", "editor"}},
                 root_),
      400);
  auto created = api_->post(
      "/svcauth/invites",
      {{"invitee_email", "pat@example.com"}, {"org_id", org}, {"role", "editor"}}, root_);
  ASSERT_EQ(created.status, 201) << created.body;
  ASSERT_TRUE(created.location().starts_with("/invites/")) << created.location();
  auto invite = id_from_location(created.location());
  expect_error(api_->post("/svcauth/invites", {{"invitee_email", "pat@example.com"}}, root_), 409);

  auto list = api_->get("/svcauth/invites", root_);
  ASSERT_EQ(list.status, 200);
  bool found = false;
  for (const auto& i : list.json["invites"])
    if (i["id"] == invite) {
      found = true;
      EXPECT_EQ(i["invitee_email"], "pat@example.com");
      EXPECT_EQ(i["state"], "pending");
      EXPECT_TRUE(i.contains("created_at") && i.contains("expires_at"));
    }
  EXPECT_TRUE(found) << list.body;
  expect_error(api_->get("/svcauth/invites", olga), 403);

  const auto before = user_count();
  expect_error(api_->post("/register/invite/" + invite,
                          {{"email", "mallory@example.com"}, {"password", "password-123"}}),
               403);
  expect_error(api_->post("/register/invite/" + invite,
                          {{"email", "pat@example.com"}, {"password", "short"}}),
               400);
  expect_error(api_->post(std::string("/register/invite/") + kUnknownId,
                          {{"email", "pat@example.com"}, {"password", "password-123"}}),
               404);
  EXPECT_EQ(user_count(), before);
  auto registered = api_->post("/register/invite/" + invite,
                               {{"email", "pat@example.com"}, {"password", "password-123"}});
  ASSERT_EQ(registered.status, 201) << registered.body;
  auto pat_id = id_from_location(registered.location());
  expect_error(api_->post("/register/invite/" + invite,
                          {{"email", "pat@example.com"}, {"password", "password-123"}}),
               409);

  auto pat = api_->login("pat@example.com", "password-123");
  auto received = api_->get("/svcauth/users/" + pat_id + "/invites/received", pat);
  ASSERT_EQ(received.status, 200);
  ASSERT_EQ(received.json["total"], 1);
  EXPECT_EQ(received.json["invites"][0]["org_id"], org);
  EXPECT_EQ(received.json["invites"][0]["invitee_role"], "editor");
  auto org_invite = received.json["invites"][0]["id"].get<std::string>();
  EXPECT_EQ(api_->call("POST", "/svcauth/invites/" + org_invite + "/accept", {}, pat).status, 201);
  EXPECT_EQ(api_->get("/orgs/" + org, pat).status, 200);
}

TEST_F(AccountsApi, OrgInviteWithGroupInvitesGrantsGroupMemberships) {
  create_user("quinn@example.com");
  auto rae_id = create_user("rae@example.com");
  auto quinn = api_->login("quinn@example.com", "password-123");
  auto rae = api_->login("rae@example.com", "password-123");
  auto org = create_org(quinn, "quinn-org");
  auto group =
      api_->post("/svcthings/orgs/" + org + "/groups",
                 {{"name", "g1"}, {"description", "d"}, {"metadata", json::object()}}, quinn);
  ASSERT_EQ(group.status, 201) << group.body;
  auto group_id = id_from_location(group.location());

  expect_error(
      api_->post("/orgs/" + org + "/invites",
                 {{"email", "rae@example.com"},
                  {"role", "viewer"},
                  {"group_invites", {{{"group_id", kUnknownId}, {"member_role", "editor"}}}}},
                 quinn),
      404);
  expect_error(api_->post("/orgs/" + org + "/invites",
                          {{"email", "rae@example.com"},
                           {"role", "viewer"},
                           {"group_invites", {{{"group_id", group_id}, {"member_role", "chief"}}}}},
                          quinn),
               400);
  auto created =
      api_->post("/orgs/" + org + "/invites",
                 {{"email", "rae@example.com"},
                  {"role", "viewer"},
                  {"group_invites", {{{"group_id", group_id}, {"member_role", "editor"}}}}},
                 quinn);
  ASSERT_EQ(created.status, 201) << created.body;
  auto invite = id_from_location(created.location());
  auto shown = api_->get("/invites/" + invite, rae);
  EXPECT_EQ(shown.json["group_invites"],
            json::array({{{"group_id", group_id}, {"member_role", "editor"}}}));
  expect_error(api_->get("/groups/" + group_id, rae), 403);

  EXPECT_EQ(api_->call("POST", "/invites/" + invite + "/accept", {}, rae).status, 201);
  EXPECT_EQ(api_->get("/groups/" + group_id, rae).status, 200);
  auto members = api_->get("/groups/" + group_id + "/memberships", quinn);
  ASSERT_EQ(members.status, 200) << members.body;
  bool found = false;
  for (const auto& m : members.json["group_memberships"])
    if (m["member_id"] == rae_id) {
      found = true;
      EXPECT_EQ(m["role"], "editor");
    }
  EXPECT_TRUE(found) << members.body;
}

TEST(AccountsProcess, SelfRegistrationSwitch) {
  ConfluxProcess p(options({{"CONFLUX_AUTH_SELF_REGISTER", "true"}}));
  ASSERT_TRUE(p.wait_ready()) << p.log();
  ApiClient api(p.port());
  auto r = api.post("/register", {{"email", "self@example.com"}, {"password", "password-123"}});
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(r.location().starts_with("/users/"));
  EXPECT_EQ(
      api.post("/register", {{"email", "self@example.com"}, {"password", "password-123"}}).status,
      409);
  EXPECT_FALSE(api.login("self@example.com", "password-123").empty());
}

TEST(AccountsProcess, RootAdminIsBootstrappedAtEveryStart) {
  std::string templ = "/tmp/conflux-accounts-" + std::string(6, 'X');  // mkdtemp template
  ASSERT_NE(mkdtemp(templ.data()), nullptr);
  const std::filesystem::path data = templ;
  std::string token;
  {
    ConfluxProcess p(options({{"CONFLUX_STORAGE_PATH", data.string()}}));
    ASSERT_TRUE(p.wait_ready()) << p.log();
    ApiClient api(p.port());
    token = api.login(kRoot, kRootPassword);
    EXPECT_EQ(api.post("/users", {{"email", "u@example.com"}, {"password", "password-123"}}, token)
                  .status,
              201);
    EXPECT_EQ(p.stop(), 0);
  }
  ConfluxProcess p(options(
      {{"CONFLUX_ADMIN_PASSWORD", "changed-password"}, {"CONFLUX_STORAGE_PATH", data.string()}}));
  ASSERT_TRUE(p.wait_ready()) << p.log();
  ApiClient api(p.port());
  EXPECT_EQ(api.get("/users/profile", token).status, 200);  // the persisted secret
  EXPECT_EQ(api.post("/tokens", {{"email", kRoot}, {"password", kRootPassword}}).status, 401);
  auto fresh = api.login(kRoot, "changed-password");
  EXPECT_TRUE(api.get("/users/profile", fresh).json["id"].is_string());
  EXPECT_EQ(api.get("/users?email=u%40example.com", fresh).json["total"], 1);
  p.stop();
  std::filesystem::remove_all(data);
}

}  // namespace
}  // namespace conflux::test
