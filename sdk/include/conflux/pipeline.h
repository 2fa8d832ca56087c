// conflux/pipeline.h — publishing messages and subscribing to them.
//
// publish: format (SenML/JSON per the profile) → transform (Lua, when the
// profile or thing has a script) → store (when write_enabled) → fan-out. The
// callback fires once: after the durable commit with the receipt, or with an
// error — invalid_argument (the payload is malformed; the message names the
// record index and field), failed_precondition (the profile has no usable
// message config), unavailable (the pipeline is full: answer 503 / withhold
// PUBACK and let the device retry). Nothing is stored on error.
//
// Subscribers see every message after its commit (and messages of profiles
// with write_enabled = false after formatting). A *durable* subscription also
// gets each message appended to its outbox queue `subscription:<name>` in the
// same transaction that stores it, so a sink that drains that queue delivers
// every message at least once, across crashes.
//
// Found with `host.find<conflux::Pipeline>()`.
//
// Thread-safety: all methods may be called from any thread. Callbacks run on
// pipeline threads: keep them short (hand work to your own executor).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/message.h"
#include "conflux/status.h"

namespace conflux {

struct PublishRequest {
  Message message;        // raw: payload, publisher, protocol, subtopic, content_type, ...
  ProfileConfig profile;  // the publisher's profile message config
};

struct PublishReceipt {
  std::vector<std::string> message_ids;  // one per stored message (JSON arrays split)
  std::size_t records = 0;               // SenML records stored
  bool stored = false;                   // false when the profile has write_enabled = false
};

using PublishCallback = std::function<void(Result<PublishReceipt>)>;
using MessageHandler = std::function<void(const Message&)>;
using SubscriptionId = std::uint64_t;

struct SubscriptionOptions {
  std::string name;      // unique, e.g. "webhooks"
  bool durable = false;  // also append to outbox queue "subscription:<name>"
  // Only messages for which this returns true (empty: all). Runs on the
  // pipeline thread; must be cheap and must not throw.
  std::function<bool(const Message&)> filter;
};

class Pipeline {
 public:
  static constexpr std::string_view kInterfaceName = "conflux.pipeline.v1";
  virtual ~Pipeline() = default;

  virtual void publish(PublishRequest request, PublishCallback done) noexcept = 0;
  // Fails with already_exists for a taken name.
  virtual Result<SubscriptionId> subscribe(SubscriptionOptions options,
                                           MessageHandler handler) noexcept = 0;
  virtual void unsubscribe(SubscriptionId id) noexcept = 0;
};

}  // namespace conflux
