// core/store/kv_namespace.cpp — KvNamespace reads and write batches, and the
// KvNamespaces factory. Thread-safety: see kv_namespace.h.
#include "core/store/kv_namespace.h"

#include <fmt/format.h>

#include <exception>

#include "core/store/value_version.h"

namespace conflux::core::store {
namespace {

constexpr std::uint8_t kKvVersion = 1;
constexpr std::size_t kMaxKey = 511;

}  // namespace

Status check_plugin_name(std::string_view plugin) {
  if (plugin.empty() || plugin.size() > 128 ||
      plugin.find_first_of(std::string_view("\0/:", 3)) != std::string_view::npos) {
    return fail(ErrorCode::invalid_argument,
                fmt::format("bad plugin name '{}': 1-128 bytes without NUL, '/' or ':'", plugin));
  }
  return ok();
}

KvNamespace::KvNamespace(LmdbEnv& env, Dbi dbi, std::string plugin, Logger& log, Counter& data_loss)
    : env_(env), dbi_(dbi), plugin_(std::move(plugin)), log_(log), data_loss_(data_loss) {
  prefix_ = plugin_;
  prefix_.push_back('\0');
}

std::string KvNamespace::stored_key(std::string_view key) const {
  std::string k;
  k.reserve(prefix_.size() + key.size());
  k.append(prefix_);
  k.append(key);
  return k;
}

Status KvNamespace::check_key(std::string_view key) const {
  if (key.empty()) return fail(ErrorCode::invalid_argument, "kv: empty key");
  if (key.size() + prefix_.size() > kMaxKey) {
    return fail(ErrorCode::invalid_argument,
                fmt::format("kv: key longer than {} bytes", kMaxKey - prefix_.size()));
  }
  return ok();
}

Result<std::optional<std::string>> KvNamespace::get(std::string_view key) noexcept {
  try {
    CONFLUX_RETURN_IF_ERROR(check_key(key));
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    CONFLUX_ASSIGN_OR_RETURN(auto value, txn.get(dbi_, stored_key(key)));
    if (!value) return std::optional<std::string>();
    CONFLUX_ASSIGN_OR_RETURN(auto body, unversioned(*value, kKvVersion, "kv value"));
    return std::optional<std::string>(std::string(body));
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, fmt::format("kv get: {}", e.what()));
  }
}

Status KvNamespace::scan(
    std::string_view prefix,
    const std::function<bool(std::string_view key, std::string_view value)>& visit) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
    CONFLUX_ASSIGN_OR_RETURN(auto cur, txn.cursor(dbi_));
    const std::string start = stored_key(prefix);
    for (auto e = cur.seek(start);; e = cur.next()) {
      if (!e) return std::unexpected(std::move(e).error());
      if (!*e || !(*e)->key.starts_with(start)) break;
      auto body = unversioned((*e)->value, kKvVersion, "kv value");
      const std::string_view key = (*e)->key.substr(prefix_.size());
      if (!body) {
        data_loss_.inc();
        log_.error("store: kv {}: skipping key of {} bytes: {}", plugin_, key.size(),
                   body.error().message);
        continue;
      }
      if (!visit(key, *body)) break;
    }
    return ok();
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, fmt::format("kv scan: {}", e.what()));
  } catch (...) {
    return fail(ErrorCode::internal, "kv scan: a visitor threw");
  }
}

void KvNamespace::write(std::vector<KvWrite> batch, std::function<void(Status)> done) noexcept {
  try {
    auto rows = std::make_shared<std::vector<KvWrite>>(std::move(batch));
    env_.write(
        [this, rows](WriteTxn& txn) -> Status {
          for (const auto& w : *rows) CONFLUX_RETURN_IF_ERROR(check_key(w.key));
          std::string value;
          for (const auto& w : *rows) {
            const std::string key = stored_key(w.key);
            if (w.value) {
              value.clear();
              append_version(value, kKvVersion);
              value.append(*w.value);
              CONFLUX_RETURN_IF_ERROR(txn.put(dbi_, key, value));
            } else {
              CONFLUX_ASSIGN_OR_RETURN(bool gone, txn.del(dbi_, key));
              (void)gone;
            }
          }
          return ok();
        },
        std::move(done));
  } catch (const std::exception& e) {
    log_.error("store: kv {}: write could not be queued: {}", plugin_, e.what());
    if (done) done(fail(ErrorCode::internal, "kv write could not be queued"));
  }
}

Result<std::unique_ptr<KvNamespaces>> KvNamespaces::open(LmdbEnv& env, Logger& log,
                                                         Metrics& metrics) {
  CONFLUX_ASSIGN_OR_RETURN(Dbi dbi, env.database("kv"));
  Counter& data_loss =
      metrics.counter("conflux_store_data_loss_total",
                      "Stored values skipped: unknown version or corrupt", {{"area", "kv"}});
  return std::unique_ptr<KvNamespaces>(new KvNamespaces(env, dbi, log, data_loss));
}

Result<KvNamespace*> KvNamespaces::get(std::string_view plugin) {
  CONFLUX_RETURN_IF_ERROR(check_plugin_name(plugin));
  std::lock_guard lock(mu_);
  auto it = namespaces_.find(plugin);
  if (it == namespaces_.end()) {
    it = namespaces_
             .emplace(std::string(plugin), std::make_unique<KvNamespace>(
                                               env_, dbi_, std::string(plugin), log_, data_loss_))
             .first;
  }
  return it->second.get();
}

}  // namespace conflux::core::store
