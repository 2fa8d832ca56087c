// plugins/rest — JSON shapes of the account routes (see accounts_json.h).
// Thread-safety: pure functions.
#include "accounts_json.h"

#include <ctime>

namespace conflux::rest {

std::string rfc3339(std::int64_t ns) {
  std::int64_t secs = ns / 1'000'000'000;
  std::int64_t frac = ns % 1'000'000'000;
  if (frac < 0) {
    frac += 1'000'000'000;
    --secs;
  }
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(buf);
  if (frac != 0) {
    char digits[16];
    std::snprintf(digits, sizeof digits, ".%09lld", static_cast<long long>(frac));
    std::string f(digits);
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  out += 'Z';
  return out;
}

namespace {

nlohmann::json metadata_json(const std::string& text) {
  auto doc = nlohmann::json::parse(text.empty() ? "{}" : text, nullptr, false);
  return doc.is_discarded() ? nlohmann::json::object() : doc;
}

nlohmann::json groups_json(const std::vector<GroupInvite>& groups) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& g : groups) out.push_back({{"group_id", g.group_id}, {"member_role", g.role}});
  return out;
}

}  // namespace

nlohmann::json user_json(const User& u) {
  nlohmann::json out{{"id", u.id}, {"email", u.email}, {"metadata", metadata_json(u.metadata)}};
  out["status"] = u.enabled ? "enabled" : "disabled";
  return out;
}

nlohmann::json org_json(const Org& o) {
  return {{"id", o.id},
          {"name", o.name},
          {"owner_id", o.owner_id},
          {"description", o.description},
          {"metadata", metadata_json(o.metadata)},
          {"created_at", rfc3339(o.created_at)},
          {"updated_at", rfc3339(o.updated_at)}};
}

nlohmann::json member_json(const OrgMember& m) {
  return {{"member_id", m.member_id}, {"email", m.email}, {"role", std::string(to_string(m.role))}};
}

nlohmann::json key_json(const ApiKey& k) {
  nlohmann::json out{{"id", k.id},
                     {"issuer_id", k.issuer_id},
                     {"subject", k.subject},
                     {"type", k.type},
                     {"issued_at", rfc3339(k.issued_at)}};
  if (k.expires_at != 0) out["expires_at"] = rfc3339(k.expires_at);
  return out;
}

nlohmann::json invite_json(const Invite& i) {
  nlohmann::json out{{"id", i.id},
                     {"invitee_id", i.invitee_id},
                     {"invitee_email", i.invitee_email},
                     {"inviter_id", i.inviter_id},
                     {"inviter_email", i.inviter_email},
                     {"org_id", i.org_id},
                     {"org_name", i.org_name},
                     {"invitee_role", std::string(to_string(i.invitee_role))},
                     {"state", std::string(to_string(i.state))},
                     {"created_at", rfc3339(i.created_at)},
                     {"expires_at", rfc3339(i.expires_at)}};
  if (!i.group_invites.empty()) out["group_invites"] = groups_json(i.group_invites);
  return out;
}

nlohmann::json platform_invite_json(const PlatformInvite& i) {
  nlohmann::json out{{"id", i.id},
                     {"invitee_email", i.invitee_email},
                     {"state", std::string(to_string(i.state))},
                     {"created_at", rfc3339(i.created_at)},
                     {"expires_at", rfc3339(i.expires_at)}};
  if (!i.org_id.empty()) {
    out["org_id"] = i.org_id;
    out["role"] = std::string(to_string(i.org_role));
  }
  if (!i.group_invites.empty()) out["group_invites"] = groups_json(i.group_invites);
  return out;
}

Result<PageParams> page_params(const HttpRequest& request) {
  CONFLUX_ASSIGN_OR_RETURN(auto q, page_query(request));
  PageParams p;
  p.offset = q.offset;
  p.limit = q.limit;
  p.name = q.name;
  if (auto email = request.query_param("email"); email && !email->empty()) p.name = *email;
  p.metadata = q.metadata;
  return p;
}

Result<std::vector<MemberRole>> member_roles(const nlohmann::json& body, std::string_view field) {
  if (!body.is_object())
    return fail(ErrorCode::invalid_argument, "request body must be a JSON object");
  auto it = body.find(field);
  if (it == body.end() || it->is_null())
    return fail(ErrorCode::invalid_argument, "missing field '" + std::string(field) + "'");
  if (!it->is_array())
    return fail(ErrorCode::invalid_argument, "field '" + std::string(field) + "' must be an array");
  std::vector<MemberRole> out;
  for (const auto& item : *it) {
    if (!item.is_object())
      return fail(ErrorCode::invalid_argument,
                  "field '" + std::string(field) + "' must hold objects with email and role");
    CONFLUX_ASSIGN_OR_RETURN(auto email, required_string(item, "email"));
    CONFLUX_ASSIGN_OR_RETURN(auto role, required_string(item, "role"));
    out.push_back({std::move(email), std::move(role)});
  }
  return out;
}

Result<std::vector<GroupInvite>> group_invites(const nlohmann::json& body) {
  std::vector<GroupInvite> out;
  auto it = body.find("group_invites");
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array())
    return fail(ErrorCode::invalid_argument, "field 'group_invites' must be an array");
  for (const auto& item : *it) {
    if (!item.is_object())
      return fail(ErrorCode::invalid_argument,
                  "field 'group_invites' must hold objects with group_id and member_role");
    CONFLUX_ASSIGN_OR_RETURN(auto group, required_string(item, "group_id"));
    CONFLUX_ASSIGN_OR_RETURN(auto role, required_string(item, "member_role"));
    out.push_back({std::move(group), std::move(role)});
  }
  return out;
}

Result<std::int64_t> required_int(const nlohmann::json& body, std::string_view field) {
  if (!body.is_object())
    return fail(ErrorCode::invalid_argument, "request body must be a JSON object");
  auto it = body.find(field);
  if (it == body.end() || it->is_null())
    return fail(ErrorCode::invalid_argument, "missing field '" + std::string(field) + "'");
  if (!it->is_number_integer())
    return fail(ErrorCode::invalid_argument,
                "field '" + std::string(field) + "' must be an integer");
  return it->get<std::int64_t>();
}

HttpResponse created(std::string location) {
  auto r = HttpResponse::empty(201);
  r.headers.set("Location", std::move(location));
  r.headers.set("Content-Type", "application/json");
  return r;
}

HttpResponse empty(int status) {
  auto r = HttpResponse::empty(status);
  if (status != 204) r.headers.set("Content-Type", "application/json");
  return r;
}

}  // namespace conflux::rest
