// core/scripting — RegistryWatch (see registry_watch.h).
// Thread-safety: see registry_watch.h.
#include "core/scripting/registry_watch.h"

#include <nlohmann/json.hpp>

namespace conflux::core::scripting {

RegistryWatch::RegistryWatch(ScriptsService& scripts, ThingDirectory& directory, Logger& log,
                             Registry* registry)
    : registry_(registry), scripts_(scripts), directory_(directory), log_(log) {
  id_ = directory_.watch([this](const RegistryEvent& e) { on_event(e); });
  classify_stored_bindings();
}

void RegistryWatch::classify_stored_bindings() {
  if (!registry_) return;
  auto profiles = scripts_.unclassified_profiles();
  if (!profiles) {
    log_.warn("scripts: cannot list the profile bindings to classify: {}",
              profiles.error().message);
    return;
  }
  for (const auto& id : *profiles)
    if (auto s = sync_profile(id); !s)
      log_.warn("scripts: profile {}: cannot classify its script bindings: {}", id,
                s.error().message);
  if (!profiles->empty())
    log_.info("scripts: recorded the origin of the script bindings of {} profile(s)",
              profiles->size());
}

RegistryWatch::~RegistryWatch() { directory_.unwatch(id_); }

void RegistryWatch::on_event(const RegistryEvent& event) noexcept {
  Status s = ok();
  std::string_view what;
  switch (event.kind) {
    case RegistryEvent::Kind::thing_removed:
      what = "thing";
      s = scripts_.forget_target(ScriptTarget::thing, event.id);
      break;
    case RegistryEvent::Kind::profile_removed:
      what = "profile";
      s = scripts_.forget_target(ScriptTarget::profile, event.id);
      break;
    case RegistryEvent::Kind::group_removed:
      what = "group";
      s = scripts_.remove_group(event.id);
      break;
    case RegistryEvent::Kind::profile_updated:
      if (!registry_) return;
      s = sync_profile(event.id);
      if (!s)
        log_.warn("scripts: profile {}: cannot attach its config.script_id: {}", event.id,
                  s.error().message);
      return;
    default:
      return;
  }
  if (!s)
    log_.warn("scripts: clean-up after removing {} {} failed: {}", what, event.id,
              s.error().message);
}

Status RegistryWatch::sync_profile(std::string_view profile_id) {
  std::string wanted;
  auto profile = registry_->view_profile(profile_id);
  if (!profile) {
    // A profile removed meanwhile has no config; its profile_removed event
    // drops the rest.
    if (profile.error().code != ErrorCode::not_found) return std::unexpected(profile.error());
  } else {
    auto config = nlohmann::json::parse(profile->config, nullptr, false);
    if (config.is_object())
      if (auto it = config.find("script_id"); it != config.end() && it->is_string())
        wanted = it->get<std::string>();
  }
  if (!wanted.empty()) {
    // Only a script of the profile's own group may be attached.
    auto script = scripts_.get(wanted);
    if (!script || script->group_id != profile->group_id) {
      log_.warn(
          "scripts: profile {} names script {} which is not a script of its group; "
          "not attached",
          profile_id, wanted);
      wanted.clear();
    }
  }
  return scripts_.set_config_script(profile_id, wanted);
}

}  // namespace conflux::core::scripting
