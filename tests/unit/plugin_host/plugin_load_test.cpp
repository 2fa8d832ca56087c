// tests/unit/plugin_host — loading: descriptors, the ABI and build key checks,
// libraries that are not plugins, misbehaving factories, duplicates and
// directory scans.
//
// Thread-safety: single-threaded test use.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "conflux/testing/matchers.h"
#include "plugin_host_harness.h"

namespace conflux::core::test {
namespace {

using ::conflux::testing::IsErrorWith;
using ::conflux::testing::IsOk;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;

class PluginLoadTest : public ::testing::Test {
 protected:
  void SetUp() override { h.make(); }

  // Loads `name`, expecting a refusal with `code` and `reason`; returns its info.
  PluginInfo expect_refused(std::string_view name, ErrorCode code, const std::string& reason) {
    auto file = fixture(name);
    auto loaded = h.host->load_file(file);
    EXPECT_THAT(loaded, IsErrorWith(code, reason));
    if (!loaded) {
      EXPECT_THAT(loaded.error().message, HasSubstr(file.string()));
    }
    PluginInfo info = h.info(name);
    EXPECT_EQ(info.state, PluginState::failed);
    EXPECT_THAT(info.detail, HasSubstr(reason));
    EXPECT_EQ(info.file, file.string());
    EXPECT_TRUE(h.host_log.contains(reason));
    EXPECT_EQ(h.gauge(name, PluginState::failed), 1.0);
    return info;
  }

  Harness h;
};

TEST_F(PluginLoadTest, GoodPluginLoadsWithItsDescriptor) {
  ASSERT_THAT(h.host->load_file(fixture("good")), IsOk());
  PluginInfo info = h.info("good");
  EXPECT_EQ(info.version, "1.2.3");
  EXPECT_EQ(info.kind, PluginKind::protocol);
  EXPECT_EQ(info.description, "plugin host test fixture that works");
  EXPECT_EQ(info.file, fixture("good").string());
  EXPECT_EQ(info.state, PluginState::loaded);
  EXPECT_TRUE(info.enabled);
  EXPECT_THAT(info.config, Contains(Field(&ConfigField::key, "greeting")));
  EXPECT_THAT(info.config, Contains(Field(&ConfigField::key, "count")));
  EXPECT_THAT(info.config, Contains(Field(&ConfigField::key, "enabled")));
  EXPECT_EQ(h.gauge("good", PluginState::loaded), 1.0);
  EXPECT_EQ(h.routes.size(), 0u) << "nothing runs before start_all";
}

TEST_F(PluginLoadTest, RefusesAnotherAbiMajor) {
  expect_refused("abi_major", ErrorCode::failed_precondition,
                 fmt::format("plugin ABI {}.{}, host {}.{}", CONFLUX_SDK_ABI_MAJOR + 1,
                             CONFLUX_SDK_ABI_MINOR, CONFLUX_SDK_ABI_MAJOR, CONFLUX_SDK_ABI_MINOR));
}

TEST_F(PluginLoadTest, RefusesANewerAbiMinor) {
  expect_refused(
      "abi_minor", ErrorCode::failed_precondition,
      fmt::format("plugin ABI {}.{}, host {}.{}", CONFLUX_SDK_ABI_MAJOR, CONFLUX_SDK_ABI_MINOR + 1,
                  CONFLUX_SDK_ABI_MAJOR, CONFLUX_SDK_ABI_MINOR));
}

TEST_F(PluginLoadTest, RefusesAnotherBuildKey) {
  PluginInfo info = expect_refused("build_key", ErrorCode::failed_precondition,
                                   "plugin build key gcc-0;libstdc++-cxx11abi0;boost-100000");
  EXPECT_THAT(info.detail, HasSubstr(std::string("host ") + CONFLUX_BUILD_KEY));
}

TEST_F(PluginLoadTest, RefusesALibraryWithoutEntryPoints) {
  expect_refused("no_factory", ErrorCode::invalid_argument,
                 "missing conflux_plugin_abi and conflux_plugin_create: not a Conflux plugin");
}

TEST_F(PluginLoadTest, RefusesALibraryWithoutFactory) {
  expect_refused("no_create", ErrorCode::invalid_argument,
                 "missing conflux_plugin_create: not a Conflux plugin");
}

TEST_F(PluginLoadTest, RefusesAFactoryReturningNull) {
  expect_refused("null_factory", ErrorCode::internal, "plugin factory returned null");
}

TEST_F(PluginLoadTest, RefusesAThrowingFactory) {
  expect_refused("factory_throws", ErrorCode::internal, "plugin factory threw: factory exploded");
}

TEST_F(PluginLoadTest, RefusesAFileThatIsNotALibrary) {
  auto dir = std::filesystem::temp_directory_path() /
             ("conflux-plugin-host-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto file = dir / "conflux-plugin-junk.so";
  std::ofstream(file) << "not an ELF file";
  EXPECT_THAT(h.host->load_file(file), IsErrorWith(ErrorCode::not_found, "cannot open"));
  EXPECT_EQ(h.info("junk").state, PluginState::failed);
  EXPECT_THAT(h.host->load_file(dir / "conflux-plugin-absent.so"),
              IsErrorWith(ErrorCode::not_found, "conflux-plugin-absent.so"));
  std::filesystem::remove_all(dir);
}

TEST_F(PluginLoadTest, RefusesADuplicateName) {
  ASSERT_THAT(h.host->load_file(fixture("good")), IsOk());
  EXPECT_THAT(h.host->load_file(fixture("good")),
              IsErrorWith(ErrorCode::already_exists, "duplicate plugin name \"good\""));
  auto all = h.host->plugins();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].state, PluginState::loaded);
  EXPECT_EQ(all[1].state, PluginState::failed);
  EXPECT_EQ(h.info("good").state, PluginState::loaded) << "find() returns the loaded one";

  h.host->start_all();
  EXPECT_EQ(h.info("good").state, PluginState::running);
  EXPECT_EQ(h.routes.size(), 3u) << "only one copy started";
}

TEST_F(PluginLoadTest, LoadDirectoryLoadsValidPluginsAndRecordsRefusedOnes) {
  EXPECT_EQ(h.host->load_directory(fixture_dir()), 10u);
  auto all = h.host->plugins();
  EXPECT_EQ(all.size(), 17u);
  for (auto name : {"abi_major", "abi_minor", "build_key", "no_create", "no_factory",
                    "null_factory", "factory_throws"}) {
    EXPECT_EQ(h.info(name).state, PluginState::failed) << name;
  }
  // Sorted by file name.
  std::vector<std::string> names;
  for (const auto& info : all) names.push_back(info.name);
  EXPECT_TRUE(std::ranges::is_sorted(names));

  h.host->start_all();
  EXPECT_EQ(h.info("good").state, PluginState::running);
  EXPECT_EQ(h.get("/good").body, "good");
  EXPECT_EQ(h.info("dep_a").state, PluginState::running);
  EXPECT_EQ(h.info("degraded").state, PluginState::degraded);
  EXPECT_EQ(h.info("start_fails").state, PluginState::failed);
  EXPECT_FALSE(h.info("needs_key").enabled);
}

TEST_F(PluginLoadTest, LoadDirectoryOnAMissingDirLoadsNothing) {
  EXPECT_EQ(h.host->load_directory(fixture_dir() / "does-not-exist"), 0u);
  EXPECT_TRUE(h.host->plugins().empty());
  EXPECT_TRUE(h.host_log.contains("does not exist"));
  h.host->start_all();
  h.host->stop_all();
  EXPECT_TRUE(h.host->plugins().empty());
}

TEST_F(PluginLoadTest, LoadDirectoryIgnoresFilesNotNamedLikePlugins) {
  auto dir = std::filesystem::temp_directory_path() /
             ("conflux-plugin-host-scan-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "README.md") << "not a plugin";
  std::ofstream(dir / "libsomething.so") << "not a plugin either";
  std::filesystem::copy_file(fixture("good"), dir / "conflux-plugin-good.so");
  EXPECT_EQ(h.host->load_directory(dir), 1u);
  ASSERT_EQ(h.host->plugins().size(), 1u);
  EXPECT_EQ(h.host->plugins()[0].name, "good");
  h.host.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace conflux::core::test
