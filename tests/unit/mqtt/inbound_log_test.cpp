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

}  // namespace
}  // namespace conflux::mqtt
