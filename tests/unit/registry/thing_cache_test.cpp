// Tests for ThingCache: a randomized comparison against a std::map model
// (puts, key changes and removals in every order exercise the open-addressing
// tables' growth and backward-shift deletion), long keys, and clear.
#include "core/registry/thing_cache.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>
#include <string>

namespace conflux::core::registry {
namespace {

ThingRef snapshot(const std::string& id, const std::string& key, const std::string& ext) {
  auto t = std::make_shared<ThingIdentity>();
  t->id = id;
  t->key = key;
  t->external_key = ext;
  return t;
}

TEST(ThingCacheTest, MatchesAModelUnderRandomChanges) {
  ThingCache cache;
  struct Keys {
    std::string key, ext;
  };
  std::map<std::string, Keys> model;
  std::mt19937 rng(7);
  auto random_key = [&](std::size_t len) {
    std::string s;
    for (std::size_t i = 0; i < len; ++i) s.push_back(static_cast<char>('a' + rng() % 26));
    return s;
  };
  for (int step = 0; step < 20000; ++step) {
    const std::string id = "id-" + std::to_string(rng() % 500);
    if (rng() % 4 == 0) {
      cache.remove(id);
      model.erase(id);
    } else {
      // short (inline) and long (> 38 bytes) keys; unique by construction
      Keys k{std::to_string(step) + "-" + random_key(rng() % 2 ? 8 : 60),
             rng() % 3 ? "" : "x" + std::to_string(step) + random_key(rng() % 2 ? 4 : 50)};
      cache.put(snapshot(id, k.key, k.ext));
      model[id] = k;
    }
  }
  ASSERT_EQ(cache.size(), model.size());
  std::size_t seen = 0;
  cache.for_each([&](const ThingRef&) { return ++seen, true; });
  EXPECT_EQ(seen, model.size());
  for (const auto& [id, k] : model) {
    auto by_key = cache.by_key(k.key);
    ASSERT_TRUE(by_key) << id;
    EXPECT_EQ(by_key->id, id);
    EXPECT_EQ(cache.by_id(id)->key, k.key);
    if (!k.ext.empty()) {
      ASSERT_TRUE(cache.by_external_key(k.ext));
      EXPECT_EQ(cache.by_external_key(k.ext)->id, id);
    }
  }
  for (int i = 0; i < 500; ++i) {
    const std::string id = "id-" + std::to_string(i);
    if (!model.count(id)) {
      EXPECT_FALSE(cache.by_id(id)) << id;
    }
  }
}

TEST(ThingCacheTest, ReplacedKeysStopMatchingAndClearEmpties) {
  ThingCache cache;
  const std::string long_key(100, 'k');
  cache.put(snapshot("a", long_key, "ext-a"));
  EXPECT_EQ(cache.by_key(long_key)->id, "a");
  EXPECT_FALSE(cache.by_key(std::string(99, 'k')));
  cache.put(snapshot("a", "short", ""));
  EXPECT_FALSE(cache.by_key(long_key));
  EXPECT_FALSE(cache.by_external_key("ext-a"));
  EXPECT_EQ(cache.by_key("short")->id, "a");
  cache.clear();
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_FALSE(cache.by_key("short"));
}

}  // namespace
}  // namespace conflux::core::registry
