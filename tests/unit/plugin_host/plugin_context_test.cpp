// tests/unit/plugin_host — PluginContext, the Host a plugin receives: the
// route gate, set_state bookkeeping, find_interface and the services it lends.
//
// Thread-safety: single-threaded test use.
#include "core/plugin_host/plugin_context.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "conflux/testing.h"
#include "conflux/testing/matchers.h"

namespace conflux::core {
namespace {

using ::conflux::testing::IsErrorWith;
using ::conflux::testing::IsOk;

struct Capability {
  static constexpr std::string_view kInterfaceName = "test.capability";
  int value = 7;
};

class PluginContextTest : public ::testing::Test {
 protected:
  PluginContextTest() {
    services.io = &io;
    services.clock = &clock;
    services.routes = &routes;
    services.http_client = &http_client;
    services.metrics = &metrics;
    services.find_interface = [this](std::string_view plugin, std::string_view name) -> void* {
      return plugin == "ctx" && name == Capability::kInterfaceName ? &capability : nullptr;
    };
    PluginInfo info;
    info.name = "ctx";
    index = states.add(info);
    context = std::make_unique<PluginContext>(
        "ctx", index, services, std::make_unique<testing::CaptureLogger>(),
        ConfigSection("plugins.ctx", {{"port", std::int64_t{8080}}}), states);
  }

  Status add_route(std::string_view path) {
    return context->routes().add(HttpMethod::get, path, [](HttpRequest, HttpReply) {});
  }

  testing::CaptureLogger host_log;
  boost::asio::io_context io;
  testing::FakeClock clock;
  testing::FakeRoutes routes;
  testing::FakeHttpClient http_client;
  testing::FakeMetrics metrics;
  Capability capability;
  PluginServices services;
  PluginStates states{host_log, &metrics};
  std::size_t index = 0;
  std::unique_ptr<PluginContext> context;
};

TEST_F(PluginContextTest, RoutesOpenOnlyDuringStart) {
  EXPECT_THAT(add_route("/before"), IsErrorWith(ErrorCode::failed_precondition, "ctx"));
  context->begin_start();
  EXPECT_THAT(add_route("/during"), IsOk());
  EXPECT_THAT(add_route("/during"), IsErrorWith(ErrorCode::already_exists, "/during"));
  context->end_start();
  EXPECT_THAT(add_route("/after"),
              IsErrorWith(ErrorCode::failed_precondition, "only during start()"));
  EXPECT_EQ(routes.size(), 1u);
}

TEST_F(PluginContextTest, SetStateIsRecordedLoggedAndReported) {
  context->begin_start();
  context->set_state(PluginState::degraded, "broker unreachable");
  EXPECT_TRUE(context->end_start()) << "the plugin reported a state itself";
  auto info = states.find("ctx");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->state, PluginState::degraded);
  EXPECT_EQ(info->detail, "broker unreachable");
  EXPECT_TRUE(host_log.contains("plugin ctx: degraded (broker unreachable)"));
  EXPECT_EQ(
      metrics.gauge("conflux_plugin_state", "", {{"plugin", "ctx"}, {"state", "degraded"}}).value(),
      1.0);

  context->begin_start();
  EXPECT_FALSE(context->end_start()) << "reset by the next start";
}

TEST_F(PluginContextTest, SetStateIsIgnoredWhenNotActive) {
  context->set_state(PluginState::running, "too early");
  EXPECT_EQ(states.state(index), PluginState::loaded);
  context->begin_start();
  context->end_start();
  context->retire();
  context->set_state(PluginState::running, "too late");
  EXPECT_EQ(states.state(index), PluginState::loaded);
}

TEST_F(PluginContextTest, FindsInterfacesThroughTheServices) {
  Capability* found = context->find<Capability>();
  ASSERT_EQ(found, &capability);
  EXPECT_EQ(found->value, 7);
  EXPECT_EQ(context->find_interface("other"), nullptr);

  services.find_interface = nullptr;
  EXPECT_EQ(context->find_interface(Capability::kInterfaceName), nullptr);
}

TEST_F(PluginContextTest, LendsTheSharedServicesAndItsConfig) {
  EXPECT_EQ(&context->io(), &io);
  EXPECT_EQ(&context->clock(), &clock);
  EXPECT_EQ(&context->http_client(), &http_client);
  EXPECT_EQ(&context->metrics(), &metrics);
  EXPECT_EQ(context->config().name(), "plugins.ctx");
  EXPECT_EQ(context->config().get_int("port"), 8080);
}

}  // namespace
}  // namespace conflux::core
