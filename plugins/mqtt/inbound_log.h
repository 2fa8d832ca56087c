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
// Entries: key "m-<16 hex digits>" (increasing), value = a topic frame
// (topic_frame.h: topic length (u32 LE) | topic | payload), in a
// SessionJournal file of their own. An entry that cannot be read (another
// key, a value that is not a topic frame: a damaged file) is removed by
// `recover`, which names it to the caller, so it is reported once and never
// replayed again.
//
// Cost: one write(2) per message. A removal is not written on its own: it
// goes into the same write as the next record, or is written at once when
// every recorded message is removed (idle: the file is then truncated), and
// at destruction. A crash can thus replay a few messages whose removal was
// still in memory (stored twice; at-least-once).
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
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

struct RecoveredMessages {
  std::vector<LoggedMessage> messages;  // oldest first
  std::vector<std::string> unreadable;  // keys of the unreadable entries
  Status removed = ok();  // removing the unreadable entries (else they stay for the next start)
};

class InboundLog {
 public:
  static Result<std::unique_ptr<InboundLog>> open(const std::filesystem::path& file, bool sync);

  // Records a message; returns its key.
  Result<std::string> record(std::string_view topic, std::string_view payload);
  void remove(const std::string& key);
  // The recorded messages (meant for start-up: what an earlier run left).
  // Unreadable entries are removed from the file (written at once) and their
  // keys returned for the caller to count and log; if that write fails they
  // stay and are returned again next time.
  RecoveredMessages recover();
  // Recorded and not removed.
  std::size_t size() const;
  ~InboundLog();  // writes the removals still held

 private:
  explicit InboundLog(std::unique_ptr<SessionJournal> journal, std::uint64_t next)
      : journal_(std::move(journal)), next_(next) {}
  void flush_locked() const;

  std::unique_ptr<SessionJournal> journal_;
  std::atomic<std::uint64_t> next_;
  mutable std::mutex mu_;
  mutable std::vector<std::string> removals_;  // not written yet
};

}  // namespace conflux::mqtt
