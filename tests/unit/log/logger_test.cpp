// Tests for the process logger: scoped loggers, level filtering and the lines
// written to the configured destination.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <vector>

#include "core/log/log_output.h"
#include "core/log/logging.h"

namespace conflux::core {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class LoggerTest : public ::testing::Test {
 protected:
  void TearDown() override { init_logging(LogLevel::info, LogFormat::text); }
  std::ostringstream out_;
};

TEST_F(LoggerTest, TextLineCarriesTimeLevelScopeAndMessage) {
  init_logging_to(out_, LogLevel::info, LogFormat::text);
  make_logger("plugin:mqtt")->info("connected to {} on port {}", "broker", 1883);
  auto lines = lines_of(out_.str());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0], MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                                     "\\.[0-9]{3}Z info \\[plugin:mqtt\\] connected to broker "
                                     "on port 1883"));
}

TEST_F(LoggerTest, JsonLinesAreValidAndEscaped) {
  init_logging_to(out_, LogLevel::debug, LogFormat::json);
  auto logger = make_logger("core:\"http\"");
  logger->warn("bad payload {}", "{\"a\":\n1}\\");
  logger->debug("second");
  auto lines = lines_of(out_.str());
  ASSERT_EQ(lines.size(), 2u);
  auto first = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(first["level"], "warn");
  EXPECT_EQ(first["scope"], "core:\"http\"");
  EXPECT_EQ(first["msg"], "bad payload {\"a\":\n1}\\");
  EXPECT_THAT(first["time"].get<std::string>(),
              MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z"));
  EXPECT_EQ(nlohmann::json::parse(lines[1])["level"], "debug");
}

TEST_F(LoggerTest, LevelFilteringSuppressesLowerLevels) {
  init_logging_to(out_, LogLevel::info, LogFormat::text);
  auto logger = make_logger("s");
  EXPECT_FALSE(logger->enabled(LogLevel::trace));
  EXPECT_FALSE(logger->enabled(LogLevel::debug));
  EXPECT_TRUE(logger->enabled(LogLevel::info));
  EXPECT_TRUE(logger->enabled(LogLevel::error));
  EXPECT_FALSE(logger->enabled(LogLevel::off));
  logger->debug("hidden");
  logger->write(LogLevel::trace, "hidden too");
  logger->info("shown");
  logger->error("also shown");
  std::string text = out_.str();
  EXPECT_THAT(text, ::testing::Not(HasSubstr("hidden")));
  EXPECT_THAT(text, HasSubstr("info [s] shown"));
  EXPECT_THAT(text, HasSubstr("error [s] also shown"));
}

TEST_F(LoggerTest, OffSilencesEverything) {
  init_logging_to(out_, LogLevel::off, LogFormat::text);
  auto logger = make_logger("s");
  EXPECT_FALSE(logger->enabled(LogLevel::critical));
  logger->write(LogLevel::critical, "nothing");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(LoggerTest, LoggersMadeBeforeInitFollowIt) {
  auto logger = make_logger("early");
  init_logging_to(out_, LogLevel::debug, LogFormat::json);
  EXPECT_TRUE(logger->enabled(LogLevel::debug));
  logger->debug("after init");
  EXPECT_EQ(nlohmann::json::parse(out_.str())["scope"], "early");
}

TEST_F(LoggerTest, DirectSpdlogCallsShareTheSink) {
  init_logging_to(out_, LogLevel::info, LogFormat::json);
  spdlog::info("from spdlog {}", 7);
  spdlog::debug("filtered");
  auto lines = lines_of(out_.str());
  ASSERT_EQ(lines.size(), 1u);
  auto json = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(json["scope"], "conflux");
  EXPECT_EQ(json["msg"], "from spdlog 7");
}

TEST_F(LoggerTest, ConcurrentWritersProduceWholeLines) {
  init_logging_to(out_, LogLevel::info, LogFormat::json);
  constexpr int kThreads = 4;
  constexpr int kLines = 200;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t] {
      auto logger = make_logger("thread:" + std::to_string(t));
      for (int i = 0; i < kLines; ++i) logger->info("line {} of thread {}", i, t);
    });
  }
  for (auto& thread : threads) thread.join();
  auto lines = lines_of(out_.str());
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kThreads * kLines));
  for (const auto& line : lines) {
    auto json = nlohmann::json::parse(line);
    EXPECT_THAT(json["msg"].get<std::string>(),
                HasSubstr("of thread " + json["scope"].get<std::string>().substr(7)));
  }
}

}  // namespace
}  // namespace conflux::core
