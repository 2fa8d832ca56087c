// core/authz — AccessControlService (see access_control.h).
// Thread-safety: as documented in access_control.h.
#include "core/authz/access_control.h"

#include <string>

#include "conflux/http.h"

namespace conflux::core::authz {
namespace {

// "Scheme rest" with a case-insensitive scheme; the credential after one or
// more spaces. nullopt when `header` does not start with the scheme.
std::optional<std::string_view> credential(std::string_view header, std::string_view scheme) {
  if (header.size() <= scheme.size() || !iequals(header.substr(0, scheme.size()), scheme) ||
      header[scheme.size()] != ' ')
    return std::nullopt;
  std::string_view rest = header.substr(scheme.size());
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
  return rest;
}

}  // namespace

Result<Principal> AccessControlService::thing_principal(KeyKind kind,
                                                        std::string_view key) noexcept {
  auto* things = things_.load();
  if (!things || key.empty()) return fail(ErrorCode::unauthenticated, "invalid thing key");
  auto thing = things->identify(kind, key);
  if (!thing) {
    if (thing.error().code == ErrorCode::not_found ||
        thing.error().code == ErrorCode::unauthenticated)
      return fail(ErrorCode::unauthenticated, "invalid thing key");
    return std::unexpected(thing.error());
  }
  try {
    Principal p;
    p.kind = Principal::Kind::thing;
    p.id = (*thing)->id;
    p.group_id = (*thing)->group_id;
    p.profile_id = (*thing)->profile_id;
    p.thing_type = (*thing)->type;
    return p;
  } catch (...) {
    return fail(ErrorCode::internal, "out of memory");
  }
}

Result<Principal> AccessControlService::authenticate(std::string_view authorization) noexcept {
  if (authorization.empty()) return fail(ErrorCode::unauthenticated, "missing credentials");
  if (auto token = credential(authorization, "Bearer")) {
    if (token->empty()) return fail(ErrorCode::unauthenticated, "missing credentials");
    return tokens_.verify(*token);
  }
  if (auto key = credential(authorization, "Thing"))
    return thing_principal(KeyKind::internal, *key);
  if (auto key = credential(authorization, "External"))
    return thing_principal(KeyKind::external, *key);
  return fail(ErrorCode::unauthenticated,
              "unsupported authorization scheme: expected Bearer, Thing or External");
}

Result<ResourceFacts> AccessControlService::facts(const Principal& principal,
                                                  const Resource& resource,
                                                  std::string& group_id_storage,
                                                  std::string& type_storage) noexcept {
  ResourceFacts f;
  f.kind = resource.kind;
  f.id = resource.id;
  try {
    switch (resource.kind) {
      case Resource::Kind::platform:
        return f;
      case Resource::Kind::user:
        if (principal.is_user() && resource.id != principal.id && principal.root_admin) {
          CONFLUX_RETURN_IF_ERROR(orgs_.user_email(resource.id));
        }
        return f;
      case Resource::Kind::org: {
        if (principal.is_thing()) {
          CONFLUX_RETURN_IF_ERROR(orgs_.org_role(resource.id, ""));
          return f;
        }
        CONFLUX_ASSIGN_OR_RETURN(f.org_role, orgs_.org_role(resource.id, principal.id));
        return f;
      }
      case Resource::Kind::group:
      case Resource::Kind::profile:
      case Resource::Kind::thing: {
        auto* groups = groups_.load();
        if (!groups) return fail(ErrorCode::not_found, "not found");
        CONFLUX_ASSIGN_OR_RETURN(auto where, groups->locate(resource.kind, resource.id));
        group_id_storage = std::move(where.group_id);
        type_storage = std::move(where.thing_type);
        f.group_id = group_id_storage;
        f.thing_type = type_storage;
        if (principal.is_user() && !principal.root_admin) {
          if (!where.org_id.empty()) {
            auto role = orgs_.org_role(where.org_id, principal.id);
            if (role) f.org_role = *role;
          }
          CONFLUX_ASSIGN_OR_RETURN(f.group_role, groups->group_role(f.group_id, principal.id));
        }
        return f;
      }
    }
    return f;
  } catch (...) {
    return fail(ErrorCode::internal, "out of memory");
  }
}

Status AccessControlService::authorize(const Principal& principal, Action action,
                                       const Resource& resource) noexcept {
  std::string group_id, type;
  CONFLUX_ASSIGN_OR_RETURN(auto f, facts(principal, resource, group_id, type));
  return decide(principal, action, f);
}

}  // namespace conflux::core::authz
