// core/accounts — orgs: create (the creator becomes the owner), view,
// update, remove (owner; drops memberships, invites and the members' group
// memberships in the org), list (see conflux/accounts.h).
// Thread-safety: see accounts_service.h.
#include <algorithm>

#include "core/accounts/accounts_service.h"
#include "core/accounts/service_support.h"
#include "core/accounts/validate.h"

namespace conflux::core::accounts {
namespace {

Status check_org_name(std::string_view name) {
  if (name.empty()) return fail(ErrorCode::invalid_argument, "missing field 'name'");
  return check_text(name, "name");
}

}  // namespace

Result<Org> AccountsService::create_org(const Principal& caller, std::string_view name,
                                        std::string_view description,
                                        std::string_view metadata) noexcept {
  return guarded([&]() -> Result<Org> {
    CONFLUX_RETURN_IF_ERROR(authorize_platform(caller, Action::create));
    CONFLUX_RETURN_IF_ERROR(check_org_name(name));
    CONFLUX_RETURN_IF_ERROR(check_text(description, "description"));
    CONFLUX_ASSIGN_OR_RETURN(auto meta, check_metadata(metadata));
    Org org;
    org.id = random_uuid();
    org.owner_id = caller.id;
    org.name = std::string(name);
    org.description = std::string(description);
    org.metadata = meta;
    org.created_at = org.updated_at = now_ns();
    MemberRow owner{org.id, caller.id, Role::owner, org.created_at, org.created_at};
    CONFLUX_RETURN_IF_ERROR(write([&](store::WriteTxn& txn) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto user, t_.users->get(txn, caller.id));
      if (!user) return fail(ErrorCode::unauthenticated, "unknown user");
      CONFLUX_RETURN_IF_ERROR(t_.orgs->insert(txn, org));
      return t_.members->insert(txn, owner);
    }));
    return org;
  });
}

Result<Org> AccountsService::view_org(const Principal& caller, std::string_view org_id) noexcept {
  return guarded([&]() -> Result<Org> {
    CONFLUX_RETURN_IF_ERROR(authorize_org(caller, Action::view, org_id));
    CONFLUX_ASSIGN_OR_RETURN(auto id, check_id(org_id, "org id"));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
    CONFLUX_ASSIGN_OR_RETURN(auto org, t_.orgs->get(txn, id));
    if (!org) return fail(ErrorCode::not_found, "org not found");
    return *org;
  });
}

Status AccountsService::update_org(const Principal& caller, std::string_view org_id,
                                   std::string_view name, std::string_view description,
                                   std::string_view metadata) noexcept {
  return guarded([&]() -> Status {
    CONFLUX_RETURN_IF_ERROR(authorize_org(caller, Action::update, org_id));
    CONFLUX_ASSIGN_OR_RETURN(auto id, check_id(org_id, "org id"));
    CONFLUX_RETURN_IF_ERROR(check_org_name(name));
    CONFLUX_RETURN_IF_ERROR(check_text(description, "description"));
    CONFLUX_ASSIGN_OR_RETURN(auto meta, check_metadata(metadata));
    const auto now = now_ns();
    return write([&](store::WriteTxn& txn) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto org, t_.orgs->get(txn, id));
      if (!org) return fail(ErrorCode::not_found, "org not found");
      org->name = std::string(name);
      org->description = std::string(description);
      org->metadata = meta;
      org->updated_at = now;
      return t_.orgs->update(txn, *org);
    });
  });
}

Status AccountsService::remove_org(const Principal& caller, std::string_view org_id) noexcept {
  return guarded([&]() -> Status {
    CONFLUX_RETURN_IF_ERROR(authorize_org(caller, Action::remove, org_id));
    CONFLUX_ASSIGN_OR_RETURN(auto id, check_id(org_id, "org id"));
    auto* groups = groups_.load();
    // The org's groups go first, in the registry's own commit (see
    // GroupDirectory::remove_org_groups).
    if (groups) CONFLUX_RETURN_IF_ERROR(groups->remove_org_groups(id));
    return write([&](store::WriteTxn& txn) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(auto org, t_.orgs->get(txn, id));
      if (!org) return fail(ErrorCode::not_found, "org not found");
      CONFLUX_ASSIGN_OR_RETURN(auto members,
                               (all_rows<MemberRow, MemberCodec>(txn, *t_.members, id)));
      for (const auto& m : members) {
        if (groups) CONFLUX_RETURN_IF_ERROR(groups->remove_org_member_in(txn, id, m.user_id));
        CONFLUX_RETURN_IF_ERROR(t_.members->erase(txn, member_key(m.org_id, m.user_id)));
      }
      CONFLUX_ASSIGN_OR_RETURN(auto invites,
                               (rows_by<Invite, InviteCodec>(txn, *t_.invites, "org", id)));
      for (const auto& i : invites) CONFLUX_RETURN_IF_ERROR(t_.invites->erase(txn, i.id));
      return t_.orgs->erase(txn, id);
    });
  });
}

Result<Page<Org>> AccountsService::list_orgs(const Principal& caller,
                                             const PageParams& page) noexcept {
  return guarded([&]() -> Result<Page<Org>> {
    CONFLUX_RETURN_IF_ERROR(authorize_platform(caller, Action::view));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, read());
    std::vector<Org> orgs;
    if (caller.root_admin) {
      CONFLUX_ASSIGN_OR_RETURN(orgs, (all_rows<Org, OrgCodec>(txn, *t_.orgs)));
    } else {
      CONFLUX_ASSIGN_OR_RETURN(
          auto memberships, (rows_by<MemberRow, MemberCodec>(txn, *t_.members, "user", caller.id)));
      for (const auto& m : memberships) {
        CONFLUX_ASSIGN_OR_RETURN(auto org, t_.orgs->get(txn, m.org_id));
        if (org) orgs.push_back(std::move(*org));
      }
    }
    std::erase_if(orgs, [&](const Org& o) {
      return (!page.name.empty() && o.name.find(page.name) == std::string::npos) ||
             (!page.metadata.empty() && !metadata_contains(o.metadata, page.metadata));
    });
    std::sort(orgs.begin(), orgs.end(), [](const Org& a, const Org& b) {
      return a.created_at != b.created_at ? a.created_at < b.created_at : a.id < b.id;
    });
    return paginate(std::move(orgs), page);
  });
}

}  // namespace conflux::core::accounts
