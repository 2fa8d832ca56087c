// RegistryWatch: registry removals (thing, profile, group) drop the scripts
// area's bindings, run logs and a removed group's scripts, in LMDB and in
// the hot-path snapshot (the transform stops applying at once); other events
// and other targets are left alone; destroying the watch unwatches. With a
// real registry: a profile's config.script_id manages only the binding it
// made (bindings made through Scripts::assign survive profile updates and
// config changes), in LMDB too; bindings stored without an origin (v1 rows)
// are read and classified against the profiles' configs at start.
#include "core/scripting/registry_watch.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <nlohmann/json.hpp>

#include "core/registry/registry.h"
#include "core/scripting/scripts_service.h"
#include "core/store/key_codec.h"
#include "core/store/value_version.h"
#include "tests/unit/registry/registry_fixture.h"
#include "tests/unit/scripting/script_test_support.h"
#include "tests/unit/store/store_test_support.h"

namespace conflux::core::scripting {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
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

// The scripts area over a fresh LMDB env.
class ScriptsAreaTest : public ::testing::Test {
 protected:
  void open_env() {
    env_ = store::testing::open_env(store::testing::test_options(dir_.path()), log_, metrics_);
    ASSERT_TRUE(env_);
  }
  // (Re)opens the scripts service over the env, as a restart does.
  void open_scripts() {
    service_.reset();
    auto s = ScriptsService::open(*env_, clock_, metrics_, log_);
    ASSERT_TRUE(s) << s.error().message;
    service_ = *s;
  }
  // The first record's name after the transforms (each script adds its tag).
  std::string transformed_name(Message m) {
    auto r = service_->transform(std::move(m));
    EXPECT_TRUE(r && r->size() == 1);
    return r && !r->empty() ? (*r)[0].records[0].name : std::string();
  }

  store::testing::TempDir dir_;
  conflux::testing::CaptureLogger log_;
  conflux::testing::FakeMetrics metrics_;
  conflux::testing::FakeClock clock_;
  std::unique_ptr<store::LmdbEnv> env_;
  std::shared_ptr<ScriptsService> service_;
};

class RegistryWatchTest : public ScriptsAreaTest {
 protected:
  void SetUp() override {
    open_env();
    reopen();
    watch_ = std::make_unique<RegistryWatch>(*service_, directory_, log_);
  }
  void reopen() {
    watch_.reset();
    open_scripts();
  }
  std::string name_after(const std::string& publisher) {
    return transformed_name(senml_message({record("t", 1)}, publisher));
  }

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

// A real registry (profiles, their configs and events) over the same env.
class ProfileConfigTest : public ScriptsAreaTest {
 protected:
  void SetUp() override {
    open_env();
    auto r = registry::RegistryService::open(*env_, log_);
    ASSERT_TRUE(r) << r.error().message;
    registry_ = std::move(*r);
    registry_->set_org_directory(&orgs_);
    org_ = random_uuid();
    owner_ = random_uuid();
    orgs_.add_org(org_);
    orgs_.add_user(owner_, "owner@example.com");
    orgs_.set_role(org_, owner_, Role::owner);
    group_ = make_group();
    reopen();
  }
  void TearDown() override {
    watch_.reset();
    service_.reset();
    registry_.reset();
    env_.reset();
  }
  // A restart of the scripts area (the registry stays).
  void reopen() {
    watch_.reset();
    open_scripts();
    watch_ = std::make_unique<RegistryWatch>(*service_, *registry_, log_, registry_.get());
  }
  std::string make_group() {
    auto g = registry_->create_group(registry::testing::user(owner_), org_,
                                     GroupInput{"g-" + random_uuid(), "", "{}"});
    EXPECT_TRUE(g) << g.error().message;
    return g ? g->id : std::string();
  }
  std::string make_script(const std::string& name, const std::string& group = "") {
    clock_.advance(std::chrono::milliseconds(1));  // distinct assignment times
    auto s = service_->create(group.empty() ? group_ : group, draft(name, "." + name));
    EXPECT_TRUE(s) << s.error().message;
    return s ? s->id : std::string();
  }
  static std::string config(const std::string& script_id) {
    nlohmann::json c{{"content_type", "application/senml+json"}};
    if (!script_id.empty()) c["script_id"] = script_id;
    return c.dump();
  }
  std::string make_profile(const std::string& script_id = "") {
    auto p = registry_->create_profiles(group_, {ProfileInput{"", "p", "{}", config(script_id)}});
    EXPECT_TRUE(p) << p.error().message;
    return p ? p->front().id : std::string();
  }
  void update_profile(const std::string& id, const std::string& name,
                      const std::string& script_id) {
    clock_.advance(std::chrono::milliseconds(1));
    auto s = registry_->update_profile(id, ProfileInput{"", name, "{}", config(script_id)});
    ASSERT_TRUE(s) << s.error().message;
  }
  void assign(const std::string& profile, const std::vector<std::string>& ids) {
    clock_.advance(std::chrono::milliseconds(1));
    auto s = service_->assign(ScriptTarget::profile, profile, ids);
    ASSERT_TRUE(s) << s.error().message;
  }
  // The names of the scripts attached to the profile, in run order.
  std::vector<std::string> attached(const std::string& profile) {
    auto r = service_->attached(ScriptTarget::profile, profile);
    EXPECT_TRUE(r) << r.error().message;
    std::vector<std::string> names;
    if (r)
      for (const auto& s : *r) names.push_back(s.name);
    return names;
  }
  // What the hot path does to a message of the profile ("t" + tags).
  std::string name_after(const std::string& profile) {
    auto m = senml_message({record("t", 1)}, "thing-x");
    m.profile = profile;
    return transformed_name(std::move(m));
  }

  registry::testing::FakeOrgs orgs_;
  std::unique_ptr<registry::RegistryService> registry_;
  std::unique_ptr<RegistryWatch> watch_;
  std::string org_, owner_, group_;
};

TEST_F(ProfileConfigTest, AssignedScriptSurvivesProfileUpdatesAndConfigChanges) {
  auto manual = make_script("m");
  auto a = make_script("a");
  auto b = make_script("b");
  auto profile = make_profile();
  assign(profile, {manual});

  update_profile(profile, "renamed", "");
  EXPECT_THAT(attached(profile), ElementsAre("m")) << "a rename keeps the assigned script";
  EXPECT_EQ(name_after(profile), "t.m");

  update_profile(profile, "renamed", a);
  EXPECT_THAT(attached(profile), ElementsAre("m", "a"));
  update_profile(profile, "renamed again", a);
  EXPECT_THAT(attached(profile), ElementsAre("m", "a"));

  update_profile(profile, "renamed again", b);  // A → B
  EXPECT_THAT(attached(profile), ElementsAre("m", "b"));
  EXPECT_EQ(name_after(profile), "t.m.b");
  EXPECT_THAT(*service_->targets(a, ScriptTarget::profile), IsEmpty());

  update_profile(profile, "renamed again", "");  // script_id cleared
  EXPECT_THAT(attached(profile), ElementsAre("m"));
  EXPECT_EQ(name_after(profile), "t.m");

  update_profile(profile, "renamed again", b);
  ASSERT_TRUE(registry_->remove_profile(profile));
  EXPECT_THAT(attached(profile), IsEmpty()) << "removing the profile drops every binding";
  EXPECT_THAT(*service_->targets(manual, ScriptTarget::profile), IsEmpty());
  EXPECT_THAT(*service_->targets(b, ScriptTarget::profile), IsEmpty());
  EXPECT_EQ(name_after(profile), "t");
  reopen();
  EXPECT_THAT(attached(profile), IsEmpty());
}

TEST_F(ProfileConfigTest, OriginsSurviveARestart) {
  auto manual = make_script("m");
  auto a = make_script("a");
  auto b = make_script("b");
  auto profile = make_profile(a);
  EXPECT_THAT(attached(profile), ElementsAre("a")) << "a created profile gets its config script";
  assign(profile, {manual});

  reopen();
  EXPECT_THAT(attached(profile), ElementsAre("a", "m"));
  EXPECT_EQ(name_after(profile), "t.a.m");
  update_profile(profile, "p", b);
  EXPECT_THAT(attached(profile), ElementsAre("m", "b"))
      << "the config binding is known as such after a restart";
  reopen();
  EXPECT_THAT(attached(profile), ElementsAre("m", "b"));
  update_profile(profile, "p", "");
  EXPECT_THAT(attached(profile), ElementsAre("m"));
}

TEST_F(ProfileConfigTest, AScriptBothAssignedAndConfiguredStaysWhileEitherHolds) {
  auto a = make_script("a");
  auto b = make_script("b");
  auto profile = make_profile(a);
  // Assigning the configured script keeps its place and marks it assigned.
  assign(profile, {a, b});
  EXPECT_THAT(attached(profile), ElementsAre("a", "b"));
  update_profile(profile, "p", b);  // a is still assigned; b now also configured
  EXPECT_THAT(attached(profile), ElementsAre("a", "b"));
  update_profile(profile, "p", "");
  EXPECT_THAT(attached(profile), ElementsAre("a", "b")) << "both were assigned";

  // Configured first, assigned later: the assignment outlives the config.
  auto c = make_script("c");
  update_profile(profile, "p", c);
  assign(profile, {c});
  update_profile(profile, "p", "");
  EXPECT_THAT(attached(profile), ElementsAre("a", "b", "c"));

  // unassign detaches whatever made the binding; the config attaches its
  // script again on the profile's next update.
  update_profile(profile, "p", c);
  ASSERT_TRUE(service_->unassign(ScriptTarget::profile, profile, {c}));
  EXPECT_THAT(attached(profile), ElementsAre("a", "b"));
  update_profile(profile, "p", c);
  EXPECT_THAT(attached(profile), ElementsAre("a", "b", "c"));
}

TEST_F(ProfileConfigTest, OnlyAScriptOfTheProfilesGroupIsAttached) {
  auto manual = make_script("m");
  auto a = make_script("a");
  auto foreign = make_script("f", make_group());
  auto profile = make_profile(a);
  assign(profile, {manual});
  update_profile(profile, "p", foreign);
  EXPECT_THAT(attached(profile), ElementsAre("m")) << "a foreign script counts as none";
  EXPECT_THAT(*service_->targets(foreign, ScriptTarget::profile), IsEmpty());
  // A removed script counts as none too.
  update_profile(profile, "p", a);
  ASSERT_TRUE(service_->remove(a));
  update_profile(profile, "p", a);
  EXPECT_THAT(attached(profile), ElementsAre("m"));
}

// The v1 layout of a binding (no origin).
std::string v1_binding(char kind, const std::string& target, const std::string& script,
                       std::int64_t assigned) {
  std::string out;
  store::append_version(out, 1);
  out.push_back(kind);
  store::append_bytes(out, target);
  store::append_bytes(out, script);
  store::append_i64(out, assigned);
  return out;
}

TEST(BindingCodecTest, ReadsV1RowsAndWritesV2) {
  auto thing = BindingCodec::decode(v1_binding('t', "thing-1", "s1", 7));
  ASSERT_TRUE(thing) << thing.error().message;
  EXPECT_EQ(thing->target, ScriptTarget::thing);
  EXPECT_EQ(thing->target_id, "thing-1");
  EXPECT_EQ(thing->script_id, "s1");
  EXPECT_EQ(thing->assigned, 7);
  EXPECT_EQ(thing->origin, kBoundByAssign);
  auto profile = BindingCodec::decode(v1_binding('p', "profile-1", "s1", 7));
  ASSERT_TRUE(profile);
  EXPECT_EQ(profile->origin, kBoundUnclassified);

  Binding b{ScriptTarget::profile, "profile-1", "s2", 9, kBoundByAssign | kBoundByConfig};
  auto encoded = BindingCodec::encode(b);
  EXPECT_EQ(encoded[0], 2);
  auto back = BindingCodec::decode(encoded);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->target_id, "profile-1");
  EXPECT_EQ(back->script_id, "s2");
  EXPECT_EQ(back->assigned, 9);
  EXPECT_EQ(back->origin, kBoundByAssign | kBoundByConfig);

  auto no_origin = encoded;
  no_origin.back() = 0;
  EXPECT_TRUE(store::is_data_loss(BindingCodec::decode(no_origin).error()));
  auto bad_origin = encoded;
  bad_origin.back() = 4;
  EXPECT_TRUE(store::is_data_loss(BindingCodec::decode(bad_origin).error()));
  auto future = encoded;
  future[0] = 3;
  EXPECT_TRUE(store::is_data_loss(BindingCodec::decode(future).error()));
}

TEST_F(ProfileConfigTest, StoredV1BindingsAreClassifiedAtStart) {
  auto manual = make_script("m");
  auto a = make_script("a");
  auto b = make_script("b");
  auto profile = make_profile(a);  // binds a (v2)
  auto other = make_profile();
  // Rewrite the bindings as an older version stored them: the profile's
  // config script and one assigned later, plus a thing's.
  watch_.reset();
  service_.reset();
  {
    auto store = ScriptStore::open(*env_);
    ASSERT_TRUE(store) << store.error().message;
    auto written = env_->write_sync([&](store::WriteTxn& txn) -> Status {
      const auto& raw = store->bindings().raw();
      auto key = binding_prefix(ScriptTarget::profile, profile) + a;
      CONFLUX_RETURN_IF_ERROR(raw.upsert(txn, key, v1_binding('p', profile, a, 1)));
      key = binding_prefix(ScriptTarget::profile, profile) + manual;
      CONFLUX_RETURN_IF_ERROR(raw.insert(txn, key, v1_binding('p', profile, manual, 2)));
      key = binding_prefix(ScriptTarget::profile, other) + manual;
      CONFLUX_RETURN_IF_ERROR(raw.insert(txn, key, v1_binding('p', other, manual, 3)));
      key = binding_prefix(ScriptTarget::thing, "thing-1") + b;
      return raw.insert(txn, key, v1_binding('t', "thing-1", b, 4));
    });
    ASSERT_TRUE(written) << written.error().message;
  }
  reopen();  // classifies: a came from the config, m (twice) from assign
  EXPECT_THAT(*service_->unclassified_profiles(), IsEmpty());
  EXPECT_THAT(attached(profile), ElementsAre("a", "m"));
  EXPECT_THAT(*service_->targets(b, ScriptTarget::thing), ElementsAre("thing-1"));

  update_profile(profile, "p", b);
  EXPECT_THAT(attached(profile), ElementsAre("m", "b"));
  update_profile(other, "renamed", "");
  EXPECT_THAT(attached(other), ElementsAre("m"));
  reopen();
  EXPECT_THAT(attached(profile), ElementsAre("m", "b"));
  EXPECT_THAT(attached(other), ElementsAre("m"));
}

}  // namespace
}  // namespace conflux::core::scripting
