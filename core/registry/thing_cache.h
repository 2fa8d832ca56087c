// core/registry — ThingCache: the in-memory mirror of every thing the
// identify hot path reads (internal key, external key and id → immutable
// ThingIdentity snapshot). The registry fills it at open and applies every
// committed change to it before answering the caller that made the change.
//
// Layout (for lookups that touch as few cache lines as possible): 16 shards
// by hash, one shared_mutex each; per shard and lookup kind a flat
// open-addressing table (linear probing, power-of-two size, at most half
// full, backward-shift deletion) of 64-byte slots holding the 64-bit hash,
// the snapshot, and the key itself when it fits (≤ 38 bytes, e.g. a UUID).
// A lookup reads one slot line and the snapshot's reference count; a hash
// match is always confirmed by comparing the whole key.
//
// Thread-safety: lookups from any thread; `put`, `remove` and `clear` from
// one thread at a time (the registry serializes them). A reader may see a
// change half applied (e.g. the new key already, the id entry not yet) but
// never an entry of a key that was removed before the change started.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/things.h"

namespace conflux::core::registry {

class ThingCache {
 public:
  ThingCache();

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
  using Field = std::string ThingIdentity::*;

  struct alignas(64) Slot {
    std::uint64_t hash = 0;
    ThingRef ref;          // null: empty
    std::uint8_t len = 0;  // inline key length; kNotInline: compare through ref
    char key[38] = {};
  };
  static constexpr std::uint8_t kNotInline = 0xff;

  // One open-addressing table; `field` names the snapshot member it keys on.
  class Table {
   public:
    explicit Table(Field field) : field_(field) {}
    const ThingRef* find(std::uint64_t hash, std::string_view key) const noexcept;
    void set(std::uint64_t hash, std::string_view key, ThingRef ref);
    void erase(std::uint64_t hash, std::string_view key);
    void clear();
    std::size_t size() const noexcept { return size_; }
    template <class F>
    void each(F&& f) const {
      for (const auto& s : slots_)
        if (s.ref) f(s.ref);
    }

   private:
    bool matches(const Slot& s, std::uint64_t hash, std::string_view key) const noexcept;
    void grow();

    Field field_;
    std::vector<Slot> slots_;
    std::size_t size_ = 0;
  };

  enum Which : std::size_t { kKey = 0, kExternal = 1, kId = 2 };
  struct Shard {
    mutable std::shared_mutex mu;
    std::array<Table, 3> tables{Table(&ThingIdentity::key), Table(&ThingIdentity::external_key),
                                Table(&ThingIdentity::id)};
  };
  static constexpr std::size_t kShards = 16;

  static std::uint64_t hash_of(std::string_view s) noexcept {
    return std::hash<std::string_view>{}(s);
  }
  ThingRef find(Which which, std::string_view k) const;
  void set(Which which, std::string_view k, ThingRef thing);
  void erase(Which which, std::string_view k);

  std::array<Shard, kShards> shards_;
};

}  // namespace conflux::core::registry
