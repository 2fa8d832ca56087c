#include "plugins/mqtt/inbound_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

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
  auto pending = log->pending();
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
    return (*InboundLog::open(dir / "copy", false))->pending().size();
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

}  // namespace
}  // namespace conflux::mqtt
