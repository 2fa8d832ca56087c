// plugins/mqtt/mosquitto — AuthClient: the broker side of Conflux's device
// authentication. Asks POST /mqtt/auth at CONNECT and POST /mqtt/acl before
// a publish, subscribe or delivery, remembers per client id who
// authenticated last (the thing id from the auth answer's client_attrs) —
// also after the client disconnects, because Mosquitto checks deliveries to
// an offline persistent session (e.g. Conflux's own, while it restarts)
// against it — and
// caches answers for `ttl` (allow and deny alike) so the hot path rarely
// leaves the broker. With an identity file (persist_identities), that
// memory also survives a broker restart: Mosquitto restores offline
// persistent sessions from its database and checks deliveries to them
// before their clients connect again.
//
// When Conflux cannot answer (unreachable, 5xx, malformed answer), the last
// answer for the same question is used if it is younger than `stale_ttl`
// (so a Conflux restart does not turn into denied — and, for MQTT 3.1.1
// publishers, silently dropped — messages); without one it is a deny, not
// cached. The Conflux service client may be recognised
// locally (service_username/service_password options) so Conflux itself can
// connect before its HTTP listener is up.
//
// Thread-safety: all methods may be called from any thread (one mutex; the
// transport is called outside it). Mosquitto calls plugins from one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http_post.h"
#include "identity_file.h"

namespace conflux::mosquitto_auth {

// POST `path` with a JSON `body`.
using Transport = std::function<HttpResult(std::string_view path, std::string_view body)>;

struct AuthOptions {
  std::chrono::milliseconds ttl{10'000};
  std::chrono::milliseconds stale_ttl{3'600'000};
  // After a failed request, Conflux is not asked again for this long (cached
  // answers serve meanwhile), so an outage costs one timeout, not one per check.
  std::chrono::milliseconds retry_after{1'000};
  std::string service_username;
  std::string service_password;  // "" = the service client is checked by Conflux
  std::size_t max_cache_entries = 100'000;
  // Beyond this many client ids, all identities are forgotten (clients are
  // identified again at their next CONNECT).
  std::size_t max_sessions = 1'000'000;
};

enum class Access { publish, subscribe, unsubscribe };

class AuthClient {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  AuthClient(AuthOptions options, Transport transport, Clock clock = {});

  // CONNECT of `client_id`: on success, its later checks use this identity.
  bool authenticate(std::string_view client_id, std::string_view username,
                    std::string_view password);
  bool check(std::string_view client_id, Access access, std::string_view topic);

  // Transport calls made (for tests and metrics).
  std::uint64_t requests() const;

  // Loads the identities kept in `file` (replacing those in memory) and
  // records every later change there (see identity_file.h). Returns "" or
  // why the file cannot be used (identities then stay in memory only).
  std::string persist_identities(const std::filesystem::path& file);
  // Client ids with a known identity.
  std::size_t identities() const;

 private:
  // Sets the identity of `id` (a successful CONNECT); mu_ held.
  void set_identity_locked(const std::string& id, Identity identity);
  struct Cached {
    bool allow = false;
    bool superuser = false;
    std::string thing_id;
    std::chrono::steady_clock::time_point expires;
    std::chrono::steady_clock::time_point stale_until;
  };
  // The cached answer: fresh only, or (`stale`) also an expired one younger
  // than stale_ttl.
  std::optional<Cached> cached(const std::string& key, bool stale = false);
  // Asks Conflux; nullopt when it could not answer.
  std::optional<nlohmann::json> ask(std::string_view path, const nlohmann::json& body);
  void remember(const std::string& key, Cached value);

  AuthOptions options_;
  Transport transport_;
  Clock clock_;
  mutable std::mutex mu_;
  Identities sessions_;  // by client id
  std::unique_ptr<IdentityFile> file_;
  std::unordered_map<std::string, Cached> cache_;
  std::uint64_t requests_ = 0;
  std::chrono::steady_clock::time_point quiet_until_{};
};

}  // namespace conflux::mosquitto_auth
