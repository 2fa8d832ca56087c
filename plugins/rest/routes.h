// plugins/rest — the route groups of the management API. Each file
// registers one area's routes on the RestApi; rest_plugin.cpp calls them.
#pragma once

#include <conflux/status.h>

#include "rest_support.h"

namespace conflux::rest {

// Users, tokens, API keys, orgs, org memberships, org and platform invites
// (accounts_routes*.cpp), over conflux::Accounts.
Status add_account_routes(RestApi& api);

// Groups, group memberships, profiles, things, identify, metadata, registry
// backup/restore (registry_routes*.cpp), over conflux::Registry.
Status add_registry_routes(RestApi& api);

// Scripts of groups, their things and run logs (scripts_routes*.cpp), over
// conflux::Scripts and conflux::ThingDirectory; registered only when the
// core offers the scripts service (Ok, with no routes, when it does not).
Status add_script_routes(RestApi& api);

}  // namespace conflux::rest
