// Tests for parse_profile_config: the Mainflux shape, defaults, content type
// spellings, transformer validation and rejects.
// Thread-safety: single-threaded tests of thread-safe functions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "conflux/testing/matchers.h"
#include "core/messages/format.h"

namespace conflux::core {
namespace {

using ::testing::ElementsAre;
using testing::IsErrorWith;
using testing::IsOk;

TEST(ProfileConfig, FullMainfluxShape) {
  auto config = parse_profile_config(R"({
    "content_type": "application/json", "write": false, "webhook": true,
    "smtp_id": "ignored", "transformer": {
      "data_field": "data", "data_filters": ["temperature", "meta.unit"],
      "time_field": "ts", "time_format": "rfc3339", "time_location": "Europe/Belgrade"}})");
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->content_type, kJson);
  EXPECT_FALSE(config->write_enabled);
  EXPECT_TRUE(config->webhook_enabled);
  EXPECT_EQ(config->transformer.data_field, "data");
  EXPECT_THAT(config->transformer.data_filters, ElementsAre("temperature", "meta.unit"));
  EXPECT_EQ(config->transformer.time_field, "ts");
  EXPECT_EQ(config->transformer.time_format, "rfc3339");
  EXPECT_EQ(config->transformer.time_location, "Europe/Belgrade");
}

TEST(ProfileConfig, EmptyMeansNoUsableConfigWithDefaults) {
  for (std::string_view text : {"{}", "", "  \n", R"({"content_type": ""})",
                                R"({"content_type": null, "transformer": null, "write": null})"}) {
    auto config = parse_profile_config(text);
    ASSERT_THAT(config, IsOk()) << text;
    EXPECT_EQ(*config, ProfileConfig{}) << text;
  }
}

TEST(ProfileConfig, ContentTypeSpellings) {
  for (std::string_view text : {R"({"content_type": "application/senml+json"})",
                                R"({"Content-Type": "application/senml+json"})",
                                R"({"content-type": "Application/SenML+JSON; charset=utf-8"})",
                                R"({"content_type": " senml+json "})"}) {
    auto config = parse_profile_config(text);
    ASSERT_THAT(config, IsOk()) << text;
    EXPECT_EQ(config->content_type, kSenmlJson) << text;
  }
  EXPECT_EQ(parse_profile_config(R"({"content_type": "json"})")->content_type, kJson);
  EXPECT_EQ(parse_profile_config(
                R"({"content_type": "application/json", "Content-Type": "application/json"})")
                ->content_type,
            kJson);
}

TEST(ProfileConfig, GoLayoutTimeFormatIsAccepted) {
  auto config = parse_profile_config(
      R"({"content_type": "application/json", "transformer": {"time_field": "t", "time_format": "2006-01-02 15:04:05"}})");
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->transformer.time_format, "2006-01-02 15:04:05");
}

TEST(ProfileConfigErrors, Shape) {
  EXPECT_THAT(parse_profile_config("[]"),
              IsErrorWith(ErrorCode::invalid_argument, "profile config must be a JSON object"));
  EXPECT_THAT(parse_profile_config("{"),
              IsErrorWith(ErrorCode::invalid_argument, "profile config is not valid JSON"));
  EXPECT_THAT(parse_profile_config(R"({"transformer": []})"),
              IsErrorWith(ErrorCode::invalid_argument,
                          "profile config: transformer must be a JSON object"));
  EXPECT_THAT(
      parse_profile_config(R"({"write": "yes"})"),
      IsErrorWith(ErrorCode::invalid_argument, "profile config: write must be true or false"));
  EXPECT_THAT(
      parse_profile_config(R"({"webhook": 1})"),
      IsErrorWith(ErrorCode::invalid_argument, "profile config: webhook must be true or false"));
}

TEST(ProfileConfigErrors, ContentType) {
  EXPECT_THAT(parse_profile_config(R"({"content_type": "text/plain"})"),
              IsErrorWith(ErrorCode::invalid_argument,
                          "profile config: content_type 'text/plain' is not supported"));
  EXPECT_THAT(
      parse_profile_config(R"({"content_type": 5})"),
      IsErrorWith(ErrorCode::invalid_argument, "profile config: content_type must be a string"));
  EXPECT_THAT(
      parse_profile_config(
          R"({"content_type": "application/json", "Content-Type": "application/senml+json"})"),
      IsErrorWith(ErrorCode::invalid_argument,
                  "profile config: Content-Type contradicts content_type"));
}

TEST(ProfileConfigErrors, Transformer) {
  auto with = [](std::string_view transformer) {
    return parse_profile_config(R"({"content_type": "application/json", "transformer": )" +
                                std::string(transformer) + "}");
  };
  EXPECT_THAT(
      with(R"({"time_field": "ts", "time_format": "sometime"})"),
      IsErrorWith(ErrorCode::invalid_argument,
                  "profile config: transformer.time_format time_format 'sometime' is neither"));
  EXPECT_THAT(
      with(R"({"time_field": "ts"})"),
      IsErrorWith(ErrorCode::invalid_argument,
                  "profile config: transformer.time_format is required when time_field is set"));
  EXPECT_THAT(
      with(R"({"time_location": "Europe/Atlantis"})"),
      IsErrorWith(ErrorCode::invalid_argument,
                  "profile config: transformer.time_location unknown time zone 'Europe/Atlantis'"));
  EXPECT_THAT(
      with(R"({"data_field": "a..b"})"),
      IsErrorWith(ErrorCode::invalid_argument,
                  "profile config: transformer.data_field path 'a..b' has an empty segment"));
  EXPECT_THAT(with(R"({"time_field": ".ts", "time_format": "unix"})"),
              IsErrorWith(ErrorCode::invalid_argument,
                          "transformer.time_field path '.ts' has an empty segment"));
  EXPECT_THAT(with(R"({"data_filters": "a"})"),
              IsErrorWith(ErrorCode::invalid_argument,
                          "profile config: transformer.data_filters must be an array of strings"));
  EXPECT_THAT(
      with(R"({"data_filters": ["a", 1]})"),
      IsErrorWith(ErrorCode::invalid_argument, "transformer.data_filters[1] must be a string"));
  EXPECT_THAT(
      with(R"({"data_filters": ["a", ""]})"),
      IsErrorWith(ErrorCode::invalid_argument, "transformer.data_filters[1] path is empty"));
  EXPECT_THAT(with(R"({"data_field": 3})"),
              IsErrorWith(ErrorCode::invalid_argument, "transformer.data_field must be a string"));
}

}  // namespace
}  // namespace conflux::core
