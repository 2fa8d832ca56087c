// plugins/rest — the JSON shapes of the registry routes (seed 002: Groups,
// Group Memberships, Profiles, Things) and the request pieces they share:
// search bodies and id lists (the access check, `allow`, is in
// rest_support.h).
//
// Thread-safety: pure functions.
#pragma once

#include <conflux/access.h>
#include <conflux/registry.h>
#include <conflux/status.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "accounts_json.h"
#include "rest_support.h"

namespace conflux::rest {

nlohmann::json group_json(const Group& group);
nlohmann::json group_member_json(const GroupMember& member);
// Metadata and config are left out when empty (Mainflux's omitempty).
nlohmann::json profile_json(const Profile& profile);
nlohmann::json thing_json(const Thing& thing);

// A search body {"name","metadata","limit","offset"} (all optional; limit
// 1..200, default 10).
Result<PageParams> search_params(const nlohmann::json& body);

// Group fields {"name","description","metadata"}.
Result<GroupInput> group_input(const nlohmann::json& body);
// Profile fields {"id","name","metadata","config"} ("id" only when `with_id`).
Result<ProfileInput> profile_input(const nlohmann::json& body, bool with_id);
// Thing fields {"id","name","type","key","external_key","metadata"}.
Result<ThingInput> thing_input(const nlohmann::json& body);
// The body as a non-empty JSON array.
Result<const nlohmann::json*> json_array(const nlohmann::json& body);

// Registers the list (GET `path`, query parameters) and search (POST
// `path`/search, JSON body) forms of one listing: `scope(api, request)`
// authorizes, `list(request, params)` fetches, `to_json(page)` answers.
template <class Scope, class List, class ToJson>
Status add_listing(RestApi& api, std::string_view path, Scope scope, List list, ToJson to_json) {
  CONFLUX_RETURN_IF_ERROR(
      api.add(HttpMethod::get, path, Auth::required,
              [&api, scope, list, to_json](RestRequest& r) -> Result<HttpResponse> {
                CONFLUX_ASSIGN_OR_RETURN(auto page, page_params(r.http));
                CONFLUX_RETURN_IF_ERROR(scope(api, r));
                CONFLUX_ASSIGN_OR_RETURN(auto result, list(r, page));
                return json_response(200, to_json(result));
              }));
  return api.add(HttpMethod::post, std::string(path) + "/search", Auth::required,
                 [&api, scope, list, to_json](RestRequest& r) -> Result<HttpResponse> {
                   CONFLUX_ASSIGN_OR_RETURN(auto body, json_body(r.http));
                   CONFLUX_ASSIGN_OR_RETURN(auto page, search_params(body));
                   CONFLUX_RETURN_IF_ERROR(scope(api, r));
                   CONFLUX_ASSIGN_OR_RETURN(auto result, list(r, page));
                   return json_response(200, to_json(result));
                 });
}

}  // namespace conflux::rest
