// Integration tests of the HTTP device adapter (plugins/http) against the
// real conflux binary over real HTTP: the seed's two send examples read back
// exactly as the seed shows, subtopics, bad input (401/415/400), and
// commands with their authorization.
#include "tests/integration/http_adapter_fixture.h"

namespace conflux::test {
namespace {

using ::testing::HasSubstr;

TEST_F(HttpAdapterTest, SeedSenmlExampleReadsBackNormalized) {
  auto sent = send(senml_thing_, kSeedSenml);
  ASSERT_EQ(sent.status, 202) << sent.body;
  EXPECT_EQ(sent.body, "");
  auto page = read("/reader/senml?publisher=" + senml_thing_.id, owner_.token);
  const auto& p = senml_thing_.id;
  EXPECT_EQ(
      page,
      json::parse(
          R"({"offset":0,"limit":10,"format":"messages","total":3,"messages":[)"
          R"({"publisher":")" +
          p +
          R"(","protocol":"http","name":"some-base-name:voltage","unit":"V","time":1276020076.001,"value":120.1},)"
          R"({"publisher":")" +
          p +
          R"(","protocol":"http","name":"some-base-name:current","unit":"A","time":1276020072.001,"value":1.3},)"
          R"({"publisher":")" +
          p +
          R"(","protocol":"http","name":"some-base-name:current","unit":"A","time":1276020071.001,"value":1.2}]})"));
  // The exact text of a time: an exact decimal, as in the seed.
  auto raw = call("GET", "/reader/senml?publisher=" + p + "&limit=1", owner_.token);
  EXPECT_THAT(raw.body, HasSubstr(R"("time":1276020076.001,"value":120.1})"));
  EXPECT_EQ(raw.header("Content-Type"), "application/json");
}

TEST_F(HttpAdapterTest, SeedJsonExampleSplitsIntoMessages) {
  auto sent = send(json_thing_, kSeedJson);
  ASSERT_EQ(sent.status, 202) << sent.body;
  auto page = read("/reader/json?publisher=" + json_thing_.id + "&dir=asc", owner_.token);
  EXPECT_EQ(page["total"], 2);
  EXPECT_EQ(page["format"], "json");
  ASSERT_EQ(page["messages"].size(), 2u);
  json payloads = json::array();
  for (const auto& m : page["messages"]) {
    EXPECT_EQ(m["publisher"], json_thing_.id);
    EXPECT_EQ(m["protocol"], "http");
    EXPECT_TRUE(m["created"].is_number_integer());
    payloads.push_back(m["payload"]);
  }
  EXPECT_THAT(payloads, ::testing::UnorderedElementsAre(
                            json::parse(R"({"name":"temperature","value":20.5,"unit":"°C"})"),
                            json::parse(R"({"name":"humidity","value":68,"unit":"%"})")));
}

TEST_F(HttpAdapterTest, SubtopicsAreNormalizedAndFilterable) {
  ASSERT_EQ(send(senml_thing_, R"([{"n":"a","v":1,"t":1000}])", "room/1").status, 202);
  ASSERT_EQ(send(senml_thing_, R"([{"n":"b","v":2,"t":1001}])", "room%2F2").status, 202);
  ASSERT_EQ(send(senml_thing_, R"([{"n":"c","v":3,"t":1002}])").status, 202);
  auto base = "/reader/senml?publisher=" + senml_thing_.id;
  auto room1 = read(base + "&subtopic=room.1", owner_.token);
  ASSERT_EQ(room1["total"], 1);
  EXPECT_EQ(room1["messages"][0]["subtopic"], "room.1");
  EXPECT_EQ(read(base + "&subtopic=room/2", owner_.token)["messages"][0]["name"], "b");
  EXPECT_EQ(read(base, owner_.token)["total"], 3);
}

TEST_F(HttpAdapterTest, BadInputIsRefusedAndNothingIsStored) {
  auto no_key = with_auth("POST", "/http/messages", "", kSeedSenml);
  EXPECT_EQ(no_key.status, 401);
  EXPECT_THAT(no_key.body, HasSubstr("\"error\""));
  EXPECT_EQ(with_auth("POST", "/http/messages", "Thing not-a-key", kSeedSenml).status, 401);
  EXPECT_EQ(with_auth("POST", "/http/messages", "Bearer " + owner_.token, kSeedSenml).status, 401);
  EXPECT_EQ(send(senml_thing_, kSeedSenml, "", "text/plain").status, 415);
  auto malformed = send(senml_thing_, R"([{"n":"x","v":"not a number"}])");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_FALSE(body_of(malformed).value("error", "").empty()) << malformed.body;
  EXPECT_EQ(send(senml_thing_, "{not json").status, 400);
  EXPECT_EQ(send(senml_thing_, kSeedSenml, "a/*").status, 400);
  EXPECT_EQ(read("/reader/senml?publisher=" + senml_thing_.id, owner_.token)["total"], 0);
}

TEST_F(HttpAdapterTest, CommandsFollowTheRolesAndTheTypePolicy) {
  auto editor = make_user("editor");
  add_group_member(editor, "editor");
  auto viewer = make_user("viewer");
  add_group_member(viewer, "viewer");
  auto path = "/http/things/" + senml_thing_.id + "/commands";
  EXPECT_EQ(call("POST", path + "/relay/1", editor.token, R"({"on":true})").status, 202);
  EXPECT_EQ(call("POST", path, owner_.token, R"({"on":true})").status, 202);
  EXPECT_EQ(call("POST", path, viewer.token, R"({"on":true})").status, 403);
  EXPECT_EQ(call("POST", path, "", R"({"on":true})").status, 401);
  EXPECT_EQ(call("POST", "/http/things/00000000-0000-4000-8000-000000000000/commands", owner_.token,
                 R"({"on":true})")
                .status,
            404);
  // Thing keys: a device may command a device of its own group; a sensor may not.
  EXPECT_EQ(with_auth("POST", path, "Thing " + json_thing_.key, R"({"on":true})").status, 202);
  auto sensor = make_thing(senml_profile_, "sensor");
  EXPECT_EQ(with_auth("POST", path, "Thing " + sensor.key, R"({"on":true})").status, 403);
  auto controller = make_thing(senml_profile_, "controller");
  EXPECT_EQ(with_auth("POST", "/http/things/" + sensor.id + "/commands", "Thing " + controller.key,
                      R"({"on":true})")
                .status,
            202);
  EXPECT_EQ(
      call("POST", "/http/groups/" + group_ + "/commands", editor.token, R"({"all":1})").status,
      202);
  EXPECT_EQ(
      call("POST", "/http/groups/" + group_ + "/commands", viewer.token, R"({"all":1})").status,
      403);
}

}  // namespace
}  // namespace conflux::test
