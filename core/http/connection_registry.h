// core/http — ConnectionRegistry: the open connections of one server, and the
// bookkeeping of a graceful shutdown.
//
// Private to core/http. A connection registers when accepted and removes
// itself when its socket closes. `begin_shutdown` refuses new registrations,
// asks every connection to finish, and runs `on_drained` once, when the last
// connection has removed itself (at once when there is none).
//
// Thread-safety: all methods may be called from any thread. Connection
// callbacks are invoked without the registry's lock held.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace conflux::core {

// What the registry needs from a connection. Both calls are thread-safe and
// return at once (the work happens on the connection's strand).
class Connection {
 public:
  virtual ~Connection() = default;
  // Stop reading; answer the requests already received (the last response
  // says Connection: close), then close. Idle connections close at once.
  virtual void finish_and_close() noexcept = 0;
  // Close now, dropping unanswered requests.
  virtual void force_close() noexcept = 0;
};

class ConnectionRegistry {
 public:
  // False when a shutdown has begun: the caller closes the connection.
  bool add(const std::shared_ptr<Connection>& connection);
  // Idempotent; unknown connections are ignored.
  void remove(const Connection* connection);
  std::size_t size() const;

  void begin_shutdown(std::function<void()> on_drained);
  void force_close_all();

 private:
  std::vector<std::shared_ptr<Connection>> snapshot() const;

  mutable std::mutex mu_;
  std::unordered_map<const Connection*, std::weak_ptr<Connection>> open_;
  bool shutting_down_ = false;
  std::function<void()> on_drained_;
};

}  // namespace conflux::core
