// Tests for KvNamespace / KvNamespaces: get, atomic write batches, scans,
// isolation between plugins, bad keys and names, and reopening.
// Thread-safety: single-threaded tests (the env's threads aside).
#include "core/store/kv_namespace.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "tests/unit/store/store_test_support.h"

namespace conflux::core::store {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

class KvTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }
  void reopen() {
    kv_.reset();
    env_.reset();
    env_ = testing::open_env(testing::test_options(dir_.path()), log_, metrics_);
    ASSERT_TRUE(env_);
    auto kv = KvNamespaces::open(*env_, log_, metrics_);
    ASSERT_TRUE(kv);
    kv_ = std::move(*kv);
  }
  KvNamespace& ns(std::string_view plugin) {
    auto n = kv_->get(plugin);
    EXPECT_TRUE(n);
    return **n;
  }
  static std::vector<std::pair<std::string, std::string>> all(KvStore& kv,
                                                              std::string_view prefix = {}) {
    std::vector<std::pair<std::string, std::string>> out;
    EXPECT_TRUE(kv.scan(prefix, [&](std::string_view k, std::string_view v) {
      out.emplace_back(k, v);
      return true;
    }));
    return out;
  }

  testing::TempDir dir_;
  conflux::testing::CaptureLogger log_;
  conflux::testing::FakeMetrics metrics_;
  std::unique_ptr<LmdbEnv> env_;
  std::unique_ptr<KvNamespaces> kv_;
};

TEST_F(KvTest, WritesReadsAndErases) {
  auto& kv = ns("webhooks");
  ASSERT_TRUE(kv.write_sync({{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(*kv.get("a"), "1");
  EXPECT_EQ(*kv.get("missing"), std::nullopt);
  ASSERT_TRUE(kv.write_sync({{"a", std::nullopt}, {"c", "3"}}));
  EXPECT_EQ(*kv.get("a"), std::nullopt);
  EXPECT_THAT(all(kv), ElementsAre(Pair("b", "2"), Pair("c", "3")));
}

TEST_F(KvTest, ABatchIsAllOrNothing) {
  auto& kv = ns("webhooks");
  ASSERT_TRUE(kv.write_sync({{"a", "1"}}));
  Status bad = kv.write_sync({{"a", "changed"}, {"", "empty key"}, {"z", "26"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(*kv.get("a"), "1");
  EXPECT_EQ(*kv.get("z"), std::nullopt);
  Status too_long = kv.write_sync({{std::string(600, 'k'), "v"}});
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, ErrorCode::invalid_argument);
}

TEST_F(KvTest, ScanVisitsAPrefixInOrderAndStopsWhenAsked) {
  auto& kv = ns("modbus");
  ASSERT_TRUE(kv.write_sync({{"map/2", "b"}, {"map/1", "a"}, {"mapx", "x"}, {"other", "o"}}));
  EXPECT_THAT(all(kv, "map/"), ElementsAre(Pair("map/1", "a"), Pair("map/2", "b")));
  int visits = 0;
  ASSERT_TRUE(kv.scan("", [&](std::string_view, std::string_view) { return ++visits < 2; }));
  EXPECT_EQ(visits, 2);
}

TEST_F(KvTest, NamespacesAreIsolated) {
  auto& a = ns("a");
  auto& ab = ns("ab");
  ASSERT_TRUE(a.write_sync({{"k", "from a"}}));
  ASSERT_TRUE(ab.write_sync({{"k", "from ab"}, {"only", "ab"}}));
  EXPECT_EQ(*a.get("k"), "from a");
  EXPECT_EQ(*ab.get("k"), "from ab");
  EXPECT_EQ(*a.get("only"), std::nullopt);
  EXPECT_THAT(all(a), ElementsAre(Pair("k", "from a")));
  EXPECT_EQ(&ns("a"), &a);  // stable pointers
  EXPECT_FALSE(kv_->get(""));
  EXPECT_FALSE(kv_->get("a/b"));
  EXPECT_FALSE(kv_->get(std::string_view("a\0b", 3)));
}

TEST_F(KvTest, SurvivesReopen) {
  ASSERT_TRUE(ns("p").write_sync({{"k", "v"}}));
  reopen();
  EXPECT_EQ(*ns("p").get("k"), "v");
}

TEST_F(KvTest, UnknownValueVersionIsSkippedByScanAndReportedByGet) {
  auto& kv = ns("p");
  ASSERT_TRUE(kv.write_sync({{"a", "1"}, {"c", "3"}}));
  auto dbi = env_->database("kv");
  ASSERT_TRUE(dbi);
  ASSERT_TRUE(env_->write_sync([&](WriteTxn& t) {
    return t.put(*dbi, std::string("p\0b", 3), std::string("\x09garbage"));
  }));
  EXPECT_THAT(all(kv), ElementsAre(Pair("a", "1"), Pair("c", "3")));
  EXPECT_EQ(metrics_.counter_value("conflux_store_data_loss_total", {{"area", "kv"}}), 1u);
  auto got = kv.get("b");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::internal);
}

TEST_F(KvTest, DoneRunsAfterTheCommit) {
  auto& kv = ns("p");
  std::promise<std::optional<std::string>> seen;
  kv.write({{"k", "v"}}, [&](Status s) {
    EXPECT_TRUE(s);
    auto v = kv.get("k");
    seen.set_value(v ? *v : std::nullopt);
  });
  EXPECT_EQ(seen.get_future().get(), "v");
}

}  // namespace
}  // namespace conflux::core::store
