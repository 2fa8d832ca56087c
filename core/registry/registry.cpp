// core/registry — RegistryService: opening, the commit/cache/watch
// machinery, ThingDirectory and GroupDirectory (see registry.h).
#include "core/registry/registry.h"

#include <future>
#include <nlohmann/json.hpp>
#include <set>

#include "core/registry/registry_rows.h"

namespace conflux::core::registry {
namespace {

std::vector<std::string> one(const std::string& k) {
  return k.empty() ? std::vector<std::string>{} : std::vector<std::string>{k};
}

}  // namespace

Result<std::unique_ptr<RegistryService>> RegistryService::open(store::LmdbEnv& env, Logger& log) {
  CONFLUX_ASSIGN_OR_RETURN(
      auto groups,
      Groups::open(env, "groups", {{"org", false, [](const Group& g) { return one(g.org_id); }}}));
  CONFLUX_ASSIGN_OR_RETURN(
      auto members,
      Members::open(env, "group_members",
                    {{"member", false, [](const MemberRow& m) { return one(m.member_id); }},
                     {"org_member", false, [](const MemberRow& m) {
                        return one(org_member_key(m.org_id, m.member_id));
                      }}}));
  CONFLUX_ASSIGN_OR_RETURN(
      auto profiles,
      Profiles::open(env, "profiles",
                     {{"group", false, [](const Profile& p) { return one(p.group_id); }},
                      {"org", false, [](const Profile& p) { return one(p.org_id); }}}));
  CONFLUX_ASSIGN_OR_RETURN(
      auto things,
      Things::open(env, "things",
                   {{"key", true, [](const Thing& t) { return one(t.key); }},
                    {"external_key", true, [](const Thing& t) { return one(t.external_key); }},
                    {"group", false, [](const Thing& t) { return one(t.group_id); }},
                    {"profile", false, [](const Thing& t) { return one(t.profile_id); }},
                    {"org", false, [](const Thing& t) { return one(t.org_id); }}}));
  auto tables = std::make_unique<Tables>(
      Tables{std::move(groups), std::move(members), std::move(profiles), std::move(things)});
  std::unique_ptr<RegistryService> r(new RegistryService(env, log, std::move(tables)));
  CONFLUX_RETURN_IF_ERROR(r->load_cache());
  log.info("registry open: {} thing(s) cached", r->cache_.size());
  return r;
}

RegistryService::~RegistryService() = default;

Status RegistryService::load_cache() {
  std::lock_guard lock(cache_write_mu_);
  cache_.clear();
  CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
  CONFLUX_ASSIGN_OR_RETURN(auto things, all_rows(txn, tables_->things));
  std::map<std::string, ParsedConfig, std::less<>> configs;
  for (const auto& t : things) {
    auto it = configs.find(t.profile_id);
    if (it == configs.end()) {
      auto config = profile_config(txn, t.profile_id);
      if (!config) {
        log_.warn("registry: thing {}: profile {}: {}", t.id, t.profile_id, config.error().message);
        config = ParsedConfig{};
      }
      it = configs.emplace(t.profile_id, std::move(*config)).first;
    }
    cache_.put(identity(t, it->second));
  }
  return ok();
}

Status RegistryService::commit(const Job& job) {
  try {
    auto effects = std::make_shared<Effects>();
    auto done = std::make_shared<std::promise<Status>>();
    auto result = done->get_future();
    env_.write(
        [&job, effects](store::WriteTxn& txn) -> Status {
          effects->reset();
          return job(txn, *effects);
        },
        [this, effects, done](Status s) {
          if (s) apply(*effects);
          done->set_value(std::move(s));
        });
    Status s = result.get();
    if (s) notify(effects->events);
    return s;
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, std::string("registry write failed: ") + e.what());
  }
}

void RegistryService::apply(const Effects& effects) {
  std::lock_guard lock(cache_write_mu_);
  for (const auto& id : effects.removed) cache_.remove(id);
  for (const auto& t : effects.put) cache_.put(t);
}

void RegistryService::notify(const std::vector<RegistryEvent>& events) {
  if (events.empty()) return;
  std::vector<std::shared_ptr<std::function<void(const RegistryEvent&)>>> handlers;
  {
    std::lock_guard lock(watch_mu_);
    for (const auto& [id, h] : watchers_) handlers.push_back(h);
  }
  for (const auto& e : events)
    for (const auto& h : handlers) {
      try {
        (*h)(e);
      } catch (const std::exception& ex) {
        log_.warn("registry watcher failed: {}", ex.what());
      } catch (...) {
        log_.warn("registry watcher failed");
      }
    }
}

Result<authz::OrgDirectory*> RegistryService::require_orgs() const {
  auto* o = orgs();
  if (o == nullptr) return fail(ErrorCode::unavailable, "accounts are not available");
  return o;
}

Result<Group> RegistryService::get_group(const store::Txn& txn, std::string_view id) const {
  CONFLUX_ASSIGN_OR_RETURN(auto g, tables_->groups.get(txn, id));
  if (!g) return fail(ErrorCode::not_found, "group not found");
  return std::move(*g);
}

Result<Profile> RegistryService::get_profile(const store::Txn& txn, std::string_view id) const {
  CONFLUX_ASSIGN_OR_RETURN(auto p, tables_->profiles.get(txn, id));
  if (!p) return fail(ErrorCode::not_found, "profile not found");
  return std::move(*p);
}

Result<Thing> RegistryService::get_thing(const store::Txn& txn, std::string_view id) const {
  CONFLUX_ASSIGN_OR_RETURN(auto t, tables_->things.get(txn, id));
  if (!t) return fail(ErrorCode::not_found, "thing not found");
  return std::move(*t);
}

Result<ParsedConfig> RegistryService::profile_config(const store::Txn& txn,
                                                     std::string_view profile_id) const {
  CONFLUX_ASSIGN_OR_RETURN(auto p, get_profile(txn, profile_id));
  return parse_config(p.config);
}

ThingRef RegistryService::identity(const Thing& t, const ParsedConfig& config) {
  auto id = std::make_shared<ThingIdentity>();
  id->id = t.id;
  id->name = t.name;
  id->type = t.type;
  id->key = t.key;
  id->external_key = t.external_key;
  id->group_id = t.group_id;
  id->org_id = t.org_id;
  id->profile_id = t.profile_id;
  id->metadata = t.metadata;
  id->profile = config.message;
  id->script_id = config.script_id;
  return id;
}

Status RegistryService::resnapshot_profile(store::WriteTxn& txn, std::string_view profile_id,
                                           Effects& fx) const {
  CONFLUX_ASSIGN_OR_RETURN(auto config, profile_config(txn, profile_id));
  CONFLUX_ASSIGN_OR_RETURN(auto things, rows_by(txn, tables_->things, "profile", profile_id));
  for (const auto& t : things) fx.put.push_back(identity(t, config));
  return ok();
}

Status RegistryService::erase_thing(store::WriteTxn& txn, const Thing& t, Effects& fx) const {
  CONFLUX_RETURN_IF_ERROR(tables_->things.erase(txn, t.id));
  fx.removed.push_back(t.id);
  fx.events.push_back({RegistryEvent::Kind::thing_removed, t.id, t.group_id});
  return ok();
}

Result<RegistryService::Visible> RegistryService::visible_groups(const Principal& caller) {
  if (caller.root_admin) return Visible{true, {}};
  if (!caller.is_user()) return Visible{};
  std::set<std::string> ids;
  std::vector<std::string> orgs_seen;
  {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    CONFLUX_ASSIGN_OR_RETURN(auto memberships, rows_by(txn, tables_->members, "member", caller.id));
    for (auto& m : memberships) ids.insert(m.group_id);
    CONFLUX_ASSIGN_OR_RETURN(auto groups, all_rows(txn, tables_->groups));
    std::set<std::string> distinct;
    for (auto& g : groups) distinct.insert(g.org_id);
    orgs_seen.assign(distinct.begin(), distinct.end());
  }
  std::vector<std::string> admin_orgs;
  if (auto* o = orgs())
    for (const auto& org : orgs_seen) {
      auto role = o->org_role(org, caller.id);
      if (role && *role >= Role::admin) admin_orgs.push_back(org);
    }
  if (!admin_orgs.empty()) {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    for (const auto& org : admin_orgs) {
      CONFLUX_ASSIGN_OR_RETURN(auto groups, rows_by(txn, tables_->groups, "org", org));
      for (auto& g : groups) ids.insert(g.id);
    }
  }
  return Visible{false, std::vector<std::string>(ids.begin(), ids.end())};
}

// --- ThingDirectory

Result<ThingRef> RegistryService::identify(KeyKind kind, std::string_view key) noexcept {
  ThingRef t = kind == KeyKind::internal ? cache_.by_key(key) : cache_.by_external_key(key);
  if (!t) return fail(ErrorCode::unauthenticated, "unknown thing key");
  return t;
}

Result<ThingRef> RegistryService::thing(std::string_view id) noexcept {
  ThingRef t = cache_.by_id(id);
  if (!t) return fail(ErrorCode::not_found, "thing not found");
  return t;
}

Result<std::vector<ThingRef>> RegistryService::group_things(std::string_view group_id) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    CONFLUX_RETURN_IF_ERROR(get_group(txn, group_id));
    CONFLUX_ASSIGN_OR_RETURN(auto things, rows_by(txn, tables_->things, "group", group_id));
    std::vector<ThingRef> out;
    for (const auto& t : things)
      if (auto ref = cache_.by_id(t.id)) out.push_back(std::move(ref));
    return out;
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Result<ThingRef> RegistryService::find_by_metadata(std::string_view field,
                                                   std::string_view value) noexcept {
  try {
    ThingRef found;
    cache_.for_each([&](const ThingRef& t) {
      auto doc = nlohmann::json::parse(t->metadata, nullptr, false);
      if (!doc.is_object()) return true;
      auto it = doc.find(field);
      if (it != doc.end() && it->is_string() && it->get_ref<const std::string&>() == value) {
        found = t;
        return false;
      }
      return true;
    });
    if (!found) return fail(ErrorCode::not_found, "thing not found");
    return found;
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

RegistryWatchId RegistryService::watch(std::function<void(const RegistryEvent&)> handler) noexcept {
  try {
    std::lock_guard lock(watch_mu_);
    auto id = next_watch_++;
    watchers_.emplace(
        id, std::make_shared<std::function<void(const RegistryEvent&)>>(std::move(handler)));
    return id;
  } catch (...) {
    return 0;
  }
}

void RegistryService::unwatch(RegistryWatchId id) noexcept {
  std::lock_guard lock(watch_mu_);
  watchers_.erase(id);
}

Result<Thing> RegistryService::thing_by_key_uncached(KeyKind kind, std::string_view key) noexcept {
  try {
    if (key.empty()) return fail(ErrorCode::unauthenticated, "unknown thing key");
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    CONFLUX_ASSIGN_OR_RETURN(auto id,
                             tables_->things.raw().find_unique(
                                 txn, kind == KeyKind::internal ? "key" : "external_key", key));
    if (!id) return fail(ErrorCode::unauthenticated, "unknown thing key");
    return get_thing(txn, *id);
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Status RegistryService::verify() noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    CONFLUX_RETURN_IF_ERROR(tables_->groups.raw().verify(txn));
    CONFLUX_RETURN_IF_ERROR(tables_->members.raw().verify(txn));
    CONFLUX_RETURN_IF_ERROR(tables_->profiles.raw().verify(txn));
    CONFLUX_RETURN_IF_ERROR(tables_->things.raw().verify(txn));
    return ok();
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

// --- GroupDirectory

Result<authz::Placement> RegistryService::locate(Resource::Kind kind,
                                                 std::string_view id) noexcept {
  try {
    if (kind == Resource::Kind::thing) {
      if (auto t = cache_.by_id(id)) return authz::Placement{t->group_id, t->org_id, t->type};
      return fail(ErrorCode::not_found, "thing not found");
    }
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    if (kind == Resource::Kind::group) {
      CONFLUX_ASSIGN_OR_RETURN(auto g, get_group(txn, id));
      return authz::Placement{g.id, g.org_id, {}};
    }
    if (kind == Resource::Kind::profile) {
      CONFLUX_ASSIGN_OR_RETURN(auto p, get_profile(txn, id));
      return authz::Placement{p.group_id, p.org_id, {}};
    }
    return fail(ErrorCode::invalid_argument, "not a registry resource");
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Result<Role> RegistryService::group_role(std::string_view group_id,
                                         std::string_view user_id) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    CONFLUX_ASSIGN_OR_RETURN(auto m, tables_->members.get(txn, member_key(group_id, user_id)));
    return m ? m->role : Role::none;
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, e.what());
  }
}

Status RegistryService::add_members_in(store::WriteTxn& txn, std::string_view group_id,
                                       const std::vector<std::pair<std::string, Role>>& members) {
  CONFLUX_ASSIGN_OR_RETURN(auto g, get_group(txn, group_id));
  const auto now = now_ns();
  for (const auto& [user, role] : members) {
    if (role == Role::none) continue;
    CONFLUX_ASSIGN_OR_RETURN(auto existing, tables_->members.get(txn, member_key(g.id, user)));
    if (existing) continue;
    CONFLUX_RETURN_IF_ERROR(
        tables_->members.insert(txn, MemberRow{g.id, g.org_id, user, role, now}));
  }
  return ok();
}

Status RegistryService::remove_org_member_in(store::WriteTxn& txn, std::string_view org_id,
                                             std::string_view user_id) {
  CONFLUX_ASSIGN_OR_RETURN(
      auto rows, rows_by(txn, tables_->members, "org_member", org_member_key(org_id, user_id)));
  for (const auto& m : rows)
    CONFLUX_RETURN_IF_ERROR(tables_->members.erase(txn, member_key(m.group_id, m.member_id)));
  return ok();
}

}  // namespace conflux::core::registry
