// plugins/mqtt — SessionJournal: an append-only record file replayed into
// memory, with deferred removal of delivered queue entries.
//
// Record: 0xC7 | op (1 put, 2 remove) | key length (u32 LE) | value length
// (u32 LE) | key | value | FNV-1a 32 of everything before it (u32 LE).
#include "session_journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace conflux::mqtt {
namespace {

constexpr std::uint8_t kMagic = 0xC7;
constexpr std::uint8_t kPut = 1;
constexpr std::uint8_t kRemove = 2;
constexpr std::size_t kHeader = 10;
constexpr std::uint64_t kCompactAbove = 64ull << 20;

std::uint32_t fnv1a(std::string_view data, std::uint32_t h = 2166136261u) {
  for (unsigned char c : data) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint32_t get_u32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= static_cast<std::uint32_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

std::string encode(std::uint8_t op, std::string_view key, std::string_view value) {
  std::string rec;
  rec.reserve(kHeader + key.size() + value.size() + 4);
  rec.push_back(static_cast<char>(kMagic));
  rec.push_back(static_cast<char>(op));
  put_u32(rec, static_cast<std::uint32_t>(key.size()));
  put_u32(rec, static_cast<std::uint32_t>(value.size()));
  rec.append(key);
  rec.append(value);
  put_u32(rec, fnv1a(rec));
  return rec;
}

std::unexpected<Error> io_error(std::string_view what, const std::filesystem::path& file) {
  return fail(ErrorCode::internal, std::string(what) + " " + file.string() + ": " +
                                       std::generic_category().message(errno));
}

Status write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(ErrorCode::internal,
                  "session journal write failed: " + std::generic_category().message(errno));
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return ok();
}

}  // namespace

Result<std::unique_ptr<SessionJournal>> SessionJournal::open(const std::filesystem::path& file,
                                                             bool sync) {
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  if (ec)
    return fail(ErrorCode::internal,
                "cannot create " + file.parent_path().string() + ": " + ec.message());
  int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("cannot open", file);
  std::unique_ptr<SessionJournal> journal(new SessionJournal(file, fd, sync));

  // Replay.
  std::string data;
  {
    char buf[1 << 16];
    ssize_t n;
    if (::lseek(fd, 0, SEEK_SET) < 0) return io_error("cannot seek", file);
    while ((n = ::read(fd, buf, sizeof buf)) != 0) {
      if (n < 0) {
        if (errno == EINTR) continue;
        return io_error("cannot read", file);
      }
      data.append(buf, static_cast<std::size_t>(n));
    }
  }
  std::size_t pos = 0;
  while (pos + kHeader + 4 <= data.size()) {
    const char* p = data.data() + pos;
    if (static_cast<unsigned char>(p[0]) != kMagic) break;
    std::uint8_t op = static_cast<std::uint8_t>(p[1]);
    std::uint64_t klen = get_u32(p + 2), vlen = get_u32(p + 6);
    std::uint64_t total = kHeader + klen + vlen + 4;
    if (pos + total > data.size()) break;
    std::string_view body(p, kHeader + klen + vlen);
    if (fnv1a(body) != get_u32(p + kHeader + klen + vlen)) break;
    std::string key(p + kHeader, klen);
    if (op == kPut) {
      auto& slot = journal->entries_[key];
      journal->live_bytes_ -= slot.size();
      slot.assign(p + kHeader + klen, vlen);
      journal->live_bytes_ += vlen;
    } else if (op == kRemove) {
      auto it = journal->entries_.find(key);
      if (it != journal->entries_.end()) {
        journal->live_bytes_ -= it->second.size();
        journal->entries_.erase(it);
      }
    } else {
      break;
    }
    pos += total;
  }
  // Start from a compact file holding exactly the replayed entries (also cuts
  // a torn tail).
  std::lock_guard lock(journal->mu_);
  journal->file_bytes_ = data.size();
  CONFLUX_RETURN_IF_ERROR(journal->rewrite_locked());
  return journal;
}

SessionJournal::SessionJournal(std::filesystem::path file, int fd, bool sync)
    : file_(std::move(file)), fd_(fd), sync_(sync) {}

SessionJournal::~SessionJournal() {
  if (fd_ >= 0) ::close(fd_);
}

Status SessionJournal::write_locked(std::string_view records) {
  CONFLUX_RETURN_IF_ERROR(write_all(fd_, records));
  file_bytes_ += records.size();
  if (sync_ && ::fdatasync(fd_) != 0)
    return fail(ErrorCode::internal,
                "session journal: fdatasync failed: " + std::generic_category().message(errno));
  return ok();
}

Status SessionJournal::update(const std::vector<std::string>& removed, std::string_view key,
                              const std::vector<std::string_view>& buffers) {
  std::string value;
  if (!key.empty()) {
    std::size_t n = 0;
    for (auto b : buffers) n += b.size();
    value.reserve(n);
    for (auto b : buffers) value.append(b);
  }
  std::lock_guard lock(mu_);
  std::string batch;
  for (const auto& k : removed)
    if (entries_.contains(k)) batch += encode(kRemove, k, {});
  if (!key.empty()) batch += encode(kPut, key, value);
  if (batch.empty()) return ok();
  CONFLUX_RETURN_IF_ERROR(write_locked(batch));
  for (const auto& k : removed) {
    auto it = entries_.find(k);
    if (it == entries_.end()) continue;
    live_bytes_ -= it->second.size();
    entries_.erase(it);
  }
  if (!key.empty()) {
    auto it = entries_.find(key);
    if (it == entries_.end()) it = entries_.emplace(std::string(key), std::string()).first;
    live_bytes_ -= it->second.size();
    live_bytes_ += value.size();
    it->second = std::move(value);
  }
  return maybe_compact_locked();
}

std::optional<std::string> SessionJournal::get(std::string_view key) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> SessionJournal::keys() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const auto& [k, v] : entries_) out.push_back(k);
  return out;
}

std::size_t SessionJournal::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

std::uint64_t SessionJournal::file_bytes() const {
  std::lock_guard lock(mu_);
  return file_bytes_;
}

Status SessionJournal::maybe_compact_locked() {
  if (entries_.empty() && file_bytes_ > 0) {
    if (::ftruncate(fd_, 0) != 0) return io_error("cannot truncate", file_);
    file_bytes_ = 0;
    return ok();
  }
  if (file_bytes_ > kCompactAbove && file_bytes_ > 4 * (live_bytes_ + 64 * entries_.size()))
    return rewrite_locked();
  return ok();
}

Status SessionJournal::rewrite_locked() {
  auto tmp = file_;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("cannot open", tmp);
  std::string batch;
  std::uint64_t bytes = 0;
  for (const auto& [k, v] : entries_) {
    batch += encode(kPut, k, v);
    if (batch.size() > (1u << 20)) {
      if (auto s = write_all(fd, batch); !s) {
        ::close(fd);
        return s;
      }
      bytes += batch.size();
      batch.clear();
    }
  }
  if (auto s = write_all(fd, batch); !s) {
    ::close(fd);
    return s;
  }
  bytes += batch.size();
  if (sync_) ::fdatasync(fd);
  if (::rename(tmp.c_str(), file_.c_str()) != 0) {
    ::close(fd);
    return io_error("cannot rename to", file_);
  }
  ::close(fd_);
  fd_ = fd;
  file_bytes_ = bytes;
  return ok();
}

}  // namespace conflux::mqtt
