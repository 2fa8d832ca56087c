// tests/unit/plugin_host — start and stop: failures isolated per plugin,
// degraded state, start order from `after`, reverse stop, cycles, routes only
// during start(), the state gauge, and teardown.
//
// Thread-safety: single-threaded test use.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plugin_host_harness.h"

namespace conflux::core::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class PluginLifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override { h.make(); }
  Harness h;
};

TEST_F(PluginLifecycleTest, FailingStartsAreIsolatedAndReported) {
  h.load({"good", "start_fails", "start_throws", "degraded"});
  h.host->start_all();

  PluginInfo fails = h.info("start_fails");
  EXPECT_EQ(fails.state, PluginState::failed);
  EXPECT_EQ(fails.detail, "start failed: broker refused connection");
  PluginInfo throws = h.info("start_throws");
  EXPECT_EQ(throws.state, PluginState::failed);
  EXPECT_EQ(throws.detail, "start threw: start exploded");
  PluginInfo degraded = h.info("degraded");
  EXPECT_EQ(degraded.state, PluginState::degraded);
  EXPECT_EQ(degraded.detail, "broker unreachable");

  EXPECT_EQ(h.info("good").state, PluginState::running);
  EXPECT_EQ(h.get("/good").status, 200);
  EXPECT_TRUE(h.host_log.contains("plugin start_fails: failed (start failed: broker refused"));
}

TEST_F(PluginLifecycleTest, StateGaugeMarksOnlyTheCurrentState) {
  h.load({"good", "start_fails", "degraded"});
  EXPECT_EQ(h.gauge("good", PluginState::loaded), 1.0);
  h.host->start_all();

  EXPECT_EQ(h.gauge("good", PluginState::running), 1.0);
  EXPECT_EQ(h.gauge("good", PluginState::loaded), 0.0);
  EXPECT_EQ(h.gauge("good", PluginState::starting), 0.0);
  EXPECT_EQ(h.gauge("start_fails", PluginState::failed), 1.0);
  EXPECT_EQ(h.gauge("start_fails", PluginState::starting), 0.0);
  EXPECT_EQ(h.gauge("degraded", PluginState::degraded), 1.0);
  EXPECT_EQ(h.gauge("degraded", PluginState::running), 0.0);

  h.host->stop_all();
  EXPECT_EQ(h.gauge("good", PluginState::stopped), 1.0);
  EXPECT_EQ(h.gauge("good", PluginState::running), 0.0);
  EXPECT_EQ(h.gauge("degraded", PluginState::stopped), 1.0);
  EXPECT_EQ(h.gauge("start_fails", PluginState::failed), 1.0) << "never started, never stopped";
}

TEST_F(PluginLifecycleTest, StartFollowsAfterAndStopIsReversed) {
  // dep_a follows dep_b, against name order; good has no dependencies.
  h.load({"dep_a", "good", "dep_b"});
  h.host->start_all();
  EXPECT_THAT(h.plugin_lines(" started"),
              ElementsAre("[plugin:dep_b] dep_b started", "[plugin:dep_a] dep_a started",
                          "[plugin:good] good started"));
  h.host->stop_all();
  EXPECT_THAT(h.plugin_lines(" stopped"),
              ElementsAre("[plugin:good] good stopped", "[plugin:dep_a] dep_a stopped",
                          "[plugin:dep_b] dep_b stopped"));
  for (auto name : {"dep_a", "dep_b", "good"}) {
    EXPECT_EQ(h.info(name).state, PluginState::stopped) << name;
  }
}

TEST_F(PluginLifecycleTest, PluginsOnADependencyCycleFail) {
  h.load({"cycle_x", "cycle_y", "good"});
  h.host->start_all();
  for (auto name : {"cycle_x", "cycle_y"}) {
    PluginInfo info = h.info(name);
    EXPECT_EQ(info.state, PluginState::failed) << name;
    EXPECT_THAT(info.detail, HasSubstr("dependency cycle")) << name;
  }
  EXPECT_TRUE(h.plugin_lines("cycle_").empty()) << "neither was started";
  EXPECT_EQ(h.info("good").state, PluginState::running);
}

TEST_F(PluginLifecycleTest, APluginWhoseDependencyFailedStillStarts) {
  h.load({"after_fails", "start_fails"});
  h.host->start_all();
  EXPECT_EQ(h.info("start_fails").state, PluginState::failed);
  EXPECT_EQ(h.info("after_fails").state, PluginState::running);
  EXPECT_TRUE(h.host_log.contains("after_fails: starting although start_fails"));
}

TEST_F(PluginLifecycleTest, RoutesAreRefusedOutsideStart) {
  h.load({"good"});
  h.host->start_all();
  ASSERT_EQ(h.routes.size(), 3u);
  auto late = h.get("/good/late");
  EXPECT_EQ(late.status, 409);
  EXPECT_THAT(late.body, HasSubstr("routes may be registered only during start()"));
  EXPECT_EQ(h.routes.size(), 3u);
  EXPECT_EQ(h.get("/late").status, 404);
}

TEST_F(PluginLifecycleTest, PluginLoggerIsScopedToThePlugin) {
  h.load({"good"});
  h.host->start_all();
  EXPECT_TRUE(h.plugin_log.contains("[plugin:good] good started"));
}

TEST_F(PluginLifecycleTest, StartAllAndStopAllAreIdempotent) {
  h.load({"good", "start_fails"});
  h.host->start_all();
  h.host->start_all();
  EXPECT_EQ(h.plugin_lines("good started").size(), 1u);
  h.host->stop_all();
  h.host->stop_all();
  EXPECT_EQ(h.plugin_lines("good stopped").size(), 1u);
  EXPECT_EQ(h.info("start_fails").state, PluginState::failed);
}

TEST_F(PluginLifecycleTest, APluginLoadedLaterStartsOnTheNextStartAll) {
  h.load({"dep_b"});
  h.host->start_all();
  h.load({"good"});
  EXPECT_EQ(h.info("good").state, PluginState::loaded);
  h.host->start_all();
  EXPECT_EQ(h.info("good").state, PluginState::running);
  EXPECT_EQ(h.plugin_lines("dep_b started").size(), 1u);
}

TEST_F(PluginLifecycleTest, DestroyingTheHostStopsRunningPlugins) {
  h.load({"good", "dep_b"});
  h.host->start_all();
  h.host.reset();
  EXPECT_THAT(h.plugin_lines(" stopped"),
              ElementsAre("[plugin:good] good stopped", "[plugin:dep_b] dep_b stopped"));
}

TEST_F(PluginLifecycleTest, RouteHandlersMayBeDestroyedAfterTheHost) {
  // The router owns handlers whose code lives in the plugin library and may
  // drop them after the host has unloaded it.
  h.load({"good"});
  h.host->start_all();
  h.host.reset();
  { auto routes = std::move(h.routes); }
  EXPECT_EQ(h.routes.size(), 0u);
}

TEST_F(PluginLifecycleTest, MissingServicesFailPluginsInsteadOfStartingThem) {
  PluginServices services = h.services();
  services.routes = nullptr;
  h.make_with(std::move(services));
  h.load({"good"});
  h.host->start_all();
  EXPECT_EQ(h.info("good").state, PluginState::failed);
  EXPECT_EQ(h.info("good").detail, "host service missing: routes");
}

TEST_F(PluginLifecycleTest, PluginLoggerFallsBackToTheHostLogger) {
  PluginServices services = h.services();
  services.make_logger = nullptr;
  h.make_with(std::move(services));
  h.load({"good"});
  h.host->start_all();
  EXPECT_TRUE(h.host_log.contains("[plugin:good] good started"));
}

}  // namespace
}  // namespace conflux::core::test
