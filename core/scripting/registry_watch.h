// core/scripting — RegistryWatch: keeps the scripts area consistent with the
// registry. While it lives it watches a conflux::ThingDirectory and, after
// each registry commit:
//   thing_removed   → drops the thing's script bindings and its run log
//   profile_removed → drops the profile's script bindings
//   group_removed   → removes the group's scripts (and all their bindings)
//   profile_updated → (with a registry) makes the profile's config binding
//                     match its `config.script_id`: the script the config
//                     names (when it is a script of the profile's group) is
//                     attached, the one an earlier config attached is
//                     detached unless it was also assigned through
//                     Scripts::assign; bindings made through Scripts::assign
//                     are never touched (ScriptsService::set_config_script)
// (profile_updated is also reported for created profiles).
// (a group removal also reports each of its things and profiles). A failed
// clean-up is logged; the registry change itself is never affected.
//
// At construction (with a registry) the profile bindings stored by a
// version that did not record why a binding exists are classified against
// the profiles' current configs: the script config.script_id names came
// from the config, the others from Scripts::assign.
//
// Thread-safety: the handler runs on the thread that made the registry
// change (never an io thread or a store callback), which may block on the
// scripts service's LMDB commit. The directory and the service must outlive
// the watch; destroying it unwatches.
#pragma once

#include "conflux/log.h"
#include "conflux/registry.h"
#include "conflux/things.h"
#include "core/scripting/scripts_service.h"

namespace conflux::core::scripting {

class RegistryWatch {
 public:
  // `registry` (optional) is read for profile configs on profile_updated.
  RegistryWatch(ScriptsService& scripts, ThingDirectory& directory, Logger& log,
                Registry* registry = nullptr);
  ~RegistryWatch();
  RegistryWatch(const RegistryWatch&) = delete;
  RegistryWatch& operator=(const RegistryWatch&) = delete;

  // What the watch does with one event (public for tests).
  void on_event(const RegistryEvent& event) noexcept;

 private:
  Status sync_profile(std::string_view profile_id);
  void classify_stored_bindings();

  Registry* registry_ = nullptr;
  ScriptsService& scripts_;
  ThingDirectory& directory_;
  Logger& log_;
  RegistryWatchId id_ = 0;
};

}  // namespace conflux::core::scripting
