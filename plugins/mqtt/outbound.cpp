// plugins/mqtt — OutboundQueue: claim, publish, complete on confirmation,
// reschedule with backoff on failure.
//
// Claims happen when at most half the window is in flight (or nothing is),
// so under load each claim takes many items and the leased items it has to
// skip in the outbox's due index stay few per claimed item.
#include "outbound.h"

#include <conflux/thread_name.h>

#include <algorithm>
#include <vector>

namespace conflux::mqtt {

struct OutboundQueue::State {
  std::mutex mu;
  std::condition_variable cv;
  OutboundQueue* owner = nullptr;  // null once stopped: late confirmations are ignored
  bool stopping = false;
  bool woken = true;
  std::unordered_map<std::uint64_t, std::uint64_t> in_flight;  // item id → send generation
  std::uint64_t generation = 0;
  Backoff backoff;
  std::chrono::steady_clock::time_point paused_until{};

  State(std::chrono::milliseconds initial, std::chrono::milliseconds max) : backoff(initial, max) {}

  void confirmed(std::uint64_t id, std::uint64_t gen, Status status) {
    std::lock_guard lock(mu);
    if (owner == nullptr) return;
    auto it = in_flight.find(id);
    bool current = it != in_flight.end() && it->second == gen;
    if (status) {
      // Delivered (also when an older send of a re-sent item is confirmed);
      // counted once, by the first confirmation while it is in flight.
      owner->outbox_.complete(owner->options_.queue, id, nullptr);
      if (it != in_flight.end()) {
        if (owner->counters_.delivered) owner->counters_.delivered->inc();
        in_flight.erase(it);
      }
      backoff.reset();
    } else if (current) {
      in_flight.erase(it);
      owner->reschedule(id, status.error().message);
    }
    woken = true;
    cv.notify_one();
  }
};

OutboundQueue::OutboundQueue(Outbox& outbox, ConfirmedPublisher& publisher, Clock& clock,
                             Logger& log, OutboundOptions options, OutboundDecoder decode,
                             OutboundCounters counters)
    : outbox_(outbox),
      publisher_(publisher),
      clock_(clock),
      log_(log),
      options_(std::move(options)),
      decode_(std::move(decode)),
      counters_(counters),
      state_(std::make_shared<State>(options_.retry_initial, options_.retry_max)) {
  state_->owner = this;
}

OutboundQueue::~OutboundQueue() { stop(); }

std::size_t OutboundQueue::in_flight() const {
  std::lock_guard lock(state_->mu);
  return state_->in_flight.size();
}

void OutboundQueue::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] {
    name_this_thread("cfx-mqtt-out");
    run();
  });
}

void OutboundQueue::wake() noexcept {
  std::lock_guard lock(state_->mu);
  state_->woken = true;
  state_->cv.notify_one();
}

void OutboundQueue::stop() noexcept {
  {
    std::lock_guard lock(state_->mu);
    state_->stopping = true;
    state_->owner = nullptr;
    state_->cv.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

// Called with state_->mu held. Failures during a pause share it; the first
// one after a pause grows the backoff.
void OutboundQueue::reschedule(std::uint64_t id, const std::string& error) {
  auto now = std::chrono::steady_clock::now();
  if (state_->paused_until <= now) state_->paused_until = now + state_->backoff.next();
  auto delay = state_->paused_until - now;
  auto due = clock_.now_ns() + std::chrono::duration_cast<std::chrono::nanoseconds>(delay).count();
  outbox_.retry(options_.queue, id, due, error, false, nullptr);
  if (counters_.retried) counters_.retried->inc();
}

void OutboundQueue::run() {
  auto& s = *state_;
  std::unique_lock lock(s.mu);
  auto may_claim = [&] {
    return s.in_flight.size() <= options_.window / 2 &&
           std::chrono::steady_clock::now() >= s.paused_until;
  };
  while (!s.stopping) {
    if (s.woken && may_claim()) {
      s.woken = false;
      if (publisher_.connected()) drain(lock);
      continue;
    }
    auto until = std::chrono::steady_clock::now() + options_.poll;
    if (s.paused_until > std::chrono::steady_clock::now()) until = std::min(until, s.paused_until);
    if (!s.cv.wait_until(lock, until, [&] { return s.stopping || (s.woken && may_claim()); }))
      s.woken = true;  // poll: retries may have become due
  }
}

// Called with state_->mu held (released while the outbox and the client
// work; held again on return).
void OutboundQueue::drain(std::unique_lock<std::mutex>& lock) {
  auto& s = *state_;
  std::size_t room = options_.window - std::min(options_.window, s.in_flight.size());
  if (room == 0) return;
  lock.unlock();
  auto claimed = outbox_.claim(options_.queue, room, options_.lease);
  lock.lock();
  if (!claimed) {
    log_.warn("MQTT outbound queue {}: cannot claim: {}", options_.queue, claimed.error().message);
    s.paused_until = std::chrono::steady_clock::now() + s.backoff.next();
    return;
  }
  auto& items = *claimed;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (s.stopping) return;  // the rest stay leased, then claimable (after restart at once)
    const auto& item = items[i];
    lock.unlock();
    auto message = decode_(item);
    lock.lock();
    if (!message) {
      outbox_.retry(options_.queue, item.id, 0, message.error().message, true, nullptr);
      if (counters_.dropped) counters_.dropped->inc();
      log_.error("MQTT outbound queue {}: item {} is unreadable ({}); moved to the dead letters",
                 options_.queue, item.id, message.error().message);
      continue;
    }
    std::uint64_t gen = ++s.generation;
    s.in_flight[item.id] = gen;
    lock.unlock();
    auto sent = publisher_.publish_confirmed(message->topic, message->payload, message->qos,
                                             [state = state_, id = item.id, gen](Status status) {
                                               state->confirmed(id, gen, std::move(status));
                                             });
    lock.lock();
    if (!sent) {
      // Not taken (the broker went away): this item and the rest of the
      // claim wait for the backoff.
      if (auto it = s.in_flight.find(item.id); it != s.in_flight.end() && it->second == gen)
        s.in_flight.erase(it);
      for (std::size_t j = i; j < items.size(); ++j) reschedule(items[j].id, sent.error().message);
      log_.debug("MQTT outbound queue {}: {} items rescheduled: {}", options_.queue,
                 items.size() - i, sent.error().message);
      return;
    }
  }
}

}  // namespace conflux::mqtt
