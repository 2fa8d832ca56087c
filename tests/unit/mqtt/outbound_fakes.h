// tests/unit/mqtt — an in-memory Outbox (due times, leases, dead letters),
// a ConfirmedPublisher whose confirmations the test gives, and a clock whose
// wall time only the test moves, for the outbound queue tests.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "conflux/clock.h"
#include "conflux/outbox.h"
#include "plugins/mqtt/outbound.h"

namespace conflux::mqtt::testing {

// Wall time moves only with `advance`; monotonic time is real (the queue
// waits on it). Thread-safe.
class WallClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const noexcept override {
    return std::chrono::system_clock::time_point(std::chrono::nanoseconds(wall_.load()));
  }
  std::chrono::steady_clock::time_point monotonic() const noexcept override {
    return std::chrono::steady_clock::now();
  }
  TimerId call_after(std::chrono::nanoseconds, std::function<void()>) noexcept override {
    return 0;
  }
  bool cancel(TimerId) noexcept override { return false; }
  void advance(std::chrono::nanoseconds d) { wall_ += d.count(); }

 private:
  std::atomic<std::int64_t> wall_{1'700'000'000'000'000'000};
};

class MemoryOutbox final : public Outbox {
 public:
  explicit MemoryOutbox(Clock& clock) : clock_(clock) {}

  void enqueue(std::string_view queue, std::string payload, std::int64_t due,
               std::function<void(Result<std::uint64_t>)> done) noexcept override {
    Result<std::uint64_t> result = fail(ErrorCode::internal, "disk full");
    {
      std::lock_guard lock(mu_);
      if (!fail_enqueue_) {
        auto id = ++next_id_;
        items_[std::string(queue)][id] = {
            id, std::move(payload), clock_.now_ns(), due == 0 ? clock_.now_ns() : due, 0, ""};
        result = id;
      }
    }
    if (done) done(result);
  }
  Result<std::vector<OutboxItem>> claim(std::string_view queue, std::size_t max,
                                        std::chrono::milliseconds lease) noexcept override {
    std::lock_guard lock(mu_);
    ++claims_;
    std::vector<OutboxItem> out;
    auto now = clock_.now_ns();
    auto mono = std::chrono::steady_clock::now();
    std::vector<const OutboxItem*> due;
    for (auto& [id, item] : items_[std::string(queue)])
      if (item.due <= now) due.push_back(&item);
    std::stable_sort(due.begin(), due.end(), [](auto* a, auto* b) { return a->due < b->due; });
    for (auto* item : due) {
      if (out.size() >= max) break;
      auto& until = leases_[std::string(queue)][item->id];
      if (until > mono) continue;
      until = mono + lease;
      out.push_back(*item);
    }
    return out;
  }
  void complete(std::string_view queue, std::uint64_t id,
                std::function<void(Status)> done) noexcept override {
    Status s = ok();
    {
      std::lock_guard lock(mu_);
      if (items_[std::string(queue)].erase(id) == 0) s = fail(ErrorCode::not_found, "no item");
      leases_[std::string(queue)].erase(id);
      ++completed_;
    }
    cv_.notify_all();
    if (done) done(s);
  }
  void retry(std::string_view queue, std::uint64_t id, std::int64_t due, std::string error,
             bool give_up, std::function<void(Status)> done) noexcept override {
    {
      std::lock_guard lock(mu_);
      auto& items = items_[std::string(queue)];
      auto it = items.find(id);
      if (it != items.end()) {
        it->second.attempts++;
        it->second.last_error = error;
        it->second.due = due == 0 ? clock_.now_ns() : due;
        if (give_up) {
          dead_[std::string(queue)].push_back(it->second);
          items.erase(it);
        }
      }
      leases_[std::string(queue)].erase(id);
    }
    cv_.notify_all();
    if (done) done(ok());
  }
  Result<OutboxStats> stats(std::string_view queue) noexcept override {
    std::lock_guard lock(mu_);
    OutboxStats s;
    s.pending = items_[std::string(queue)].size();
    s.dead = dead_[std::string(queue)].size();
    return s;
  }
  Result<std::vector<OutboxItem>> dead_letters(std::string_view queue,
                                               std::size_t) noexcept override {
    std::lock_guard lock(mu_);
    return dead_[std::string(queue)];
  }

  std::vector<OutboxItem> items(std::string_view queue) {
    std::lock_guard lock(mu_);
    std::vector<OutboxItem> out;
    for (auto& [id, item] : items_[std::string(queue)]) out.push_back(item);
    return out;
  }
  // Forgets every lease (what a restart does).
  void drop_leases() {
    std::lock_guard lock(mu_);
    leases_.clear();
  }
  void fail_enqueue(bool on) {
    std::lock_guard lock(mu_);
    fail_enqueue_ = on;
  }
  int claims() {
    std::lock_guard lock(mu_);
    return claims_;
  }

 private:
  Clock& clock_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::map<std::uint64_t, OutboxItem>> items_;
  std::map<std::string, std::vector<OutboxItem>> dead_;
  std::map<std::string, std::map<std::uint64_t, std::chrono::steady_clock::time_point>> leases_;
  std::uint64_t next_id_ = 0;
  bool fail_enqueue_ = false;
  int claims_ = 0;
  int completed_ = 0;
};

// Keeps every publish; the test confirms or fails them.
class ManualPublisher final : public ConfirmedPublisher {
 public:
  struct Sent {
    std::string topic, payload;
    int qos;
    std::function<void(Status)> done;
  };
  Status publish_confirmed(std::string_view topic, std::string_view payload, int qos,
                           std::function<void(Status)> done) override {
    std::lock_guard lock(mu_);
    if (!connected_) return fail(ErrorCode::unavailable, "not connected");
    if (refuse_) return fail(ErrorCode::unavailable, "refused");
    sent_.push_back({std::string(topic), std::string(payload), qos, std::move(done)});
    ++total_;
    cv_.notify_all();
    return ok();
  }
  bool connected() const noexcept override {
    std::lock_guard lock(mu_);
    return connected_;
  }
  void set_connected(bool up) {
    std::lock_guard lock(mu_);
    connected_ = up;
  }
  void set_refuse(bool on) {
    std::lock_guard lock(mu_);
    refuse_ = on;
  }
  // Waits until `n` publishes are unanswered; false after 10 s (a hang, not
  // a timing assertion).
  bool wait_sent(std::size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(10), [&] { return sent_.size() >= n; });
  }
  // Answers the oldest unanswered publish.
  Sent answer(Status status) {
    Sent s;
    {
      std::lock_guard lock(mu_);
      s = std::move(sent_.front());
      sent_.pop_front();
    }
    s.done(status);
    return s;
  }
  std::size_t unanswered() {
    std::lock_guard lock(mu_);
    return sent_.size();
  }
  std::size_t total() {
    std::lock_guard lock(mu_);
    return total_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool connected_ = true;
  bool refuse_ = false;
  std::deque<Sent> sent_;
  std::size_t total_ = 0;
};

// Polls `pred` until true; false after 10 s (a hang, not a timing assertion).
inline bool eventually(const std::function<bool()>& pred) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return pred();
}

}  // namespace conflux::mqtt::testing
