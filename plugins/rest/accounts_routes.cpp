// plugins/rest — add_account_routes: users, tokens, API keys, orgs, org
// memberships, org and platform invites over conflux::Accounts (see
// accounts_routes.h for the files). Without an Accounts service in the core
// the routes are not registered (logged).
#include "accounts_routes.h"

#include <conflux/accounts.h>

#include "routes.h"

namespace conflux::rest {

Status add_account_routes(RestApi& api) {
  auto* accounts = api.host().find<Accounts>();
  if (!accounts) {
    api.host().logger().warn("the core offers no accounts service; account routes are off");
    return ok();
  }
  CONFLUX_RETURN_IF_ERROR(add_user_routes(api, *accounts));
  CONFLUX_RETURN_IF_ERROR(add_org_routes(api, *accounts));
  return add_invite_routes(api, *accounts);
}

}  // namespace conflux::rest
