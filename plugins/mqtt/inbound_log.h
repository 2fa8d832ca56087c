// plugins/mqtt — InboundLog: every message Paho hands to the plugin is
// recorded here before it goes to the pipeline, and removed after its
// durable commit (or when it is refused for good). What is still recorded at
// start-up was acknowledged to the broker by an earlier run but not
// committed: it is fed to the pipeline again (at-least-once).
//
// Why the plugin records the message itself: Paho MQTT C sends the PUBACK of
// a QoS 1 PUBLISH before handing the message over, and MQTTAsync stores an
// inbound message in its client persistence only when messageArrived refuses
// it (returns 0); a message handed over at once is never persisted by Paho.
//
// Entries: key "m-<16 hex digits>" (increasing), value = topic length (u32
// LE) | topic | payload, in a SessionJournal file of their own.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "conflux/status.h"
#include "session_journal.h"

namespace conflux::mqtt {

struct LoggedMessage {
  std::string key;
  std::string topic;
  std::string payload;
};

class InboundLog {
 public:
  static Result<std::unique_ptr<InboundLog>> open(const std::filesystem::path& file, bool sync);

  // Records a message; returns its key.
  Result<std::string> record(std::string_view topic, std::string_view payload);
  void remove(const std::string& key);
  // The recorded messages, oldest first (unreadable entries are dropped).
  std::vector<LoggedMessage> pending() const;
  std::size_t size() const { return journal_->size(); }

 private:
  explicit InboundLog(std::unique_ptr<SessionJournal> journal, std::uint64_t next)
      : journal_(std::move(journal)), next_(next) {}
  std::unique_ptr<SessionJournal> journal_;
  std::atomic<std::uint64_t> next_;
};

}  // namespace conflux::mqtt
