#include "plugins/mqtt/inbound_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "plugins/mqtt/session_journal.h"
#include "plugins/mqtt/topic_frame.h"

namespace conflux::mqtt {
namespace {

TEST(InboundLog, RecordedMessagesSurviveAReopenUntilRemoved) {
  auto dir =
      std::filesystem::temp_directory_path() / ("mqtt-inbound-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::string first, second;
  {
    auto log = std::move(*InboundLog::open(dir / "inbound", false));
    first = *log->record("things/a/messages", R"([{"v":1}])");
    second = *log->record("things/a/messages/x", std::string("\0bin", 4));
    auto third = *log->record("things/b/messages", "3");
    log->remove(third);
    EXPECT_LT(first, second);
  }
  auto log = std::move(*InboundLog::open(dir / "inbound", false));
  auto recovered = log->recover();
  EXPECT_TRUE(recovered.unreadable.empty());
  auto& pending = recovered.messages;
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].key, first);
  EXPECT_EQ(pending[0].topic, "things/a/messages");
  EXPECT_EQ(pending[0].payload, R"([{"v":1}])");
  EXPECT_EQ(pending[1].payload, std::string("\0bin", 4));
  // New keys continue after the recovered ones.
  auto next = *log->record("things/a/messages", "4");
  EXPECT_GT(next, second);
  std::filesystem::remove_all(dir);
}

// A removal rides on the next record's write, or is written at once when
// nothing else is pending. A copy of the file shows what a restart after a
// kill -9 would see.
TEST(InboundLog, RemovalsAreWrittenWithTheNextRecordOrWhenNothingIsPending) {
  auto dir = std::filesystem::temp_directory_path() /
             ("mqtt-inbound-removals-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  // Opened on a copy: opening compacts the file in place.
  auto on_disk = [&] {
    std::filesystem::copy_file(dir / "inbound", dir / "copy",
                               std::filesystem::copy_options::overwrite_existing);
    return (*InboundLog::open(dir / "copy", false))->recover().messages.size();
  };
  auto log = std::move(*InboundLog::open(dir / "inbound", false));
  auto a = *log->record("things/a/messages", "1");
  auto b = *log->record("things/a/messages", "2");
  log->remove(a);
  EXPECT_EQ(log->size(), 1u);
  EXPECT_EQ(on_disk(), 2u);  // a's removal is still held
  auto c = *log->record("things/a/messages", "3");
  EXPECT_EQ(on_disk(), 2u);  // b and c: a's removal went with c
  log->remove(b);
  log->remove(c);  // nothing else pending: written at once
  EXPECT_EQ(log->size(), 0u);
  EXPECT_EQ(on_disk(), 0u);
  std::filesystem::remove_all(dir);
}

// Entries that cannot be read (a damaged file, another key) are named once
// and removed: they are not replayed again and the file does not keep them.
TEST(InboundLog, UnreadableEntriesAreReportedOnceAndRemoved) {
  auto dir = std::filesystem::temp_directory_path() /
             ("mqtt-inbound-unreadable-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    auto journal = std::move(*SessionJournal::open(dir / "inbound"));
    auto good = encode_topic_frame("things/a/messages", "1");
    ASSERT_TRUE(journal->update({}, "m-0000000000000001", {good}));
    ASSERT_TRUE(journal->update({}, "m-0000000000000002", {"\x01\x02"}));  // too short
    // A topic length beyond the value's end.
    ASSERT_TRUE(journal->update({}, "m-0000000000000003", {std::string("\x40\0\0\0abc", 7)}));
    ASSERT_TRUE(journal->update({}, "other", {good}));  // not an inbound key
  }
  {
    auto log = std::move(*InboundLog::open(dir / "inbound", false));
    auto recovered = log->recover();
    ASSERT_EQ(recovered.messages.size(), 1u);
    EXPECT_EQ(recovered.messages[0].key, "m-0000000000000001");
    EXPECT_EQ(recovered.messages[0].topic, "things/a/messages");
    EXPECT_EQ(recovered.unreadable,
              (std::vector<std::string>{"m-0000000000000002", "m-0000000000000003", "other"}));
    EXPECT_TRUE(recovered.removed) << recovered.removed.error().message;
    EXPECT_EQ(log->size(), 1u);
    EXPECT_TRUE(log->recover().unreadable.empty());
  }
  // Removed on disk as well: the next start sees only the readable entry.
  {
    auto journal = std::move(*SessionJournal::open(dir / "inbound"));
    EXPECT_EQ(journal->keys(), (std::vector<std::string>{"m-0000000000000001"}));
  }
  auto log = std::move(*InboundLog::open(dir / "inbound", false));
  auto recovered = log->recover();
  EXPECT_TRUE(recovered.unreadable.empty());
  EXPECT_EQ(recovered.messages.size(), 1u);
  std::filesystem::remove_all(dir);
}

// The stored value is a topic frame: entries written by earlier versions
// (topic length u32 LE | topic | payload) still decode.
TEST(InboundLog, AnEntryInTheStoredFormatDecodes) {
  auto dir = std::filesystem::temp_directory_path() /
             ("mqtt-inbound-format-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    auto journal = std::move(*SessionJournal::open(dir / "inbound"));
    ASSERT_TRUE(journal->update({}, "m-000000000000002a",
                                {std::string("\x11\0\0\0things/a/messages[{\"v\":1}]", 30)}));
  }
  auto log = std::move(*InboundLog::open(dir / "inbound", false));
  auto recovered = log->recover();
  ASSERT_EQ(recovered.messages.size(), 1u);
  EXPECT_EQ(recovered.messages[0].topic, "things/a/messages");
  EXPECT_EQ(recovered.messages[0].payload, R"([{"v":1}])");
  // Recorded the same way.
  auto key = *log->record("things/a/messages", R"([{"v":1}])");
  EXPECT_EQ(key, "m-000000000000002b");
  log.reset();
  auto journal = std::move(*SessionJournal::open(dir / "inbound"));
  EXPECT_EQ(journal->get(key), std::string("\x11\0\0\0things/a/messages[{\"v\":1}]", 30));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace conflux::mqtt
