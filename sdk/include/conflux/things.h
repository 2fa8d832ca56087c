// conflux/things.h — the hot-path thing lookup every protocol adapter uses.
//
// `identify` answers key → thing (with its group, profile and the profile's
// message config) from the registry's in-memory cache, which is kept
// consistent with every registry change: a changed or deleted key stops
// identifying at once. `thing` looks a thing up by id.
//
// `watch` lets a plugin drop its own per-thing state (e.g. webhooks, modbus
// maps, MQTT sessions) when things, profiles or groups change or go away.
// Handlers run after the registry's commit, on the thread that made the
// change: keep them short and never call back into the registry's writers
// from them.
//
// Found with `host.find<conflux::ThingDirectory>()`.
//
// Thread-safety: every method may be called from any thread. Returned
// snapshots are immutable and stay valid as long as the caller holds them.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/message.h"
#include "conflux/status.h"

namespace conflux {

enum class KeyKind : std::uint8_t { internal, external };

// "internal" | "external" → KeyKind; anything else → nullopt.
constexpr std::optional<KeyKind> parse_key_kind(std::string_view s) noexcept {
  if (s == "internal") return KeyKind::internal;
  if (s == "external") return KeyKind::external;
  return std::nullopt;
}

// A thing as adapters need it.
struct ThingIdentity {
  std::string id;
  std::string name;
  std::string type;  // device|sensor|actuator|controller|gateway
  std::string key;   // the internal key
  std::string external_key;
  std::string group_id;
  std::string org_id;
  std::string profile_id;
  std::string metadata;   // JSON object text ("{}" for none)
  ProfileConfig profile;  // the message config of the thing's profile
  std::string script_id;  // the Lua script attached to the profile ("" = none)
};

using ThingRef = std::shared_ptr<const ThingIdentity>;

// A registry change, delivered to watchers after the commit.
struct RegistryEvent {
  enum class Kind : std::uint8_t {
    thing_updated,  // created, updated, moved, or its key changed
    thing_removed,
    profile_updated,  // created, or its config changed (things' ProfileConfig with it)
    profile_removed,
    group_removed,  // with everything in it (each removed thing is also reported)
  };
  Kind kind = Kind::thing_updated;
  std::string id;        // the thing, profile or group id
  std::string group_id;  // its group
};

using RegistryWatchId = std::uint64_t;

class ThingDirectory {
 public:
  static constexpr std::string_view kInterfaceName = "conflux.things.v1";
  virtual ~ThingDirectory() = default;

  // The thing holding `key` of `kind`; unauthenticated when none does.
  virtual Result<ThingRef> identify(KeyKind kind, std::string_view key) noexcept = 0;
  // The thing with `id`; not_found when none.
  virtual Result<ThingRef> thing(std::string_view id) noexcept = 0;
  // The things of a group (for group commands and bridges).
  virtual Result<std::vector<ThingRef>> group_things(std::string_view group_id) noexcept = 0;
  // The first thing whose metadata has the top-level string `field` equal to
  // `value`; not_found when none (used by bridges mapping topics to things).
  virtual Result<ThingRef> find_by_metadata(std::string_view field,
                                            std::string_view value) noexcept = 0;

  virtual RegistryWatchId watch(std::function<void(const RegistryEvent&)> handler) noexcept = 0;
  virtual void unwatch(RegistryWatchId id) noexcept = 0;
};

}  // namespace conflux
