// RegistryWatch: registry removals (thing, profile, group) drop the scripts
// area's bindings, run logs and a removed group's scripts, in LMDB and in
// the hot-path snapshot (the transform stops applying at once); other events
// and other targets are left alone; destroying the watch unwatches.
#include "core/scripting/registry_watch.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "core/scripting/scripts_service.h"
#include "tests/unit/scripting/script_test_support.h"
#include "tests/unit/store/store_test_support.h"

namespace conflux::core::scripting {
namespace {

using ::testing::ElementsAre;
using namespace testing;

// A directory that only records watchers (the watch needs nothing else).
class WatchOnlyDirectory final : public ThingDirectory {
 public:
  Result<ThingRef> identify(KeyKind, std::string_view) noexcept override {
    return fail(ErrorCode::unauthenticated, "none");
  }
  Result<ThingRef> thing(std::string_view) noexcept override {
    return fail(ErrorCode::not_found, "none");
  }
  Result<std::vector<ThingRef>> group_things(std::string_view) noexcept override {
    return std::vector<ThingRef>{};
  }
  Result<ThingRef> find_by_metadata(std::string_view, std::string_view) noexcept override {
    return fail(ErrorCode::not_found, "none");
  }
  RegistryWatchId watch(std::function<void(const RegistryEvent&)> handler) noexcept override {
    handlers_[next_] = std::move(handler);
    return next_++;
  }
  void unwatch(RegistryWatchId id) noexcept override { handlers_.erase(id); }

  void emit(RegistryEvent::Kind kind, std::string id, std::string group = "g1") {
    RegistryEvent e{kind, std::move(id), std::move(group)};
    for (auto& [_, h] : handlers_) h(e);
  }
  std::size_t watchers() const { return handlers_.size(); }

 private:
  std::map<RegistryWatchId, std::function<void(const RegistryEvent&)>> handlers_;
  RegistryWatchId next_ = 1;
};

ScriptDraft draft(std::string name, std::string tag) {
  ScriptDraft d;
  d.name = std::move(name);
  d.source =
      "function transform(msg)\n"
      "  for _, r in ipairs(msg.records) do r.n = r.n .. '" +
      tag +
      "' end\n"
      "  return msg\n"
      "end\n";
  return d;
}

class RegistryWatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = store::testing::open_env(store::testing::test_options(dir_.path()), log_, metrics_);
    ASSERT_TRUE(env_);
    reopen();
    watch_ = std::make_unique<RegistryWatch>(*service_, directory_, log_);
  }
  void reopen() {
    watch_.reset();
    service_.reset();
    auto s = ScriptsService::open(*env_, clock_, metrics_, log_);
    ASSERT_TRUE(s) << s.error().message;
    service_ = *s;
  }
  std::string name_after(const std::string& publisher) {
    auto r = service_->transform(senml_message({record("t", 1)}, publisher));
    EXPECT_TRUE(r && r->size() == 1);
    return r && !r->empty() ? (*r)[0].records[0].name : std::string();
  }

  store::testing::TempDir dir_;
  conflux::testing::CaptureLogger log_;
  conflux::testing::FakeMetrics metrics_;
  conflux::testing::FakeClock clock_;
  std::unique_ptr<store::LmdbEnv> env_;
  std::shared_ptr<ScriptsService> service_;
  WatchOnlyDirectory directory_;
  std::unique_ptr<RegistryWatch> watch_;
};

TEST_F(RegistryWatchTest, RemovedThingLosesItsBindingsAndRunLog) {
  auto a = service_->create("g1", draft("a", ".a"));
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(service_->assign(ScriptTarget::thing, "thing-1", {a->id}));
  ASSERT_TRUE(service_->assign(ScriptTarget::thing, "thing-2", {a->id}));
  EXPECT_EQ(name_after("thing-1"), "t.a");
  EXPECT_EQ(service_->thing_runs("thing-1", 10)->size(), 1u);

  directory_.emit(RegistryEvent::Kind::thing_updated, "thing-1");  // ignored
  EXPECT_EQ(name_after("thing-1"), "t.a");

  directory_.emit(RegistryEvent::Kind::thing_removed, "thing-1");
  EXPECT_EQ(name_after("thing-1"), "t") << "the snapshot no longer has the binding";
  EXPECT_TRUE(service_->thing_runs("thing-1", 10)->empty());
  EXPECT_THAT(*service_->targets(a->id, ScriptTarget::thing), ElementsAre("thing-2"));
  EXPECT_EQ(name_after("thing-2"), "t.a");
  ASSERT_TRUE(service_->get(a->id)) << "the script itself stays";

  reopen();  // the binding is gone from LMDB too
  EXPECT_THAT(*service_->targets(a->id, ScriptTarget::thing), ElementsAre("thing-2"));
  EXPECT_EQ(name_after("thing-1"), "t");
}

TEST_F(RegistryWatchTest, RemovedProfileLosesItsBindings) {
  auto a = service_->create("g1", draft("a", ".a"));
  ASSERT_TRUE(a);
  ASSERT_TRUE(service_->assign(ScriptTarget::profile, "profile-1", {a->id}));
  ASSERT_TRUE(service_->assign(ScriptTarget::thing, "profile-1", {a->id}));  // same id, a thing
  directory_.emit(RegistryEvent::Kind::profile_removed, "profile-1");
  EXPECT_TRUE(service_->targets(a->id, ScriptTarget::profile)->empty());
  EXPECT_THAT(*service_->targets(a->id, ScriptTarget::thing), ElementsAre("profile-1"));
  reopen();
  EXPECT_TRUE(service_->targets(a->id, ScriptTarget::profile)->empty());
}

TEST_F(RegistryWatchTest, RemovedGroupLosesItsScripts) {
  auto a = service_->create("g1", draft("a", ".a"));
  auto b = service_->create("g1", draft("b", ".b"));
  auto other = service_->create("g2", draft("a", ".o"));
  ASSERT_TRUE(a && b && other);
  ASSERT_TRUE(service_->assign(ScriptTarget::thing, "thing-1", {a->id, other->id}));
  EXPECT_EQ(name_after("thing-1"), "t.a.o");

  directory_.emit(RegistryEvent::Kind::group_removed, "g1", "g1");
  EXPECT_EQ(service_->get(a->id).error().code, ErrorCode::not_found);
  EXPECT_EQ(service_->get(b->id).error().code, ErrorCode::not_found);
  EXPECT_EQ(service_->list("g1", 0, 10)->total, 0u);
  EXPECT_EQ(name_after("thing-1"), "t.o");
  ASSERT_EQ(service_->attached(ScriptTarget::thing, "thing-1")->size(), 1u);

  reopen();
  EXPECT_EQ(service_->list("g1", 0, 10)->total, 0u);
  EXPECT_EQ(service_->list("g2", 0, 10)->total, 1u);
  EXPECT_EQ(name_after("thing-1"), "t.o");
}

TEST_F(RegistryWatchTest, NothingToDropIsNotAnErrorAndDestroyingUnwatches) {
  EXPECT_TRUE(service_->forget_target(ScriptTarget::thing, "nobody"));
  EXPECT_TRUE(service_->remove_group("empty"));
  EXPECT_EQ(directory_.watchers(), 1u);
  watch_.reset();
  EXPECT_EQ(directory_.watchers(), 0u);
}

}  // namespace
}  // namespace conflux::core::scripting
