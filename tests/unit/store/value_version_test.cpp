// Tests for the value version byte helpers and the data-loss error.
// Thread-safety: pure functions, single-threaded tests.
#include "core/store/value_version.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace conflux::core::store {
namespace {

TEST(ValueVersion, RoundTrips) {
  auto v = versioned(1, "body");
  EXPECT_EQ(v.size(), 5u);
  auto body = unversioned(v, 1, "row");
  ASSERT_TRUE(body);
  EXPECT_EQ(*body, "body");
  EXPECT_EQ(*value_version(v, "row"), 1);
}

TEST(ValueVersion, UnknownVersionIsDataLoss) {
  auto body = unversioned(versioned(7, "x"), 1, "things row");
  ASSERT_FALSE(body);
  EXPECT_TRUE(is_data_loss(body.error()));
  EXPECT_THAT(body.error().message, ::testing::HasSubstr("things row"));
  EXPECT_THAT(body.error().message, ::testing::HasSubstr("version 7"));
  auto empty = unversioned("", 1, "row");
  ASSERT_FALSE(empty);
  EXPECT_TRUE(is_data_loss(empty.error()));
  EXPECT_FALSE(is_data_loss(Error{ErrorCode::internal, "other"}));
}

}  // namespace
}  // namespace conflux::core::store
