// Tests for parse_duration: units, combinations, fractions and rejects.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "conflux/testing/matchers.h"
#include "core/config/config.h"

namespace conflux::core {
namespace {

using std::chrono::milliseconds;
using testing::IsErrorWith;
using namespace std::chrono_literals;

TEST(ParseDuration, SingleUnits) {
  EXPECT_EQ(parse_duration("250ms").value(), 250ms);
  EXPECT_EQ(parse_duration("10s").value(), 10s);
  EXPECT_EQ(parse_duration("5m").value(), 5min);
  EXPECT_EQ(parse_duration("1h").value(), 1h);
  EXPECT_EQ(parse_duration("2d").value(), 48h);
  EXPECT_EQ(parse_duration("0s").value(), 0ms);
}

TEST(ParseDuration, BareIntegerIsSeconds) {
  EXPECT_EQ(parse_duration("30").value(), 30s);
  EXPECT_EQ(parse_duration("0").value(), 0ms);
}

TEST(ParseDuration, Combined) {
  EXPECT_EQ(parse_duration("1h30m").value(), 90min);
  EXPECT_EQ(parse_duration("1m30s500ms").value(), 90500ms);
  EXPECT_EQ(parse_duration("1d2h").value(), 26h);
}

TEST(ParseDuration, Fractions) {
  EXPECT_EQ(parse_duration("1.5s").value(), 1500ms);
  EXPECT_EQ(parse_duration("0.25h").value(), 15min);
  EXPECT_EQ(parse_duration(".5s").value(), 500ms);
  EXPECT_THAT(parse_duration("0.0001s"),
              IsErrorWith(ErrorCode::invalid_argument, "finer than a millisecond"));
  EXPECT_THAT(parse_duration("1.5"), IsErrorWith(ErrorCode::invalid_argument, "missing unit"));
}

TEST(ParseDuration, RejectsBadInput) {
  EXPECT_THAT(parse_duration(""), IsErrorWith(ErrorCode::invalid_argument, "empty"));
  EXPECT_THAT(parse_duration("-5s"), IsErrorWith(ErrorCode::invalid_argument, "negative"));
  EXPECT_THAT(parse_duration("abc"), IsErrorWith(ErrorCode::invalid_argument, "'abc'"));
  EXPECT_THAT(parse_duration("10x"), IsErrorWith(ErrorCode::invalid_argument, "unknown unit 'x'"));
  EXPECT_THAT(parse_duration("10 s"), IsErrorWith(ErrorCode::invalid_argument, "'10 s'"));
  EXPECT_THAT(parse_duration("5s1m"), IsErrorWith(ErrorCode::invalid_argument, "largest"));
  EXPECT_THAT(parse_duration("5s5s"), IsErrorWith(ErrorCode::invalid_argument, "largest"));
  EXPECT_THAT(parse_duration("1."), IsErrorWith(ErrorCode::invalid_argument, "digits"));
  EXPECT_THAT(parse_duration("+5s"), IsErrorWith(ErrorCode::invalid_argument, "number"));
  EXPECT_THAT(parse_duration("99999999999999999999"),
              IsErrorWith(ErrorCode::invalid_argument, "too large"));
  EXPECT_THAT(parse_duration("9999999999999999d"),
              IsErrorWith(ErrorCode::invalid_argument, "too large"));
}

}  // namespace
}  // namespace conflux::core
