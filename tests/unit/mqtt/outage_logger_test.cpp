// OutageLogger: repeated warnings during a broker outage are limited.
#include "plugins/mqtt/outage_logger.h"

#include <gtest/gtest.h>

#include "conflux/testing.h"

namespace conflux::mqtt {
namespace {

using namespace std::chrono_literals;
using testing::CaptureLogger;
using testing::FakeClock;

std::vector<std::string> at(const CaptureLogger& log, LogLevel level) {
  std::vector<std::string> out;
  for (const auto& line : log.lines())
    if (line.level == level) out.push_back(line.text);
  return out;
}

TEST(OutageLogger, LimitsWarningsWhileTheBrokerStaysAway) {
  CaptureLogger inner;
  FakeClock clock;
  OutageLogger log(inner, clock, 5min);

  log.warn("unavailable 1");  // the failure that starts the outage
  log.set_connected(false);
  for (int i = 2; i <= 10; ++i) {
    clock.advance(20s);
    log.warn("unavailable {}", i);
    log.set_connected(false);
  }
  log.info("other info");
  log.error("other error");
  EXPECT_EQ(at(inner, LogLevel::warn), std::vector<std::string>{"unavailable 1"});
  EXPECT_EQ(at(inner, LogLevel::debug).size(), 9u);
  EXPECT_EQ(at(inner, LogLevel::info), std::vector<std::string>{"other info"});
  EXPECT_EQ(at(inner, LogLevel::error), std::vector<std::string>{"other error"});

  clock.advance(5min);  // a reminder with the count held back
  log.warn("unavailable 11");
  EXPECT_EQ(at(inner, LogLevel::warn).back(),
            "unavailable 11 (9 more since the last warning, logged at debug)");

  log.set_connected(true);  // the outage ends: warnings pass again
  log.warn("lost");
  EXPECT_EQ(at(inner, LogLevel::warn).back(), "lost");
  log.set_connected(false);
  clock.advance(1s);
  log.warn("still lost");
  EXPECT_EQ(at(inner, LogLevel::warn).back(), "lost");
  EXPECT_EQ(at(inner, LogLevel::debug).back(), "still lost");
}

TEST(OutageLogger, WarningsPassWhileConnected) {
  CaptureLogger inner;
  FakeClock clock;
  OutageLogger log(inner, clock);
  log.set_connected(true);
  log.warn("a");
  log.warn("b");
  EXPECT_EQ(at(inner, LogLevel::warn), (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace conflux::mqtt
