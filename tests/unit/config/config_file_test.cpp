// Tests for loading and parsing conflux.toml: files, syntax errors and the
// document-level queries (has_table, plugin_sections, check_top_level).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "conflux/testing/matchers.h"
#include "core/config/config.h"

namespace conflux::core {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::IsErrorWith;
using testing::IsOk;

// A file in the temp directory, removed at the end of the test.
class TempFile {
 public:
  explicit TempFile(std::string_view contents) {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("conflux_config_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) +
             ".toml");
    std::ofstream(path_) << contents;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

TEST(ConfigFile, LoadsValidFile) {
  TempFile file("[http]\nlisten = \"0.0.0.0:8080\"\n");
  auto config = Config::load_file(file.path(), {});
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->source(), file.path().string());
  EXPECT_TRUE(config->has_table("http"));
  ConfigField fields[] = {{.key = "listen"}};
  auto http = config->section("http", fields, {});
  ASSERT_THAT(http, IsOk());
  EXPECT_EQ(http->get_string("listen"), "0.0.0.0:8080");
}

TEST(ConfigFile, MissingFileNamesPath) {
  auto config = Config::load_file("/nonexistent/dir/conflux.toml", {});
  EXPECT_THAT(config, IsErrorWith(ErrorCode::not_found, "/nonexistent/dir/conflux.toml"));
}

TEST(ConfigFile, DirectoryIsRejected) {
  auto dir = std::filesystem::temp_directory_path();
  EXPECT_THAT(Config::load_file(dir, {}), IsErrorWith(ErrorCode::invalid_argument, dir.string()));
}

TEST(ConfigFile, SyntaxErrorReportsFileLineAndColumn) {
  TempFile file("[http]\nlisten = \"a\"\nport = = 3\n");
  auto config = Config::load_file(file.path(), {});
  EXPECT_THAT(config, IsErrorWith(ErrorCode::invalid_argument, file.path().string() + ":3:"));
}

TEST(ConfigFile, ParseErrorUsesSourceName) {
  auto config = Config::parse("a = 1\n[broken\n", "inline.toml", {});
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, ErrorCode::invalid_argument);
  EXPECT_THAT(config.error().message, ::testing::StartsWith("inline.toml:2:"));
}

TEST(ConfigFile, DefaultsAreEmpty) {
  Config config = Config::defaults({});
  EXPECT_EQ(config.source(), "(defaults)");
  EXPECT_FALSE(config.has_table("http"));
  EXPECT_THAT(config.plugin_sections(), IsEmpty());
  std::string_view known[] = {"http"};
  EXPECT_THAT(config.check_top_level(known), IsOk());
}

TEST(ConfigFile, HasTableFollowsDottedPaths) {
  auto config = Config::parse("[plugins.mqtt]\nbroker = \"tcp://x\"\n[log]\n", "t.toml", {});
  ASSERT_THAT(config, IsOk());
  EXPECT_TRUE(config->has_table("plugins"));
  EXPECT_TRUE(config->has_table("plugins.mqtt"));
  EXPECT_TRUE(config->has_table("log"));
  EXPECT_FALSE(config->has_table("plugins.lora"));
  EXPECT_FALSE(config->has_table("plugins.mqtt.broker"));
}

TEST(ConfigFile, PluginSectionsListsTablesOnly) {
  auto config = Config::parse(
      "[plugins]\ndir = \"/usr/lib/conflux\"\n[plugins.mqtt]\n[plugins.http]\nenabled = true\n",
      "t.toml", {});
  ASSERT_THAT(config, IsOk());
  EXPECT_THAT(config->plugin_sections(), ElementsAre("http", "mqtt"));
}

TEST(ConfigFile, CheckTopLevelNamesUnknownSection) {
  auto config = Config::parse("[http]\n[storage]\n[htp]\n", "t.toml", {});
  ASSERT_THAT(config, IsOk());
  std::string_view known[] = {"http", "storage", "log", "plugins"};
  auto status = config->check_top_level(known);
  EXPECT_THAT(status, IsErrorWith(ErrorCode::invalid_argument, "unknown section 'htp'"));
  EXPECT_THAT(status, IsErrorWith(ErrorCode::invalid_argument, "did you mean 'http'?"));
  std::string_view all[] = {"http", "storage", "htp"};
  EXPECT_THAT(config->check_top_level(all), IsOk());
}

TEST(ConfigFile, SectionPathThatIsNotATableFails) {
  auto config = Config::parse("plugins = \"mqtt\"\n", "t.toml", {});
  ASSERT_THAT(config, IsOk());
  ConfigField fields[] = {{.key = "broker"}};
  EXPECT_THAT(config->section("plugins.mqtt", fields, {}),
              IsErrorWith(ErrorCode::invalid_argument, "'plugins' must be a table"));
}

}  // namespace
}  // namespace conflux::core
