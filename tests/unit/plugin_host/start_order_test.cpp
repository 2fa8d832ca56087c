// tests/unit/plugin_host — plan_start_order: name order, `after`, unknown
// names, chains and cycles.
//
// Thread-safety: single-threaded test use.
#include "core/plugin_host/start_order.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace conflux::core {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(StartOrder, IndependentPluginsStartByName) {
  auto plan = plan_start_order({{"mqtt", {}}, {"http", {}}, {"rest", {}}});
  EXPECT_THAT(plan.order, ElementsAre("http", "mqtt", "rest"));
  EXPECT_THAT(plan.cyclic, IsEmpty());
}

TEST(StartOrder, AfterWinsOverNameOrder) {
  auto plan = plan_start_order({{"a", {"c"}}, {"b", {}}, {"c", {}}});
  EXPECT_THAT(plan.order, ElementsAre("b", "c", "a"));
}

TEST(StartOrder, ChainsStartInDependencyOrder) {
  auto plan = plan_start_order({{"a", {"b"}}, {"b", {"c"}}, {"c", {}}});
  EXPECT_THAT(plan.order, ElementsAre("c", "b", "a"));
}

TEST(StartOrder, UnknownAndRepeatedNamesAreIgnored) {
  auto plan = plan_start_order({{"a", {"missing", "b", "b"}}, {"b", {"absent"}}});
  EXPECT_THAT(plan.order, ElementsAre("b", "a"));
}

TEST(StartOrder, CyclesAreLeftOutAndTheirFollowersStillStart) {
  auto plan = plan_start_order(
      {{"x", {"y"}}, {"y", {"x"}}, {"after_x", {"x"}}, {"self", {"self"}}, {"free", {}}});
  EXPECT_THAT(plan.cyclic, ElementsAre("self", "x", "y"));
  EXPECT_THAT(plan.order, ElementsAre("after_x", "free"));
}

TEST(StartOrder, EmptyInputGivesAnEmptyPlan) {
  auto plan = plan_start_order({});
  EXPECT_THAT(plan.order, IsEmpty());
  EXPECT_THAT(plan.cyclic, IsEmpty());
}

}  // namespace
}  // namespace conflux::core
