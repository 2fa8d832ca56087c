// Integration tests of the message readers (/reader/...) against the real
// conflux binary over real HTTP: every filter, pagination and order,
// authorization as Mainflux readers, malformed parameters, deletes (all, by
// publisher, by time range), CSV/JSON export, search, and backup → restore
// into a fresh instance giving identical reads.
#include <sstream>

#include "tests/integration/http_adapter_fixture.h"

namespace conflux::test {
namespace {

using ::testing::HasSubstr;

// Five records at t = 1700000000..1700000004 s with values, strings,
// booleans and data.
constexpr std::string_view kPack =
    R"([{"bn":"dev:","bt":1700000000,"n":"temp","u":"Cel","v":20.5},)"
    R"({"n":"temp","u":"Cel","t":1,"v":22},)"
    R"({"n":"state","t":2,"vs":"open"},)"
    R"({"n":"alarm","t":3,"vb":true},)"
    R"({"n":"blob","t":4,"vd":"AQID"}])";

class ReadersTest : public HttpAdapterTest {
 protected:
  void SetUp() override {
    HttpAdapterTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_EQ(send(senml_thing_, kPack).status, 202);
    base_ = "/reader/senml?publisher=" + senml_thing_.id;
  }
  std::vector<std::string> names(const json& page) {
    std::vector<std::string> out;
    for (const auto& m : page["messages"]) out.push_back(m.value("name", ""));
    return out;
  }
  std::string base_;
};

TEST_F(ReadersTest, EveryFilterSelectsItsRows) {
  using ::testing::ElementsAre;
  auto q = [&](const std::string& extra) { return read(base_ + extra, owner_.token); };
  EXPECT_EQ(q("")["total"], 5);
  EXPECT_THAT(names(q("&name=dev:temp")), ElementsAre("dev:temp", "dev:temp"));
  EXPECT_EQ(q("&v=22")["total"], 1);
  EXPECT_EQ(q("&v=21&comparator=lt")["messages"][0]["value"], 20.5);
  EXPECT_EQ(q("&v=20.5&comparator=gt")["messages"][0]["value"], 22);
  EXPECT_EQ(q("&v=20.5&comparator=ge")["total"], 2);
  EXPECT_EQ(q("&v=22&comparator=le")["total"], 2);
  EXPECT_EQ(q("&vs=open")["messages"][0]["string_value"], "open");
  EXPECT_EQ(q("&vb=true")["messages"][0]["bool_value"], true);
  EXPECT_EQ(q("&vd=AQID")["messages"][0]["data_value"], "AQID");
  EXPECT_EQ(q("&protocol=http")["total"], 5);
  EXPECT_EQ(q("&protocol=mqtt")["total"], 0);
  // from inclusive, to exclusive, in ns.
  EXPECT_THAT(names(q("&from=1700000001000000000&to=1700000003000000000")),
              ElementsAre("dev:state", "dev:temp"));
  // Newest first by default; dir=asc; offset and limit page.
  auto page = q("&offset=1&limit=2");
  EXPECT_EQ(page["total"], 5);
  EXPECT_EQ(page["offset"], 1);
  EXPECT_EQ(page["limit"], 2);
  EXPECT_THAT(names(page), ElementsAre("dev:alarm", "dev:state"));
  EXPECT_THAT(names(q("&dir=asc&limit=2")), ElementsAre("dev:temp", "dev:temp"));
  auto agg = q("&agg_type=max&agg_interval=day&name=dev:temp");
  EXPECT_EQ(agg["total"], 1);
  EXPECT_EQ(agg["messages"][0]["value"], 22);
}

TEST_F(ReadersTest, JsonFilterOnJsonMessages) {
  ASSERT_EQ(send(json_thing_, kSeedJson).status, 202);
  auto page =
      read("/reader/json?publisher=" + json_thing_.id + "&filter=name%3Dhumidity", owner_.token);
  ASSERT_EQ(page["total"], 1);
  EXPECT_EQ(page["messages"][0]["payload"]["value"], 68);
}

TEST_F(ReadersTest, MalformedParametersAreNamed) {
  for (auto [query, name] : {std::pair{"&from=yesterday", "'from'"},
                             {"&to=x", "'to'"},
                             {"&limit=1001", "'limit'"},
                             {"&v=1&comparator=between", "'comparator'"},
                             {"&offset=-2", "'offset'"},
                             {"&vb=maybe", "'vb'"},
                             {"&dir=sideways", "'dir'"}}) {
    auto r = call("GET", base_ + query, owner_.token);
    EXPECT_EQ(r.status, 400) << query;
    EXPECT_THAT(body_of(r).value("error", ""), HasSubstr(name)) << query;
  }
  auto convert =
      call("GET", "/reader/senml/export?convert=xml&publisher=" + senml_thing_.id, owner_.token);
  EXPECT_EQ(convert.status, 400);
  EXPECT_THAT(convert.body, HasSubstr("'convert'"));
}

TEST_F(ReadersTest, AuthorizationFollowsMainfluxReaders) {
  auto viewer = make_user("viewer");
  add_group_member(viewer, "viewer");
  auto outsider = make_user("outsider");
  EXPECT_EQ(read(base_, viewer.token)["total"], 5);
  EXPECT_EQ(call("GET", base_, outsider.token).status, 403);
  EXPECT_EQ(call("GET", "/reader/senml", owner_.token).status, 403);  // no publisher: root only
  EXPECT_EQ(call("GET", "/reader/senml", admin_).status, 200);
  EXPECT_EQ(call("GET", base_, "").status, 401);
  // A thing reads its own messages, with or without ?publisher.
  auto own = with_auth("GET", "/reader/senml", "Thing " + senml_thing_.key);
  ASSERT_EQ(own.status, 200);
  EXPECT_EQ(body_of(own)["total"], 5);
  EXPECT_EQ(with_auth("GET", base_, "Thing " + json_thing_.key).status, 403);
}

TEST_F(ReadersTest, DeleteByPublisherAndTimeRangeAndAll) {
  auto viewer = make_user("viewer");
  add_group_member(viewer, "viewer");
  auto del = "/reader/senml/" + senml_thing_.id;
  EXPECT_EQ(call("DELETE", del, viewer.token).status, 403);
  EXPECT_EQ(call("DELETE", del + "?from=bad", owner_.token).status, 400);
  // Group admin (the owner) deletes [1001 s, 1003 s).
  auto ranged =
      call("DELETE", del + "?from=1700000001000000000&to=1700000003000000000", owner_.token);
  EXPECT_EQ(ranged.status, 204);
  EXPECT_EQ(ranged.body, "");
  EXPECT_EQ(read(base_, owner_.token)["total"], 3);
  EXPECT_EQ(call("DELETE", del, owner_.token).status, 204);
  EXPECT_EQ(read(base_, owner_.token)["total"], 0);
  // Delete all: root admin only.
  ASSERT_EQ(send(senml_thing_, kPack).status, 202);
  EXPECT_EQ(call("DELETE", "/reader/senml", owner_.token).status, 403);
  EXPECT_EQ(call("DELETE", "/reader/senml?to=1700000002000000000", admin_).status, 204);
  EXPECT_EQ(read(base_, owner_.token)["total"], 3);
}

TEST_F(ReadersTest, CsvAndJsonExport) {
  auto csv =
      call("GET", "/reader/senml/export?convert=csv&publisher=" + senml_thing_.id, owner_.token);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.header("Transfer-Encoding"), "chunked");
  std::istringstream lines(csv.body);
  std::string header, line;
  std::getline(lines, header);
  EXPECT_EQ(header,
            "subtopic,publisher,protocol,name,unit,value,string_value,bool_value,data_value,sum,"
            "time,update_time");
  int rows = 0;
  while (std::getline(lines, line))
    if (!line.empty()) {
      ++rows;
      EXPECT_THAT(line, HasSubstr(senml_thing_.id));
    }
  EXPECT_EQ(rows, 5);
  auto as_json = call("GET", "/reader/senml/export?publisher=" + senml_thing_.id, owner_.token);
  ASSERT_EQ(as_json.status, 200);
  auto doc = body_of(as_json);
  ASSERT_TRUE(doc.is_array()) << as_json.body;
  EXPECT_EQ(doc.size(), 5u);
}

TEST_F(ReadersTest, SearchTakesTheSeedsBodyFields) {
  auto r = call("POST", "/reader/senml/search", owner_.token,
                json{{"publisher", senml_thing_.id},
                     {"from", 1700000001000000000},
                     {"to", 1700000004000000000},
                     {"limit", 2},
                     {"offset", 0}}
                    .dump());
  ASSERT_EQ(r.status, 200) << r.body;
  auto page = body_of(r);
  EXPECT_EQ(page["total"], 3);
  EXPECT_EQ(page["messages"].size(), 2u);
  EXPECT_EQ(call("POST", "/reader/senml/search", owner_.token, R"({"from":"x"})").status, 400);
}

TEST_F(ReadersTest, BackupRestoresIntoAFreshInstanceWithIdenticalReads) {
  ASSERT_EQ(send(json_thing_, kSeedJson).status, 202);
  auto senml_before = call("GET", base_ + "&limit=100", owner_.token);
  auto json_before = call("GET", "/reader/json?publisher=" + json_thing_.id, owner_.token);
  EXPECT_EQ(call("GET", "/reader/backup", owner_.token).status, 403);
  auto backup = call("GET", "/reader/backup", admin_);
  ASSERT_EQ(backup.status, 200);
  ASSERT_FALSE(backup.body.empty());

  ConfluxProcess fresh(process_options());
  ASSERT_TRUE(fresh.wait_ready()) << fresh.log();
  auto old_port = port_;
  port_ = fresh.port();
  auto root = login(kAdminEmail, kAdminPassword);
  EXPECT_EQ(call("POST", "/reader/restore", root, backup.body, "application/json").status, 415);
  auto restored = call("POST", "/reader/restore", root, backup.body, "application/octet-stream");
  ASSERT_EQ(restored.status, 200) << restored.body;
  EXPECT_GE(body_of(restored).value("restored", 0), 7);
  // Root reads the same pages from the fresh instance.
  auto senml_after = call("GET", base_ + "&limit=100", root);
  auto json_after = call("GET", "/reader/json?publisher=" + json_thing_.id, root);
  EXPECT_EQ(senml_after.body, senml_before.body);
  EXPECT_EQ(json_after.body, json_before.body);
  // Restoring twice adds nothing; a malformed backup is refused with a report.
  ASSERT_EQ(call("POST", "/reader/restore", root, backup.body, "application/octet-stream").status,
            200);
  EXPECT_EQ(call("GET", base_ + "&limit=100", root).body, senml_before.body);
  auto bad = call("POST", "/reader/restore", root, "garbage", "application/octet-stream");
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr("malformed backup"));
  port_ = old_port;
}

}  // namespace
}  // namespace conflux::test
