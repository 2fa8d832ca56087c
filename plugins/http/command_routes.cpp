// plugins/http — commands (Mainflux): POST /http/things/{id}/commands[/...]
// and POST /http/groups/{id}/commands[/...].
//
// The caller is a user (Bearer token: editor of the target's group) or a
// thing (Thing/External key: same group, Mainflux type policy); the decision
// is AccessControl::authorize(caller, command, thing|group). An accepted
// command is published on the core's CommandBus (conflux/commands.h) for the
// protocol plugins to deliver, and answered 202 — accepted by the bus, even
// when no protocol plugin is subscribed (the command is then dropped and
// counted in conflux_commands_undelivered_total; commands are not stored).
// Errors: 401, 403, 404 (unknown target), 400 (empty body, bad subtopic),
// 503 (no command bus).
//
// Thread-safety: handlers run on io threads; the lookups are in-memory.
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
  auto published = a.commands->publish(std::move(c));
  reply.send(published ? HttpResponse::empty(202) : HttpResponse::error(published.error()));
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
