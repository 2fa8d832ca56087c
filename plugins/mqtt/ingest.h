// plugins/mqtt — Ingest: MQTT messages into the pipeline.
//
// Each message Paho hands over (on its receive thread) is routed:
//   things/{id}/messages[/<sub>]  → the thing {id} (the broker's ACL made
//                                   sure the publisher owns that topic);
//   a bridge rule's topic         → the thing found by the rule (its payload
//                                   decoded by the rule's Lua codec, if any);
//   anything else                 → counted as unrouted and dropped.
// Then published to the pipeline (protocol "mqtt").
//
// on_message routes the topic first: a message on a topic outside the
// scheme, with a bad subtopic, for an unknown thing, or for a codec rule
// without the scripting service is counted (unrouted, malformed,
// unknown_thing) and dropped without touching the InboundLog. Every other
// message is recorded in the InboundLog before anything else may fail, then
// its payload is decoded (bridge codec) and it is published; its entry is
// removed after the durable commit, or when it is refused for good (codec
// failure, malformed for its profile: counted and logged with the thing id).
// When the pipeline answers unavailable, the message is held and retried
// with backoff. Messages recovered from the log at start-up (`recover`) go
// through `deliver`.
//
// Backpressure: at most `max_in_flight` messages are between hand-over and
// commit (retries included); `on_message` blocks Paho's receive thread until
// one completes, so no more is read from the broker and memory stays bounded.
//
// Thread-safety: on_message from Paho's thread; recover, stop from the
// plugin's thread; deliver from one thread at a time; pipeline and timer
// callbacks from theirs.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bridges.h"
#include "conflux/backoff.h"
#include "conflux/clock.h"
#include "conflux/log.h"
#include "conflux/metrics.h"
#include "conflux/pipeline.h"
#include "conflux/scripts.h"
#include "conflux/things.h"
#include "inbound_log.h"

namespace conflux::mqtt {

struct IngestCounters {
  Counter* stored = nullptr;
  Counter* malformed = nullptr;
  Counter* unknown_thing = nullptr;
  Counter* unrouted = nullptr;
  Counter* unreadable = nullptr;  // inbound log entries that could not be read
  Counter* retries = nullptr;
  Gauge* in_flight = nullptr;
};

class Ingest {
 public:
  Ingest(Pipeline& pipeline, ThingDirectory& things, InboundLog& inbound, Clock& clock, Logger& log,
         Metrics& metrics, std::size_t max_in_flight, std::vector<BridgeRule> bridges,
         Scripts* scripts = nullptr);
  // The owner calls begin_stop and wait_idle first: pipeline callbacks
  // still pending refer to this object.
  ~Ingest();

  // One message from the broker (on Paho's receive thread, inside
  // messageArrived): routed, recorded in the InboundLog when it routes to a
  // thing, then delivered. Blocks while max_in_flight messages are pending
  // (returns at once after `begin_stop`).
  void on_message(std::string topic, std::string payload);
  // One message whose durable record is `release`d (called once) after its
  // commit or when it is refused for good; never after a stop. Blocks like
  // on_message; returns false when stopping (not released).
  bool deliver(std::string topic, std::string payload, std::function<void()> release);

  // The messages an earlier run left in the InboundLog, for `deliver`.
  // Entries that cannot be read are counted
  // (conflux_mqtt_messages_total{result="unreadable"}), logged with their key
  // and removed from the log.
  std::vector<LoggedMessage> recover();

  // Wakes a blocked on_message and stops retrying; held messages stay in the
  // journal (delivered again at the next start).
  void begin_stop();
  // Waits up to `timeout` for publishes in flight to complete. True when none
  // is left.
  bool wait_idle(std::chrono::milliseconds timeout);

  std::size_t in_flight() const;

 private:
  struct Pending {
    PublishRequest request;
    std::function<void()> release;
    Backoff backoff{std::chrono::milliseconds(50), std::chrono::seconds(5)};
  };

  // Where a topic goes.
  struct Target {
    ThingRef thing;
    std::string subtopic;
    std::string content_type;  // "" = the profile's
    const BridgeRule* rule = nullptr;
  };
  // The target of `topic`, or nullopt when the message is dropped (counted,
  // logged).
  std::optional<Target> resolve(const std::string& topic);
  // The publish request (the bridge codec applied), or nullopt when the
  // payload is dropped (counted, logged).
  std::optional<PublishRequest> request(Target target, const std::string& topic,
                                        std::string payload);
  // Waits for an in-flight slot and publishes; false when stopping (not
  // released).
  bool admit(PublishRequest request, std::function<void()> release);
  void submit(std::shared_ptr<Pending> pending);
  void completed(std::shared_ptr<Pending> pending, Result<PublishReceipt> result);
  void finish_one();
  void warn_limited(std::string_view what, std::string_view thing, std::string_view detail);

  Pipeline& pipeline_;
  ThingDirectory& things_;
  InboundLog& inbound_;
  Clock& clock_;
  Logger& log_;
  IngestCounters counters_;
  const std::size_t max_in_flight_;
  const std::vector<BridgeRule> bridges_;
  Scripts* scripts_;  // bridge codecs; nullptr when the scripting service is absent

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::size_t in_flight_ = 0;
  bool stopping_ = false;
  std::map<TimerId, std::shared_ptr<Pending>> retries_;

  std::mutex warn_mu_;
  std::chrono::steady_clock::time_point warn_window_{};
  int warn_count_ = 0;
};

}  // namespace conflux::mqtt
