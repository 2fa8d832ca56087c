// The SDK as a plugin author uses it: install the SDK into a prefix, build
// sdk/examples/hello out of tree with find_package(conflux-sdk), load the
// result into the real binary and call its route.
#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/support/conflux_process.h"
#include "tests/support/http_test_client.h"

namespace {

namespace fs = std::filesystem;
using conflux::test::ConfluxProcess;
using conflux::test::http_request;
using conflux::test::run_command;

TEST(SdkExample, BuildsOutOfTreeAndLoads) {
  auto work = fs::temp_directory_path() / ("conflux-sdk-" + std::to_string(::getpid()));
  fs::remove_all(work);
  fs::create_directories(work);
  auto log = work / "build.log";
  auto prefix = work / "prefix";
  auto plugin_build = work / "hello";

  ASSERT_EQ(run_command("cmake --install '" + conflux::test::build_dir().string() + "' --prefix '" +
                            prefix.string() + "'",
                        log),
            0)
      << log;
  ASSERT_TRUE(fs::exists(prefix / "include/conflux/plugin.h"));
  ASSERT_EQ(
      run_command("cmake -S '" + (conflux::test::source_dir() / "sdk/examples/hello").string() +
                      "' -B '" + plugin_build.string() +
                      "' -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH='" +
                      prefix.string() + "'",
                  log),
      0);
  ASSERT_EQ(run_command("cmake --build '" + plugin_build.string() + "'", log), 0);
  ASSERT_TRUE(fs::exists(plugin_build / "conflux-plugin-hello.so"));

  ConfluxProcess conflux(
      {.env = {{"CONFLUX_PLUGINS_DIR", plugin_build.string()}, {"CONFLUX_HELLO_GREETING", "Hej"}}});
  ASSERT_TRUE(conflux.wait_ready()) << conflux.log();
  auto res = http_request("127.0.0.1", conflux.port(), "GET", "/hello?name=Ada");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, R"({"greeting":"Hej, Ada"})");
  auto health = http_request("127.0.0.1", conflux.port(), "GET", "/health").body;
  EXPECT_NE(health.find(R"("plugin:hello":[{"status":"pass")"), std::string::npos) << health;
  EXPECT_EQ(conflux.stop(), 0);
  fs::remove_all(work);
}

}  // namespace
