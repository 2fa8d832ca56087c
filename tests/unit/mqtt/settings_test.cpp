#include "plugins/mqtt/settings.h"

#include <gtest/gtest.h>

namespace conflux::mqtt {
namespace {

ConfigSection section(std::map<std::string, ConfigValue, std::less<>> overrides) {
  std::map<std::string, ConfigValue, std::less<>> values;
  for (const auto& f : mqtt_schema()) values[f.key] = f.default_value;
  for (auto& [k, v] : overrides) values[k] = v;
  return ConfigSection("plugins.mqtt", std::move(values));
}

TEST(MqttSettings, ReadsDefaults) {
  auto s = read_settings(section({{"broker", std::string("tcp://127.0.0.1:1883")}}), "/tmp/d");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->client_id, "conflux");
  EXPECT_EQ(s->state_dir, "/tmp/d/mqtt");
  EXPECT_FALSE(s->tls());
  EXPECT_EQ(s->max_in_flight, 1024);
}

TEST(MqttSettings, BrokerDefaultsToTheLocalBroker) {
  bool found = false;
  for (const auto& f : mqtt_schema()) {
    if (f.key != "broker") continue;
    found = true;
    EXPECT_FALSE(f.required);
    ASSERT_TRUE(std::holds_alternative<std::string>(f.default_value));
    EXPECT_EQ(std::get<std::string>(f.default_value), "tcp://127.0.0.1:1883");
  }
  EXPECT_TRUE(found);
  auto s = read_settings(section({}), "");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->broker, "tcp://127.0.0.1:1883");
}

TEST(MqttSettings, AcceptsMqttSchemes) {
  auto s = read_settings(section({{"broker", std::string("mqtts://broker:8883")}}), "");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->broker, "ssl://broker:8883");
  EXPECT_TRUE(s->tls());
  EXPECT_EQ(s->state_dir, "./data/mqtt");
}

TEST(MqttSettings, RejectsBadValuesNamingTheKey) {
  auto bad_broker = read_settings(section({{"broker", std::string("localhost")}}), "");
  ASSERT_FALSE(bad_broker);
  EXPECT_NE(bad_broker.error().message.find("plugins.mqtt.broker"), std::string::npos);
  auto loop =
      read_settings(section({{"broker", std::string("tcp://h:1")},
                             {"republish_topic", std::string("things/{thing_id}/messages")}}),
                    "");
  ASSERT_FALSE(loop);
  EXPECT_NE(loop.error().message.find("republish_topic"), std::string::npos);
  auto bridge = read_settings(
      section({{"broker", std::string("tcp://h:1")},
               {"bridges", std::vector<ConfigSection>{ConfigSection(
                               "plugins.mqtt.bridges[0]",
                               {{"topic", std::string("a/+")}, {"thing", std::int64_t{3}}})}}}),
      "");
  ASSERT_FALSE(bridge);
  EXPECT_NE(bridge.error().message.find("plugins.mqtt.bridges[0].thing"), std::string::npos);
  EXPECT_FALSE(read_settings(
      section({{"broker", std::string("tcp://h:1")}, {"max_in_flight", std::int64_t{0}}}), ""));
  EXPECT_FALSE(read_settings(
      section({{"broker", std::string("tcp://h:1")}, {"shared_group", std::string("a/b")}}), ""));
}

}  // namespace
}  // namespace conflux::mqtt
