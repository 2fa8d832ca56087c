// plugins/mqtt/mosquitto — the Conflux authentication plugin for Mosquitto
// 2.0 (plugin API v5). Not a Conflux plugin: Mosquitto loads it.
//
//   plugin /path/to/conflux_mosquitto_auth.so
//   plugin_opt_url http://127.0.0.1:8080        Conflux (POST /mqtt/auth, /mqtt/acl)
//   plugin_opt_cache_ttl 10                     seconds answers are cached (0 = off)
//   plugin_opt_stale_ttl 3600                   seconds a cached answer still serves
//                                               while Conflux cannot answer
//   plugin_opt_timeout_ms 2000                  per HTTP request
//   plugin_opt_retry_after_ms 1000              pause after a failed request
//   plugin_opt_service_username conflux         optional: the Conflux service
//   plugin_opt_service_password <secret>        client, recognised locally
//   plugin_opt_identity_file /var/lib/mosquitto/conflux-identities
//                                               where the client id → identity
//                                               map is kept across broker
//                                               restarts (identity_file.h);
//                                               without it, memory only
//
// Thread-safety: Mosquitto calls the callbacks from its single thread.
#include <mosquitto.h>
#include <mosquitto_broker.h>
#include <mosquitto_plugin.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "auth_client.h"
#include "http_post.h"

namespace {

using conflux::mosquitto_auth::Access;
using conflux::mosquitto_auth::AuthClient;
using conflux::mosquitto_auth::AuthOptions;
using conflux::mosquitto_auth::Endpoint;

struct PluginState {
  mosquitto_plugin_id_t* id = nullptr;
  Endpoint endpoint;
  std::chrono::milliseconds timeout{2000};
  std::unique_ptr<AuthClient> client;
};

const char* or_empty(const char* s) { return s ? s : ""; }

int on_basic_auth(int, void* event_data, void* userdata) {
  auto* state = static_cast<PluginState*>(userdata);
  auto* ev = static_cast<mosquitto_evt_basic_auth*>(event_data);
  const char* client_id = mosquitto_client_id(ev->client);
  if (ev->username == nullptr) return MOSQ_ERR_AUTH;
  bool ok = state->client->authenticate(or_empty(client_id), ev->username, or_empty(ev->password));
  if (!ok)
    mosquitto_log_printf(MOSQ_LOG_NOTICE, "conflux-auth: client %s refused", or_empty(client_id));
  return ok ? MOSQ_ERR_SUCCESS : MOSQ_ERR_AUTH;
}

int on_acl_check(int, void* event_data, void* userdata) {
  auto* state = static_cast<PluginState*>(userdata);
  auto* ev = static_cast<mosquitto_evt_acl_check*>(event_data);
  Access access;
  switch (ev->access) {
    case MOSQ_ACL_WRITE:
      access = Access::publish;
      break;
    case MOSQ_ACL_READ:
    case MOSQ_ACL_SUBSCRIBE:
      access = Access::subscribe;
      break;
    case MOSQ_ACL_UNSUBSCRIBE:
      access = Access::unsubscribe;
      break;
    default:
      return MOSQ_ERR_ACL_DENIED;
  }
  bool ok =
      state->client->check(or_empty(mosquitto_client_id(ev->client)), access, or_empty(ev->topic));
  return ok ? MOSQ_ERR_SUCCESS : MOSQ_ERR_ACL_DENIED;
}

}  // namespace

extern "C" {

int mosquitto_plugin_version(int supported_version_count, const int* supported_versions) {
  for (int i = 0; i < supported_version_count; ++i)
    if (supported_versions[i] == 5) return 5;
  return -1;
}

int mosquitto_plugin_init(mosquitto_plugin_id_t* identifier, void** userdata,
                          struct mosquitto_opt* options, int option_count) {
  auto state = std::make_unique<PluginState>();
  state->id = identifier;
  std::string url = "http://127.0.0.1:8080";
  std::string identity_file;
  AuthOptions auth;
  for (int i = 0; i < option_count; ++i) {
    std::string_view key = or_empty(options[i].key);
    const char* value = or_empty(options[i].value);
    if (key == "url")
      url = value;
    else if (key == "cache_ttl")
      auth.ttl = std::chrono::milliseconds(std::atoll(value) * 1000);
    else if (key == "stale_ttl")
      auth.stale_ttl = std::chrono::milliseconds(std::atoll(value) * 1000);
    else if (key == "retry_after_ms")
      auth.retry_after = std::chrono::milliseconds(std::atoll(value));
    else if (key == "timeout_ms")
      state->timeout = std::chrono::milliseconds(std::atoll(value));
    else if (key == "service_username")
      auth.service_username = value;
    else if (key == "service_password")
      auth.service_password = value;
    else if (key == "identity_file")
      identity_file = value;
    else
      mosquitto_log_printf(MOSQ_LOG_WARNING, "conflux-auth: unknown option plugin_opt_%s",
                           options[i].key);
  }
  auto endpoint = conflux::mosquitto_auth::parse_endpoint(url);
  if (!endpoint) {
    mosquitto_log_printf(
        MOSQ_LOG_ERR, "conflux-auth: plugin_opt_url must be http://host:port, got %s", url.c_str());
    return MOSQ_ERR_INVAL;
  }
  if (state->timeout.count() <= 0) state->timeout = std::chrono::milliseconds(2000);
  state->endpoint = *endpoint;
  PluginState* raw = state.get();
  state->client = std::make_unique<AuthClient>(
      std::move(auth), [raw](std::string_view path, std::string_view body) {
        auto res = conflux::mosquitto_auth::post_json(raw->endpoint, path, body, raw->timeout);
        if (res.status == 0)
          mosquitto_log_printf(MOSQ_LOG_WARNING, "conflux-auth: %s: %s", std::string(path).c_str(),
                               res.error.c_str());
        return res;
      });
  if (identity_file.empty()) {
    mosquitto_log_printf(MOSQ_LOG_NOTICE,
                         "conflux-auth: no plugin_opt_identity_file: after a restart, offline "
                         "persistent sessions are refused deliveries until their client connects");
  } else if (auto error = state->client->persist_identities(identity_file); !error.empty()) {
    mosquitto_log_printf(MOSQ_LOG_ERR, "conflux-auth: plugin_opt_identity_file: %s", error.c_str());
    return MOSQ_ERR_INVAL;
  } else {
    mosquitto_log_printf(MOSQ_LOG_INFO, "conflux-auth: %zu client identities loaded from %s",
                         state->client->identities(), identity_file.c_str());
  }
  int rc =
      mosquitto_callback_register(identifier, MOSQ_EVT_BASIC_AUTH, on_basic_auth, nullptr, raw);
  if (rc == MOSQ_ERR_SUCCESS)
    rc = mosquitto_callback_register(identifier, MOSQ_EVT_ACL_CHECK, on_acl_check, nullptr, raw);
  if (rc != MOSQ_ERR_SUCCESS) return rc;
  mosquitto_log_printf(MOSQ_LOG_INFO, "conflux-auth: asking %s", url.c_str());
  *userdata = state.release();
  return MOSQ_ERR_SUCCESS;
}

int mosquitto_plugin_cleanup(void* userdata, struct mosquitto_opt*, int) {
  auto* state = static_cast<PluginState*>(userdata);
  if (state == nullptr) return MOSQ_ERR_SUCCESS;
  mosquitto_callback_unregister(state->id, MOSQ_EVT_BASIC_AUTH, on_basic_auth, nullptr);
  mosquitto_callback_unregister(state->id, MOSQ_EVT_ACL_CHECK, on_acl_check, nullptr);
  delete state;
  return MOSQ_ERR_SUCCESS;
}

}  // extern "C"
