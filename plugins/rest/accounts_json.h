// plugins/rest — the JSON shapes of the account routes (seed 002: Users, API
// Key, Orgs, Org Memberships, Org Invites, Platform Invites) and the request
// pieces they share: pagination, member lists, group invite lists, empty
// answers with a Location.
//
// Thread-safety: pure functions.
#pragma once

#include <conflux/accounts.h>
#include <conflux/http.h>
#include <conflux/status.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "rest_support.h"

namespace conflux::rest {

// Nanoseconds since the epoch as RFC 3339 UTC with the fraction's trailing
// zeros dropped (Go's RFC3339Nano), e.g. "2023-07-14T14:03:14.897Z".
std::string rfc3339(std::int64_t ns);

nlohmann::json user_json(const User& user);
nlohmann::json org_json(const Org& org);
nlohmann::json member_json(const OrgMember& member);
nlohmann::json key_json(const ApiKey& key);
nlohmann::json invite_json(const Invite& invite);
nlohmann::json platform_invite_json(const PlatformInvite& invite);

// {"total","offset","limit", <field>: [...]}.
template <class T, class F>
nlohmann::json page_json(const Page<T>& page, std::string_view field, F&& item) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& i : page.items) items.push_back(item(i));
  nlohmann::json out{{"total", page.total}, {"offset", page.offset}, {"limit", page.limit}};
  out[std::string(field)] = std::move(items);
  return out;
}

// offset, limit (≤ 200), name (also `email` for users), metadata.
Result<PageParams> page_params(const HttpRequest& request);

// `field` as a JSON array of {"email","role"} objects.
Result<std::vector<MemberRole>> member_roles(const nlohmann::json& body, std::string_view field);
// Optional "group_invites": [{"group_id","member_role"}].
Result<std::vector<GroupInvite>> group_invites(const nlohmann::json& body);
// A required integer field.
Result<std::int64_t> required_int(const nlohmann::json& body, std::string_view field);

// 201 with a Location header and no body.
HttpResponse created(std::string location);
// A status with no body.
HttpResponse empty(int status);

}  // namespace conflux::rest
