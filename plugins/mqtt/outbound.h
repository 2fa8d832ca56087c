// plugins/mqtt — OutboundQueue: one durable outbox queue (conflux/outbox.h)
// drained to the broker, at least once.
//
// A thread of its own claims due items (up to `window` unconfirmed at a
// time), turns each into a PUBLISH with the decoder and hands it to the
// ConfirmedPublisher. An item leaves the outbox only when the broker has
// confirmed its PUBLISH (the PUBACK at QoS 1; written to the socket at
// QoS 0). A publish the client refuses or reports failed (broker away,
// connection lost) is rescheduled in the outbox with exponential backoff
// and sending pauses for that delay; while the client is disconnected
// nothing is claimed. An item whose confirmation does not come within the
// claim lease is claimed and sent again (a duplicate at worst). An item the
// decoder cannot read goes to the queue's dead letters (counted, logged).
// Everything unconfirmed at a stop or crash is still in the outbox and is
// sent after the next start.
//
// Order: items are claimed earliest due first; several are in flight at
// once and a retried item goes behind newer ones, so order is kept only
// while nothing fails.
//
// Thread-safety: wake() and the confirmation callbacks from any thread;
// start/stop from the owner's thread. After stop() returns no outbox or
// publisher call is made; confirmations that arrive later are ignored.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "conflux/backoff.h"
#include "conflux/clock.h"
#include "conflux/log.h"
#include "conflux/metrics.h"
#include "conflux/outbox.h"
#include "conflux/status.h"

namespace conflux::mqtt {

struct OutboundMessage {
  std::string topic;
  std::string payload;
  int qos = 1;
};

// What an OutboundQueue publishes through: BrokerClient in the plugin.
class ConfirmedPublisher {
 public:
  virtual ~ConfirmedPublisher() = default;
  // Hands a PUBLISH to the client. On success `done` runs exactly once, on
  // any thread: ok when the broker confirmed the message, else the failure.
  // On error (not connected, client stopped) `done` is never called.
  virtual Status publish_confirmed(std::string_view topic, std::string_view payload, int qos,
                                   std::function<void(Status)> done) = 0;
  virtual bool connected() const noexcept = 0;
};

using OutboundDecoder = std::function<Result<OutboundMessage>(const OutboxItem&)>;

struct OutboundOptions {
  std::string queue;         // the outbox queue, e.g. "commands" or "subscription:<name>"
  std::size_t window = 512;  // unconfirmed publishes at most
  std::chrono::milliseconds lease{30'000};  // wait for a confirmation before sending again
  std::chrono::milliseconds poll{1'000};    // re-check for due retries without a wake()
  std::chrono::milliseconds retry_initial{250};
  std::chrono::milliseconds retry_max{5'000};
};

struct OutboundCounters {
  Counter* delivered = nullptr;  // confirmed by the broker
  Counter* retried = nullptr;    // failed, rescheduled
  Counter* dropped = nullptr;    // undecodable, moved to the dead letters
};

class OutboundQueue {
 public:
  OutboundQueue(Outbox& outbox, ConfirmedPublisher& publisher, Clock& clock, Logger& log,
                OutboundOptions options, OutboundDecoder decode, OutboundCounters counters);
  ~OutboundQueue();  // stop()
  OutboundQueue(const OutboundQueue&) = delete;
  OutboundQueue& operator=(const OutboundQueue&) = delete;

  void start();
  // New items may be due, or the client (re)connected: look now.
  void wake() noexcept;
  // Stops the thread; unconfirmed items stay in the outbox.
  void stop() noexcept;

  // Publishes handed to the client and not confirmed yet.
  std::size_t in_flight() const;

 private:
  struct State;
  void run();
  void drain(std::unique_lock<std::mutex>& lock);
  void reschedule(std::uint64_t id, const std::string& error);

  Outbox& outbox_;
  ConfirmedPublisher& publisher_;
  Clock& clock_;
  Logger& log_;
  const OutboundOptions options_;
  const OutboundDecoder decode_;
  const OutboundCounters counters_;
  std::shared_ptr<State> state_;
  std::thread thread_;
};

}  // namespace conflux::mqtt
