// plugins/http — reader authorization (see reader_access.h).
#include "reader_access.h"

namespace conflux::http_adapter {

Result<Principal> authenticate(AccessControl& access, const HttpRequest& request) {
  auto header = request.header("Authorization");
  if (!header || header->empty())
    return fail(ErrorCode::unauthenticated, "missing or invalid credentials provided");
  return access.authenticate(*header);
}

Status authorize_platform(AccessControl& access, const Principal& caller) {
  if (caller.is_thing())
    return fail(ErrorCode::permission_denied, "this operation requires the root admin");
  return access.authorize(caller, Action::platform_admin, Resource::platform());
}

Status authorize_read(AccessControl& access, const Principal& caller, MessageQuery& query) {
  if (caller.is_thing()) {
    for (const auto& p : query.publishers)
      if (p != caller.id)
        return fail(ErrorCode::permission_denied, "a thing may read only its own messages");
    query.publishers = {caller.id};
    return access.authorize(caller, Action::read_messages, Resource::thing(caller.id));
  }
  // The root admin reads everything, also the messages of things that no
  // longer exist (or not yet, after a restore into a fresh instance).
  if (authorize_platform(access, caller)) return ok();
  if (query.publishers.empty())
    return fail(ErrorCode::permission_denied,
                "reading messages without a publisher requires the root admin; "
                "pass ?publisher=<thing id>");
  for (const auto& p : query.publishers)
    CONFLUX_RETURN_IF_ERROR(access.authorize(caller, Action::read_messages, Resource::thing(p)));
  return ok();
}

}  // namespace conflux::http_adapter
