// Tests for EntityTable and TypedTable: index maintenance on insert, update
// and erase, unique conflicts, pagination, unknown value versions, and a
// randomized comparison against an in-memory model.
// Thread-safety: single-threaded tests (the env's threads aside).
#include "core/store/entity_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "core/store/key_codec.h"
#include "core/store/value_version.h"
#include "tests/unit/store/store_test_support.h"

namespace conflux::core::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A test entity: unique email, one org, several tags.
struct User {
  std::string id;
  std::string email;
  std::string org;
  std::vector<std::string> tags;
  friend bool operator==(const User&, const User&) = default;
};

struct UserCodec {
  static std::string encode(const User& u) {
    std::string out;
    append_version(out, 1);
    append_bytes(out, u.email);
    append_bytes(out, u.org);
    for (const auto& t : u.tags) append_bytes(out, t);
    return out;
  }
  static Result<User> decode(std::string_view value) {
    CONFLUX_ASSIGN_OR_RETURN(auto body, unversioned(value, 1, "users row"));
    User u;
    auto email = take_bytes(body);
    auto org = take_bytes(body);
    if (!email || !org) return std::unexpected(data_loss("users row: truncated"));
    u.email = *email;
    u.org = *org;
    while (!body.empty()) {
      auto tag = take_bytes(body);
      if (!tag) return std::unexpected(data_loss("users row: truncated"));
      u.tags.emplace_back(*tag);
    }
    return u;
  }
  static std::string key(const User& u) { return u.id; }
};

using Users = TypedTable<User, UserCodec>;

class EntityTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = testing::open_env(testing::test_options(dir_.path()), log_, metrics_);
    ASSERT_TRUE(env_);
    auto users = Users::open(
        *env_, "users",
        {{"email", true, [](const User& u) { return std::vector<std::string>{u.email}; }},
         {"org", false,
          [](const User& u) {
            return u.org.empty() ? std::vector<std::string>{} : std::vector<std::string>{u.org};
          }},
         {"tag", false, [](const User& u) { return u.tags; }}});
    ASSERT_TRUE(users) << users.error().message;
    users_.emplace(std::move(*users));
  }

  Status write(std::function<Status(WriteTxn&)> fn) { return env_->write_sync(std::move(fn)); }
  const EntityTable& table() { return users_->raw(); }

  std::vector<std::string> ids_by(std::string_view index, std::string_view key,
                                  PageRequest req = {}) {
    auto txn = env_->read();
    auto page = table().by_index(*txn, index, key, req);
    EXPECT_TRUE(page) << page.error().message;
    std::vector<std::string> ids;
    for (const auto& r : page->rows) ids.push_back(r.key);
    return ids;
  }
  void expect_consistent() {
    auto txn = env_->read();
    Status s = table().verify(*txn);
    EXPECT_TRUE(s) << s.error().message;
  }

  testing::TempDir dir_;
  conflux::testing::CaptureLogger log_;
  conflux::testing::FakeMetrics metrics_;
  std::unique_ptr<LmdbEnv> env_;
  std::optional<Users> users_;
};

TEST_F(EntityTableTest, InsertIndexesEveryKey) {
  ASSERT_TRUE(write([&](WriteTxn& t) -> Status {
    CONFLUX_RETURN_IF_ERROR(users_->insert(t, {"u1", "a@x", "o1", {"red", "blue"}}));
    return users_->insert(t, {"u2", "b@x", "o1", {"red"}});
  }));
  auto txn = env_->read();
  auto u1 = users_->get(*txn, "u1");
  ASSERT_TRUE(u1 && *u1);
  EXPECT_EQ((*u1)->email, "a@x");
  EXPECT_EQ(*table().find_unique(*txn, "email", "b@x"), "u2");
  EXPECT_EQ(*table().find_unique(*txn, "email", "c@x"), std::nullopt);
  EXPECT_THAT(ids_by("org", "o1"), ElementsAre("u1", "u2"));
  EXPECT_THAT(ids_by("tag", "red"), ElementsAre("u1", "u2"));
  EXPECT_THAT(ids_by("tag", "blue"), ElementsAre("u1"));
  EXPECT_THAT(ids_by("email", "a@x"), ElementsAre("u1"));
  expect_consistent();
}

TEST_F(EntityTableTest, UpdateMovesIndexEntries) {
  ASSERT_TRUE(write([&](WriteTxn& t) { return users_->insert(t, {"u1", "a@x", "o1", {"red"}}); }));
  ASSERT_TRUE(write([&](WriteTxn& t) {
    return users_->update(t, {"u1", "z@x", "o2", {"green"}});
  }));
  auto txn = env_->read();
  EXPECT_EQ(*table().find_unique(*txn, "email", "a@x"), std::nullopt);
  EXPECT_EQ(*table().find_unique(*txn, "email", "z@x"), "u1");
  EXPECT_TRUE(ids_by("org", "o1").empty());
  EXPECT_THAT(ids_by("org", "o2"), ElementsAre("u1"));
  EXPECT_TRUE(ids_by("tag", "red").empty());
  EXPECT_THAT(ids_by("tag", "green"), ElementsAre("u1"));
  expect_consistent();
}

TEST_F(EntityTableTest, EraseRemovesIndexEntries) {
  ASSERT_TRUE(write([&](WriteTxn& t) { return users_->insert(t, {"u1", "a@x", "o1", {"red"}}); }));
  ASSERT_TRUE(write([&](WriteTxn& t) { return users_->erase(t, "u1"); }));
  auto txn = env_->read();
  EXPECT_EQ(*users_->get(*txn, "u1"), std::nullopt);
  EXPECT_EQ(*table().find_unique(*txn, "email", "a@x"), std::nullopt);
  EXPECT_TRUE(ids_by("org", "o1").empty());
  expect_consistent();
  Status again = write([&](WriteTxn& t) { return users_->erase(t, "u1"); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::not_found);
}

TEST_F(EntityTableTest, UniqueConflictsNameTheIndexAndChangeNothing) {
  ASSERT_TRUE(write([&](WriteTxn& t) -> Status {
    CONFLUX_RETURN_IF_ERROR(users_->insert(t, {"u1", "a@x", "o1", {}}));
    return users_->insert(t, {"u2", "b@x", "o1", {}});
  }));
  Status dup = write([&](WriteTxn& t) { return users_->insert(t, {"u3", "a@x", "o9", {"t"}}); });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::already_exists);
  EXPECT_THAT(dup.error().message, HasSubstr("users: email already exists"));
  Status taken = write([&](WriteTxn& t) { return users_->update(t, {"u2", "a@x", "o1", {}}); });
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, ErrorCode::already_exists);
  Status same_key = write([&](WriteTxn& t) { return users_->insert(t, {"u1", "q@x", "o1", {}}); });
  ASSERT_FALSE(same_key);
  EXPECT_EQ(same_key.error().code, ErrorCode::already_exists);
  // Even when the caller ignores the error, nothing was written.
  ASSERT_TRUE(write([&](WriteTxn& t) -> Status {
    (void)users_->insert(t, {"u4", "b@x", "o4", {"x"}});
    return ok();
  }));
  auto txn = env_->read();
  EXPECT_EQ(*users_->get(*txn, "u3"), std::nullopt);
  EXPECT_EQ(*users_->get(*txn, "u4"), std::nullopt);
  EXPECT_EQ((*users_->get(*txn, "u2"))->email, "b@x");
  EXPECT_TRUE(ids_by("org", "o4").empty());
  expect_consistent();
  // Keeping one's own unique key on update is fine.
  EXPECT_TRUE(write([&](WriteTxn& t) { return users_->update(t, {"u1", "a@x", "o2", {}}); }));
}

TEST_F(EntityTableTest, PaginatesScansAndIndexes) {
  ASSERT_TRUE(write([&](WriteTxn& t) -> Status {
    for (int i = 0; i < 25; ++i) {
      char id[8];
      std::snprintf(id, sizeof id, "u%02d", i);
      CONFLUX_RETURN_IF_ERROR(users_->insert(t, {id, std::string(id) + "@x", "org", {}}));
    }
    return ok();
  }));
  auto txn = env_->read();
  auto p1 = table().scan(*txn, {.offset = 0, .limit = 10});
  ASSERT_TRUE(p1);
  EXPECT_EQ(p1->total, 25u);
  ASSERT_EQ(p1->rows.size(), 10u);
  EXPECT_EQ(p1->rows.front().key, "u00");
  EXPECT_EQ(p1->next, "u09");
  auto p2 = table().scan(*txn, {.offset = 0, .limit = 10, .after = p1->next});
  ASSERT_TRUE(p2);
  EXPECT_EQ(p2->rows.front().key, "u10");
  auto p3 = table().scan(*txn, {.offset = 20, .limit = 10});
  ASSERT_TRUE(p3);
  ASSERT_EQ(p3->rows.size(), 5u);
  EXPECT_EQ(p3->rows.front().key, "u20");
  EXPECT_EQ(p3->next, "");
  auto prefixed = table().scan(*txn, {.limit = 100}, "u1");
  ASSERT_TRUE(prefixed);
  EXPECT_EQ(prefixed->total, 10u);
  EXPECT_EQ(prefixed->rows.size(), 10u);
  auto i1 = table().by_index(*txn, "org", "org", {.offset = 5, .limit = 3});
  ASSERT_TRUE(i1);
  EXPECT_EQ(i1->total, 25u);
  ASSERT_EQ(i1->rows.size(), 3u);
  EXPECT_EQ(i1->rows[0].key, "u05");
  EXPECT_EQ(i1->next, "u07");
  EXPECT_THAT(ids_by("org", "org", {.limit = 2, .after = "u22"}), ElementsAre("u23", "u24"));
  EXPECT_TRUE(ids_by("org", "org", {.limit = 2, .after = "u24"}).empty());
  auto by_missing = table().by_index(*txn, "nope", "x", {});
  ASSERT_FALSE(by_missing);
  EXPECT_EQ(by_missing.error().code, ErrorCode::invalid_argument);
}

TEST_F(EntityTableTest, UnknownVersionIsDataLoss) {
  ASSERT_TRUE(write([&](WriteTxn& t) { return users_->upsert(t, {"u1", "a@x", "o", {}}); }));
  Status bad = write([&](WriteTxn& t) { return table().upsert(t, "u1", versioned(9, "?")); });
  ASSERT_FALSE(bad);
  EXPECT_TRUE(is_data_loss(bad.error()));
  auto txn = env_->read();
  auto u = users_->get(*txn, "u1");
  ASSERT_TRUE(u);
  EXPECT_EQ((*u)->email, "a@x");
}

TEST_F(EntityTableTest, RandomizedOperationsMatchAModel) {
  std::mt19937 rng(12345);
  std::map<std::string, User> model;
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  for (int step = 0; step < 1500; ++step) {
    User u{"u" + std::to_string(pick(40)),
           "e" + std::to_string(pick(30)) + "@x",
           pick(5) == 0 ? "" : "o" + std::to_string(pick(4)),
           {}};
    for (int t = pick(3); t > 0; --t) u.tags.push_back("t" + std::to_string(pick(6)));
    const int op = pick(3);
    Status s = write([&](WriteTxn& txn) -> Status {
      if (op == 0) return users_->insert(txn, u);
      if (op == 1) return users_->update(txn, u);
      return users_->erase(txn, u.id);
    });
    // The model's answer.
    bool email_taken = false;
    for (const auto& [id, other] : model)
      if (other.email == u.email && id != u.id) email_taken = true;
    const bool exists = model.contains(u.id);
    if (op == 0) {
      ASSERT_EQ(bool(s), !exists && !email_taken) << step;
      if (s) model[u.id] = u;
    } else if (op == 1) {
      ASSERT_EQ(bool(s), exists && !email_taken) << step;
      if (s) model[u.id] = u;
    } else {
      ASSERT_EQ(bool(s), exists) << step;
      model.erase(u.id);
    }
  }
  expect_consistent();
  auto txn = env_->read();
  EXPECT_EQ(*table().count(*txn), model.size());
  std::map<std::string, std::set<std::string>> by_org, by_tag;
  for (const auto& [id, u] : model) {
    auto got = users_->get(*txn, id);
    ASSERT_TRUE(got && *got);
    EXPECT_EQ(**got, (User{"", u.email, u.org, u.tags}));  // the id is the key, not in the value
    EXPECT_EQ(*table().find_unique(*txn, "email", u.email), id);
    if (!u.org.empty()) by_org[u.org].insert(id);
    for (const auto& t : u.tags) by_tag[t].insert(id);
  }
  for (int o = 0; o < 4; ++o) {
    const std::string org = "o" + std::to_string(o);
    auto ids = ids_by("org", org, {.limit = 1000});
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), by_org[org]) << org;
  }
  for (int t = 0; t < 6; ++t) {
    const std::string tag = "t" + std::to_string(t);
    auto ids = ids_by("tag", tag, {.limit = 1000});
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), by_tag[tag]) << tag;
  }
}

}  // namespace
}  // namespace conflux::core::store
