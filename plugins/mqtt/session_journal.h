// plugins/mqtt — SessionJournal: the Paho client persistence of the MQTT
// plugin, with removal of delivered messages deferred until their durable
// commit.
//
// Why: Paho C acknowledges an inbound QoS 1 PUBLISH (PUBACK) as soon as it
// reads it, then stores it as a queue entry ("q-<n>") in its client
// persistence, calls messageArrived, and removes the entry when
// messageArrived returns. Here the removal of an entry is held back until the
// pipeline has durably committed the message handed over in that
// messageArrived call (`begin_delivery` → `release`). Entries still present
// at start-up are restored by Paho and delivered again: at-least-once.
//
// Storage: one append-only file of put/remove records (length and checksum
// per record; a torn tail is cut off at open), replayed into memory at open
// and compacted when it grows. Records are written with write(2): they
// survive a kill -9 of the process (the kernel has them); with `sync = true`
// each record is also fdatasync'ed and survives a power cut, at a large cost.
//
// Thread-safety: every method may be called from any thread (one mutex).
// Deferral pairs `begin_delivery` with the next queue-entry `remove`, both
// made by Paho's receive thread, in that order.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "conflux/status.h"

namespace conflux::mqtt {

using DeliveryToken = std::uint64_t;

class SessionJournal {
 public:
  // Opens (creating directories and the file as needed) and replays `file`.
  static Result<std::unique_ptr<SessionJournal>> open(const std::filesystem::path& file,
                                                      bool sync = false);
  ~SessionJournal();
  SessionJournal(const SessionJournal&) = delete;
  SessionJournal& operator=(const SessionJournal&) = delete;

  // Paho's persistence operations. `put` concatenates the buffers.
  Status put(std::string_view key, const std::vector<std::string_view>& buffers);
  std::optional<std::string> get(std::string_view key) const;
  // Removes `key` now, or — for a queue entry ("q…") removed right after a
  // `begin_delivery` whose token is not released yet — when that token is
  // released.
  Status remove(std::string_view key);
  std::vector<std::string> keys() const;
  bool contains(std::string_view key) const;
  Status clear();

  // Marks the start of one messageArrived call; the next queue-entry
  // `remove` is tied to the returned token.
  DeliveryToken begin_delivery();
  // The message of `token` is durably stored (or deliberately dropped): its
  // queue entry may go.
  void release(DeliveryToken token);

  // Live entries, removals waiting for a release, and the file size.
  std::size_t size() const;
  std::size_t held() const;
  std::uint64_t file_bytes() const;

 private:
  SessionJournal(std::filesystem::path file, int fd, bool sync);
  Status append(std::uint8_t op, std::string_view key, std::string_view value);
  Status erase_locked(std::string_view key);
  Status maybe_compact_locked();
  Status rewrite_locked();

  struct Delivery {
    std::optional<std::string> key;  // the queue entry, once Paho removed it
    bool released = false;
  };

  std::filesystem::path file_;
  int fd_ = -1;
  bool sync_ = false;
  mutable std::mutex mu_;
  std::map<std::string, std::string, std::less<>> entries_;
  std::uint64_t live_bytes_ = 0;
  std::uint64_t file_bytes_ = 0;
  DeliveryToken next_token_ = 0;
  std::optional<DeliveryToken> current_;  // the delivery in progress on Paho's thread
  std::unordered_map<DeliveryToken, Delivery> deliveries_;
};

}  // namespace conflux::mqtt
