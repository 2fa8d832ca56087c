// plugins/http — commands (Mainflux): POST /http/things/{id}/commands[/...]
// and POST /http/groups/{id}/commands[/...].
//
// The caller is a user (Bearer token: editor of the target's group) or a
// thing (Thing/External key: same group, Mainflux type policy); the decision
// is AccessControl::authorize(caller, command, thing|group). An accepted
// command is published on the core's CommandBus (conflux/commands.h), whose
// subscribers (the protocol plugins) take it before publish returns: the
// MQTT plugin commits it to its durable outbox first. So 202 means every
// subscribed plugin took it (the MQTT plugin: durably queued, delivered at
// least once); a subscriber that could not (failed or slow commit) makes
// the publish fail with unavailable → 503, and the client retries. The bus
// itself stores nothing: with no protocol plugin subscribed the command is
// dropped, still answered 202, and counted in
// conflux_commands_undelivered_total.
// Errors: 401, 403, 404 (unknown target), 400 (empty body, bad subtopic),
// 503 (no command bus, a subscriber refused the command, or the worker pool
// is full).
//
// Thread-safety: handlers run on io threads (the lookups are in-memory); the
// publish runs on the adapter's `queries` pool.
#include <conflux/message.h>

#include "adapter.h"
#include "media_type.h"
#include "reader_access.h"

namespace conflux::http_adapter {
namespace {

void command(Adapter& a, Command::Target target, HttpRequest request, HttpReply reply) {
  auto caller = authenticate(*a.access, request);
  if (!caller) {
    reply.send(HttpResponse::error(caller.error()));
    return;
  }
  std::string id(request.param("id"));
  Command c;
  c.target = target;
  c.target_id = id;
  if (target == Command::Target::thing) {
    auto thing = a.things->thing(id);
    if (!thing) {
      reply.send(HttpResponse::error(thing.error()));
      return;
    }
    c.group_id = (*thing)->group_id;
  } else {
    c.group_id = id;
  }
  auto allowed = a.access->authorize(
      *caller, Action::command,
      target == Command::Target::thing ? Resource::thing(id) : Resource::group(id));
  if (!allowed) {
    reply.send(HttpResponse::error(allowed.error()));
    return;
  }
  if (request.body.empty()) {
    reply.send(HttpResponse::error(400, "empty command payload"));
    return;
  }
  if (auto tail = request.param("subtopic"); !tail.empty()) {
    auto normalized = normalize_subtopic(tail);
    if (!normalized) {
      reply.send(HttpResponse::error(normalized.error()));
      return;
    }
    c.subtopic = std::move(*normalized);
  }
  if (!a.commands) {
    reply.send(HttpResponse::error(503, "commands are not available"));
    return;
  }
  c.content_type = media_type(request.header("Content-Type").value_or("application/json"));
  c.payload = std::move(request.body);
  c.sender = caller->id;
  c.sender_is_thing = caller->is_thing();
  c.protocol = "http";
  // Subscribers may wait for a durable commit (conflux/commands.h): publish
  // on the worker pool, never on the io thread.
  bool queued = a.queries->post([&a, c = std::move(c), reply]() mutable {
    auto published = a.commands->publish(std::move(c));
    reply.send(published ? HttpResponse::empty(202) : HttpResponse::error(published.error()));
  });
  if (!queued) reply.send(HttpResponse::error(503, "too many requests in progress; retry later"));
}

}  // namespace

Status add_command_routes(Adapter& a) {
  auto to_thing = [&a](HttpRequest request, HttpReply reply) {
    command(a, Command::Target::thing, std::move(request), std::move(reply));
  };
  auto to_group = [&a](HttpRequest request, HttpReply reply) {
    command(a, Command::Target::group, std::move(request), std::move(reply));
  };
  auto& routes = a.host.routes();
  CONFLUX_RETURN_IF_ERROR(routes.add(HttpMethod::post, "/http/things/{id}/commands", to_thing));
  CONFLUX_RETURN_IF_ERROR(
      routes.add(HttpMethod::post, "/http/things/{id}/commands/{subtopic...}", to_thing));
  CONFLUX_RETURN_IF_ERROR(routes.add(HttpMethod::post, "/http/groups/{id}/commands", to_group));
  return routes.add(HttpMethod::post, "/http/groups/{id}/commands/{subtopic...}", to_group);
}

}  // namespace conflux::http_adapter
