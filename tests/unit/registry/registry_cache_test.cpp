// Tests for the identify cache and cascades of RegistryService: key changes
// take effect before the call returns, deletes are gone at once, a group
// delete leaves no index entries behind, watchers hear about it, the cache
// survives a reopen, and backup/restore round-trips.
#include <gmock/gmock.h>

#include "tests/unit/registry/registry_fixture.h"

namespace conflux::core::registry::testing {
namespace {

using ::testing::ElementsAre;

TEST_F(RegistryTest, IdentifyServesCreatedThingsWithProfileConfig) {
  auto g = make_group();
  auto script = random_uuid();
  auto p = make_profile(
      g.id, R"({"content_type":"application/json","write":false,"script_id":")" + script + "\"}");
  auto t = make_thing(p.id, ThingInput{"", "t", "sensor", "", "ext-key-1", R"({"a":"b"})"});
  auto by_key = registry_->identify(KeyKind::internal, t.key);
  ASSERT_TRUE(by_key);
  EXPECT_EQ((*by_key)->id, t.id);
  EXPECT_EQ((*by_key)->group_id, g.id);
  EXPECT_EQ((*by_key)->org_id, org_);
  EXPECT_EQ((*by_key)->profile_id, p.id);
  EXPECT_EQ((*by_key)->type, "sensor");
  EXPECT_EQ((*by_key)->metadata, R"({"a":"b"})");
  EXPECT_EQ((*by_key)->profile.content_type, "application/json");
  EXPECT_FALSE((*by_key)->profile.write_enabled);
  EXPECT_EQ((*by_key)->script_id, script);
  EXPECT_EQ((*registry_->identify(KeyKind::external, "ext-key-1"))->id, t.id);
  // the kinds do not mix
  EXPECT_EQ(registry_->identify(KeyKind::external, t.key).error().code, ErrorCode::unauthenticated);
  EXPECT_EQ(registry_->identify(KeyKind::internal, "ext-key-1").error().code,
            ErrorCode::unauthenticated);
  EXPECT_EQ(registry_->thing_by_key_uncached(KeyKind::internal, t.key)->id, t.id);
}

TEST_F(RegistryTest, ChangedKeyStopsIdentifyingBeforeTheUpdateReturns) {
  auto g = make_group();
  auto p = make_profile(g.id);
  auto t = make_thing(p.id, ThingInput{"", "t", "device", "old-key", "old-ext", "{}"});
  ASSERT_TRUE(registry_->update_thing(t.id, ThingInput{"", "t", "device", "new-key", "", "{}"}));
  EXPECT_EQ(registry_->identify(KeyKind::internal, "old-key").error().code,
            ErrorCode::unauthenticated);
  EXPECT_EQ((*registry_->identify(KeyKind::internal, "new-key"))->id, t.id);
  // the external key is untouched by PUT
  EXPECT_EQ((*registry_->identify(KeyKind::external, "old-ext"))->id, t.id);

  ASSERT_TRUE(registry_->set_external_key(t.id, "new-ext"));
  EXPECT_FALSE(registry_->identify(KeyKind::external, "old-ext"));
  EXPECT_EQ((*registry_->identify(KeyKind::external, "new-ext"))->id, t.id);
  ASSERT_TRUE(registry_->remove_external_key(t.id));
  EXPECT_FALSE(registry_->identify(KeyKind::external, "new-ext"));
  EXPECT_EQ(registry_->remove_external_key(t.id).error().code, ErrorCode::not_found);
  EXPECT_EQ(registry_->set_external_key(t.id, "abcd").error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(entries("things.external_key"), 0u);

  // the freed key can be taken by another thing
  auto other = make_thing(p.id, ThingInput{"", "o", "device", "old-key", "", "{}"});
  EXPECT_EQ((*registry_->identify(KeyKind::internal, "old-key"))->id, other.id);
}

TEST_F(RegistryTest, DeletedThingIsGoneAtOnce) {
  auto g = make_group();
  auto p = make_profile(g.id);
  auto t = make_thing(p.id, ThingInput{"", "t", "device", "", "ext-gone", "{}"});
  ASSERT_TRUE(registry_->remove_thing(t.id));
  EXPECT_FALSE(registry_->identify(KeyKind::internal, t.key));
  EXPECT_FALSE(registry_->identify(KeyKind::external, "ext-gone"));
  EXPECT_EQ(registry_->thing(t.id).error().code, ErrorCode::not_found);
  EXPECT_EQ(registry_->locate(Resource::Kind::thing, t.id).error().code, ErrorCode::not_found);
  EXPECT_EQ(registry_->remove_thing(t.id).error().code, ErrorCode::not_found);
}

TEST_F(RegistryTest, ProfileUpdateReachesCachedThings) {
  auto g = make_group();
  auto p = make_profile(g.id);
  auto t = make_thing(p.id);
  EXPECT_EQ((*registry_->identify(KeyKind::internal, t.key))->profile.content_type,
            "application/senml+json");
  ASSERT_TRUE(registry_->update_profile(
      p.id, ProfileInput{"", "p2", "{}", R"({"content_type":"application/json","webhook":true})"}));
  auto cached = registry_->identify(KeyKind::internal, t.key);
  EXPECT_EQ((*cached)->profile.content_type, "application/json");
  EXPECT_TRUE((*cached)->profile.webhook_enabled);
  EXPECT_EQ(registry_->update_profile(p.id, ProfileInput{"", "p2", "{}", "[]"}).error().code,
            ErrorCode::invalid_argument);
  EXPECT_EQ(registry_->view_profile(p.id)->name, "p2");
}

TEST_F(RegistryTest, GroupDeleteCascadesWithoutOrphanIndexEntries) {
  auto keep = make_group("keep");
  auto kp = make_profile(keep.id);
  auto kt = make_thing(kp.id, ThingInput{"", "k", "device", "", "keep-ext", "{}"});
  auto keep_member = member(Role::viewer, "keep@example.com");
  ASSERT_TRUE(registry_->add_group_members(keep.id, {{keep_member, "viewer"}}));

  auto g = make_group("doomed");
  auto p1 = make_profile(g.id);
  auto p2 = make_profile(g.id);
  std::vector<std::string> things;
  for (int i = 0; i < 3; ++i)
    things.push_back(make_thing(i ? p1.id : p2.id,
                                ThingInput{"", "t", "device", "", "ext-" + std::to_string(i), "{}"})
                         .id);
  auto v = member(Role::viewer, "v@example.com");
  ASSERT_TRUE(registry_->add_group_members(g.id, {{v, "editor"}}));

  std::vector<RegistryEvent> events;
  auto watch = registry_->watch([&](const RegistryEvent& e) { events.push_back(e); });
  ASSERT_TRUE(registry_->remove_group(g.id));
  registry_->unwatch(watch);

  // Only the kept group's entries remain, in every row and index database.
  const std::vector<std::pair<std::string, std::size_t>> expected = {
      {"groups", 1},
      {"groups.org", 1},
      {"group_members", 2},
      {"group_members.member", 2},
      {"group_members.org_member", 2},
      {"profiles", 1},
      {"profiles.group", 1},
      {"profiles.org", 1},
      {"things", 1},
      {"things.key", 1},
      {"things.external_key", 1},
      {"things.group", 1},
      {"things.profile", 1},
      {"things.org", 1}};
  for (const auto& [db, n] : expected) {
    const bool dup =
        db.find('.') != std::string::npos && db != "things.key" && db != "things.external_key";
    EXPECT_EQ(entries(db, dup ? MDB_DUPSORT : 0), n) << db;
  }
  EXPECT_TRUE(registry_->verify());
  EXPECT_EQ(registry_->cached_things(), 1u);
  for (const auto& id : things) EXPECT_FALSE(registry_->thing(id));
  EXPECT_FALSE(registry_->identify(KeyKind::external, "ext-1"));
  EXPECT_TRUE(registry_->identify(KeyKind::external, "keep-ext"));
  EXPECT_EQ(registry_->group_role(g.id, v).value(), Role::none);
  EXPECT_EQ(registry_->view_group(g.id).error().code, ErrorCode::not_found);
  EXPECT_EQ(registry_->remove_group(g.id).error().code, ErrorCode::not_found);

  std::size_t thing_removed = 0, profile_removed = 0, group_removed = 0;
  for (const auto& e : events) {
    if (e.kind == RegistryEvent::Kind::thing_removed) ++thing_removed;
    if (e.kind == RegistryEvent::Kind::profile_removed) ++profile_removed;
    if (e.kind == RegistryEvent::Kind::group_removed) {
      ++group_removed;
      EXPECT_EQ(e.id, g.id);
    }
    EXPECT_EQ(e.group_id, g.id);
  }
  EXPECT_EQ(thing_removed, 3u);
  EXPECT_EQ(profile_removed, 2u);
  EXPECT_EQ(group_removed, 1u);
  EXPECT_EQ(events.back().kind, RegistryEvent::Kind::group_removed);
  (void)kt;
}

TEST_F(RegistryTest, CacheIsRebuiltOnReopen) {
  auto g = make_group();
  auto p = make_profile(g.id);
  auto t = make_thing(p.id, ThingInput{"", "t", "device", "persisted", "persisted-ext", "{}"});
  reopen();
  EXPECT_EQ(registry_->cached_things(), 1u);
  EXPECT_EQ((*registry_->identify(KeyKind::internal, "persisted"))->id, t.id);
  EXPECT_EQ((*registry_->identify(KeyKind::external, "persisted-ext"))->profile.content_type,
            "application/senml+json");
}

TEST_F(RegistryTest, GroupThingsListsTheGroupsThings) {
  auto g = make_group();
  auto p = make_profile(g.id);
  auto a = make_thing(p.id);
  auto b = make_thing(p.id);
  auto things = registry_->group_things(g.id);
  ASSERT_TRUE(things);
  std::set<std::string> ids;
  for (const auto& t : *things) ids.insert(t->id);
  EXPECT_EQ(ids, (std::set<std::string>{a.id, b.id}));
  EXPECT_EQ(registry_->group_things(random_uuid()).error().code, ErrorCode::not_found);
}

TEST_F(RegistryTest, BackupRestoresIntoAnEmptyRegistryAndRefusesDuplicates) {
  auto g = make_group();
  auto p = make_profile(g.id);
  auto t = make_thing(p.id, ThingInput{"", "t", "controller", "bk-key", "bk-ext", R"({"x":1})"});
  auto doc = registry_->backup();
  ASSERT_TRUE(doc) << doc.error().message;

  EXPECT_EQ(registry_->restore(*doc).error().code, ErrorCode::already_exists);
  EXPECT_EQ(entries("groups"), 1u);

  ASSERT_TRUE(registry_->remove_group(g.id));
  ASSERT_TRUE(registry_->restore(*doc));
  auto restored = registry_->view_thing(t.id);
  ASSERT_TRUE(restored);
  EXPECT_EQ(restored->key, "bk-key");
  EXPECT_EQ(restored->metadata, R"({"x":1})");
  EXPECT_EQ((*registry_->identify(KeyKind::external, "bk-ext"))->id, t.id);
  EXPECT_EQ(*registry_->group_role(g.id, owner_), Role::owner);
  EXPECT_TRUE(registry_->verify());
  EXPECT_EQ(registry_->restore("[1,2]").error().code, ErrorCode::invalid_argument);
}

TEST_F(RegistryTest, RemovingAnOrgsGroupsLeavesOtherOrgsAlone) {
  auto other_org = random_uuid();
  orgs_.add_org(other_org);
  orgs_.set_role(other_org, owner_, Role::owner);
  auto kept = registry_->create_group(user(owner_), other_org, GroupInput{"kept", "", "{}"});
  ASSERT_TRUE(kept);
  make_thing(make_profile(kept->id).id, ThingInput{"", "k", "device", "", "kept-ext", "{}"});

  auto g1 = make_group("one");
  auto g2 = make_group("two");
  auto t1 = make_thing(make_profile(g1.id).id, ThingInput{"", "a", "device", "", "", "{}"});
  make_profile(g2.id);

  ASSERT_TRUE(registry_->remove_org_groups(org_));
  EXPECT_EQ(registry_->view_group(g1.id).error().code, ErrorCode::not_found);
  EXPECT_EQ(registry_->view_group(g2.id).error().code, ErrorCode::not_found);
  EXPECT_FALSE(registry_->thing(t1.id));
  EXPECT_FALSE(registry_->identify(KeyKind::internal, t1.key));
  EXPECT_TRUE(registry_->view_group(kept->id));
  EXPECT_TRUE(registry_->identify(KeyKind::external, "kept-ext"));
  EXPECT_EQ(registry_->cached_things(), 1u);
  EXPECT_TRUE(registry_->verify());
  EXPECT_TRUE(registry_->remove_org_groups(org_));  // idempotent
}

}  // namespace
}  // namespace conflux::core::registry::testing
