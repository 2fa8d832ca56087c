// plugins/mqtt — BrokerAuth: the decisions behind POST /mqtt/auth and
// POST /mqtt/acl, which a broker (the Conflux Mosquitto plugin, or EMQX's
// HTTP authentication/authorization hooks) asks before letting a client
// connect, publish or subscribe.
//
//   POST /mqtt/auth  {"username","password","clientid"}
//     username = the key type ("internal" | "external"), password = the key
//     (as Mainflux); or the Conflux service client's username and password.
//     → 200 {"result":"allow","is_superuser":false,
//            "client_attrs":{"thing_id":"…","group_id":"…"}}
//     | 200 {"result":"deny"}
//   POST /mqtt/acl   {"username","clientid","topic","action":"publish"|"subscribe",
//                     "thing_id" (from client_attrs) or "password" (the key)}
//     → 200 {"result":"allow"} | 200 {"result":"deny"}
// A malformed body is 400 {"error":"…"}.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <string>
#include <string_view>

#include "conflux/http.h"
#include "conflux/log.h"
#include "conflux/metrics.h"
#include "conflux/things.h"

namespace conflux::mqtt {

struct AuthDecision {
  bool allow = false;
  bool superuser = false;  // the service client
  std::string thing_id;
  std::string group_id;
};

class BrokerAuth {
 public:
  // `service_password` "" disables the service login through these routes.
  BrokerAuth(ThingDirectory& things, std::string service_username, std::string service_password)
      : things_(things),
        service_username_(std::move(service_username)),
        service_password_(std::move(service_password)) {}

  AuthDecision authenticate(std::string_view username, std::string_view password) const;
  // `thing_id` identifies the thing when set; otherwise `password` (its key,
  // with `username` the key type) does.
  bool authorize(std::string_view username, std::string_view thing_id, std::string_view password,
                 std::string_view action, std::string_view topic) const;

  // Registers POST /mqtt/auth and POST /mqtt/acl.
  Status add_routes(HttpRoutes& routes, Metrics& metrics, Logger& log);

 private:
  bool is_service(std::string_view username, std::string_view password) const;

  ThingDirectory& things_;
  std::string service_username_;
  std::string service_password_;
};

}  // namespace conflux::mqtt
