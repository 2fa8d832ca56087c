// core/registry — ThingCache (see thing_cache.h).
#include "core/registry/thing_cache.h"

#include <mutex>

namespace conflux::core::registry {

ThingRef ThingCache::find(Which which, std::string_view k) const {
  const Shard& s = shards_[shard_of(k)];
  std::shared_lock lock(s.mu);
  const Map& m = s.maps[which];
  auto it = m.find(k);
  return it == m.end() ? nullptr : it->second;
}

void ThingCache::set(Which which, const std::string& k, ThingRef thing) {
  Shard& s = shards_[shard_of(k)];
  std::unique_lock lock(s.mu);
  s.maps[which].insert_or_assign(k, std::move(thing));
}

void ThingCache::erase(Which which, std::string_view k) {
  Shard& s = shards_[shard_of(k)];
  std::unique_lock lock(s.mu);
  Map& m = s.maps[which];
  if (auto it = m.find(k); it != m.end()) m.erase(it);
}

void ThingCache::put(ThingRef thing) {
  if (!thing) return;
  if (auto old = by_id(thing->id)) {
    if (old->key != thing->key) erase(kKey, old->key);
    if (!old->external_key.empty() && old->external_key != thing->external_key)
      erase(kExternal, old->external_key);
  }
  set(kKey, thing->key, thing);
  if (!thing->external_key.empty()) set(kExternal, thing->external_key, thing);
  set(kId, thing->id, thing);
}

void ThingCache::remove(std::string_view id) {
  auto old = by_id(id);
  if (!old) return;
  erase(kKey, old->key);
  if (!old->external_key.empty()) erase(kExternal, old->external_key);
  erase(kId, id);
}

void ThingCache::clear() {
  for (auto& s : shards_) {
    std::unique_lock lock(s.mu);
    for (auto& m : s.maps) m.clear();
  }
}

ThingRef ThingCache::by_key(std::string_view key) const { return find(kKey, key); }
ThingRef ThingCache::by_external_key(std::string_view key) const { return find(kExternal, key); }
ThingRef ThingCache::by_id(std::string_view id) const { return find(kId, id); }

void ThingCache::for_each(const std::function<bool(const ThingRef&)>& fn) const {
  for (const auto& s : shards_) {
    std::vector<ThingRef> snapshot;
    {
      std::shared_lock lock(s.mu);
      snapshot.reserve(s.maps[kId].size());
      for (const auto& [id, t] : s.maps[kId]) snapshot.push_back(t);
    }
    for (const auto& t : snapshot)
      if (!fn(t)) return;
  }
}

std::size_t ThingCache::size() const {
  std::size_t n = 0;
  for (const auto& s : shards_) {
    std::shared_lock lock(s.mu);
    n += s.maps[kId].size();
  }
  return n;
}

}  // namespace conflux::core::registry
