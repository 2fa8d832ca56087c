// Unit tests of the HTTP adapter's handlers on a FakeHost with fake core
// interfaces: ingest (202 only after the commit callback, 401/415/400/409/
// 503), commands, reader authorization and the admin routes.
#include "plugins/http/adapter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "conflux/testing.h"
#include "conflux/testing/matchers.h"
#include "tests/unit/plugins/http/fakes.h"

namespace conflux::http_adapter {
namespace {

using namespace std::chrono_literals;
using ::conflux::testing::IsOk;
using ::testing::HasSubstr;

class AdapterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ThingIdentity t;
    t.id = "thing-1";
    t.type = "device";
    t.key = "key-1";
    t.external_key = "ext-1";
    t.group_id = "group-1";
    t.profile_id = "profile-1";
    t.profile.content_type = "application/senml+json";
    things.add(t);
    ThingIdentity other = t;
    other.id = "thing-2";
    other.key = "key-2";
    other.external_key = "";
    things.add(other);

    Principal root{.kind = Principal::Kind::user, .id = "root", .root_admin = true};
    Principal viewer{.kind = Principal::Kind::user, .id = "viewer"};
    Principal thing{.kind = Principal::Kind::thing, .id = "thing-1", .group_id = "group-1"};
    access.principals["Bearer root"] = root;
    access.principals["Bearer viewer"] = viewer;
    access.principals["Thing key-1"] = thing;
    access.grants = {"viewer|read_messages|thing-1", "viewer|command|thing-1",
                     "thing-1|read_messages|thing-1", "thing-1|command|thing-2"};

    host.provide(std::string(Pipeline::kInterfaceName), static_cast<Pipeline*>(&pipeline));
    host.provide(std::string(ThingDirectory::kInterfaceName),
                 static_cast<ThingDirectory*>(&things));
    host.provide(std::string(AccessControl::kInterfaceName), static_cast<AccessControl*>(&access));
    host.provide(std::string(MessageReader::kInterfaceName), static_cast<MessageReader*>(&reader));
    host.provide(std::string(CommandBus::kInterfaceName), static_cast<CommandBus*>(&commands));
    auto started = start_adapter(host, AdapterOptions{});
    ASSERT_THAT(started, IsOk());
    adapter = std::move(*started);
  }

  static HttpHeaders headers(std::initializer_list<std::pair<std::string, std::string>> list) {
    HttpHeaders h;
    for (const auto& [k, v] : list) h.add(k, v);
    return h;
  }
  // Calls a route and waits for its answer (handlers may reply from a pool).
  HttpResponse call(HttpMethod m, std::string target, std::string body, HttpHeaders h) {
    auto promise = std::make_shared<std::promise<HttpResponse>>();
    auto future = promise->get_future();
    host.call_async(m, std::move(target), std::move(body), std::move(h),
                    [promise](HttpResponse r) { promise->set_value(std::move(r)); });
    if (future.wait_for(10s) != std::future_status::ready) return HttpResponse::empty(0);
    return future.get();
  }
  HttpResponse ingest(std::string target, std::string auth, std::string type = "application/json") {
    HttpHeaders h;
    if (!auth.empty()) h.add("Authorization", auth);
    if (!type.empty()) h.add("Content-Type", type);
    return host.call(HttpMethod::post, std::move(target), R"([{"n":"t","v":1}])", std::move(h));
  }

  ::conflux::testing::FakeHost host;
  testing::FakePipeline pipeline;
  testing::FakeThings things;
  testing::FakeAccess access;
  testing::FakeReader reader;
  testing::FakeCommands commands;
  std::unique_ptr<Adapter> adapter;
};

TEST_F(AdapterTest, IngestAnswers202OnlyAfterTheCommit) {
  auto out = std::make_shared<HttpResponse>();
  out->status = 0;
  host.call_async(HttpMethod::post, "/http/messages/room%2F1/temp", R"([{"n":"t","v":1}])",
                  headers({{"Authorization", "Thing key-1"},
                           {"Content-Type", "application/senml+json; charset=utf-8"}}),
                  [out](HttpResponse r) { *out = std::move(r); });
  EXPECT_EQ(out->status, 0);  // not before the pipeline's callback
  ASSERT_EQ(pipeline.requests.size(), 1u);
  const auto& m = pipeline.requests[0].message;
  EXPECT_EQ(m.publisher, "thing-1");
  EXPECT_EQ(m.group, "group-1");
  EXPECT_EQ(m.profile, "profile-1");
  EXPECT_EQ(m.protocol, "http");
  EXPECT_EQ(m.subtopic, "room.1.temp");
  EXPECT_EQ(m.content_type, "application/senml+json");
  EXPECT_EQ(m.payload, R"([{"n":"t","v":1}])");
  EXPECT_EQ(pipeline.requests[0].profile.content_type, "application/senml+json");
  pipeline.callbacks[0](PublishReceipt{{"id"}, 1, true});
  EXPECT_EQ(out->status, 202);
  EXPECT_EQ(out->body, "");
}

TEST_F(AdapterTest, IngestWithAnExternalKey) {
  ingest("/http/messages", "External ext-1");
  ASSERT_EQ(pipeline.requests.size(), 1u);
  EXPECT_EQ(pipeline.requests[0].message.publisher, "thing-1");
}

TEST_F(AdapterTest, IngestRefusesBadCredentialsAndContentTypes) {
  EXPECT_EQ(ingest("/http/messages", "").status, 401);
  EXPECT_EQ(ingest("/http/messages", "Thing wrong").status, 401);
  EXPECT_EQ(ingest("/http/messages", "Bearer key-1").status, 401);
  EXPECT_EQ(ingest("/http/messages", "External key-1").status, 401);
  EXPECT_EQ(ingest("/http/messages", "Thing key-1", "text/plain").status, 415);
  EXPECT_EQ(ingest("/http/messages", "Thing key-1", "").status, 415);
  auto bad_subtopic = ingest("/http/messages/a/%2A", "Thing key-1");
  EXPECT_EQ(bad_subtopic.status, 400);
  EXPECT_THAT(bad_subtopic.body, HasSubstr("wildcards"));
  EXPECT_TRUE(pipeline.requests.empty());
}

TEST_F(AdapterTest, IngestMapsPipelineErrors) {
  for (auto [code, status] :
       {std::pair{ErrorCode::invalid_argument, 400}, std::pair{ErrorCode::failed_precondition, 409},
        std::pair{ErrorCode::unavailable, 503}}) {
    auto out = std::make_shared<HttpResponse>();
    host.call_async(
        HttpMethod::post, "/http/messages", "[]",
        headers({{"Authorization", "Thing key-1"}, {"Content-Type", "application/json"}}),
        [out](HttpResponse r) { *out = std::move(r); });
    pipeline.callbacks.back()(fail(code, "record 2: field 'v' must be a number"));
    EXPECT_EQ(out->status, status);
    EXPECT_EQ(out->body, R"({"error":"record 2: field 'v' must be a number"})");
  }
}

TEST_F(AdapterTest, CommandsReachTheBusWhenAllowed) {
  auto r =
      call(HttpMethod::post, "/http/things/thing-1/commands/relay/1", R"({"on":true})",
           headers({{"Authorization", "Bearer viewer"}, {"Content-Type", "application/json"}}));
  EXPECT_EQ(r.status, 202);
  ASSERT_EQ(commands.published.size(), 1u);
  const auto& c = commands.published[0];
  EXPECT_EQ(c.target, Command::Target::thing);
  EXPECT_EQ(c.target_id, "thing-1");
  EXPECT_EQ(c.group_id, "group-1");
  EXPECT_EQ(c.subtopic, "relay.1");
  EXPECT_EQ(c.payload, R"({"on":true})");
  EXPECT_EQ(c.sender, "viewer");
  // A thing commanding another thing (the type policy is AccessControl's).
  EXPECT_EQ(call(HttpMethod::post, "/http/things/thing-2/commands", "x",
                 headers({{"Authorization", "Thing key-1"}}))
                .status,
            202);
  EXPECT_TRUE(commands.published[1].sender_is_thing);
  EXPECT_EQ(call(HttpMethod::post, "/http/groups/group-1/commands", "x",
                 headers({{"Authorization", "Bearer root"}}))
                .status,
            202);
  EXPECT_EQ(commands.published[2].target, Command::Target::group);
}

TEST_F(AdapterTest, CommandsRefusedWithTheRightStatus) {
  EXPECT_EQ(host.call(HttpMethod::post, "/http/things/thing-1/commands", "x", {}).status, 401);
  EXPECT_EQ(host.call(HttpMethod::post, "/http/things/thing-2/commands", "x",
                      headers({{"Authorization", "Bearer viewer"}}))
                .status,
            403);
  EXPECT_EQ(host.call(HttpMethod::post, "/http/things/nope/commands", "x",
                      headers({{"Authorization", "Bearer root"}}))
                .status,
            404);
  EXPECT_EQ(host.call(HttpMethod::post, "/http/things/thing-1/commands", "",
                      headers({{"Authorization", "Bearer root"}}))
                .status,
            400);
  EXPECT_TRUE(commands.published.empty());
}

TEST_F(AdapterTest, ReadersAuthorizeLikeMainflux) {
  auto bearer = [](std::string t) { return headers({{"Authorization", "Bearer " + t}}); };
  // Root lists everything.
  EXPECT_EQ(call(HttpMethod::get, "/reader/senml", "", bearer("root")).status, 200);
  EXPECT_TRUE(reader.queries.back().publishers.empty());
  // A viewer of the publisher's group reads it; without a publisher: 403.
  EXPECT_EQ(call(HttpMethod::get, "/reader/senml?publisher=thing-1", "", bearer("viewer")).status,
            200);
  EXPECT_EQ(call(HttpMethod::get, "/reader/senml?publisher=thing-2", "", bearer("viewer")).status,
            403);
  auto none = call(HttpMethod::get, "/reader/json", "", bearer("viewer"));
  EXPECT_EQ(none.status, 403);
  EXPECT_THAT(none.body, HasSubstr("root admin"));
  // A thing reads its own messages only.
  auto own =
      call(HttpMethod::get, "/reader/senml", "", headers({{"Authorization", "Thing key-1"}}));
  EXPECT_EQ(own.status, 200);
  EXPECT_EQ(reader.queries.back().publishers, std::vector<std::string>{"thing-1"});
  EXPECT_EQ(call(HttpMethod::get, "/reader/senml?publisher=thing-2", "",
                 headers({{"Authorization", "Thing key-1"}}))
                .status,
            403);
  EXPECT_EQ(call(HttpMethod::get, "/reader/senml", "", {}).status, 401);
  auto bad = call(HttpMethod::get, "/reader/senml?limit=5000", "", bearer("root"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr("'limit'"));
  EXPECT_EQ(own.body, R"({"offset":0,"limit":10,"format":"messages","total":0,"messages":[]})");
}

TEST_F(AdapterTest, SearchTakesAJsonBody) {
  auto h = headers({{"Authorization", "Bearer viewer"}, {"Content-Type", "application/json"}});
  auto r = call(HttpMethod::post, "/reader/senml/search",
                R"({"publisher":"thing-1","from":1,"to":5,"limit":3,"offset":1})", h);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(reader.queries.back().limit, 3u);
  EXPECT_EQ(reader.queries.back().to, 5);
  EXPECT_EQ(call(HttpMethod::post, "/reader/senml/search", "{bad", h).status, 400);
  EXPECT_EQ(call(HttpMethod::post, "/reader/senml/search", "{}",
                 headers({{"Authorization", "Bearer viewer"}}))
                .status,
            415);
}

TEST_F(AdapterTest, DeletesNeedTheirRoles) {
  auto root = headers({{"Authorization", "Bearer root"}});
  EXPECT_EQ(call(HttpMethod::del, "/reader/senml?from=10&to=20", "", root).status, 204);
  ASSERT_EQ(reader.removes.size(), 1u);
  EXPECT_TRUE(reader.removes[0].publishers.empty());
  EXPECT_EQ(reader.removes[0].from, 10);
  EXPECT_EQ(reader.removes[0].to, 20);
  EXPECT_EQ(call(HttpMethod::del, "/reader/json/thing-1", "", root).status, 204);
  EXPECT_EQ(reader.removes[1].format, MessageFormat::json);
  EXPECT_EQ(reader.removes[1].publishers, std::vector<std::string>{"thing-1"});
  auto viewer = headers({{"Authorization", "Bearer viewer"}});
  EXPECT_EQ(call(HttpMethod::del, "/reader/senml", "", viewer).status, 403);
  EXPECT_EQ(call(HttpMethod::del, "/reader/senml/thing-1", "", viewer).status, 403);
  EXPECT_EQ(call(HttpMethod::del, "/reader/senml?from=x", "", root).status, 400);
  EXPECT_EQ(reader.removes.size(), 2u);
}

TEST_F(AdapterTest, ExportAndBackupStream) {
  auto root = headers({{"Authorization", "Bearer root"}});
  auto csv = call(HttpMethod::get, "/reader/senml/export?convert=csv&publisher=thing-1", "", root);
  EXPECT_EQ(csv.status, 200);
  EXPECT_EQ(csv.headers.get("Content-Type"), "text/csv");
  ASSERT_TRUE(csv.stream);
  EXPECT_EQ(csv.stream->read_all(), "subtopic,publisher\n,p1\n");
  EXPECT_EQ(call(HttpMethod::get, "/reader/senml/export?convert=xml", "", root).status, 400);
  auto backup = call(HttpMethod::get, "/reader/backup", "", root);
  ASSERT_TRUE(backup.stream);
  EXPECT_EQ(backup.stream->read_all()->size(), 100000u);
  EXPECT_EQ(
      call(HttpMethod::get, "/reader/backup", "", headers({{"Authorization", "Bearer viewer"}}))
          .status,
      403);
}

TEST_F(AdapterTest, RestoreReadsTheSpooledBody) {
  auto h =
      headers({{"Authorization", "Bearer root"}, {"Content-Type", "application/octet-stream"}});
  auto r = call(HttpMethod::post, "/reader/restore", "backup-bytes", h);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"restored":12})");
  EXPECT_EQ(reader.restored, "backup-bytes");
  auto bad = call(HttpMethod::post, "/reader/restore", "bad-bytes", h);
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr("byte 0"));
  EXPECT_EQ(call(HttpMethod::post, "/reader/restore", "x",
                 headers({{"Authorization", "Bearer root"}, {"Content-Type", "application/json"}}))
                .status,
            415);
}

}  // namespace
}  // namespace conflux::http_adapter
