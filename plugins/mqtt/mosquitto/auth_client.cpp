// plugins/mqtt/mosquitto — AuthClient.
#include "auth_client.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace conflux::mosquitto_auth {
namespace {

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::string key_of(std::initializer_list<std::string_view> parts) {
  std::string k;
  for (auto p : parts) {
    k.append(p);
    k.push_back('\0');
  }
  return k;
}

}  // namespace

AuthClient::AuthClient(AuthOptions options, Transport transport, Clock clock)
    : options_(std::move(options)), transport_(std::move(transport)), clock_(std::move(clock)) {
  if (!clock_) clock_ = [] { return std::chrono::steady_clock::now(); };
}

std::optional<AuthClient::Cached> AuthClient::cached(const std::string& key, bool stale) {
  std::lock_guard lock(mu_);
  auto it = cache_.find(key);
  if (it == cache_.end()) return std::nullopt;
  auto now = clock_();
  if (now >= it->second.stale_until) {
    cache_.erase(it);
    return std::nullopt;
  }
  if (!stale && now >= it->second.expires) return std::nullopt;
  return it->second;
}

void AuthClient::remember(const std::string& key, Cached value) {
  std::lock_guard lock(mu_);
  if (cache_.size() >= options_.max_cache_entries) cache_.clear();
  auto now = clock_();
  value.expires = now + options_.ttl;
  value.stale_until = value.expires + options_.stale_ttl;
  cache_[key] = std::move(value);
}

std::optional<nlohmann::json> AuthClient::ask(std::string_view path, const nlohmann::json& body) {
  {
    std::lock_guard lock(mu_);
    if (clock_() < quiet_until_) return std::nullopt;
    ++requests_;
  }
  auto res = transport_(path, body.dump());
  std::optional<nlohmann::json> answer;
  if (res.status == 200) {
    auto parsed = nlohmann::json::parse(res.body, nullptr, false);
    if (!parsed.is_discarded() && parsed.is_object()) answer = std::move(parsed);
  }
  if (!answer && (res.status == 0 || res.status >= 500)) {
    std::lock_guard lock(mu_);
    quiet_until_ = clock_() + options_.retry_after;
  }
  return answer;
}

std::string AuthClient::persist_identities(const std::filesystem::path& file) {
  Identities loaded;
  std::string error;
  auto opened = IdentityFile::open(file, loaded, error);
  if (!opened) return error;
  std::lock_guard lock(mu_);
  sessions_ = std::move(loaded);
  file_ = std::move(opened);
  return {};
}

std::size_t AuthClient::identities() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

void AuthClient::set_identity_locked(const std::string& id, Identity identity) {
  auto it = sessions_.find(id);
  if (it != sessions_.end() && it->second == identity) return;  // a reconnect: nothing new
  if (it == sessions_.end() && sessions_.size() >= options_.max_sessions) {
    // Full: forget one device (never the service client), keep the file exact.
    auto victim = std::find_if(sessions_.begin(), sessions_.end(),
                               [](const auto& s) { return !s.second.superuser; });
    if (victim != sessions_.end()) sessions_.erase(victim);
    sessions_[id] = std::move(identity);
    if (file_) file_->rewrite(sessions_);
    return;
  }
  auto& slot = sessions_[id];
  slot = std::move(identity);
  if (file_) file_->put(id, slot, sessions_);
}

bool AuthClient::authenticate(std::string_view client_id, std::string_view username,
                              std::string_view password) {
  std::string id(client_id);
  // A refused CONNECT changes nothing: the identity of a session that
  // connected before (possibly still connected) stays as it was.
  auto refuse = [] { return false; };
  if (username.empty()) return refuse();
  if (!options_.service_password.empty() && username == options_.service_username) {
    if (!constant_time_equal(password, options_.service_password)) return refuse();
    std::lock_guard lock(mu_);
    set_identity_locked(id, Identity{true, std::string(username), {}});
    return true;
  }
  std::string key = key_of({"auth", username, password});
  auto hit = cached(key);
  if (!hit) {
    nlohmann::json body = {{"username", username}, {"password", password}, {"clientid", client_id}};
    if (auto answer = ask("/mqtt/auth", body)) {
      Cached c;
      c.allow = answer->value("result", "") == "allow";
      c.superuser = answer->value("is_superuser", false);
      if (auto attrs = answer->find("client_attrs"); attrs != answer->end() && attrs->is_object())
        c.thing_id = attrs->value("thing_id", "");
      remember(key, c);
      hit = c;
    } else {
      hit = cached(key, true);
      if (!hit) return refuse();
    }
  }
  if (!hit->allow) return refuse();
  std::lock_guard lock(mu_);
  set_identity_locked(id, Identity{hit->superuser, std::string(username), hit->thing_id});
  return true;
}

bool AuthClient::check(std::string_view client_id, Access access, std::string_view topic) {
  if (access == Access::unsubscribe) return true;
  Identity session;
  {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(std::string(client_id));
    if (it == sessions_.end()) return false;
    session = it->second;
  }
  if (session.superuser) return true;
  const char* action = access == Access::publish ? "publish" : "subscribe";
  std::string key = key_of({"acl", session.username, session.thing_id, action, topic});
  if (auto hit = cached(key)) return hit->allow;
  nlohmann::json body = {{"username", session.username},
                         {"clientid", client_id},
                         {"topic", topic},
                         {"action", action},
                         {"thing_id", session.thing_id}};
  auto answer = ask("/mqtt/acl", body);
  if (!answer) {
    auto stale = cached(key, true);
    return stale && stale->allow;
  }
  Cached c;
  c.allow = answer->value("result", "") == "allow";
  remember(key, c);
  return c.allow;
}

std::uint64_t AuthClient::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

}  // namespace conflux::mosquitto_auth
