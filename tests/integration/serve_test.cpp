// The real binary on embedded defaults: operational routes, errors, metrics,
// JSON logs, and the graceful stop.
#include <gtest/gtest.h>

#include <thread>

#include "tests/support/conflux_process.h"
#include "tests/support/http_test_client.h"

namespace {

using namespace std::chrono_literals;
using conflux::test::ConfluxOptions;
using conflux::test::ConfluxProcess;
using conflux::test::http_request;

TEST(Serve, HealthAndMetricsOnDefaults) {
  ConfluxProcess conflux;
  ASSERT_TRUE(conflux.wait_ready()) << conflux.log();

  auto health = http_request("127.0.0.1", conflux.port(), "GET", "/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_NE(health.body.find(R"("status":"pass")"), std::string::npos) << health.body;
  EXPECT_NE(health.body.find(R"("version":")"), std::string::npos);

  auto missing = http_request("127.0.0.1", conflux.port(), "GET", "/no/such/route");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, R"({"error":"not found"})");

  auto wrong = http_request("127.0.0.1", conflux.port(), "DELETE", "/health");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_NE(std::string(wrong.header("Allow").value_or("")).find("GET"), std::string::npos);

  auto metrics = http_request("127.0.0.1", conflux.port(), "GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find(
                R"(conflux_http_requests_total{method="GET",route="/health",status="200"} 1)"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("route=\"unmatched\",status=\"404\""), std::string::npos);
  EXPECT_NE(metrics.body.find("conflux_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(metrics.body.find("process_resident_memory_bytes"), std::string::npos);

  EXPECT_EQ(conflux.stop(), 0) << conflux.log();
  EXPECT_NE(conflux.log().find("stopped"), std::string::npos);
}

TEST(Serve, GatewayPrefixIsStripped) {
  ConfluxProcess conflux;
  ASSERT_TRUE(conflux.wait_ready()) << conflux.log();
  EXPECT_EQ(http_request("127.0.0.1", conflux.port(), "GET", "/svcthings/health").status, 200);
}

TEST(Serve, StorageDirectoryIsCreated) {
  ConfluxProcess conflux;
  ASSERT_TRUE(conflux.wait_ready()) << conflux.log();
  EXPECT_TRUE(std::filesystem::is_directory(conflux.dir() / "data"));
}

TEST(Serve, JsonLogFormat) {
  ConfluxProcess conflux({.env = {{"CONFLUX_LOG_FORMAT", "json"}}});
  ASSERT_TRUE(conflux.wait_ready()) << conflux.log();
  auto log = conflux.log();
  auto line_start = log.find("{\"time\":");
  ASSERT_NE(line_start, std::string::npos) << log;
  EXPECT_NE(log.find("\"scope\":\"core\""), std::string::npos) << log;
  EXPECT_NE(log.find("\"level\":\"info\""), std::string::npos) << log;
}

TEST(Serve, GracefulStopCompletesInFlightRequest) {
  ConfluxProcess conflux({.env = {{"CONFLUX_PLUGINS_DIR", CONFLUX_INTEGRATION_PLUGINS}}});
  ASSERT_TRUE(conflux.wait_ready()) << conflux.log();

  conflux::test::TestHttpResponse slow;
  std::thread client(
      [&] { slow = http_request("127.0.0.1", conflux.port(), "GET", "/slow?ms=1500"); });
  // Only signal once the request has reached the handler.
  ASSERT_TRUE(conflux.wait_for_log("slow request received", 10s)) << conflux.log();
  int code = conflux.stop(SIGTERM);
  client.join();
  EXPECT_EQ(slow.status, 200) << conflux.log();
  EXPECT_EQ(slow.body, "done");
  EXPECT_EQ(code, 0) << conflux.log();
  auto log = conflux.log();
  EXPECT_NE(log.find("slow plugin stopped"), std::string::npos) << log;
  // New connections are refused once stopped.
  EXPECT_ANY_THROW(http_request("127.0.0.1", conflux.port(), "GET", "/health"));
}

}  // namespace
