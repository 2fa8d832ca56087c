// The plugin host inside the real binary: a directory full of good, refused
// and failing plugins; the runtime serves regardless and reports each one.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <thread>

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
  ConfluxProcess conflux(
      {.env = {{"CONFLUX_PLUGINS_DIR", kFixtures}, {"CONFLUX_GOOD_GREETING", "hej"}},
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
  EXPECT_TRUE(contains(h, R"("plugin:start_throws":[{"status":"warn","observedValue":"failed")"))
      << h;
  EXPECT_TRUE(contains(h, R"("plugin:start_fails":[{"status":"warn","observedValue":"failed")"))
      << h;
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

// Polls /health until it contains `needle` (the plugin retries on its own
// schedule; this only bounds how long the test waits).
bool health_eventually(std::uint16_t port, const std::string& needle) {
  for (int i = 0; i < 300; ++i) {
    if (contains(http_request("127.0.0.1", port, "GET", "/health").body, needle)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TEST(Plugins, UnreachableComponentDegradesThenRecovers) {
  // Reserve a port, then close it so nothing listens there yet.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor reserve(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  auto port = reserve.local_endpoint().port();
  reserve.close();

  ConfluxProcess conflux(
      {.env = {{"CONFLUX_PLUGINS_DIR", CONFLUX_INTEGRATION_PLUGINS},
               {"CONFLUX_PROBE_ENDPOINT", "127.0.0.1:" + std::to_string(port)}}});
  ASSERT_TRUE(conflux.wait_ready()) << conflux.log();
  EXPECT_TRUE(health_eventually(conflux.port(),
                                R"("plugin:probe":[{"status":"warn","observedValue":"degraded")"))
      << conflux.log();
  auto metrics = http_request("127.0.0.1", conflux.port(), "GET", "/metrics").body;
  EXPECT_TRUE(contains(metrics, R"(conflux_plugin_state{plugin="probe",state="degraded"} 1)"));
  EXPECT_TRUE(conflux.wait_for_log("retry in")) << conflux.log();

  // The component comes up: the plugin reconnects by itself.
  boost::asio::ip::tcp::acceptor peer(io, {boost::asio::ip::make_address("127.0.0.1"), port});
  boost::asio::ip::tcp::socket accepted(io);
  peer.async_accept(accepted, [](boost::system::error_code) {});
  std::thread runner([&] { io.run(); });
  EXPECT_TRUE(health_eventually(conflux.port(),
                                R"("plugin:probe":[{"status":"pass","observedValue":"running")"))
      << conflux.log();
  EXPECT_TRUE(contains(http_request("127.0.0.1", conflux.port(), "GET", "/metrics").body,
                       R"(conflux_plugin_state{plugin="probe",state="running"} 1)"))
      << http_request("127.0.0.1", conflux.port(), "GET", "/metrics").body << conflux.log();
  runner.join();
  EXPECT_EQ(conflux.stop(), 0) << conflux.log();
}

}  // namespace
