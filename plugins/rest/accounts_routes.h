// plugins/rest — the account route groups, one file each; add_account_routes
// (accounts_routes.cpp) registers them all over conflux::Accounts.
//   accounts_routes_users.cpp    /tokens, /users..., /password, /register, /keys...
//   accounts_routes_orgs.cpp     /orgs..., /orgs/{id}/memberships, /orgs/{id}/members/{id}
//   accounts_routes_invites.cpp  /orgs/{id}/invites, /invites..., /users/{id}/invites/...,
//                                /register/invite/{id}
// Thread-safety: registration at start-up; handlers run on the RestApi pool.
#pragma once

#include <conflux/accounts.h>
#include <conflux/status.h>

#include "rest_support.h"

namespace conflux::rest {

Status add_user_routes(RestApi& api, Accounts& accounts);
Status add_org_routes(RestApi& api, Accounts& accounts);
Status add_invite_routes(RestApi& api, Accounts& accounts);

}  // namespace conflux::rest
