// core/store/message_backup_format.cpp — backup stream framing.
//
// Thread-safety: see the header.
#include "core/store/message_backup_format.h"

#include <cstring>

namespace conflux::core::store {
namespace {

constexpr std::size_t kRowHeadSize = 1 + 16 + 8;  // format | publisher16 | time8

void put_u32_be(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}

std::uint32_t get_u32_be(const char* p) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<std::uint8_t>(p[i]);
  return v;
}

}  // namespace

void BackupWriter::begin() { out_.append(kBackupMagic); }

void BackupWriter::row(MessageFormat format, const RowKeyParts& key, std::string_view value) {
  if (out_.stopped()) return;
  std::string& buf = out_.buffer();
  buf.push_back('R');
  put_u32_be(buf, static_cast<std::uint32_t>(kRowHeadSize + value.size()));
  buf.push_back(static_cast<char>(format));
  buf.append(as_view(key.publisher));
  std::uint8_t time[8];
  put_time(time, key.time);
  buf.append(reinterpret_cast<const char*>(time), 8);
  out_.append(value);  // flushes when the chunk is full
  ++rows_;
}

void BackupWriter::end() {
  std::string frame(1, 'E');
  std::uint8_t count[8];
  put_u64_be(count, rows_);
  frame.append(reinterpret_cast<const char*>(count), 8);
  out_.append(frame);
  out_.flush();
}

Status BackupReader::bad(std::uint64_t at, std::string_view what) const {
  return fail(ErrorCode::invalid_argument,
              "backup stream at byte " + std::to_string(at) + ": " + std::string(what));
}

Result<bool> BackupReader::fill(std::size_t n) {
  while (buffer_.size() - pos_ < n) {
    if (source_done_) return false;
    // Drop consumed bytes before reading more, so memory stays bounded.
    if (pos_ > 0) {
      buffer_.erase(0, pos_);
      consumed_ += pos_;
      pos_ = 0;
    }
    std::size_t old = buffer_.size();
    std::size_t want = std::max(buffer_size_, n - old);
    buffer_.resize(old + want);
    auto got = source_(std::span<char>(buffer_.data() + old, want));
    if (!got) {
      buffer_.resize(old);
      return std::unexpected(got.error());
    }
    if (*got > want) {
      buffer_.resize(old);
      return fail(ErrorCode::internal, "backup source returned more bytes than asked for");
    }
    buffer_.resize(old + *got);
    if (*got == 0) source_done_ = true;
  }
  return true;
}

Result<std::optional<BackupRow>> BackupReader::next() {
  if (!magic_checked_) {
    CONFLUX_ASSIGN_OR_RETURN(bool have, fill(kBackupMagic.size()));
    if (!have || std::string_view(buffer_).substr(pos_, kBackupMagic.size()) != kBackupMagic) {
      auto head = std::string_view(buffer_).substr(pos_);
      if (head.starts_with("CONFLUX-MESSAGES-BACKUP "))
        return std::unexpected(bad(0, "unsupported backup version").error());
      return std::unexpected(bad(0, "not a Conflux message backup").error());
    }
    pos_ += kBackupMagic.size();
    magic_checked_ = true;
  }
  if (ended_) return std::optional<BackupRow>();
  const std::uint64_t at = offset();
  CONFLUX_ASSIGN_OR_RETURN(bool have, fill(1));
  if (!have) return std::unexpected(bad(at, "truncated: no end frame").error());
  const char tag = buffer_[pos_];
  if (tag == 'E') {
    CONFLUX_ASSIGN_OR_RETURN(bool full, fill(9));
    if (!full) return std::unexpected(bad(at, "truncated end frame").error());
    auto count = get_u64_be(reinterpret_cast<const std::uint8_t*>(buffer_.data() + pos_ + 1));
    pos_ += 9;
    if (count != rows_)
      return std::unexpected(bad(at, "end frame counts " + std::to_string(count) +
                                         " rows but the stream holds " + std::to_string(rows_))
                                 .error());
    CONFLUX_ASSIGN_OR_RETURN(bool trailing, fill(1));
    if (trailing) return std::unexpected(bad(offset(), "data after the end frame").error());
    ended_ = true;
    return std::optional<BackupRow>();
  }
  if (tag != 'R') return std::unexpected(bad(at, "unknown frame").error());
  CONFLUX_ASSIGN_OR_RETURN(bool head, fill(5));
  if (!head) return std::unexpected(bad(at, "truncated frame").error());
  const std::uint32_t n = get_u32_be(buffer_.data() + pos_ + 1);
  if (n < kRowHeadSize + 1 || n > kMaxBackupFrame)
    return std::unexpected(bad(at, "bad frame length " + std::to_string(n)).error());
  CONFLUX_ASSIGN_OR_RETURN(bool body, fill(5 + std::size_t{n}));
  if (!body) return std::unexpected(bad(at, "truncated frame").error());
  const char* p = buffer_.data() + pos_ + 5;
  BackupRow row;
  row.offset = at;
  row.format = static_cast<MessageFormat>(static_cast<std::uint8_t>(p[0]));
  if (row.format != MessageFormat::senml && row.format != MessageFormat::json)
    return std::unexpected(bad(at, "unknown row format").error());
  std::memcpy(row.key.publisher.data(), p + 1, 16);
  row.key.time = get_time(reinterpret_cast<const std::uint8_t*>(p + 17));
  row.value.assign(p + kRowHeadSize, n - kRowHeadSize);
  pos_ += 5 + std::size_t{n};
  RowView view;
  switch (decode_row(row.format, row.key, row.value, &view)) {
    case DecodeOutcome::ok:
      break;
    case DecodeOutcome::unknown_version:
      return std::unexpected(bad(at, "row value has an unknown version").error());
    case DecodeOutcome::corrupt:
      return std::unexpected(bad(at, "corrupt row value").error());
  }
  if (view.publisher_inline && publisher_key(view.publisher) != row.key.publisher)
    return std::unexpected(bad(at, "row publisher does not match its key").error());
  ++rows_;
  return std::optional<BackupRow>(std::move(row));
}

}  // namespace conflux::core::store
