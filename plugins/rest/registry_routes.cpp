// plugins/rest — registers the registry routes (see registry_routes.h).
#include "registry_routes.h"

#include "routes.h"

namespace conflux::rest {

Status add_registry_routes(RestApi& api) {
  auto* registry = api.host().find<Registry>();
  auto* things = api.host().find<ThingDirectory>();
  if (registry == nullptr || things == nullptr)
    return fail(ErrorCode::unavailable, "the core offers no registry");
  CONFLUX_RETURN_IF_ERROR(add_group_routes(api, *registry));
  CONFLUX_RETURN_IF_ERROR(add_profile_routes(api, *registry));
  CONFLUX_RETURN_IF_ERROR(add_thing_routes(api, *registry));
  CONFLUX_RETURN_IF_ERROR(add_device_routes(api, *things));
  return add_backup_routes(api, *registry);
}

}  // namespace conflux::rest
