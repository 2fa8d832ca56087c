// conflux/kv_store.h — a plugin's own transactional key-value namespace in
// the core's LMDB environment (webhooks, downlinks, modbus maps live here).
//
// Each plugin sees only its namespace (`kv/<plugin>/...` on disk). Reads see
// the latest committed state; a write batch is atomic and its callback runs
// after the durable commit.
//
// Found with `host.find<conflux::KvStore>()`.
//
// Thread-safety: all methods may be called from any thread. `write_sync`
// blocks for up to one group-commit interval: never call it on an io thread.
#pragma once

#include <functional>
#include <future>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/status.h"

namespace conflux {

struct KvWrite {
  std::string key;
  std::optional<std::string> value;  // nullopt: erase the key
};

class KvStore {
 public:
  static constexpr std::string_view kInterfaceName = "conflux.kv.v1";
  virtual ~KvStore() = default;

  // The value of `key`, or nullopt.
  virtual Result<std::optional<std::string>> get(std::string_view key) noexcept = 0;
  // Visits keys starting with `prefix` in byte order until `visit` returns false.
  virtual Status scan(
      std::string_view prefix,
      const std::function<bool(std::string_view key, std::string_view value)>& visit) noexcept = 0;
  // Applies the batch atomically; `done` runs after the commit.
  virtual void write(std::vector<KvWrite> batch, std::function<void(Status)> done) noexcept = 0;

  Status write_sync(std::vector<KvWrite> batch) {
    std::promise<Status> p;
    auto f = p.get_future();
    write(std::move(batch), [&p](Status s) { p.set_value(std::move(s)); });
    return f.get();
  }
};

}  // namespace conflux
