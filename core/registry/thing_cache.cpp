// core/registry — ThingCache (see thing_cache.h).
#include "core/registry/thing_cache.h"

#include <cstring>
#include <mutex>

namespace conflux::core::registry {
namespace {

// The table index of a hash (the low 4 bits pick the shard).
std::size_t home(std::uint64_t hash, std::size_t mask) noexcept {
  return static_cast<std::size_t>(hash >> 4) & mask;
}

}  // namespace

bool ThingCache::Table::matches(const Slot& s, std::uint64_t hash,
                                std::string_view key) const noexcept {
  if (s.hash != hash) return false;
  if (s.len != kNotInline) return s.len == key.size() && std::memcmp(s.key, key.data(), s.len) == 0;
  return (*s.ref).*field_ == key;
}

const ThingRef* ThingCache::Table::find(std::uint64_t hash, std::string_view key) const noexcept {
  if (slots_.empty()) return nullptr;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = home(hash, mask);; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (!s.ref) return nullptr;
    if (matches(s, hash, key)) return &s.ref;
  }
}

void ThingCache::Table::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
  const std::size_t mask = slots_.size() - 1;
  for (auto& s : old) {
    if (!s.ref) continue;
    std::size_t i = home(s.hash, mask);
    while (slots_[i].ref) i = (i + 1) & mask;
    slots_[i] = std::move(s);
  }
}

void ThingCache::Table::set(std::uint64_t hash, std::string_view key, ThingRef ref) {
  if ((size_ + 1) * 2 > slots_.size()) grow();
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = home(hash, mask);
  for (; slots_[i].ref; i = (i + 1) & mask) {
    if (matches(slots_[i], hash, key)) {
      Slot& s = slots_[i];
      s.ref = std::move(ref);
      // The inline copy stays valid (same key); a long key is read through
      // the new snapshot, which holds the same key.
      return;
    }
  }
  Slot& s = slots_[i];
  s.hash = hash;
  if (key.size() <= sizeof(s.key)) {
    s.len = static_cast<std::uint8_t>(key.size());
    std::memcpy(s.key, key.data(), key.size());
  } else {
    s.len = kNotInline;
  }
  s.ref = std::move(ref);
  ++size_;
}

void ThingCache::Table::erase(std::uint64_t hash, std::string_view key) {
  if (slots_.empty()) return;
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = home(hash, mask);
  for (;; i = (i + 1) & mask) {
    if (!slots_[i].ref) return;
    if (matches(slots_[i], hash, key)) break;
  }
  // Backward-shift deletion: move later entries of the probe run into the
  // hole when their home position allows it.
  std::size_t hole = i;
  for (std::size_t j = (i + 1) & mask; slots_[j].ref; j = (j + 1) & mask) {
    const std::size_t h = home(slots_[j].hash, mask);
    // slots_[j] may move to `hole` when `hole` lies cyclically in [h, j).
    const bool movable = hole <= j ? (h <= hole || h > j) : (h <= hole && h > j);
    if (movable) {
      slots_[hole] = std::move(slots_[j]);
      hole = j;
    }
  }
  slots_[hole] = Slot{};
  --size_;
}

void ThingCache::Table::clear() {
  slots_.clear();
  size_ = 0;
}

ThingCache::ThingCache() = default;

ThingRef ThingCache::find(Which which, std::string_view k) const {
  const auto h = hash_of(k);
  const Shard& s = shards_[h & (kShards - 1)];
  std::shared_lock lock(s.mu);
  const ThingRef* ref = s.tables[which].find(h, k);
  return ref ? *ref : nullptr;
}

void ThingCache::set(Which which, std::string_view k, ThingRef thing) {
  const auto h = hash_of(k);
  Shard& s = shards_[h & (kShards - 1)];
  std::unique_lock lock(s.mu);
  s.tables[which].set(h, k, std::move(thing));
}

void ThingCache::erase(Which which, std::string_view k) {
  const auto h = hash_of(k);
  Shard& s = shards_[h & (kShards - 1)];
  std::unique_lock lock(s.mu);
  s.tables[which].erase(h, k);
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
  erase(kId, old->id);
}

void ThingCache::clear() {
  for (auto& s : shards_) {
    std::unique_lock lock(s.mu);
    for (auto& t : s.tables) t.clear();
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
      snapshot.reserve(s.tables[kId].size());
      s.tables[kId].each([&](const ThingRef& t) { snapshot.push_back(t); });
    }
    for (const auto& t : snapshot)
      if (!fn(t)) return;
  }
}

std::size_t ThingCache::size() const {
  std::size_t n = 0;
  for (const auto& s : shards_) {
    std::shared_lock lock(s.mu);
    n += s.tables[kId].size();
  }
  return n;
}

}  // namespace conflux::core::registry
