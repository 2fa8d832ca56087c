// plugins/rest — the registry route groups, one file each;
// add_registry_routes (registry_routes.cpp) registers them all over
// conflux::Registry and conflux::ThingDirectory.
//   registry_routes_groups.cpp    /orgs/{id}/groups, /groups..., /groups/{id}/memberships,
//                                 /things/{id}/groups, /profiles/{id}/groups
//   registry_routes_profiles.cpp  /groups/{id}/profiles..., /profiles..., /orgs/{id}/profiles...,
//                                 /things/{id}/profiles
//   registry_routes_things.cpp    /profiles/{id}/things..., /things..., /groups/{id}/things...,
//                                 /orgs/{id}/things..., /things/{id}/external-key
//   registry_routes_devices.cpp   /identify, /metadata (thing credentials)
//   registry_routes_backup.cpp    /backup, /restore (root admin)
// Every route authorizes through RestApi::access() before calling the registry.
// Thread-safety: registration at start-up; handlers run on the RestApi pool.
#pragma once

#include <conflux/registry.h>
#include <conflux/status.h>
#include <conflux/things.h>

#include "rest_support.h"

namespace conflux::rest {

Status add_group_routes(RestApi& api, Registry& registry);
Status add_profile_routes(RestApi& api, Registry& registry);
Status add_thing_routes(RestApi& api, Registry& registry);
Status add_device_routes(RestApi& api, ThingDirectory& things);
Status add_backup_routes(RestApi& api, Registry& registry);

}  // namespace conflux::rest
