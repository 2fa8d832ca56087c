// plugins/http — who may read and delete stored messages (Mainflux readers):
// - a thing (Thing/External key) reads its own messages only;
// - the root admin (platform_admin) reads every publisher's messages, also
//   of things that no longer exist, and queries without a publisher;
// - another user needs read_messages on the publisher's thing (viewer of
//   its group);
// - deleting by publisher needs delete_messages on that thing (group admin);
//   deleting everything, backup and restore need platform_admin.
// The decisions themselves are AccessControl's (core/authz).
//
// Thread-safety: pure functions over thread-safe interfaces.
#pragma once

#include <conflux/access.h>
#include <conflux/http.h>
#include <conflux/message_reader.h>

namespace conflux::http_adapter {

// The caller behind the Authorization header; unauthenticated (401) when it
// is missing or unknown.
Result<Principal> authenticate(AccessControl& access, const HttpRequest& request);

// Checks (and for things, narrows) the publishers `query` may read.
Status authorize_read(AccessControl& access, const Principal& caller, MessageQuery& query);

// Ok for the root admin; permission_denied otherwise.
Status authorize_platform(AccessControl& access, const Principal& caller);

}  // namespace conflux::http_adapter
