// core/scripting — RegistryWatch (see registry_watch.h).
// Thread-safety: see registry_watch.h.
#include "core/scripting/registry_watch.h"

namespace conflux::core::scripting {

RegistryWatch::RegistryWatch(ScriptsService& scripts, ThingDirectory& directory, Logger& log)
    : scripts_(scripts), directory_(directory), log_(log) {
  id_ = directory_.watch([this](const RegistryEvent& e) { on_event(e); });
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
    default:
      return;
  }
  if (!s)
    log_.warn("scripts: clean-up after removing {} {} failed: {}", what, event.id,
              s.error().message);
}

}  // namespace conflux::core::scripting
