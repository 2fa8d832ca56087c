// core/authz — AccessControlService: conflux::AccessControl over the
// accounts' TokenVerifier/OrgDirectory and the registry's GroupDirectory/
// ThingDirectory (see conflux/access.h for the contract).
//
// authenticate: "Bearer <jwt>" → TokenVerifier; "Thing <key>" / "External
// <key>" → ThingDirectory::identify → a thing Principal (id, group, profile,
// type). The scheme is case-insensitive.
// authorize: resolves ResourceFacts (the caller's org role through
// OrgDirectory; group/profile/thing placement and group role through
// GroupDirectory) and calls decide(). An unknown resource is not_found.
//
// The registry may be opened after accounts, so its directories are set
// later (`set_thing_directory`, `set_group_directory`); while unset, thing
// keys are unauthenticated and group-scoped resources not_found.
//
// Thread-safety: every method may be called from any thread; the setters
// publish the pointers atomically (the pointees must outlive this object or
// be reset to nullptr first).
#pragma once

#include <atomic>

#include "conflux/access.h"
#include "conflux/things.h"
#include "core/authz/authz.h"
#include "core/authz/directories.h"

namespace conflux::core::authz {

class AccessControlService final : public AccessControl {
 public:
  AccessControlService(TokenVerifier& tokens, OrgDirectory& orgs) noexcept
      : tokens_(tokens), orgs_(orgs) {}

  void set_thing_directory(ThingDirectory* things) noexcept { things_.store(things); }
  void set_group_directory(GroupDirectory* groups) noexcept { groups_.store(groups); }

  Result<Principal> authenticate(std::string_view authorization) noexcept override;
  Status authorize(const Principal& principal, Action action,
                   const Resource& resource) noexcept override;

  // The facts decide() needs about `resource` for `principal`; not_found for
  // an unknown resource. Exposed for tests and for services that decide
  // directly.
  Result<ResourceFacts> facts(const Principal& principal, const Resource& resource,
                              std::string& group_id_storage, std::string& type_storage) noexcept;

 private:
  Result<Principal> thing_principal(KeyKind kind, std::string_view key) noexcept;

  TokenVerifier& tokens_;
  OrgDirectory& orgs_;
  std::atomic<ThingDirectory*> things_{nullptr};
  std::atomic<GroupDirectory*> groups_{nullptr};
};

}  // namespace conflux::core::authz
