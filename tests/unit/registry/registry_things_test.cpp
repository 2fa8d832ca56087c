// Tests for profiles and things of RegistryService: client ids, validation,
// conflicts with nothing changed, moves, bulk metadata, listing filters and
// the 409 on deleting a profile in use.
#include <gmock/gmock.h>

#include "tests/unit/registry/registry_fixture.h"

namespace conflux::core::registry::testing {
namespace {

using ::testing::HasSubstr;

ErrorCode code_of(const Status& s) { return s ? ErrorCode::internal : s.error().code; }
template <class T>
ErrorCode code_of(const Result<T>& r) {
  return r ? ErrorCode::internal : r.error().code;
}

TEST_F(RegistryTest, ProfilesWithClientIdsAndConfig) {
  auto g = make_group();
  auto id1 = random_uuid();
  auto made = registry_->create_profiles(
      g.id, {ProfileInput{id1, "one", R"({"k":"v"})", R"({"Content-Type":"application/json"})"},
             ProfileInput{"", "two", "{}", "{}"}});
  ASSERT_TRUE(made) << made.error().message;
  ASSERT_EQ(made->size(), 2u);
  EXPECT_EQ((*made)[0].id, id1);
  EXPECT_EQ((*made)[0].group_id, g.id);
  EXPECT_EQ((*made)[0].org_id, org_);
  EXPECT_TRUE(is_uuid((*made)[1].id));

  auto viewed = registry_->view_profile(id1);
  ASSERT_TRUE(viewed);
  EXPECT_EQ(viewed->config, R"({"Content-Type":"application/json"})");
  EXPECT_EQ(registry_->list_profiles_by_group(g.id, PageParams{})->total, 2u);
  EXPECT_EQ(registry_->list_profiles_by_org(org_, PageParams{})->total, 2u);
  EXPECT_EQ(registry_->list_profiles_by_group(g.id, PageParams{0, 10, "tw", ""})->total, 1u);
  EXPECT_EQ(registry_->view_group_by_profile(id1)->id, g.id);
}

TEST_F(RegistryTest, ProfileErrorsChangeNothing) {
  auto g = make_group();
  auto id = random_uuid();
  ASSERT_TRUE(registry_->create_profiles(g.id, {ProfileInput{id, "p", "{}", "{}"}}));
  // duplicate id (second of the batch): the first is not created either
  auto dup = registry_->create_profiles(
      g.id, {ProfileInput{"", "fresh", "{}", "{}"}, ProfileInput{id, "p", "{}", "{}"}});
  EXPECT_EQ(code_of(dup), ErrorCode::already_exists);
  EXPECT_EQ(code_of(registry_->create_profiles(g.id, {ProfileInput{"1234", "p", "{}", "{}"}})),
            ErrorCode::invalid_argument);
  // a version 1 UUID is not accepted as a client id
  EXPECT_EQ(code_of(registry_->create_profiles(
                g.id, {ProfileInput{"123e4567-e89b-12d3-a456-426614174000", "p", "{}", "{}"}})),
            ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(registry_->create_profiles(
                g.id, {ProfileInput{"", "p", "{}", R"({"content_type":"text/xml"})"}})),
            ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(registry_->create_profiles(
                g.id, {ProfileInput{"", "p", "{}", R"({"script_id":"nope"})"}})),
            ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(registry_->create_profiles(
                g.id, {ProfileInput{"", std::string(1025, 'x'), "{}", "{}"}})),
            ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(registry_->create_profiles(random_uuid(), {ProfileInput{"", "p", "{}", "{}"}})),
            ErrorCode::not_found);
  EXPECT_EQ(entries("profiles"), 1u);
}

TEST_F(RegistryTest, ProfileInUseCannotBeDeleted) {
  auto g = make_group();
  auto p = make_profile(g.id);
  auto t = make_thing(p.id);
  auto refused = registry_->remove_profile(p.id);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::failed_precondition);
  EXPECT_TRUE(registry_->view_profile(p.id));
  ASSERT_TRUE(registry_->remove_thing(t.id));
  ASSERT_TRUE(registry_->remove_profile(p.id));
  EXPECT_EQ(code_of(registry_->view_profile(p.id)), ErrorCode::not_found);
  EXPECT_EQ(code_of(registry_->remove_profile(p.id)), ErrorCode::not_found);
}

TEST_F(RegistryTest, CreateThingsWithTypesKeysAndIds) {
  auto g = make_group();
  auto p = make_profile(g.id);
  auto id = random_uuid();
  auto made = registry_->create_things(
      p.id, {ThingInput{id, "a", "device", "", "", "{}"},
             ThingInput{"", "b", "gateway", "my-key", "ext-12345", R"({"serial":"s1"})"}});
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ((*made)[0].id, id);
  EXPECT_TRUE(is_uuid((*made)[0].key));
  EXPECT_EQ((*made)[0].group_id, g.id);
  EXPECT_EQ((*made)[0].profile_id, p.id);
  EXPECT_EQ((*made)[1].key, "my-key");
  EXPECT_EQ((*made)[1].external_key, "ext-12345");

  auto t = registry_->view_thing((*made)[1].id);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->type, "gateway");
  EXPECT_EQ(t->metadata, R"({"serial":"s1"})");
  EXPECT_EQ(registry_->view_profile_by_thing(id)->id, p.id);
  EXPECT_EQ(registry_->view_group_by_thing(id)->id, g.id);
}

TEST_F(RegistryTest, ThingErrorsChangeNothing) {
  auto g = make_group();
  auto p = make_profile(g.id);
  auto existing = make_thing(p.id, ThingInput{"", "e", "device", "taken-key", "taken-ext", "{}"});
  auto batch = [&](ThingInput bad) {
    return registry_->create_things(p.id, {ThingInput{"", "ok", "device", "", "", "{}"}, bad});
  };
  EXPECT_EQ(code_of(batch({"", "x", "toaster", "", "", "{}"})), ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(batch({"", "x", "device", "", "abcd", "{}"})), ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(batch({"bad-id", "x", "device", "", "", "{}"})), ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(batch({"", std::string(1025, 'x'), "device", "", "", "{}"})),
            ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(batch({"", "x", "device", "", "", "[]"})), ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(batch({existing.id, "x", "device", "", "", "{}"})), ErrorCode::already_exists);
  EXPECT_EQ(code_of(batch({"", "x", "device", "taken-key", "", "{}"})), ErrorCode::already_exists);
  auto ext = batch({"", "x", "device", "", "taken-ext", "{}"});
  EXPECT_EQ(code_of(ext), ErrorCode::already_exists);
  EXPECT_THAT(ext.error().message, HasSubstr("external key"));
  // two things of one request with the same external key
  EXPECT_EQ(code_of(registry_->create_things(
                p.id, {ThingInput{"", "a", "device", "", "same-ext", "{}"},
                       ThingInput{"", "b", "device", "", "same-ext", "{}"}})),
            ErrorCode::already_exists);
  EXPECT_EQ(
      code_of(registry_->create_things(random_uuid(), {ThingInput{"", "a", "device", "", "", "{}"}})),
      ErrorCode::not_found);
  EXPECT_EQ(entries("things"), 1u);
  EXPECT_EQ(entries("things.key"), 1u);
  EXPECT_EQ(entries("things.external_key"), 1u);
  EXPECT_EQ(registry_->cached_things(), 1u);
}

TEST_F(RegistryTest, UpdateThingAndBulkMetadata) {
  auto g = make_group();
  auto p = make_profile(g.id);
  auto a = make_thing(p.id);
  auto b = make_thing(p.id, ThingInput{"", "b", "device", "b-key", "", "{}"});
  ASSERT_TRUE(registry_->update_thing(
      a.id, ThingInput{"", "renamed", "actuator", "new-key", "", R"({"x":1})"}));
  auto t = registry_->view_thing(a.id);
  EXPECT_EQ(t->name, "renamed");
  EXPECT_EQ(t->type, "actuator");
  EXPECT_EQ(t->key, "new-key");
  EXPECT_EQ(
      code_of(registry_->update_thing(a.id, ThingInput{"", "n", "device", "b-key", "", "{}"})),
      ErrorCode::already_exists);
  EXPECT_EQ(code_of(registry_->update_thing(a.id, ThingInput{"", "n", "robot", "k", "", "{}"})),
            ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(registry_->update_thing(a.id, ThingInput{"", "n", "device", "", "", "{}"})),
            ErrorCode::invalid_argument);
  EXPECT_EQ(registry_->view_thing(a.id)->key, "new-key");

  ASSERT_TRUE(registry_->update_things_metadata({{a.id, R"({"m":"a"})"}, {b.id, R"({"m":"b"})"}}));
  EXPECT_EQ(registry_->view_thing(b.id)->metadata, R"({"m":"b"})");
  EXPECT_EQ((*registry_->thing(b.id))->metadata, R"({"m":"b"})");
  // all or nothing: one unknown id
  EXPECT_EQ(
      code_of(registry_->update_things_metadata({{a.id, R"({"m":"z"})"}, {random_uuid(), "{}"}})),
      ErrorCode::not_found);
  EXPECT_EQ(registry_->view_thing(a.id)->metadata, R"({"m":"a"})");
  EXPECT_EQ((*registry_->find_by_metadata("m", "b"))->id, b.id);
  EXPECT_EQ(code_of(registry_->find_by_metadata("m", "q")), ErrorCode::not_found);
}

TEST_F(RegistryTest, ListThingsWithFiltersAndPagination) {
  auto g = make_group();
  auto p = make_profile(g.id);
  auto p2 = make_profile(g.id);
  for (int i = 0; i < 5; ++i)
    make_thing(p.id, ThingInput{"", "lamp-" + std::to_string(i), "device", "", "",
                                i % 2 ? R"({"room":"a","n":[1,2]})" : R"({"room":"b"})"});
  make_thing(p2.id, ThingInput{"", "fan", "device", "", "", "{}"});
  EXPECT_EQ(registry_->list_things_by_group(g.id, PageParams{})->total, 6u);
  EXPECT_EQ(registry_->list_things_by_profile(p.id, PageParams{})->total, 5u);
  EXPECT_EQ(registry_->list_things_by_org(org_, PageParams{})->total, 6u);
  EXPECT_EQ(registry_->list_things_by_group(g.id, PageParams{0, 10, "LAMP", ""})->total, 5u);
  EXPECT_EQ(registry_->list_things_by_group(g.id, PageParams{0, 10, "", R"({"room":"a"})"})->total,
            2u);
  EXPECT_EQ(registry_->list_things_by_group(g.id, PageParams{0, 10, "", R"({"n":[2]})"})->total,
            2u);
  auto page = registry_->list_things_by_group(g.id, PageParams{4, 3, "", ""});
  EXPECT_EQ(page->total, 6u);
  EXPECT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->offset, 4u);
  EXPECT_EQ(page->limit, 3u);
  auto viewer = member(Role::viewer, "v@example.com");
  EXPECT_EQ(registry_->list_things(user(viewer), PageParams{})->total, 0u);
  ASSERT_TRUE(registry_->add_group_members(g.id, {{viewer, "viewer"}}));
  EXPECT_EQ(registry_->list_things(user(viewer), PageParams{})->total, 6u);
  EXPECT_EQ(registry_->list_profiles(user(viewer), PageParams{})->total, 2u);
}

TEST_F(RegistryTest, MoveThingRequiresTheProfileInTheTargetGroup) {
  auto g1 = make_group("g1");
  auto g2 = make_group("g2");
  auto p1 = make_profile(g1.id);
  auto p2 = make_profile(g2.id, R"({"content_type":"application/json"})");
  auto t = make_thing(p1.id);
  EXPECT_EQ(code_of(registry_->move_thing(t.id, g1.id, p2.id)), ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(registry_->move_thing(t.id, "nope", p2.id)), ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(registry_->move_thing(t.id, random_uuid(), p2.id)), ErrorCode::not_found);
  EXPECT_EQ(registry_->view_thing(t.id)->group_id, g1.id);

  ASSERT_TRUE(registry_->move_thing(t.id, g2.id, p2.id));
  auto moved = registry_->view_thing(t.id);
  EXPECT_EQ(moved->group_id, g2.id);
  EXPECT_EQ(moved->profile_id, p2.id);
  auto cached = registry_->identify(KeyKind::internal, t.key);
  ASSERT_TRUE(cached);
  EXPECT_EQ((*cached)->group_id, g2.id);
  EXPECT_EQ((*cached)->profile.content_type, "application/json");
  EXPECT_EQ(registry_->list_things_by_group(g1.id, PageParams{})->total, 0u);
  EXPECT_EQ(registry_->list_things_by_group(g2.id, PageParams{})->total, 1u);
  EXPECT_TRUE(registry_->verify());
}

}  // namespace
}  // namespace conflux::core::registry::testing
