// plugins/rest — registry backup and restore (root admin):
//   GET  /backup   → 200 {"groups":[...],"group_memberships":[...],"profiles":[...],"things":[...]}
//   POST /restore  that document → 201; 409 (nothing restored) when anything exists already
#include "registry_json.h"
#include "registry_routes.h"

namespace conflux::rest {

Status add_backup_routes(RestApi& api, Registry& reg) {
  CONFLUX_RETURN_IF_ERROR(api.add(HttpMethod::get, "/backup", Auth::required,
                                  [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
                                    CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::platform_admin,
                                                                  Resource::platform()));
                                    CONFLUX_ASSIGN_OR_RETURN(auto doc, reg.backup());
                                    return HttpResponse::json(200, std::move(doc));
                                  }));
  return api.add(
      HttpMethod::post, "/restore", Auth::required,
      [&api, &reg](RestRequest& r) -> Result<HttpResponse> {
        CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
        CONFLUX_RETURN_IF_ERROR(allow(api, r, Action::platform_admin, Resource::platform()));
        CONFLUX_RETURN_IF_ERROR(reg.restore(r.http.body));
        return empty(201);
      });
}

}  // namespace conflux::rest
