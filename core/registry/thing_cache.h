// core/registry — ThingCache: the in-memory mirror of every thing the
// identify hot path reads (internal key, external key and id → immutable
// ThingIdentity snapshot). The registry fills it at open and applies every
// committed change to it before answering the caller that made the change.
//
// Sharded by hash (16 shards, one shared_mutex each) so readers on many
// threads rarely touch the same lock word.
//
// Thread-safety: lookups from any thread; `put`, `remove` and `clear` from
// one thread at a time (the registry serializes them). A reader may see a
// change half applied (e.g. the new key already, the id entry not yet) but
// never an entry of a key that was removed before the change started.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "conflux/things.h"

namespace conflux::core::registry {

class ThingCache {
 public:
  // Inserts `thing`, or replaces the snapshot with the same id (dropping its
  // old key entries).
  void put(ThingRef thing);
  void remove(std::string_view id);
  void clear();

  ThingRef by_key(std::string_view key) const;
  ThingRef by_external_key(std::string_view key) const;
  ThingRef by_id(std::string_view id) const;
  // Calls `fn` for every cached thing until it returns false.
  void for_each(const std::function<bool(const ThingRef&)>& fn) const;
  std::size_t size() const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  using Map = std::unordered_map<std::string, ThingRef, Hash, std::equal_to<>>;
  enum Which : std::size_t { kKey = 0, kExternal = 1, kId = 2 };
  struct Shard {
    mutable std::shared_mutex mu;
    std::array<Map, 3> maps;
  };
  static constexpr std::size_t kShards = 16;

  static std::size_t shard_of(std::string_view s) noexcept { return (Hash{}(s) >> 7) % kShards; }
  ThingRef find(Which which, std::string_view k) const;
  void set(Which which, const std::string& k, ThingRef thing);
  void erase(Which which, std::string_view k);

  std::array<Shard, kShards> shards_;
};

}  // namespace conflux::core::registry
