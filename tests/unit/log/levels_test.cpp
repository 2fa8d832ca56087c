// Tests for parse_log_level and parse_log_format.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "conflux/testing/matchers.h"
#include "core/log/logging.h"

namespace conflux::core {
namespace {

using testing::IsErrorWith;

TEST(ParseLogLevel, AcceptsEveryLevel) {
  EXPECT_EQ(parse_log_level("trace").value(), LogLevel::trace);
  EXPECT_EQ(parse_log_level("debug").value(), LogLevel::debug);
  EXPECT_EQ(parse_log_level("info").value(), LogLevel::info);
  EXPECT_EQ(parse_log_level("warn").value(), LogLevel::warn);
  EXPECT_EQ(parse_log_level("warning").value(), LogLevel::warn);
  EXPECT_EQ(parse_log_level("error").value(), LogLevel::error);
  EXPECT_EQ(parse_log_level("critical").value(), LogLevel::critical);
  EXPECT_EQ(parse_log_level("off").value(), LogLevel::off);
  EXPECT_EQ(parse_log_level("INFO").value(), LogLevel::info);
}

TEST(ParseLogLevel, RejectsUnknownListingValidValues) {
  EXPECT_THAT(parse_log_level("verbose"),
              IsErrorWith(ErrorCode::invalid_argument, "unknown log level 'verbose'"));
  EXPECT_THAT(parse_log_level(""),
              IsErrorWith(ErrorCode::invalid_argument,
                          "valid: trace, debug, info, warn, error, critical, off"));
}

TEST(ParseLogFormat, AcceptsTextAndJson) {
  EXPECT_EQ(parse_log_format("text").value(), LogFormat::text);
  EXPECT_EQ(parse_log_format("json").value(), LogFormat::json);
  EXPECT_EQ(parse_log_format("JSON").value(), LogFormat::json);
}

TEST(ParseLogFormat, RejectsUnknownListingValidValues) {
  EXPECT_THAT(parse_log_format("xml"), IsErrorWith(ErrorCode::invalid_argument,
                                                   "unknown log format 'xml' (valid: text, json)"));
}

}  // namespace
}  // namespace conflux::core
