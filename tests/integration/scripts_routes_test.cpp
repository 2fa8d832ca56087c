// Integration tests of the scripts routes (the MainfluxLabs rules-service
// script API, docs/api.md "Scripts") against the real conflux binary over
// real HTTP: create/list/view/update/delete, compile errors (400 with the
// line, nothing stored), assignment to things with the group check, the
// things of a script, a thing's run log after a message sent through the
// HTTP adapter, hot reload seen in the stored messages, clean-up when a
// thing or group is removed, and 401/403/404/409. One process serves the
// suite; each test works in its own org and group.
#include <string>
#include <vector>

#include "tests/integration/http_adapter_fixture.h"

namespace conflux::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Appends `tag` to every SenML record name and logs it.
std::string tagger(const std::string& tag) {
  return "function transform(msg)\n"
         "  for _, r in ipairs(msg.records) do r.n = r.n .. '" +
         tag +
         "' end\n"
         "  conflux.log('info', 'tagged " +
         tag +
         "')\n"
         "  return msg\n"
         "end\n";
}

json script(const std::string& name, const std::string& source) {
  return json{{"name", name}, {"description", "d"}, {"script", source}};
}

// The HTTP adapter fixture (one process, per test an org, a group, a SenML
// profile and a thing on it) plus script helpers.
class ScriptsApi : public HttpAdapterTest {
 protected:
  // A user of the org (as viewer) with `role` in the test's group.
  User group_member(const std::string& name, const std::string& role) {
    auto u = make_user(name);
    add_group_member(u, role);
    return u;
  }
  // Creates one script in the test's group; its id.
  std::string make_script(const std::string& name, const std::string& source) {
    auto r = call("POST", "/groups/" + group_ + "/scripts", owner_.token,
                  json{{"scripts", {script(name, source)}}});
    EXPECT_EQ(r.status, 201) << r.body;
    return body_of(r)["scripts"][0].value("id", "");
  }
  // Sends one SenML record named `name` as `thing` over the HTTP adapter.
  void send_named(const Thing& thing, const std::string& name) {
    auto r = send(thing, json::array({json{{"n", name}, {"v", 1}}}).dump(), {},
                  "application/senml+json");
    ASSERT_EQ(r.status, 202) << r.body;
  }
  // The name of the newest stored message of `thing`.
  std::string newest_name(const Thing& thing) {
    auto page = read("/reader/senml?publisher=" + thing.id + "&limit=1", owner_.token);
    if (!page.contains("messages") || page["messages"].empty()) return {};
    return page["messages"][0].value("name", "");
  }
  json get_json(const std::string& path, const std::string& token) {
    auto r = call("GET", path, token);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return body_of(r);
  }
};

TEST_F(ScriptsApi, CreateListViewUpdateDelete) {
  auto create = call("POST", "/groups/" + group_ + "/scripts", owner_.token,
                     json{{"scripts",
                           {script("b-script", tagger("_b")), json{{"name", "a-script"},
                                                                   {"script", tagger("_a")},
                                                                   {"timeout_ms", 50},
                                                                   {"policy", "drop"}}}}});
  ASSERT_EQ(create.status, 201) << create.body;
  auto created = body_of(create)["scripts"];
  ASSERT_EQ(created.size(), 2u);
  const std::string b = created[0]["id"], a = created[1]["id"];
  EXPECT_EQ(std::string(create.header("Location").value_or("")), "/scripts/" + b);
  EXPECT_EQ(created[0]["group_id"], group_);
  EXPECT_EQ(created[0]["script"], tagger("_b"));
  EXPECT_EQ(created[1]["timeout_ms"], 50);
  EXPECT_EQ(created[1]["policy"], "drop");

  auto list = get_json("/groups/" + group_ + "/scripts", owner_.token);
  EXPECT_EQ(list["total"], 2);
  ASSERT_EQ(list["scripts"].size(), 2u);
  EXPECT_EQ(list["scripts"][0]["name"], "a-script") << "listed by name";
  auto page = get_json("/svcrules/groups/" + group_ + "/scripts?offset=1&limit=1", owner_.token);
  EXPECT_EQ(page["total"], 2);
  EXPECT_EQ(page["offset"], 1);
  EXPECT_EQ(page["limit"], 1);
  ASSERT_EQ(page["scripts"].size(), 1u);
  EXPECT_EQ(page["scripts"][0]["name"], "b-script");
  auto named = get_json("/groups/" + group_ + "/scripts?name=a-", owner_.token);
  EXPECT_EQ(named["total"], 1);

  auto view = get_json("/scripts/" + a, owner_.token);
  EXPECT_EQ(view["name"], "a-script");
  EXPECT_EQ(view["revision"], 1);
  EXPECT_EQ(view["description"], "");

  auto update =
      call("PUT", "/scripts/" + a, owner_.token,
           json{{"name", "a-renamed"}, {"description", "new"}, {"script", tagger("_a2")}});
  EXPECT_EQ(update.status, 200) << update.body;
  EXPECT_TRUE(update.body.empty());
  view = get_json("/scripts/" + a, owner_.token);
  EXPECT_EQ(view["name"], "a-renamed");
  EXPECT_EQ(view["description"], "new");
  EXPECT_EQ(view["script"], tagger("_a2"));
  EXPECT_EQ(view["revision"], 2);
  EXPECT_EQ(view["policy"], "drop") << "unset limits and policy are kept";

  // Duplicate names: 409, nothing changes.
  auto dup =
      call("POST", "/groups/" + group_ + "/scripts", owner_.token,
           json{{"scripts", {script("new-one", tagger("_n")), script("b-script", tagger("_d"))}}});
  EXPECT_EQ(dup.status, 409) << dup.body;
  EXPECT_EQ(call("PUT", "/scripts/" + a, owner_.token, script("b-script", tagger("_x"))).status,
            409);
  EXPECT_EQ(get_json("/groups/" + group_ + "/scripts", owner_.token)["total"], 2)
      << "the batch is all or nothing";

  // Delete: PATCH /scripts with ids, DELETE /scripts/{id}.
  EXPECT_EQ(call("PATCH", "/scripts", owner_.token, json{{"script_ids", {a, "unknown"}}}).status,
            404);
  EXPECT_EQ(call("GET", "/scripts/" + a, owner_.token).status, 200) << "nothing removed";
  EXPECT_EQ(call("PATCH", "/scripts", owner_.token, json{{"script_ids", {a}}}).status, 204);
  EXPECT_EQ(call("GET", "/scripts/" + a, owner_.token).status, 404);
  EXPECT_EQ(call("DELETE", "/svcrules/scripts/" + b, owner_.token).status, 204);
  EXPECT_EQ(call("DELETE", "/scripts/" + b, owner_.token).status, 404);
  EXPECT_EQ(get_json("/groups/" + group_ + "/scripts", owner_.token)["total"], 0);
}

TEST_F(ScriptsApi, CompileErrorsAndBadBodiesAre400AndStoreNothing) {
  auto bad = call("POST", "/groups/" + group_ + "/scripts", owner_.token,
                  json{{"scripts",
                        {script("ok", tagger("_ok")),
                         script("broken", "function transform(msg)\n  return msg +\nend\n")}}});
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_THAT(body_of(bad).value("error", ""), HasSubstr(":3:")) << "the compiler's line";
  EXPECT_EQ(get_json("/groups/" + group_ + "/scripts", owner_.token)["total"], 0);

  auto id = make_script("good", tagger("_g"));
  auto update = call("PUT", "/scripts/" + id, owner_.token, script("good", "local x = = 1\n"));
  ASSERT_EQ(update.status, 400) << update.body;
  EXPECT_THAT(body_of(update).value("error", ""), HasSubstr(":1:"));
  auto view = get_json("/scripts/" + id, owner_.token);
  EXPECT_EQ(view["revision"], 1);
  EXPECT_EQ(view["script"], tagger("_g"));

  const std::string path = "/groups/" + group_ + "/scripts";
  EXPECT_EQ(call("POST", path, owner_.token, R"({"scripts":[]})").status, 400);
  EXPECT_EQ(call("POST", path, owner_.token, R"({"scripts":[{"name":"x"}]})").status, 400);
  EXPECT_EQ(call("POST", path, owner_.token, R"({"scripts":[{"name":"","script":"x=1"}]})").status,
            400);
  EXPECT_EQ(
      call("POST", path, owner_.token,
           json{{"scripts", {json{{"name", "x"}, {"script", tagger("_x")}, {"policy", "maybe"}}}}})
          .status,
      400);
  EXPECT_EQ(
      call("POST", path, owner_.token,
           json{{"scripts", {json{{"name", "x"}, {"script", tagger("_x")}, {"timeout_ms", -1}}}}})
          .status,
      400);
  EXPECT_EQ(call("POST", path, owner_.token,
                 json{{"scripts",
                       {json{{"name", "x"}, {"script", tagger("_x")}, {"timeout_ms", 999999}}}}})
                .status,
            400);
  EXPECT_EQ(call("POST", path, owner_.token, "{").status, 400);
  EXPECT_EQ(call("PATCH", "/scripts", owner_.token, R"({"script_ids":[]})").status, 400);
  auto media = http_request(
      "127.0.0.1", port_, "POST", path, json{{"scripts", {script("x", tagger("_x"))}}}.dump(),
      {{"Authorization", "Bearer " + owner_.token}, {"Content-Type", "text/plain"}});
  EXPECT_EQ(media.status, 415);
  EXPECT_EQ(get_json(path, owner_.token)["total"], 1);
}

TEST_F(ScriptsApi, AssignRunLogHotReloadAndUnassign) {
  auto id = make_script("tag", tagger("_v1"));
  const std::string bind = "/things/" + senml_thing_.id + "/scripts";
  auto assign = call("POST", bind, owner_.token, json{{"script_ids", {id}}});
  ASSERT_EQ(assign.status, 200) << assign.body;
  EXPECT_THAT(get_json("/scripts/" + id + "/things", owner_.token)["thing_ids"]
                  .get<std::vector<std::string>>(),
              ElementsAre(senml_thing_.id));
  auto attached = get_json(bind, owner_.token);
  EXPECT_EQ(attached["total"], 1);
  EXPECT_EQ(attached["scripts"][0]["id"], id);

  send_named(senml_thing_, "temp");
  EXPECT_EQ(newest_name(senml_thing_), "temp_v1");
  auto runs = get_json("/things/" + senml_thing_.id + "/runs", owner_.token);
  ASSERT_EQ(runs["total"], 1) << runs.dump();
  EXPECT_EQ(runs["runs"][0]["script_id"], id);
  EXPECT_EQ(runs["runs"][0]["thing_id"], senml_thing_.id);
  EXPECT_EQ(runs["runs"][0]["status"], "ok");
  EXPECT_EQ(runs["runs"][0]["function"], "transform");
  EXPECT_THAT(runs["runs"][0]["logs"].dump(), HasSubstr("tagged _v1"));

  // Hot reload: the next message sees the new version.
  ASSERT_EQ(call("PUT", "/scripts/" + id, owner_.token, script("tag", tagger("_v2"))).status, 200);
  send_named(senml_thing_, "temp");
  EXPECT_EQ(newest_name(senml_thing_), "temp_v2");
  runs = get_json("/things/" + senml_thing_.id + "/runs?limit=1", owner_.token);
  EXPECT_EQ(runs["total"], 2);
  ASSERT_EQ(runs["runs"].size(), 1u);
  EXPECT_THAT(runs["runs"][0]["logs"].dump(), HasSubstr("tagged _v2")) << "newest first";
  EXPECT_EQ(get_json("/scripts/" + id + "/runs", owner_.token)["total"], 2);

  // A failing script is recorded with its line; the message passes unchanged.
  ASSERT_EQ(call("PUT", "/scripts/" + id, owner_.token,
                 script("tag", "function transform(msg)\n  error('boom')\nend\n"))
                .status,
            200);
  send_named(senml_thing_, "raw");
  EXPECT_EQ(newest_name(senml_thing_), "raw");
  runs = get_json("/things/" + senml_thing_.id + "/runs?limit=1", owner_.token);
  EXPECT_EQ(runs["runs"][0]["status"], "error");
  EXPECT_THAT(runs["runs"][0].value("error", ""), HasSubstr(":2:"));

  // Unassign: the script no longer applies.
  ASSERT_EQ(call("PUT", "/scripts/" + id, owner_.token, script("tag", tagger("_v3"))).status, 200);
  auto unassign = call("PATCH", bind, owner_.token, json{{"script_ids", {id}}});
  EXPECT_EQ(unassign.status, 200) << unassign.body;
  EXPECT_TRUE(get_json("/scripts/" + id + "/things", owner_.token)["thing_ids"].empty());
  send_named(senml_thing_, "plain");
  EXPECT_EQ(newest_name(senml_thing_), "plain");
}

TEST_F(ScriptsApi, ProfileConfigScriptIdAttachesTheScriptToEveryThingOfTheProfile) {
  auto id = make_script("profile-tag", tagger("_p"));
  auto r = call("POST", "/groups/" + group_ + "/profiles", owner_.token,
                json::array({json{
                    {"name", "scripted"},
                    {"config", {{"content_type", "application/senml+json"}, {"script_id", id}}}}}));
  ASSERT_EQ(r.status, 201) << r.body;
  auto profile = body_of(r)["profiles"][0].value("id", "");
  auto thing = make_thing(profile);
  send_named(thing, "temp");
  EXPECT_EQ(newest_name(thing), "temp_p") << "created with config.script_id";

  // Clearing config.script_id detaches it.
  r = call("PUT", "/profiles/" + profile, owner_.token,
           json{{"name", "scripted"}, {"config", {{"content_type", "application/senml+json"}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  send_named(thing, "plain");
  EXPECT_EQ(newest_name(thing), "plain");

  // Setting it again by update attaches it again.
  r = call("PUT", "/profiles/" + profile, owner_.token,
           json{{"name", "scripted"},
                {"config", {{"content_type", "application/senml+json"}, {"script_id", id}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  send_named(thing, "temp");
  EXPECT_EQ(newest_name(thing), "temp_p");

  // A script of another group is never attached through the config.
  auto other_group = make_group();
  auto other = call("POST", "/groups/" + other_group + "/scripts", owner_.token,
                    json{{"scripts", {script("foreign", tagger("_f"))}}});
  ASSERT_EQ(other.status, 201) << other.body;
  const std::string foreign = body_of(other)["scripts"][0]["id"];
  r = call("PUT", "/profiles/" + profile, owner_.token,
           json{{"name", "scripted"},
                {"config", {{"content_type", "application/senml+json"}, {"script_id", foreign}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  send_named(thing, "temp");
  EXPECT_EQ(newest_name(thing), "temp");
}

TEST_F(ScriptsApi, AssignmentChecksThingsAndGroups) {
  auto id = make_script("tag", tagger("_t"));
  auto other_group = make_group();
  auto other = call("POST", "/groups/" + other_group + "/scripts", owner_.token,
                    json{{"scripts", {script("elsewhere", tagger("_e"))}}});
  ASSERT_EQ(other.status, 201);
  const std::string foreign = body_of(other)["scripts"][0]["id"];
  const std::string bind = "/things/" + senml_thing_.id + "/scripts";

  auto wrong = call("POST", bind, owner_.token, json{{"script_ids", {id, foreign}}});
  EXPECT_EQ(wrong.status, 400) << wrong.body;
  EXPECT_THAT(body_of(wrong).value("error", ""), HasSubstr("group"));
  EXPECT_EQ(call("POST", bind, owner_.token, json{{"script_ids", {"unknown"}}}).status, 404);
  EXPECT_EQ(
      call("POST", "/things/unknown/scripts", owner_.token, json{{"script_ids", {id}}}).status,
      404);
  EXPECT_EQ(call("POST", bind, owner_.token, R"({"script_ids":"x"})").status, 400);
  EXPECT_TRUE(get_json("/scripts/" + id + "/things", owner_.token)["thing_ids"].empty())
      << "nothing assigned on error";
  EXPECT_EQ(call("GET", "/things/unknown/runs", owner_.token).status, 404);
  EXPECT_EQ(call("GET", "/scripts/unknown/things", owner_.token).status, 404);

  // Removing the thing drops its bindings; removing the group its scripts.
  ASSERT_EQ(call("POST", bind, owner_.token, json{{"script_ids", {id}}}).status, 200);
  ASSERT_EQ(call("DELETE", "/things/" + senml_thing_.id, owner_.token).status, 204);
  EXPECT_TRUE(get_json("/scripts/" + id + "/things", owner_.token)["thing_ids"].empty());
  ASSERT_EQ(call("DELETE", "/groups/" + group_, owner_.token).status, 204);
  EXPECT_EQ(call("GET", "/scripts/" + id, owner_.token).status, 404);
  EXPECT_EQ(call("GET", "/scripts/" + foreign, owner_.token).status, 200);
}

TEST_F(ScriptsApi, AccessByRole) {
  auto id = make_script("tag", tagger("_r"));
  auto viewer = group_member("viewer", "viewer");
  auto editor = group_member("editor", "editor");
  auto admin = group_member("admin", "admin");
  auto outsider = make_user("outsider");
  const std::string list = "/groups/" + group_ + "/scripts";
  const std::string bind = "/things/" + senml_thing_.id + "/scripts";
  const json one = json{{"scripts", {script("x", tagger("_x"))}}};

  // 401 without or with a bad token.
  EXPECT_EQ(call("GET", list, "").status, 401);
  EXPECT_EQ(call("GET", "/scripts/" + id, "not-a-token").status, 401);
  EXPECT_EQ(call("POST", list, "", one).status, 401);

  // Viewers read.
  EXPECT_EQ(call("GET", list, viewer.token).status, 200);
  EXPECT_EQ(call("GET", "/scripts/" + id, viewer.token).status, 200);
  EXPECT_EQ(call("GET", "/scripts/" + id + "/things", viewer.token).status, 200);
  EXPECT_EQ(call("GET", bind, viewer.token).status, 200);
  EXPECT_EQ(call("GET", "/things/" + senml_thing_.id + "/runs", viewer.token).status, 200);
  EXPECT_EQ(call("POST", list, viewer.token, one).status, 403);
  EXPECT_EQ(call("PUT", "/scripts/" + id, viewer.token, script("tag", tagger("_z"))).status, 403);
  EXPECT_EQ(call("POST", bind, viewer.token, json{{"script_ids", {id}}}).status, 403);

  // Editors create, update and assign, but do not delete.
  auto created = call("POST", list, editor.token, one);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string x = body_of(created)["scripts"][0]["id"];
  EXPECT_EQ(call("PUT", "/scripts/" + id, editor.token, script("tag", tagger("_e"))).status, 200);
  EXPECT_EQ(call("POST", bind, editor.token, json{{"script_ids", {id}}}).status, 200);
  EXPECT_EQ(call("PATCH", bind, editor.token, json{{"script_ids", {id}}}).status, 200);
  EXPECT_EQ(call("PATCH", "/scripts", editor.token, json{{"script_ids", {x}}}).status, 403);
  EXPECT_EQ(call("DELETE", "/scripts/" + x, editor.token).status, 403);

  // Outsiders see nothing; admins delete.
  EXPECT_EQ(call("GET", list, outsider.token).status, 403);
  EXPECT_EQ(call("GET", "/scripts/" + id, outsider.token).status, 403);
  EXPECT_EQ(call("GET", "/things/" + senml_thing_.id + "/runs", outsider.token).status, 403);
  EXPECT_EQ(call("DELETE", "/scripts/" + x, outsider.token).status, 403);
  EXPECT_EQ(call("DELETE", "/scripts/" + x, admin.token).status, 204);
  EXPECT_EQ(call("GET", "/groups/unknown-group/scripts", owner_.token).status, 404);
  EXPECT_EQ(call("GET", "/scripts/unknown", owner_.token).status, 404);

  // The root admin may do everything.
  EXPECT_EQ(call("GET", "/scripts/" + id, admin_).status, 200);
  EXPECT_EQ(call("DELETE", "/scripts/" + id, admin_).status, 204);
}

}  // namespace
}  // namespace conflux::test
