// Tests for the core/messages helpers: exact decimal scaling, dotted JSON
// paths, error quoting and content type recognition.
// Thread-safety: single-threaded tests of thread-safe functions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>

#include "conflux/testing/matchers.h"
#include "core/messages/content_type.h"
#include "core/messages/decimal.h"
#include "core/messages/error_text.h"
#include "core/messages/json_path.h"

namespace conflux::core::messages_detail {
namespace {

using nlohmann::json;

std::int64_t scaled(std::string_view text, int scale) {
  auto value = scaled_decimal(text, scale);
  EXPECT_TRUE(value.has_value()) << text;
  return value.value_or(-42);
}

TEST(ScaledDecimal, ExactConversions) {
  EXPECT_EQ(scaled("1.276020076001e+09", 9), 1'276'020'076'001'000'000);
  EXPECT_EQ(scaled("1276020076.001", 9), 1'276'020'076'001'000'000);
  EXPECT_EQ(scaled("0", 9), 0);
  EXPECT_EQ(scaled("-0.0", 9), 0);
  EXPECT_EQ(scaled("-5", 9), -5'000'000'000);
  EXPECT_EQ(scaled("+5", 0), 5);
  EXPECT_EQ(scaled(".5", 1), 5);
  EXPECT_EQ(scaled("5.", 1), 50);
  EXPECT_EQ(scaled("1E3", 0), 1000);
  EXPECT_EQ(scaled("12345e-2", 0), 123);
  EXPECT_EQ(scaled("0.000000000000000000000000000000000000000000001", 9), 0);
  EXPECT_EQ(scaled("00000000000000000000000000000000000000000000001", 0), 1);
  EXPECT_EQ(scaled("1e-100000000000", 9), 0);
}

TEST(ScaledDecimal, RoundsHalfAwayFromZero) {
  EXPECT_EQ(scaled("0.5", 0), 1);
  EXPECT_EQ(scaled("0.49999999999999999999999", 0), 0);
  EXPECT_EQ(scaled("-0.5", 0), -1);
  EXPECT_EQ(scaled("1.0000000005", 9), 1'000'000'001);
  EXPECT_EQ(scaled("1.0000000004999", 9), 1'000'000'000);
}

TEST(ScaledDecimal, Int64Limits) {
  EXPECT_EQ(scaled("9223372036854775807", 0), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(scaled("-9223372036854775808", 0), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(scaled("9223372036.854775807", 9), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(scaled_decimal("9223372036854775808", 0).error(), DecimalError::out_of_range);
  EXPECT_EQ(scaled_decimal("1e39", 0).error(), DecimalError::out_of_range);
  EXPECT_EQ(scaled_decimal("1e100000000000", 0).error(), DecimalError::out_of_range);
  EXPECT_EQ(scaled_decimal(std::string(400, '9'), 0).error(), DecimalError::out_of_range);
}

TEST(ScaledDecimal, Malformed) {
  for (std::string_view text :
       {"", "-", ".", "e5", "1e", "1e+", "1.2.3", "0x10", " 1", "1 ", "1,5", "inf", "NaN", "--1"})
    EXPECT_EQ(scaled_decimal(text, 0).error(), DecimalError::malformed) << text;
}

TEST(JsonPath, FindAndCopy) {
  json doc = json::parse(R"({"a": {"b": {"c": 1}}, "a.b": 2, "x": 3})");
  EXPECT_EQ(*find_path(doc, "a.b.c"), 1);
  EXPECT_EQ(*find_path(doc, "a.b"), 2);  // the whole-name member wins
  EXPECT_EQ(find_path(doc, "a.b.c.d"), nullptr);
  EXPECT_EQ(find_path(doc, "x.y"), nullptr);
  EXPECT_EQ(find_path(json::array(), "a"), nullptr);
  json target = json::object();
  copy_path(doc, "a.b.c", target);
  copy_path(doc, "x", target);
  copy_path(doc, "nope", target);
  EXPECT_EQ(target.dump(), R"({"a":{"b":{"c":1}},"x":3})");
}

TEST(JsonPath, Validation) {
  EXPECT_THAT(validate_path("a.b"), testing::IsOk());
  EXPECT_THAT(validate_path(""),
              testing::IsErrorWith(ErrorCode::invalid_argument, "path is empty"));
  for (std::string_view bad : {".a", "a.", "a..b", "."})
    EXPECT_THAT(validate_path(bad),
                testing::IsErrorWith(ErrorCode::invalid_argument, "empty segment"));
}

TEST(ErrorQuote, BoundsAndSanitizes) {
  EXPECT_EQ(error_quote("abc"), "'abc'");
  EXPECT_EQ(error_quote("a'b\\c\n"), "'a?b?c?'");
  EXPECT_EQ(error_quote("°C"), "'°C'");
  EXPECT_EQ(error_quote("\xff\xc3"),
            "'?"
            "?'");
  EXPECT_EQ(error_quote("\xed\xa0\x80"),
            "'?"
            "?"
            "?'");  // a UTF-16 surrogate is not UTF-8
  EXPECT_EQ(error_quote(std::string(100, 'x')), "'" + std::string(64, 'x') + "...'");
  // Never cut inside a character.
  std::string text = std::string(63, 'x') + "°";
  EXPECT_EQ(error_quote(text), "'" + std::string(63, 'x') + "...'");
  EXPECT_NO_THROW(json(error_quote(std::string(70, '\xc3'))).dump());
}

TEST(ContentType, Classification) {
  EXPECT_EQ(classify_content_type(""), ContentKind::none);
  EXPECT_EQ(classify_content_type(" ; charset=utf-8"), ContentKind::none);
  EXPECT_EQ(classify_content_type("application/senml+json"), ContentKind::senml_json);
  EXPECT_EQ(classify_content_type("APPLICATION/SENML+JSON;charset=utf-8"), ContentKind::senml_json);
  EXPECT_EQ(classify_content_type("senml+json"), ContentKind::senml_json);
  EXPECT_EQ(classify_content_type("application/json"), ContentKind::json);
  EXPECT_EQ(classify_content_type("\tjson "), ContentKind::json);
  EXPECT_EQ(classify_content_type("application/senml+cbor"), ContentKind::unsupported);
  EXPECT_EQ(classify_content_type("text/json"), ContentKind::unsupported);
}

}  // namespace
}  // namespace conflux::core::messages_detail
