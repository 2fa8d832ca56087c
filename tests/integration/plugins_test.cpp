// The plugin host inside the real binary: a directory full of good, refused
// and failing plugins; the runtime serves regardless and reports each one.
#include <gtest/gtest.h>

#include "tests/support/conflux_process.h"
#include "tests/support/http_test_client.h"

namespace {

using conflux::test::ConfluxProcess;
using conflux::test::http_request;

constexpr const char* kFixtures = CONFLUX_FIXTURE_PLUGINS;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(Plugins, RuntimeSurvivesBadPluginsAndReportsThem) {
  ConfluxProcess conflux({.env = {{"CONFLUX_PLUGINS_DIR", kFixtures},
                                  {"CONFLUX_GOOD_GREETING", "hej"}},
                          .config_toml = "[plugins.good]\ncount = 7\n"});
  ASSERT_TRUE(conflux.wait_ready()) << conflux.log();
  auto port = conflux.port();

  // The good plugin works and sees its config: env override + file value.
  EXPECT_EQ(http_request("127.0.0.1", port, "GET", "/good").body, "good");
  EXPECT_EQ(http_request("127.0.0.1", port, "GET", "/good/config").body, "hej x7");
  // Routes cannot be added after start.
  EXPECT_EQ(http_request("127.0.0.1", port, "GET", "/good/late").status, 409);

  auto health = http_request("127.0.0.1", port, "GET", "/health");
  EXPECT_EQ(health.status, 200);
  const auto& h = health.body;
  EXPECT_TRUE(contains(h, R"("status":"warn")")) << h;
  EXPECT_TRUE(contains(h, R"("plugin:good":[{"status":"pass","observedValue":"running")")) << h;
  EXPECT_TRUE(contains(h, R"("plugin:start_throws":[{"status":"warn","observedValue":"failed")")) << h;
  EXPECT_TRUE(contains(h, R"("plugin:start_fails":[{"status":"warn","observedValue":"failed")")) << h;
  EXPECT_TRUE(contains(h, R"("observedValue":"degraded","output":"broker unreachable")")) << h;
  EXPECT_TRUE(contains(h, "abi_major")) << h;
  // Disabled (not configured) plugins are not health failures.
  EXPECT_FALSE(contains(h, "plugin:needs_key")) << h;

  auto metrics = http_request("127.0.0.1", port, "GET", "/metrics").body;
  EXPECT_TRUE(contains(metrics, R"(conflux_plugin_state{plugin="degraded",state="degraded"} 1)"))
      << metrics;
  EXPECT_TRUE(contains(metrics, R"(conflux_plugin_state{plugin="good",state="running"} 1)"))
      << metrics;

  auto log = conflux.log();
  EXPECT_TRUE(contains(log, "conflux-plugin-abi_major.so")) << log;
  EXPECT_TRUE(contains(log, "ABI")) << log;

  EXPECT_EQ(conflux.stop(), 0) << conflux.log();
  EXPECT_TRUE(contains(conflux.log(), "good stopped"));
}

TEST(Plugins, InvalidPluginSectionFailsOnlyThatPlugin) {
  ConfluxProcess conflux({.env = {{"CONFLUX_PLUGINS_DIR", kFixtures}},
                          .config_toml = "[plugins.good]\ncolour = \"blue\"\n"});
  ASSERT_TRUE(conflux.wait_ready()) << conflux.log();
  auto health = http_request("127.0.0.1", conflux.port(), "GET", "/health").body;
  EXPECT_TRUE(contains(health, "plugins.good.colour")) << health;
  EXPECT_EQ(http_request("127.0.0.1", conflux.port(), "GET", "/good").status, 404);
  EXPECT_EQ(http_request("127.0.0.1", conflux.port(), "GET", "/health").status, 200);
}

TEST(Plugins, ListAndDescribe) {
  {
    ConfluxProcess list({.args = {"plugins", "--dir", kFixtures, "list"}});
    ASSERT_EQ(list.wait_exit(), 0) << list.log();
    auto out = list.log();
    EXPECT_TRUE(contains(out, "good")) << out;
    EXPECT_TRUE(contains(out, "1.2.3")) << out;
    EXPECT_TRUE(contains(out, "refused")) << out;
    EXPECT_TRUE(contains(out, "abi_major")) << out;
  }
  {
    ConfluxProcess describe({.args = {"plugins", "--dir", kFixtures, "describe", "good"}});
    ASSERT_EQ(describe.wait_exit(), 0) << describe.log();
    auto out = describe.log();
    EXPECT_TRUE(contains(out, "[plugins.good]")) << out;
    EXPECT_TRUE(contains(out, "greeting")) << out;
    EXPECT_TRUE(contains(out, "\"hello\"")) << out;
    EXPECT_TRUE(contains(out, "count")) << out;
    EXPECT_TRUE(contains(out, "integer")) << out;
  }
  {
    ConfluxProcess missing({.args = {"plugins", "--dir", kFixtures, "describe", "nope"}});
    EXPECT_EQ(missing.wait_exit(), 1);
    EXPECT_TRUE(contains(missing.log(), "no plugin named 'nope'"));
  }
}

}  // namespace
