// plugins/mqtt — InboundLog.
#include "inbound_log.h"

#include <fmt/format.h>

#include <charconv>
#include <cstring>

#include "topic_frame.h"

namespace conflux::mqtt {
namespace {

constexpr std::string_view kPrefix = "m-";

std::optional<std::uint64_t> key_number(std::string_view key) {
  if (!key.starts_with(kPrefix)) return std::nullopt;
  std::uint64_t n = 0;
  auto digits = key.substr(kPrefix.size());
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n, 16);
  if (ec != std::errc() || p != digits.data() + digits.size()) return std::nullopt;
  return n;
}

}  // namespace

Result<std::unique_ptr<InboundLog>> InboundLog::open(const std::filesystem::path& file, bool sync) {
  CONFLUX_ASSIGN_OR_RETURN(auto journal, SessionJournal::open(file, sync));
  std::uint64_t next = 1;
  for (const auto& key : journal->keys())
    if (auto n = key_number(key)) next = std::max(next, *n + 1);
  return std::unique_ptr<InboundLog>(new InboundLog(std::move(journal), next));
}

Result<std::string> InboundLog::record(std::string_view topic, std::string_view payload) {
  std::string key = fmt::format("m-{:016x}", next_.fetch_add(1));
  auto header = topic_frame_header(topic);
  std::vector<std::string> removed;
  {
    std::lock_guard lock(mu_);
    removed.swap(removals_);
  }
  auto status = journal_->update(removed, key,
                                 {std::string_view(header.data(), header.size()), topic, payload});
  if (!status) {
    std::lock_guard lock(mu_);
    removals_.insert(removals_.end(), removed.begin(), removed.end());
    return std::unexpected(status.error());
  }
  return key;
}

void InboundLog::remove(const std::string& key) {
  std::lock_guard lock(mu_);
  removals_.push_back(key);
  // Nothing else pending: no record would carry the removals soon.
  if (removals_.size() >= journal_->size()) flush_locked();
}

void InboundLog::flush_locked() const {
  if (removals_.empty()) return;
  (void)journal_->update(removals_, {}, {});
  removals_.clear();
}

InboundLog::~InboundLog() {
  std::lock_guard lock(mu_);
  flush_locked();
}

std::size_t InboundLog::size() const {
  std::lock_guard lock(mu_);
  auto n = journal_->size();
  return n > removals_.size() ? n - removals_.size() : 0;
}

RecoveredMessages InboundLog::recover() {
  std::lock_guard lock(mu_);
  flush_locked();
  RecoveredMessages out;
  for (const auto& key : journal_->keys()) {
    auto value = journal_->get(key);
    Result<TopicFrame> frame = fail(ErrorCode::not_found, "no value");
    if (value) frame = decode_topic_frame(*value);
    if (!key_number(key) || !frame) {
      out.unreadable.push_back(key);
      continue;
    }
    out.messages.push_back({key, std::string(frame->topic), std::string(frame->payload)});
  }
  if (!out.unreadable.empty()) out.removed = journal_->update(out.unreadable, {}, {});
  return out;
}

}  // namespace conflux::mqtt
