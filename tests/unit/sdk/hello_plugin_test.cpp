// The example plugin tested the way plugin authors test theirs: FakeHost,
// no core.
#include <conflux/testing.h>
#include <conflux/testing/matchers.h>
#include <gtest/gtest.h>

#include <boost/dll/alias.hpp>

// The factory CONFLUX_PLUGIN(HelloPlugin) defines in hello.cpp.
namespace conflux_plugin_entry_ {
std::unique_ptr<conflux::Plugin> create();
}

namespace {

using conflux::HttpMethod;
using conflux::testing::IsOk;

TEST(HelloPlugin, GreetsWithConfiguredGreeting) {
  auto plugin = conflux_plugin_entry_::create();
  auto descriptor = plugin->describe();
  EXPECT_EQ(descriptor.name, "hello");
  conflux::testing::FakeHost host;
  host.set_config(descriptor, {{"greeting", std::string("Hej")}});
  ASSERT_THAT(plugin->start(host), IsOk());

  auto res = host.call(HttpMethod::get, "/hello?name=Ada%20L");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, R"({"greeting":"Hej, Ada L"})");
  EXPECT_EQ(host.call(HttpMethod::get, "/hello").body, R"({"greeting":"Hej, world"})");
  EXPECT_EQ(host.metrics().counter_value("conflux_hello_greetings_total"), 2u);
  EXPECT_TRUE(host.capture().contains("greeting with 'Hej'"));
  plugin->stop();
}

TEST(HelloPlugin, DefaultGreeting) {
  auto plugin = conflux_plugin_entry_::create();
  conflux::testing::FakeHost host;
  host.set_config(plugin->describe());
  ASSERT_THAT(plugin->start(host), IsOk());
  EXPECT_EQ(host.call(HttpMethod::get, "/hello").body, R"({"greeting":"Hello, world"})");
}

}  // namespace
