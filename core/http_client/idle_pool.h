// core/http_client/idle_pool.h — the bookkeeping of a keep-alive pool: idle
// connections parked per key (scheme://host:port), at most `max_per_key` each,
// each expiring `idle_timeout` after it was parked. The pool never touches a
// socket: whatever it evicts is handed back to the caller to close.
//
// Thread-safety: none; the owner serializes every call (PooledHttpClient holds
// its mutex).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace conflux::core {

template <class Conn>
class IdlePool {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Ptr = std::shared_ptr<Conn>;

  IdlePool(std::size_t max_per_key, std::chrono::milliseconds idle_timeout)
      : max_per_key_(max_per_key), idle_timeout_(idle_timeout) {}

  // The most recently parked, unexpired connection for `key`, or null.
  // Expired connections of `key` are appended to `evicted`.
  Ptr take(const std::string& key, TimePoint now, std::vector<Ptr>& evicted) {
    auto it = idle_.find(key);
    if (it == idle_.end()) return nullptr;
    auto& list = it->second;
    Ptr found;
    while (!list.empty() && !found) {
      Entry e = std::move(list.back());
      list.pop_back();
      if (e.expires > now)
        found = std::move(e.conn);
      else
        evicted.push_back(std::move(e.conn));
    }
    if (list.empty()) idle_.erase(it);
    return found;
  }

  // Parks `conn` under `key`. When `key` already holds `max_per_key`
  // connections the oldest is appended to `evicted` (with a zero limit or
  // timeout, `conn` itself is).
  void put(const std::string& key, Ptr conn, TimePoint now, std::vector<Ptr>& evicted) {
    if (max_per_key_ == 0 || idle_timeout_.count() <= 0) {
      evicted.push_back(std::move(conn));
      return;
    }
    auto& list = idle_[key];
    while (list.size() >= max_per_key_) {
      evicted.push_back(std::move(list.front().conn));
      list.pop_front();
    }
    list.push_back({std::move(conn), now + idle_timeout_});
  }

  // Moves every connection that expired at `now` to `evicted`.
  void expire(TimePoint now, std::vector<Ptr>& evicted) {
    for (auto it = idle_.begin(); it != idle_.end();) {
      auto& list = it->second;
      while (!list.empty() && list.front().expires <= now) {
        evicted.push_back(std::move(list.front().conn));
        list.pop_front();
      }
      it = list.empty() ? idle_.erase(it) : std::next(it);
    }
  }

  // When the next parked connection expires; nullopt when the pool is empty.
  std::optional<TimePoint> next_expiry() const {
    std::optional<TimePoint> next;
    for (const auto& [key, list] : idle_)
      if (!list.empty() && (!next || list.front().expires < *next)) next = list.front().expires;
    return next;
  }

  // Removes and returns every parked connection.
  std::vector<Ptr> drain() {
    std::vector<Ptr> all;
    for (auto& [key, list] : idle_)
      for (auto& e : list) all.push_back(std::move(e.conn));
    idle_.clear();
    return all;
  }

  std::size_t size() const {
    std::size_t n = 0;
    for (const auto& [key, list] : idle_) n += list.size();
    return n;
  }
  std::size_t size(const std::string& key) const {
    auto it = idle_.find(key);
    return it == idle_.end() ? 0 : it->second.size();
  }

 private:
  struct Entry {
    Ptr conn;
    TimePoint expires;
  };
  std::size_t max_per_key_;
  std::chrono::milliseconds idle_timeout_;
  std::map<std::string, std::deque<Entry>> idle_;  // oldest first
};

}  // namespace conflux::core
