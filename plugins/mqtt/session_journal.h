// plugins/mqtt — SessionJournal: a small durable key-value file, the
// storage of the InboundLog (messages received and not yet committed).
//
// Storage: one append-only file of put/remove records (length and checksum
// per record; a torn tail is cut off at open), replayed into memory at open
// and compacted when it grows. Records are written with write(2): they
// survive a kill -9 of the process (the kernel has them); with `sync = true`
// each record is also fdatasync'ed and survives a power cut, at a large cost.
//
// Thread-safety: every method may be called from any thread (one mutex).
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

class SessionJournal {
 public:
  // Opens (creating directories and the file as needed) and replays `file`.
  static Result<std::unique_ptr<SessionJournal>> open(const std::filesystem::path& file,
                                                      bool sync = false);
  ~SessionJournal();
  SessionJournal(const SessionJournal&) = delete;
  SessionJournal& operator=(const SessionJournal&) = delete;

  // Removes `removed` (unknown keys are skipped), then puts `key` (the
  // concatenated `buffers`) unless it is empty, with a single write(2).
  Status update(const std::vector<std::string>& removed, std::string_view key,
                const std::vector<std::string_view>& buffers);
  std::optional<std::string> get(std::string_view key) const;
  // Live keys, sorted.
  std::vector<std::string> keys() const;

  // Live entries and the file size.
  std::size_t size() const;
  std::uint64_t file_bytes() const;

 private:
  SessionJournal(std::filesystem::path file, int fd, bool sync);
  // Appends encoded records (fdatasync'd when sync is on); mu_ held.
  Status write_locked(std::string_view records);
  Status maybe_compact_locked();
  Status rewrite_locked();

  std::filesystem::path file_;
  int fd_ = -1;
  bool sync_ = false;
  mutable std::mutex mu_;
  std::map<std::string, std::string, std::less<>> entries_;
  std::uint64_t live_bytes_ = 0;
  std::uint64_t file_bytes_ = 0;
};

}  // namespace conflux::mqtt
