// tests/unit/plugin_host — a plugin's [plugins.<name>] section: defaults, TOML
// values and environment overrides reaching the plugin, validation failures
// naming the key, `enabled`, and required keys.
//
// Thread-safety: single-threaded test use.
#include "core/plugin_host/plugin_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plugin_host_harness.h"

namespace conflux::core::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class PluginConfigTest : public ::testing::Test {
 protected:
  // Starts fixture `name` under `toml` and `env`.
  void start(std::string_view name, std::string_view toml, Environment env = {}) {
    h.make(toml, std::move(env));
    h.load({name});
    h.host->start_all();
  }

  Harness h;
};

TEST_F(PluginConfigTest, DefaultsReachThePlugin) {
  start("good", "");
  EXPECT_EQ(h.info("good").state, PluginState::running);
  auto good = h.get("/good");
  EXPECT_EQ(good.status, 200);
  EXPECT_EQ(good.body, "good");
  EXPECT_EQ(h.get("/good/config").body, "hello x3");
}

TEST_F(PluginConfigTest, TomlValuesReachThePlugin) {
  start("good", "[plugins.good]\ngreeting = \"hi\"\ncount = 5\n");
  EXPECT_EQ(h.get("/good/config").body, "hi x5");
}

TEST_F(PluginConfigTest, EnvironmentOverridesTomlUnderBothPrefixes) {
  start("good", "[plugins.good]\ngreeting = \"hi\"\ncount = 5\n",
        {{"CONFLUX_PLUGINS_GOOD_GREETING", "hey"}, {"CONFLUX_GOOD_COUNT", "7"}});
  EXPECT_EQ(h.get("/good/config").body, "hey x7");
}

TEST_F(PluginConfigTest, UnknownKeyFailsThePluginNamingTheKey) {
  start("good", "[plugins.good]\ncolour = \"red\"\n");
  PluginInfo info = h.info("good");
  EXPECT_EQ(info.state, PluginState::failed);
  EXPECT_THAT(info.detail, HasSubstr("colour"));
  EXPECT_EQ(h.routes.size(), 0u) << "a plugin with an invalid section is not started";
  EXPECT_EQ(h.gauge("good", PluginState::failed), 1.0);
}

TEST_F(PluginConfigTest, WrongTypeFailsThePluginNamingTheKey) {
  start("good", "[plugins.good]\ncount = \"three\"\n");
  PluginInfo info = h.info("good");
  EXPECT_EQ(info.state, PluginState::failed);
  EXPECT_THAT(info.detail, HasSubstr("count"));
  EXPECT_EQ(h.get("/good").status, 404);
}

TEST_F(PluginConfigTest, BadEnvironmentValueFailsThePlugin) {
  start("good", "", {{"CONFLUX_GOOD_COUNT", "many"}});
  PluginInfo info = h.info("good");
  EXPECT_EQ(info.state, PluginState::failed);
  EXPECT_THAT(info.detail, HasSubstr("CONFLUX_GOOD_COUNT"));
}

TEST_F(PluginConfigTest, RequiredKeyWithoutSectionDisablesThePlugin) {
  start("needs_key", "");
  PluginInfo info = h.info("needs_key");
  EXPECT_FALSE(info.enabled);
  EXPECT_EQ(info.state, PluginState::loaded);
  EXPECT_EQ(info.detail, "not configured: endpoint is required");
  EXPECT_EQ(h.routes.size(), 0u);
  for (auto state : {PluginState::loaded, PluginState::running, PluginState::failed}) {
    EXPECT_EQ(h.gauge("needs_key", state), 0.0) << to_string(state);
  }
}

TEST_F(PluginConfigTest, RequiredKeyMissingFromAPresentSectionFailsNamingTheKey) {
  start("needs_key", "[plugins.needs_key]\n");
  PluginInfo info = h.info("needs_key");
  EXPECT_TRUE(info.enabled);
  EXPECT_EQ(info.state, PluginState::failed);
  EXPECT_THAT(info.detail, HasSubstr("plugins.needs_key.endpoint"));
}

TEST_F(PluginConfigTest, RequiredKeyFromTheSectionRuns) {
  start("needs_key", "[plugins.needs_key]\nendpoint = \"http://sink.example\"\n");
  EXPECT_EQ(h.info("needs_key").state, PluginState::running);
  EXPECT_EQ(h.get("/needs_key").body, "http://sink.example");
}

TEST_F(PluginConfigTest, RequiredKeyFromTheEnvironmentAloneRuns) {
  start("needs_key", "", {{"CONFLUX_NEEDS_KEY_ENDPOINT", "http://env.example"}});
  EXPECT_EQ(h.info("needs_key").state, PluginState::running);
  EXPECT_EQ(h.get("/needs_key").body, "http://env.example");
}

TEST_F(PluginConfigTest, EnabledFalseDisablesThePlugin) {
  start("good", "[plugins.good]\nenabled = false\n");
  PluginInfo info = h.info("good");
  EXPECT_FALSE(info.enabled);
  EXPECT_EQ(info.detail, "disabled by config");
  EXPECT_EQ(info.state, PluginState::loaded);
  EXPECT_EQ(h.routes.size(), 0u);
  EXPECT_TRUE(h.plugin_lines("good started").empty());
}

TEST_F(PluginConfigTest, EnabledFalseFromTheEnvironmentDisablesThePlugin) {
  start("good", "", {{"CONFLUX_PLUGINS_GOOD_ENABLED", "false"}});
  EXPECT_FALSE(h.info("good").enabled);
  EXPECT_EQ(h.info("good").detail, "disabled by config");
}

TEST(PluginConfigHelpers, EnvPrefixesAreUpperCaseWithUnderscores) {
  EXPECT_THAT(plugin_env_prefixes("my-plugin"), ElementsAre("PLUGINS_MY_PLUGIN", "MY_PLUGIN"));
  EXPECT_THAT(plugin_env_prefixes("mqtt"), ElementsAre("PLUGINS_MQTT", "MQTT"));
}

TEST(PluginConfigHelpers, SchemaGainsEnabledOnce) {
  PluginDescriptor d;
  d.name = "x";
  d.config = {{.key = "port", .type = ConfigType::integer}};
  auto schema = plugin_schema(d);
  ASSERT_EQ(schema.size(), 2u);
  EXPECT_EQ(schema[1].key, "enabled");
  EXPECT_EQ(schema[1].type, ConfigType::boolean);
  EXPECT_EQ(std::get<bool>(schema[1].default_value), true);

  d.config.push_back({.key = "enabled", .type = ConfigType::boolean, .default_value = false});
  EXPECT_EQ(plugin_schema(d).size(), 2u);
}

}  // namespace
}  // namespace conflux::core::test
