// Tests for table-list keys ([[section.key]] arrays of tables): parsing,
// entry defaults and required keys, wrong types, bad entries, and the JSON
// environment override.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "conflux/abi.h"
#include "conflux/testing/matchers.h"
#include "core/config/config.h"

namespace conflux::core {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::IsErrorWith;
using testing::IsOk;
using namespace std::chrono_literals;

// Adding an alternative to ConfigValue (or a member to ConfigField) changes the
// plugin ABI: when this fails, bump CONFLUX_SDK_ABI_MAJOR in conflux/abi.h and
// update the numbers here.
static_assert(std::variant_size_v<ConfigValue> == 8 && CONFLUX_SDK_ABI_MAJOR == 3,
              "ConfigValue changed: bump the SDK ABI major version");

std::vector<ConfigField> rules_schema() {
  return {
      {.key = "name", .type = ConfigType::string, .default_value = std::string("svc")},
      {.key = "rules",
       .type = ConfigType::table_list,
       .default_value = std::vector<ConfigSection>{},
       .fields = {{.key = "topic", .type = ConfigType::string, .required = true},
                  {.key = "level", .type = ConfigType::integer, .default_value = std::int64_t{1}},
                  {.key = "every", .type = ConfigType::duration, .default_value = 5000ms},
                  {.key = "ratio", .type = ConfigType::number},
                  {.key = "on", .type = ConfigType::boolean, .default_value = true},
                  {.key = "tags", .type = ConfigType::string_list}}},
  };
}

Config parse(std::string_view toml, Environment env = {}) {
  auto config = Config::parse(toml, "test.toml", std::move(env));
  EXPECT_THAT(config, IsOk());
  return std::move(*config);
}

Result<ConfigSection> rules_section(const Config& config) {
  std::vector<ConfigField> schema = rules_schema();
  std::vector<std::string> prefixes = {"PLUGINS_SVC", "SVC"};
  return config.section("plugins.svc", schema, prefixes);
}

TEST(TableList, EntriesParseInFileOrderWithTypedValuesAndDefaults) {
  Config config = parse(R"([plugins.svc]
name = "edge"

[[plugins.svc.rules]]
topic = "tele/+/SENSOR"
level = 2
every = "1m"
ratio = 3
tags = ["a", "b"]

[[plugins.svc.rules]]
topic = "zigbee2mqtt/+"
on = false
)");
  auto s = rules_section(config);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->get_string("name"), "edge");
  auto rules = s->get_tables("rules");
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].name(), "plugins.svc.rules[0]");
  EXPECT_EQ(rules[0].get_string("topic"), "tele/+/SENSOR");
  EXPECT_EQ(rules[0].get_int("level"), 2);
  EXPECT_EQ(rules[0].get_duration("every"), 1min);
  EXPECT_TRUE(std::holds_alternative<double>(rules[0].values().at("ratio")));
  EXPECT_DOUBLE_EQ(rules[0].get_number("ratio"), 3.0);
  EXPECT_TRUE(rules[0].get_bool("on", false));
  EXPECT_THAT(rules[0].get_strings("tags"), ElementsAre("a", "b"));

  EXPECT_EQ(rules[1].name(), "plugins.svc.rules[1]");
  EXPECT_EQ(rules[1].get_string("topic"), "zigbee2mqtt/+");
  EXPECT_EQ(rules[1].get_int("level"), 1);  // entry defaults are filled in
  EXPECT_EQ(rules[1].get_duration("every"), 5s);
  EXPECT_FALSE(rules[1].get_bool("on", true));
  EXPECT_FALSE(rules[1].has("ratio"));  // no default: no value
  EXPECT_FALSE(rules[1].has("tags"));
}

TEST(TableList, InlineArrayOfTablesIsTheSame) {
  Config config = parse(R"([plugins.svc]
rules = [{ topic = "a/+", level = 2 }, { topic = "b" }]
)");
  auto s = rules_section(config);
  ASSERT_THAT(s, IsOk());
  auto rules = s->get_tables("rules");
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].get_int("level"), 2);
  EXPECT_EQ(rules[1].get_string("topic"), "b");
}

TEST(TableList, AbsentKeyTakesTheDefaultAndAnEmptyArrayIsEmpty) {
  auto absent = rules_section(parse("[plugins.svc]\nname = \"x\"\n"));
  ASSERT_THAT(absent, IsOk());
  EXPECT_TRUE(absent->has("rules"));
  EXPECT_THAT(absent->get_tables("rules"), IsEmpty());
  EXPECT_THAT(absent->get_tables("no_such_key"), IsEmpty());

  auto empty = rules_section(parse("[plugins.svc]\nrules = []\n"));
  ASSERT_THAT(empty, IsOk());
  EXPECT_THAT(empty->get_tables("rules"), IsEmpty());
}

TEST(TableList, RequiredTableListWithoutDefaultIsNamed) {
  std::vector<ConfigField> schema = {
      {.key = "rules", .type = ConfigType::table_list, .required = true}};
  std::vector<std::string> prefixes = {"SVC"};
  EXPECT_THAT(Config::defaults({}).section("svc", schema, prefixes),
              IsErrorWith(ErrorCode::invalid_argument,
                          "missing required key 'svc.rules' (set it in the config file or with "
                          "CONFLUX_SVC_RULES)"));
}

TEST(TableList, WrongTypesAreNamedWithTheEntryIndex) {
  EXPECT_THAT(rules_section(parse("[plugins.svc]\nrules = \"topic=a\"\n")),
              IsErrorWith(ErrorCode::invalid_argument,
                          "'plugins.svc.rules' must be a table list ([[plugins.svc.rules]] "
                          "entries), got string at test.toml:2:9"));
  EXPECT_THAT(rules_section(parse("[plugins.svc]\nrules = [{ topic = \"a\" }, 2]\n")),
              IsErrorWith(ErrorCode::invalid_argument,
                          "'plugins.svc.rules' must be a table list ([[plugins.svc.rules]] "
                          "entries), got integer at index 1 at test.toml:2:27"));
  EXPECT_THAT(rules_section(parse(R"([[plugins.svc.rules]]
topic = "a"

[[plugins.svc.rules]]
topic = "b"
level = "two"
)")),
              IsErrorWith(ErrorCode::invalid_argument,
                          "'plugins.svc.rules[1].level' must be an integer, got string at "
                          "test.toml:6:9"));
  EXPECT_THAT(rules_section(parse("[[plugins.svc.rules]]\ntopic = \"a\"\nevery = \"soon\"\n")),
              IsErrorWith(ErrorCode::invalid_argument,
                          "'plugins.svc.rules[0].every' must be "
                          "a duration"));
}

TEST(TableList, BadEntriesAreNamedWithTheEntryIndex) {
  EXPECT_THAT(rules_section(parse(R"([[plugins.svc.rules]]
topic = "a"

[[plugins.svc.rules]]
topc = "b"
)")),
              IsErrorWith(ErrorCode::invalid_argument,
                          "unknown key 'plugins.svc.rules[1].topc' (did you mean "
                          "'plugins.svc.rules[1].topic'?) at test.toml:5:1"));
  EXPECT_THAT(rules_section(parse(R"([[plugins.svc.rules]]
topic = "a"

[[plugins.svc.rules]]
level = 3
)")),
              IsErrorWith(ErrorCode::invalid_argument,
                          "missing required key 'plugins.svc.rules[1].topic' at test.toml:4:1"));
  // A sub-table inside an entry is not a declared key's value.
  EXPECT_THAT(rules_section(parse(R"([[plugins.svc.rules]]
topic = "a"
[plugins.svc.rules.extra]
x = 1
)")),
              IsErrorWith(ErrorCode::invalid_argument, "unknown key 'plugins.svc.rules[0].extra'"));
}

TEST(TableList, EnvironmentJsonArrayReplacesTheFileEntries) {
  Config config = parse(
      "[[plugins.svc.rules]]\ntopic = \"from-file\"\n",
      {{"CONFLUX_SVC_RULES", R"([{"topic":"env/+","level":3,"every":"2s","ratio":0.5,"on":false,)"
                             R"("tags":["x"]},{"topic":"env2","every":7}])"}});
  auto s = rules_section(config);
  ASSERT_THAT(s, IsOk());
  auto rules = s->get_tables("rules");
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].name(), "plugins.svc.rules[0]");
  EXPECT_EQ(rules[0].get_string("topic"), "env/+");
  EXPECT_EQ(rules[0].get_int("level"), 3);
  EXPECT_EQ(rules[0].get_duration("every"), 2s);
  EXPECT_DOUBLE_EQ(rules[0].get_number("ratio"), 0.5);
  EXPECT_FALSE(rules[0].get_bool("on", true));
  EXPECT_THAT(rules[0].get_strings("tags"), ElementsAre("x"));
  EXPECT_EQ(rules[1].get_string("topic"), "env2");
  EXPECT_EQ(rules[1].get_int("level"), 1);
  EXPECT_EQ(rules[1].get_duration("every"), 7s);

  // The longer prefix wins, and an empty variable clears the list.
  Config cleared = parse("[[plugins.svc.rules]]\ntopic = \"from-file\"\n",
                         {{"CONFLUX_PLUGINS_SVC_RULES", " "}, {"CONFLUX_SVC_RULES", "[]"}});
  auto c = rules_section(cleared);
  ASSERT_THAT(c, IsOk());
  EXPECT_THAT(c->get_tables("rules"), IsEmpty());
}

TEST(TableList, BadEnvironmentValuesNameTheVariableAndTheEntry) {
  auto with = [](std::string value) {
    return rules_section(parse("", {{"CONFLUX_SVC_RULES", std::move(value)}}));
  };
  EXPECT_THAT(with("topic=a"),
              IsErrorWith(ErrorCode::invalid_argument,
                          "environment variable CONFLUX_SVC_RULES: must be a JSON array of "
                          "objects (the entries of table list 'plugins.svc.rules')"));
  EXPECT_THAT(with(R"({"topic":"a"})"),
              IsErrorWith(ErrorCode::invalid_argument, "must be a JSON array of objects"));
  EXPECT_THAT(with(R"([{"topic":"a"},"b"])"),
              IsErrorWith(ErrorCode::invalid_argument,
                          "environment variable CONFLUX_SVC_RULES: 'plugins.svc.rules' must be a "
                          "table list ([[plugins.svc.rules]] entries), got string at index 1"));
  EXPECT_THAT(with(R"([{"topic":"a","level":"2"}])"),
              IsErrorWith(ErrorCode::invalid_argument,
                          "environment variable CONFLUX_SVC_RULES: 'plugins.svc.rules[0].level' "
                          "must be an integer, got string"));
  EXPECT_THAT(with(R"([{"topic":"a"},{"level":2}])"),
              IsErrorWith(ErrorCode::invalid_argument,
                          "environment variable CONFLUX_SVC_RULES: missing required key "
                          "'plugins.svc.rules[1].topic'"));
  EXPECT_THAT(with(R"([{"topic":"a","lvl":2}])"),
              IsErrorWith(ErrorCode::invalid_argument,
                          "environment variable CONFLUX_SVC_RULES: "
                          "unknown key 'plugins.svc.rules[0].lvl' (did you mean "
                          "'plugins.svc.rules[0].level'?)"));
  EXPECT_THAT(with(R"([{"topic":null}])"),
              IsErrorWith(ErrorCode::invalid_argument,
                          "environment variable CONFLUX_SVC_RULES: "
                          "plugins.svc.rules[0].topic must not be null"));
  EXPECT_THAT(with(R"([{"topic":"a","level":18446744073709551615}])"),
              IsErrorWith(ErrorCode::invalid_argument,
                          "environment variable CONFLUX_SVC_RULES: "
                          "plugins.svc.rules[0].level is out of range"));
}

}  // namespace
}  // namespace conflux::core
