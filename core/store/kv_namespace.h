// core/store/kv_namespace.h — plugin key-value namespaces (conflux::KvStore)
// in the core's LMDB environment.
//
// Storage: one database "kv"; a plugin's key K is stored under
// "<plugin>\0K" and its value V as [version 1][V]. Plugin names are
// non-empty and contain no NUL, '/' or ':'; keys are non-empty and at most
// 511 - len(plugin) - 1 bytes. A stored value with an unknown version is
// data loss: `get` returns the error, `scan` logs it, counts it
// (conflux_store_data_loss_total) and skips the entry.
//
// `write` applies a batch as one write job (atomic: all or nothing; a bad
// key fails the whole batch with invalid_argument), `done` runs after the
// durable commit on the env's completion thread. `get`/`scan` read the latest
// committed state in their own read transaction; `scan` copies nothing but
// must not call back into the store from `visit` with a write_sync.
//
// Thread-safety: every method may be called from any thread. KvNamespaces
// hands out one KvNamespace per plugin; pointers stay valid for the life of
// the KvNamespaces.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "conflux/kv_store.h"
#include "conflux/log.h"
#include "conflux/metrics.h"
#include "core/store/lmdb_env.h"

namespace conflux::core::store {

// Plugin names usable as namespaces (outbox and kv): non-empty, at most 128
// bytes, no NUL, '/' or ':'.
Status check_plugin_name(std::string_view plugin);

class KvNamespace final : public conflux::KvStore {
 public:
  KvNamespace(LmdbEnv& env, Dbi dbi, std::string plugin, Logger& log, Counter& data_loss);

  Result<std::optional<std::string>> get(std::string_view key) noexcept override;
  Status scan(std::string_view prefix,
              const std::function<bool(std::string_view key, std::string_view value)>&
                  visit) noexcept override;
  void write(std::vector<KvWrite> batch, std::function<void(Status)> done) noexcept override;

  const std::string& plugin() const noexcept { return plugin_; }

 private:
  std::string stored_key(std::string_view key) const;
  Status check_key(std::string_view key) const;

  LmdbEnv& env_;
  Dbi dbi_;
  std::string plugin_;
  std::string prefix_;  // "<plugin>\0"
  Logger& log_;
  Counter& data_loss_;
};

class KvNamespaces {
 public:
  // Opens (creates) the "kv" database; call at start-up.
  static Result<std::unique_ptr<KvNamespaces>> open(LmdbEnv& env, Logger& log, Metrics& metrics);

  // The namespace of `plugin` (created on first use, then the same pointer).
  Result<KvNamespace*> get(std::string_view plugin);

 private:
  KvNamespaces(LmdbEnv& env, Dbi dbi, Logger& log, Counter& data_loss)
      : env_(env), dbi_(dbi), log_(log), data_loss_(data_loss) {}

  LmdbEnv& env_;
  Dbi dbi_;
  Logger& log_;
  Counter& data_loss_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<KvNamespace>, std::less<>> namespaces_;
};

}  // namespace conflux::core::store
