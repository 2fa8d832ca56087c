// Bridge rules: [[plugins.mqtt.bridges]] entries read through the core's
// config validation (as the host does) and topic matching.
#include "plugins/mqtt/bridges.h"

#include <gtest/gtest.h>

#include "core/config/config.h"
#include "plugins/mqtt/settings.h"

namespace conflux::mqtt {
namespace {

// The [plugins.mqtt] section of `toml` validated against the plugin's schema,
// then read as settings; `env` holds CONFLUX_* overrides.
Result<MqttSettings> settings_from(std::string_view toml, core::Environment env = {}) {
  auto config = core::Config::parse(toml, "test.toml", std::move(env));
  if (!config) return std::unexpected(config.error());
  auto schema = mqtt_schema();
  std::vector<std::string> prefixes = {"PLUGINS_MQTT", "MQTT"};
  CONFLUX_ASSIGN_OR_RETURN(auto section, config->section("plugins.mqtt", schema, prefixes));
  return read_settings(section, "");
}

std::string error_of(std::string_view toml) {
  auto s = settings_from(toml);
  return s ? std::string("(no error)") : s.error().message;
}

TEST(BridgeRule, ReadsArrayOfTablesEntries) {
  auto s = settings_from(R"([plugins.mqtt]
broker = "tcp://127.0.0.1:1883"

[[plugins.mqtt.bridges]]
topic = "tele/+/SENSOR"
thing = 2
match = "metadata:tasmota"
content_type = "application/json"
subtopic = "energy/total"

[[plugins.mqtt.bridges]]
topic = "zigbee2mqtt/+"
thing = 2
codec = "script-1"
)");
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->bridges.size(), 2u);
  const auto& tasmota = s->bridges[0];
  EXPECT_EQ(tasmota.name, "plugins.mqtt.bridges[0]");
  EXPECT_EQ(tasmota.topic, "tele/+/SENSOR");
  EXPECT_EQ(tasmota.thing_level, 2u);
  EXPECT_EQ(tasmota.metadata_field, "tasmota");
  EXPECT_EQ(tasmota.content_type, "application/json");
  EXPECT_EQ(tasmota.subtopic, "energy.total");
  EXPECT_EQ(tasmota.codec, "");
  EXPECT_EQ(bridge_thing_key(tasmota, "tele/plug1/SENSOR"), "plug1");
  EXPECT_FALSE(bridge_thing_key(tasmota, "tele/plug1/STATE"));

  const auto& zigbee = s->bridges[1];
  EXPECT_EQ(zigbee.metadata_field, "");  // match defaults to external_key
  EXPECT_EQ(zigbee.content_type, "");    // the profile's
  EXPECT_EQ(zigbee.codec, "script-1");
  EXPECT_EQ(bridge_thing_key(zigbee, "zigbee2mqtt/kitchen"), "kitchen");
}

TEST(BridgeRule, NoBridgesByDefault) {
  auto s = settings_from("");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_TRUE(s->bridges.empty());
}

TEST(BridgeRule, EnvironmentJsonReplacesTheEntries) {
  auto s = settings_from("[[plugins.mqtt.bridges]]\ntopic = \"a/+\"\nthing = 2\n",
                         {{"CONFLUX_MQTT_BRIDGES",
                           R"([{"topic":"tele/+/SENSOR","thing":2,"match":"metadata:tasmota"}])"}});
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->bridges.size(), 1u);
  EXPECT_EQ(s->bridges[0].topic, "tele/+/SENSOR");
  EXPECT_EQ(s->bridges[0].metadata_field, "tasmota");
}

TEST(BridgeRule, BadEntriesAreNamedWithTheirIndex) {
  auto rules = [](std::string second) {
    return error_of(
        "[[plugins.mqtt.bridges]]\ntopic = \"ok/+\"\nthing = 2\n"
        "[[plugins.mqtt.bridges]]\n" +
        second);
  };
  // Checked by the core (the schema).
  EXPECT_NE(rules("thing = 2\n").find("missing required key 'plugins.mqtt.bridges[1].topic'"),
            std::string::npos);
  EXPECT_NE(rules("topic = \"a/+\"\n").find("missing required key 'plugins.mqtt.bridges[1].thing'"),
            std::string::npos);
  EXPECT_NE(rules("topic = \"a/+\"\nthing = \"2\"\n")
                .find("'plugins.mqtt.bridges[1].thing' must be an integer, got string"),
            std::string::npos);
  EXPECT_NE(rules("topic = \"a/+\"\nthing = 2\ncolour = \"red\"\n")
                .find("unknown key 'plugins.mqtt.bridges[1].colour'"),
            std::string::npos);
  EXPECT_NE(error_of("[plugins.mqtt]\nbridges = [\"topic=a/+ thing=2\"]\n")
                .find("'plugins.mqtt.bridges' must be a table list"),
            std::string::npos);
  // Checked by the plugin.
  EXPECT_NE(rules("topic = \"a/#/b\"\nthing = 1\n").find("plugins.mqtt.bridges[1].topic: "),
            std::string::npos);
  EXPECT_NE(rules("topic = \"a/+\"\nthing = 0\n").find("plugins.mqtt.bridges[1].thing: "),
            std::string::npos);
  EXPECT_NE(rules("topic = \"a/+\"\nthing = 5\n")
                .find("plugins.mqtt.bridges[1].thing: level 5 is beyond the topic's 2 levels"),
            std::string::npos);
  EXPECT_NE(rules("topic = \"a/+\"\nthing = 2\nmatch = \"serial\"\n")
                .find("plugins.mqtt.bridges[1].match: "),
            std::string::npos);
  EXPECT_NE(rules("topic = \"a/+\"\nthing = 2\ncontent_type = \"text/plain\"\n")
                .find("plugins.mqtt.bridges[1].content_type: "),
            std::string::npos);
  EXPECT_NE(rules("topic = \"a/+\"\nthing = 2\nsubtopic = \"a/+\"\n")
                .find("plugins.mqtt.bridges[1].subtopic: "),
            std::string::npos);
  // A # level may hold the thing.
  EXPECT_EQ(rules("topic = \"gw/#\"\nthing = 3\n"), "(no error)");
}

TEST(BridgeRule, FindsTheFirstMatchingRule) {
  std::vector<BridgeRule> rules{{.topic = "tele/+/SENSOR", .thing_level = 2},
                                {.topic = "zigbee2mqtt/+", .thing_level = 2}};
  EXPECT_EQ(find_bridge(rules, "zigbee2mqtt/x"), &rules[1]);
  EXPECT_EQ(find_bridge(rules, "tele/x/SENSOR"), &rules[0]);
  EXPECT_EQ(find_bridge(rules, "things/x/messages"), nullptr);
}

}  // namespace
}  // namespace conflux::mqtt
