// Status / Result helpers and the gtest matchers.
#include <conflux/status.h>
#include <conflux/testing/matchers.h>
#include <gtest/gtest.h>

namespace {

using conflux::ErrorCode;
using conflux::Result;
using conflux::Status;
using conflux::testing::IsError;
using conflux::testing::IsErrorWith;
using conflux::testing::IsOk;

Result<int> parse_positive(int v) {
  if (v <= 0) return conflux::fail(ErrorCode::invalid_argument, "must be positive");
  return v;
}

Result<int> doubled(int v) {
  CONFLUX_ASSIGN_OR_RETURN(int x, parse_positive(v));
  return 2 * x;
}

Status check(int v) {
  CONFLUX_RETURN_IF_ERROR(parse_positive(v));
  return conflux::ok();
}

TEST(Status, AssignOrReturnPropagatesValueAndError) {
  EXPECT_EQ(*doubled(21), 42);
  auto bad = doubled(-1);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(bad.error().message, "must be positive");
}

TEST(Status, ReturnIfErrorPropagates) {
  EXPECT_THAT(check(1), IsOk());
  EXPECT_THAT(check(0), IsError(ErrorCode::invalid_argument));
  EXPECT_THAT(check(0), IsErrorWith(ErrorCode::invalid_argument, "positive"));
  EXPECT_THAT(check(0), ::testing::Not(IsError(ErrorCode::not_found)));
}

TEST(Status, CodesHaveNames) {
  EXPECT_EQ(conflux::to_string(ErrorCode::not_found), "not_found");
  EXPECT_EQ(conflux::to_string(ErrorCode::unavailable), "unavailable");
}

}  // namespace
