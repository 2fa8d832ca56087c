// core/registry — owns groups, group memberships, profiles and things
// (DESIGN §8): RegistryService implements conflux::Registry (management),
// conflux::ThingDirectory (the identify hot path every protocol adapter
// uses) and authz::GroupDirectory (placement and group roles for
// authorization).
//
// Storage: LMDB tables "groups", "group_members", "profiles", "things" with
// their secondary indexes, every change one write job (docs/storage-format.md,
// "Registry tables").
//
// Cache: every thing is mirrored in a ThingCache (key, external key, id →
// ThingIdentity with its profile's message config). Writers wait for the
// durable commit; the commit's completion callback (commit order, one thread)
// applies the change to the cache, then the caller gets its answer — so a
// changed or deleted key stops identifying before the call returns. Watchers
// (ThingDirectory::watch) are told afterwards, on the calling thread.
//
// Org facts (roles, member emails) come from an authz::OrgDirectory set with
// `set_org_directory` (accounts may be opened after the registry); without
// one, group creation and membership calls fail with unavailable.
//
// Thread-safety: every public method may be called from any thread; writers
// block until the commit (never on an io thread, a store job or a store
// callback). GroupDirectory's *_in methods run inside the caller's job.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/log.h"
#include "conflux/registry.h"
#include "conflux/things.h"
#include "core/authz/directories.h"
#include "core/registry/records.h"
#include "core/registry/thing_cache.h"
#include "core/registry/validation.h"
#include "core/store/entity_table.h"
#include "core/store/lmdb_env.h"

namespace conflux::core::registry {

using Groups = store::TypedTable<Group, GroupCodec>;
using Members = store::TypedTable<MemberRow, MemberCodec>;
using Profiles = store::TypedTable<Profile, ProfileCodec>;
using Things = store::TypedTable<Thing, ThingCodec>;

// The registry's tables (exposed for tests that inspect the indexes).
struct Tables {
  Groups groups;      // indexes: org
  Members members;    // indexes: member, org_member
  Profiles profiles;  // indexes: group, org
  Things things;      // indexes: key (unique), external_key (unique), group, profile, org
};

class RegistryService final : public Registry, public ThingDirectory, public authz::GroupDirectory {
 public:
  // Opens (creates) the tables and loads the thing cache. Call at start-up
  // (blocks on the writer like LmdbEnv::database).
  static Result<std::unique_ptr<RegistryService>> open(store::LmdbEnv& env, Logger& log);
  ~RegistryService() override;

  void set_org_directory(authz::OrgDirectory* orgs) noexcept { orgs_.store(orgs); }

  // --- conflux::Registry
  Result<Group> create_group(const Principal& creator, std::string_view org_id,
                             const GroupInput& input) noexcept override;
  Result<Group> view_group(std::string_view group_id) noexcept override;
  Result<Page<Group>> list_groups(const Principal& caller,
                                  const PageParams& page) noexcept override;
  Result<Page<Group>> list_groups_by_org(std::string_view org_id,
                                         const PageParams& page) noexcept override;
  Status update_group(std::string_view group_id, const GroupInput& input) noexcept override;
  Status remove_group(std::string_view group_id) noexcept override;
  Result<Group> view_group_by_thing(std::string_view thing_id) noexcept override;
  Result<Group> view_group_by_profile(std::string_view profile_id) noexcept override;

  Status add_group_members(std::string_view group_id,
                           const std::vector<GroupMemberRole>& members) noexcept override;
  Status update_group_members(std::string_view group_id,
                              const std::vector<GroupMemberRole>& members) noexcept override;
  Status remove_group_members(std::string_view group_id,
                              const std::vector<std::string>& member_ids) noexcept override;
  Result<Page<GroupMember>> list_group_members(std::string_view group_id,
                                               const PageParams& page) noexcept override;

  Result<std::vector<Profile>> create_profiles(
      std::string_view group_id, const std::vector<ProfileInput>& profiles) noexcept override;
  Result<Profile> view_profile(std::string_view profile_id) noexcept override;
  Result<Profile> view_profile_by_thing(std::string_view thing_id) noexcept override;
  Result<Page<Profile>> list_profiles(const Principal& caller,
                                      const PageParams& page) noexcept override;
  Result<Page<Profile>> list_profiles_by_group(std::string_view group_id,
                                               const PageParams& page) noexcept override;
  Result<Page<Profile>> list_profiles_by_org(std::string_view org_id,
                                             const PageParams& page) noexcept override;
  Status update_profile(std::string_view profile_id, const ProfileInput& input) noexcept override;
  Status remove_profile(std::string_view profile_id) noexcept override;

  Result<std::vector<Thing>> create_things(std::string_view profile_id,
                                           const std::vector<ThingInput>& things) noexcept override;
  Result<Thing> view_thing(std::string_view thing_id) noexcept override;
  Result<Page<Thing>> list_things(const Principal& caller,
                                  const PageParams& page) noexcept override;
  Result<Page<Thing>> list_things_by_group(std::string_view group_id,
                                           const PageParams& page) noexcept override;
  Result<Page<Thing>> list_things_by_profile(std::string_view profile_id,
                                             const PageParams& page) noexcept override;
  Result<Page<Thing>> list_things_by_org(std::string_view org_id,
                                         const PageParams& page) noexcept override;
  Status update_thing(std::string_view thing_id, const ThingInput& input) noexcept override;
  Status move_thing(std::string_view thing_id, std::string_view group_id,
                    std::string_view profile_id) noexcept override;
  Status update_things_metadata(const std::vector<ThingMetadata>& updates) noexcept override;
  Status remove_thing(std::string_view thing_id) noexcept override;
  Status set_external_key(std::string_view thing_id, std::string_view key) noexcept override;
  Status remove_external_key(std::string_view thing_id) noexcept override;

  Result<std::string> backup() noexcept override;
  Status restore(std::string_view document) noexcept override;

  // --- conflux::ThingDirectory
  Result<ThingRef> identify(KeyKind kind, std::string_view key) noexcept override;
  Result<ThingRef> thing(std::string_view id) noexcept override;
  Result<std::vector<ThingRef>> group_things(std::string_view group_id) noexcept override;
  Result<ThingRef> find_by_metadata(std::string_view field,
                                    std::string_view value) noexcept override;
  RegistryWatchId watch(std::function<void(const RegistryEvent&)> handler) noexcept override;
  void unwatch(RegistryWatchId id) noexcept override;

  // --- authz::GroupDirectory
  Result<authz::Placement> locate(Resource::Kind kind, std::string_view id) noexcept override;
  Result<Role> group_role(std::string_view group_id, std::string_view user_id) noexcept override;
  Status add_members_in(store::WriteTxn& txn, std::string_view group_id,
                        const std::vector<std::pair<std::string, Role>>& members) override;
  Status remove_org_member_in(store::WriteTxn& txn, std::string_view org_id,
                              std::string_view user_id) override;
  Status remove_org_groups(std::string_view org_id) noexcept override;

  // The thing row holding `key`, read from LMDB without the cache (the
  // benchmark's "through LMDB" path; unauthenticated when none).
  Result<Thing> thing_by_key_uncached(KeyKind kind, std::string_view key) noexcept;
  // Checks every table's indexes against its rows (EntityTable::verify).
  Status verify() noexcept;
  const Tables& tables() const noexcept { return *tables_; }
  std::size_t cached_things() const { return cache_.size(); }

 private:
  // What a committed job changes outside LMDB; a replayed job starts over.
  struct Effects {
    std::vector<ThingRef> put;
    std::vector<std::string> removed;
    std::vector<RegistryEvent> events;
    void reset() {
      put.clear();
      removed.clear();
      events.clear();
    }
  };
  using Job = std::function<Status(store::WriteTxn&, Effects&)>;

  RegistryService(store::LmdbEnv& env, Logger& log, std::unique_ptr<Tables> tables)
      : env_(env), log_(log), tables_(std::move(tables)) {}

  // Runs `job` as one write, waits for the commit, applies its effects to the
  // cache (in commit order) and notifies watchers.
  Status commit(const Job& job);
  void apply(const Effects& effects);
  void notify(const std::vector<RegistryEvent>& events);
  Status load_cache();
  authz::OrgDirectory* orgs() const noexcept { return orgs_.load(); }
  Result<authz::OrgDirectory*> require_orgs() const;

  // Row access inside a transaction; not_found naming the entity.
  Result<Group> get_group(const store::Txn& txn, std::string_view id) const;
  Result<Profile> get_profile(const store::Txn& txn, std::string_view id) const;
  Result<Thing> get_thing(const store::Txn& txn, std::string_view id) const;
  Result<ParsedConfig> profile_config(const store::Txn& txn, std::string_view profile_id) const;
  // Every row of `index` == `key` in `table`, decoded.
  template <class T, class Codec>
  Result<std::vector<T>> rows_by(const store::Txn& txn, const store::TypedTable<T, Codec>& table,
                                 std::string_view index, std::string_view key) const;
  template <class T, class Codec>
  Result<std::vector<T>> all_rows(const store::Txn& txn,
                                  const store::TypedTable<T, Codec>& table) const;
  // The groups `caller` may list: every group (the root admin) or `ids`.
  struct Visible {
    bool all = false;
    std::vector<std::string> ids;
  };
  Result<Visible> visible_groups(const Principal& caller);
  // Thing snapshot for the cache.
  static ThingRef identity(const Thing& t, const ParsedConfig& config);
  // The cache entries of every thing of `profile_id`, re-snapshotted.
  Status resnapshot_profile(store::WriteTxn& txn, std::string_view profile_id, Effects& fx) const;
  // Erases a group with its things, profiles and memberships.
  Status erase_group(store::WriteTxn& txn, const Group& g, Effects& fx) const;
  // Erases a thing row and records the effects.
  Status erase_thing(store::WriteTxn& txn, const Thing& t, Effects& fx) const;

  store::LmdbEnv& env_;
  Logger& log_;
  std::unique_ptr<Tables> tables_;
  std::atomic<authz::OrgDirectory*> orgs_{nullptr};
  ThingCache cache_;
  std::mutex cache_write_mu_;  // serializes cache writers (load, commit callbacks)

  std::mutex watch_mu_;
  std::map<RegistryWatchId, std::shared_ptr<std::function<void(const RegistryEvent&)>>> watchers_;
  RegistryWatchId next_watch_ = 1;
};

}  // namespace conflux::core::registry
