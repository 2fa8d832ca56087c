// Tests for Config::section: schema validation, types, environment overrides,
// defaults and required keys.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "conflux/testing/matchers.h"
#include "core/config/config.h"

namespace conflux::core {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::IsError;
using testing::IsErrorWith;
using testing::IsOk;
using namespace std::chrono_literals;

// A schema with one key of every type.
std::vector<ConfigField> all_types_schema() {
  return {
      {.key = "name", .type = ConfigType::string},
      {.key = "port", .type = ConfigType::integer},
      {.key = "ratio", .type = ConfigType::number},
      {.key = "enabled", .type = ConfigType::boolean},
      {.key = "timeout", .type = ConfigType::duration},
      {.key = "topics", .type = ConfigType::string_list},
  };
}

Config parse(std::string_view toml, Environment env = {}) {
  auto config = Config::parse(toml, "test.toml", std::move(env));
  EXPECT_THAT(config, IsOk());
  return std::move(*config);
}

Result<ConfigSection> section(const Config& config, std::string_view path,
                              const std::vector<ConfigField>& schema,
                              std::vector<std::string> prefixes = {}) {
  return config.section(path, schema, prefixes);
}

TEST(ConfigSection, EveryTypeParsesFromToml) {
  Config config = parse(R"([svc]
name = "edge"
port = 1883
ratio = 0.5
enabled = true
timeout = "1h30m"
topics = ["a/b", "c"]
)");
  auto s = section(config, "svc", all_types_schema());
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->name(), "svc");
  EXPECT_EQ(s->get_string("name"), "edge");
  EXPECT_EQ(s->get_int("port"), 1883);
  EXPECT_DOUBLE_EQ(s->get_number("ratio"), 0.5);
  EXPECT_TRUE(s->get_bool("enabled"));
  EXPECT_EQ(s->get_duration("timeout"), 90min);
  EXPECT_THAT(s->get_strings("topics"), ElementsAre("a/b", "c"));
}

TEST(ConfigSection, NumberAcceptsIntegerAndDurationAcceptsSeconds) {
  Config config = parse("[svc]\nratio = 3\ntimeout = 15\ntopics = []\n");
  auto s = section(config, "svc", all_types_schema());
  ASSERT_THAT(s, IsOk());
  EXPECT_DOUBLE_EQ(s->get_number("ratio"), 3.0);
  EXPECT_TRUE(std::holds_alternative<double>(s->values().at("ratio")));
  EXPECT_EQ(s->get_duration("timeout"), 15s);
  EXPECT_TRUE(s->has("topics"));
  EXPECT_THAT(s->get_strings("topics"), IsEmpty());
}

TEST(ConfigSection, AbsentTableIsEmpty) {
  Config config = parse("[other]\nx = 1\n");
  auto s = section(config, "plugins.mqtt", all_types_schema());
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->name(), "plugins.mqtt");
  EXPECT_FALSE(s->has("port"));
  EXPECT_THAT(s->values(), IsEmpty());
}

TEST(ConfigSection, UnknownKeyIsNamedWithSuggestionAndLocation) {
  Config config = parse("[plugins.mqtt]\nbrokr = \"tcp://x\"\n");
  std::vector<ConfigField> schema = {{.key = "broker"}, {.key = "client_id"}};
  auto s = section(config, "plugins.mqtt", schema);
  EXPECT_THAT(s, IsErrorWith(ErrorCode::invalid_argument, "unknown key 'plugins.mqtt.brokr'"));
  EXPECT_THAT(s, IsErrorWith(ErrorCode::invalid_argument, "did you mean 'plugins.mqtt.broker'?"));
  EXPECT_THAT(s, IsErrorWith(ErrorCode::invalid_argument, "test.toml:2"));
}

TEST(ConfigSection, UnknownKeyWithoutCloseMatchHasNoSuggestion) {
  Config config = parse("[http]\ncompletely_different = 1\n");
  std::vector<ConfigField> schema = {{.key = "listen"}};
  auto s = section(config, "http", schema);
  ASSERT_THAT(s,
              IsErrorWith(ErrorCode::invalid_argument, "unknown key 'http.completely_different'"));
  EXPECT_THAT(s.error().message, ::testing::Not(::testing::HasSubstr("did you mean")));
}

struct WrongTypeCase {
  std::string toml;
  std::string expected;
};

class ConfigSectionWrongType : public ::testing::TestWithParam<WrongTypeCase> {};

TEST_P(ConfigSectionWrongType, NamesKeyAndExpectedType) {
  Config config = parse("[svc]\n" + GetParam().toml + "\n");
  EXPECT_THAT(section(config, "svc", all_types_schema()),
              IsErrorWith(ErrorCode::invalid_argument, GetParam().expected));
}

INSTANTIATE_TEST_SUITE_P(
    AllTypes, ConfigSectionWrongType,
    ::testing::Values(
        WrongTypeCase{"name = 3", "'svc.name' must be a string, got integer"},
        WrongTypeCase{"port = \"1883\"", "'svc.port' must be an integer, got string"},
        WrongTypeCase{"port = 1.5", "'svc.port' must be an integer, got float"},
        WrongTypeCase{"ratio = \"x\"", "'svc.ratio' must be a number, got string"},
        WrongTypeCase{"enabled = \"yes\"", "'svc.enabled' must be a boolean, got string"},
        WrongTypeCase{"timeout = true", "'svc.timeout' must be a duration, got boolean"},
        WrongTypeCase{"timeout = \"ten\"", "'svc.timeout' must be a duration"},
        WrongTypeCase{"timeout = -3", "'svc.timeout' must be a duration"},
        WrongTypeCase{"topics = \"a\"", "'svc.topics' must be a string list, got string"},
        WrongTypeCase{"topics = [\"a\", 2]",
                      "'svc.topics' must be a string list, got integer at index 1"}));

TEST(ConfigSection, DefaultsFillMissingKeys) {
  Config config = parse("[svc]\nport = 9000\n");
  std::vector<ConfigField> schema = {
      {.key = "port", .type = ConfigType::integer, .default_value = std::int64_t{8080}},
      {.key = "host", .type = ConfigType::string, .default_value = std::string("localhost")},
      {.key = "ratio", .type = ConfigType::number, .default_value = std::int64_t{2}},
      {.key = "timeout", .type = ConfigType::duration, .default_value = 10s},
      {.key = "optional", .type = ConfigType::string},
  };
  auto s = section(config, "svc", schema);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->get_int("port"), 9000);
  EXPECT_EQ(s->get_string("host"), "localhost");
  EXPECT_TRUE(std::holds_alternative<double>(s->values().at("ratio")));
  EXPECT_EQ(s->get_duration("timeout"), 10s);
  EXPECT_FALSE(s->has("optional"));
}

TEST(ConfigSection, DefaultOfWrongTypeIsAnInternalError) {
  Config config = Config::defaults({});
  std::vector<ConfigField> schema = {
      {.key = "port", .type = ConfigType::integer, .default_value = std::string("80")}};
  EXPECT_THAT(section(config, "svc", schema), IsErrorWith(ErrorCode::internal, "'svc.port'"));
}

TEST(ConfigSection, RequiredKeyWithoutValueIsNamed) {
  Config config = Config::defaults({});
  std::vector<ConfigField> schema = {{.key = "broker", .required = true}};
  std::vector<std::string> prefixes = {"PLUGINS_MQTT", "MQTT"};
  EXPECT_THAT(section(config, "plugins.mqtt", schema, prefixes),
              IsErrorWith(ErrorCode::invalid_argument,
                          "missing required key 'plugins.mqtt.broker' (set it in the config "
                          "file or with CONFLUX_PLUGINS_MQTT_BROKER)"));
}

TEST(ConfigSection, RequiredKeySatisfiedByFileOrEnvironment) {
  std::vector<ConfigField> schema = {{.key = "broker", .required = true}};
  std::vector<std::string> prefixes = {"MQTT"};
  Config from_file = parse("[mqtt]\nbroker = \"tcp://a\"\n");
  EXPECT_THAT(section(from_file, "mqtt", schema, prefixes), IsOk());
  Config from_env = Config::defaults({{"CONFLUX_MQTT_BROKER", "tcp://b"}});
  auto s = section(from_env, "mqtt", schema, prefixes);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->get_string("broker"), "tcp://b");
}

TEST(ConfigSection, EnvironmentWinsOverFileAndDefault) {
  Config config = parse("[http]\nlisten = \"127.0.0.1:1\"\n",
                        {{"CONFLUX_HTTP_LISTEN", "0.0.0.0:8080"}, {"CONFLUX_HTTP_WORKERS", "4"}});
  std::vector<ConfigField> schema = {
      {.key = "listen"},
      {.key = "workers", .type = ConfigType::integer, .default_value = std::int64_t{1}}};
  auto s = section(config, "http", schema, {"HTTP"});
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->get_string("listen"), "0.0.0.0:8080");
  EXPECT_EQ(s->get_int("workers"), 4);
}

TEST(ConfigSection, FirstPrefixWins) {
  Environment env = {{"CONFLUX_MQTT_BROKER", "tcp://short"},
                     {"CONFLUX_PLUGINS_MQTT_BROKER", "tcp://long"},
                     {"CONFLUX_MQTT_CLIENT_ID", "from-second-prefix"}};
  Config config = Config::defaults(env);
  std::vector<ConfigField> schema = {{.key = "broker"}, {.key = "client_id"}};
  auto s = section(config, "plugins.mqtt", schema, {"PLUGINS_MQTT", "MQTT"});
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->get_string("broker"), "tcp://long");
  EXPECT_EQ(s->get_string("client_id"), "from-second-prefix");
  auto reversed = section(config, "plugins.mqtt", schema, {"MQTT", "PLUGINS_MQTT"});
  ASSERT_THAT(reversed, IsOk());
  EXPECT_EQ(reversed->get_string("broker"), "tcp://short");
}

TEST(ConfigSection, PrefixesAreNormalized) {
  Config config = Config::defaults({{"CONFLUX_PLUGINS_MY_PLUGIN_URL", "x"}});
  std::vector<ConfigField> schema = {{.key = "url"}};
  auto s = section(config, "plugins.my-plugin", schema, {"plugins.my-plugin"});
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->get_string("url"), "x");
}

TEST(ConfigSection, EveryTypeParsesFromEnvironment) {
  Environment env = {
      {"CONFLUX_SVC_NAME", " spaced "}, {"CONFLUX_SVC_PORT", "-42"},
      {"CONFLUX_SVC_RATIO", "2.5e-1"},  {"CONFLUX_SVC_ENABLED", "On"},
      {"CONFLUX_SVC_TIMEOUT", "250ms"}, {"CONFLUX_SVC_TOPICS", " a , b/c,, d "},
  };
  auto s = section(Config::defaults(env), "svc", all_types_schema(), {"SVC"});
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->get_string("name"), " spaced ");
  EXPECT_EQ(s->get_int("port"), -42);
  EXPECT_DOUBLE_EQ(s->get_number("ratio"), 0.25);
  EXPECT_TRUE(s->get_bool("enabled"));
  EXPECT_EQ(s->get_duration("timeout"), 250ms);
  EXPECT_THAT(s->get_strings("topics"), ElementsAre("a", "b/c", "d"));
}

TEST(ConfigSection, BooleanSpellingsFromEnvironment) {
  std::vector<ConfigField> schema = {{.key = "on", .type = ConfigType::boolean}};
  for (std::string_view yes : {"true", "TRUE", "1", "yes", "Yes", "on"}) {
    auto s = section(Config::defaults({{"CONFLUX_X_ON", std::string(yes)}}), "x", schema, {"X"});
    ASSERT_THAT(s, IsOk()) << yes;
    EXPECT_TRUE(s->get_bool("on")) << yes;
  }
  for (std::string_view no : {"false", "False", "0", "no", "OFF"}) {
    auto s = section(Config::defaults({{"CONFLUX_X_ON", std::string(no)}}), "x", schema, {"X"});
    ASSERT_THAT(s, IsOk()) << no;
    EXPECT_FALSE(s->get_bool("on", true)) << no;
  }
}

TEST(ConfigSection, EmptyStringListFromEnvironment) {
  Config config = parse("[svc]\ntopics = [\"a\"]\n", {{"CONFLUX_SVC_TOPICS", ""}});
  auto s = section(config, "svc", all_types_schema(), {"SVC"});
  ASSERT_THAT(s, IsOk());
  EXPECT_TRUE(s->has("topics"));
  EXPECT_THAT(s->get_strings("topics"), IsEmpty());
}

struct BadEnvCase {
  std::string variable;
  std::string value;
  std::string expected;
};

class ConfigSectionBadEnv : public ::testing::TestWithParam<BadEnvCase> {};

TEST_P(ConfigSectionBadEnv, NamesVariableAndType) {
  Config config = Config::defaults({{GetParam().variable, GetParam().value}});
  auto s = section(config, "svc", all_types_schema(), {"SVC"});
  EXPECT_THAT(s, IsErrorWith(ErrorCode::invalid_argument, GetParam().variable));
  EXPECT_THAT(s, IsErrorWith(ErrorCode::invalid_argument, GetParam().expected));
}

INSTANTIATE_TEST_SUITE_P(
    AllTypes, ConfigSectionBadEnv,
    ::testing::Values(BadEnvCase{"CONFLUX_SVC_PORT", "12x", "must be an integer"},
                      BadEnvCase{"CONFLUX_SVC_PORT", " 12", "must be an integer"},
                      BadEnvCase{"CONFLUX_SVC_PORT", "", "must be an integer"},
                      BadEnvCase{"CONFLUX_SVC_PORT", "99999999999999999999", "must be an integer"},
                      BadEnvCase{"CONFLUX_SVC_RATIO", "1.5.2", "must be a number"},
                      BadEnvCase{"CONFLUX_SVC_RATIO", "inf", "must be a number"},
                      BadEnvCase{"CONFLUX_SVC_ENABLED", "maybe", "must be a boolean"},
                      BadEnvCase{"CONFLUX_SVC_TIMEOUT", "soon", "must be a duration"}));

TEST(ConfigSection, UnrelatedEnvironmentIsIgnored) {
  Config config = Config::defaults({{"CONFLUX_OTHER_PORT", "x"}, {"CONFLUX_SVC_UNKNOWN", "1"}});
  auto s = section(config, "svc", all_types_schema(), {"SVC"});
  ASSERT_THAT(s, IsOk());
  EXPECT_THAT(s->values(), IsEmpty());
}

TEST(ProcessEnvironment, KeepsOnlyConfluxVariables) {
  ::setenv("CONFLUX_TEST_PROCESS_ENV", "value=with=equals", 1);
  ::setenv("NOT_CONFLUX_TEST_VAR", "x", 1);
  Environment env = process_environment();
  EXPECT_EQ(env.at("CONFLUX_TEST_PROCESS_ENV"), "value=with=equals");
  for (const auto& [name, value] : env) EXPECT_TRUE(name.starts_with("CONFLUX_")) << name;
  ::unsetenv("CONFLUX_TEST_PROCESS_ENV");
  ::unsetenv("NOT_CONFLUX_TEST_VAR");
}

}  // namespace
}  // namespace conflux::core
