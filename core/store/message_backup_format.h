// core/store/message_backup_format.h — the message backup stream: writing
// it frame by frame and parsing it incrementally with bounded memory.
//
// Stream (version 1):
//   "CONFLUX-MESSAGES-BACKUP 1\n"                  magic line
//   'R' u32be n  body[n]                            one row per frame, where
//        body = u8 format (1 senml, 2 json) | publisher16 | time8 | value
//        (publisher16 and time8 as in the row key; value = the stored row
//        value, version byte first)
//   'E' u64be rows                                  end: the number of rows
// Nothing may follow the end frame. A body is at most kMaxBackupFrame bytes.
//
// The reader rejects, with invalid_argument naming the byte offset of the
// frame: a foreign or newer magic, an unknown frame tag, an oversized or
// truncated frame, a row whose value does not decode (unknown value
// version or corrupt) or whose publisher id does not give its publisher16,
// a missing end frame, a row count that differs from the end frame's, and
// trailing bytes.
//
// Thread-safety: writer and reader are used by one thread each.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "conflux/message_reader.h"
#include "core/store/message_chunk_writer.h"
#include "core/store/message_codec.h"
#include "core/store/message_keys.h"

namespace conflux::core::store {

inline constexpr std::string_view kBackupMagic = "CONFLUX-MESSAGES-BACKUP 1\n";
inline constexpr std::uint32_t kMaxBackupFrame = 64u << 20;

class BackupWriter {
 public:
  explicit BackupWriter(ChunkWriter& out) : out_(out) {}

  void begin();
  void row(MessageFormat format, const RowKeyParts& key, std::string_view value);
  void end();  // the end frame; flushes
  std::uint64_t rows() const noexcept { return rows_; }

 private:
  ChunkWriter& out_;
  std::uint64_t rows_ = 0;
};

struct BackupRow {
  MessageFormat format = MessageFormat::senml;
  RowKeyParts key;           // seq = 0 (restore assigns new sequences)
  std::string value;         // the row value as stored
  std::uint64_t offset = 0;  // of the frame in the stream
};

class BackupReader {
 public:
  explicit BackupReader(const ChunkSource& source, std::size_t buffer_size = 64 * 1024)
      : source_(source), buffer_size_(buffer_size) {}

  // The next row, nullopt after a valid end frame at the end of the stream.
  Result<std::optional<BackupRow>> next();
  std::uint64_t offset() const noexcept { return consumed_ + pos_; }

 private:
  // Ensures `n` unread bytes are buffered; false at the end of the stream.
  Result<bool> fill(std::size_t n);
  Status bad(std::uint64_t at, std::string_view what) const;

  const ChunkSource& source_;
  std::size_t buffer_size_;
  std::string buffer_;
  std::size_t pos_ = 0;         // read position in buffer_
  std::uint64_t consumed_ = 0;  // stream bytes dropped before buffer_
  bool magic_checked_ = false;
  bool ended_ = false;
  bool source_done_ = false;
  std::uint64_t rows_ = 0;
};

}  // namespace conflux::core::store
