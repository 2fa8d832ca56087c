// plugins/mqtt — BrokerAuth decisions and routes.
#include "broker_auth.h"

#include <nlohmann/json.hpp>

#include "acl.h"

namespace conflux::mqtt {
namespace {

bool constant_time_equal(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  std::size_t n = std::max(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

// The string member `name`, "" when absent; false when present but not a string.
bool string_member(const nlohmann::json& body, const char* name, std::string& out) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return true;
  if (!it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}

HttpResponse result(bool allow) {
  return HttpResponse::json(200, allow ? R"({"result":"allow"})" : R"({"result":"deny"})");
}

}  // namespace

bool BrokerAuth::is_service(std::string_view username, std::string_view password) const {
  return !service_password_.empty() && username == service_username_ &&
         constant_time_equal(password, service_password_);
}

AuthDecision BrokerAuth::authenticate(std::string_view username, std::string_view password) const {
  if (is_service(username, password)) return {true, true, {}, {}};
  auto kind = parse_key_kind(username);
  if (!kind || password.empty()) return {};
  auto thing = things_.identify(*kind, password);
  if (!thing || !*thing) return {};
  return {true, false, (*thing)->id, (*thing)->group_id};
}

bool BrokerAuth::authorize(std::string_view username, std::string_view thing_id,
                           std::string_view password, std::string_view action,
                           std::string_view topic) const {
  auto act = parse_acl_action(action);
  if (!act || topic.empty()) return false;
  if (!service_password_.empty() && username == service_username_ && thing_id.empty()) return true;
  Result<ThingRef> thing = fail(ErrorCode::not_found, "");
  if (!thing_id.empty()) {
    thing = things_.thing(thing_id);
  } else if (auto kind = parse_key_kind(username); kind && !password.empty()) {
    thing = things_.identify(*kind, password);
  }
  if (!thing || !*thing) return false;
  return thing_may((*thing)->id, (*thing)->group_id, *act, topic);
}

Status BrokerAuth::add_routes(HttpRoutes& routes, Metrics& metrics, Logger& log) {
  auto& auth_allowed =
      metrics.counter("conflux_mqtt_auth_total", "Broker authentications.", {{"result", "allow"}});
  auto& auth_denied =
      metrics.counter("conflux_mqtt_auth_total", "Broker authentications.", {{"result", "deny"}});
  auto& acl_allowed =
      metrics.counter("conflux_mqtt_acl_total", "Broker ACL checks.", {{"result", "allow"}});
  auto& acl_denied =
      metrics.counter("conflux_mqtt_acl_total", "Broker ACL checks.", {{"result", "deny"}});

  CONFLUX_RETURN_IF_ERROR(routes.add(
      HttpMethod::post, "/mqtt/auth",
      [this, &auth_allowed, &auth_denied, &log](HttpRequest req, HttpReply reply) {
        auto body = nlohmann::json::parse(req.body, nullptr, false);
        if (body.is_discarded() || !body.is_object())
          return reply.send(HttpResponse::error(400, "body must be a JSON object"));
        std::string username, password, clientid;
        if (!string_member(body, "username", username) ||
            !string_member(body, "password", password) ||
            !string_member(body, "clientid", clientid))
          return reply.send(
              HttpResponse::error(400, "username, password and clientid must be strings"));
        auto decision = authenticate(username, password);
        if (!decision.allow) {
          auth_denied.inc();
          log.debug("broker auth denied: client \"{}\" username \"{}\"", clientid, username);
          return reply.send(result(false));
        }
        auth_allowed.inc();
        nlohmann::json out = {{"result", "allow"}, {"is_superuser", decision.superuser}};
        if (!decision.superuser)
          out["client_attrs"] = {{"thing_id", decision.thing_id}, {"group_id", decision.group_id}};
        reply.send(HttpResponse::json(200, out.dump()));
      }));

  return routes.add(
      HttpMethod::post, "/mqtt/acl",
      [this, &acl_allowed, &acl_denied, &log](HttpRequest req, HttpReply reply) {
        auto body = nlohmann::json::parse(req.body, nullptr, false);
        if (body.is_discarded() || !body.is_object())
          return reply.send(HttpResponse::error(400, "body must be a JSON object"));
        std::string username, clientid, topic, action, thing_id, password;
        if (!string_member(body, "username", username) ||
            !string_member(body, "clientid", clientid) || !string_member(body, "topic", topic) ||
            !string_member(body, "action", action) || !string_member(body, "thing_id", thing_id) ||
            !string_member(body, "password", password))
          return reply.send(HttpResponse::error(400, "fields must be strings"));
        if (topic.empty()) return reply.send(HttpResponse::error(400, "topic is required"));
        if (!parse_acl_action(action))
          return reply.send(HttpResponse::error(400, "action must be publish or subscribe"));
        bool allow = authorize(username, thing_id, password, action, topic);
        (allow ? acl_allowed : acl_denied).inc();
        if (!allow)
          log.debug("broker acl denied: client \"{}\" thing \"{}\" {} \"{}\"", clientid, thing_id,
                    action, topic);
        reply.send(result(allow));
      });
}

}  // namespace conflux::mqtt
