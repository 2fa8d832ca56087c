// Tests for the text and JSON line formats, including escaping.
#include "core/log/line_format.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace conflux::core {
namespace {

using namespace std::chrono_literals;

// 2026-11-22T10:00:00.123Z
std::chrono::system_clock::time_point fixed_time() {
  return std::chrono::sys_days{std::chrono::year{2026} / 11 / 22} + 10h + 123ms;
}

TEST(LineFormat, TimeIsUtcIsoWithMilliseconds) {
  EXPECT_EQ(format_log_time(fixed_time()), "2026-11-22T10:00:00.123Z");
  EXPECT_EQ(format_log_time(std::chrono::system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_log_time(fixed_time() + 59min + 59s + 876ms + 999us),
            "2026-11-22T10:59:59.999Z");
}

TEST(LineFormat, TextLine) {
  EXPECT_EQ(format_log_line(LogFormat::text, fixed_time(), LogLevel::info, "plugin:mqtt",
                            "connected to broker"),
            "2026-11-22T10:00:00.123Z info [plugin:mqtt] connected to broker\n");
  EXPECT_EQ(format_log_line(LogFormat::text, fixed_time(), LogLevel::warn, "core:http", "x"),
            "2026-11-22T10:00:00.123Z warn [core:http] x\n");
}

TEST(LineFormat, TextLineKeepsOneMessageOnOneLine) {
  EXPECT_EQ(format_log_line(LogFormat::text, fixed_time(), LogLevel::error, "s",
                            "line1\nline2\r\x01\tend"),
            "2026-11-22T10:00:00.123Z error [s] line1\\nline2\\r\\x01\tend\n");
}

TEST(LineFormat, JsonLine) {
  EXPECT_EQ(
      format_log_line(LogFormat::json, fixed_time(), LogLevel::info, "plugin:mqtt", "connected"),
      R"({"time":"2026-11-22T10:00:00.123Z","level":"info","scope":"plugin:mqtt",)"
      R"("msg":"connected"})"
      "\n");
}

TEST(LineFormat, JsonEscapesQuotesBackslashesAndControls) {
  std::string line = format_log_line(LogFormat::json, fixed_time(), LogLevel::debug, "sc\"ope\\",
                                     "say \"hi\"\\\n\t\r\b\f\x01\x1f\x7f");
  EXPECT_EQ(line, R"({"time":"2026-11-22T10:00:00.123Z","level":"debug","scope":"sc\"ope\\",)"
                  R"("msg":"say \"hi\"\\\n\t\r\b\f\u0001\u001f\u007f"})"
                  "\n");
  auto json = nlohmann::json::parse(line);
  EXPECT_EQ(json["scope"], "sc\"ope\\");
  EXPECT_EQ(json["msg"], "say \"hi\"\\\n\t\r\b\f\x01\x1f\x7f");
}

TEST(LineFormat, JsonKeepsValidUtf8AndReplacesInvalid) {
  std::string valid =
      "temp 21\xC2\xB0"
      "C \xE2\x82\xAC \xF0\x9F\x98\x80";
  auto ok = nlohmann::json::parse(
      format_log_line(LogFormat::json, fixed_time(), LogLevel::info, "s", valid));
  EXPECT_EQ(ok["msg"], valid);

  // Stray continuation byte, truncated sequence, overlong encoding, surrogate.
  std::string invalid =
      "a\x80"
      "b\xE2\x82"
      "c\xC0\xAF"
      "d\xED\xA0\x80";
  std::string line = format_log_line(LogFormat::json, fixed_time(), LogLevel::info, "s", invalid);
  auto parsed = nlohmann::json::parse(line);  // throws on invalid UTF-8
  std::string msg = parsed["msg"];
  EXPECT_EQ(msg.substr(0, 4), "a\xEF\xBF\xBD");
  EXPECT_THAT(msg, ::testing::HasSubstr("b\xEF\xBF\xBD\xEF\xBF\xBD"
                                        "c"));
}

TEST(LineFormat, JsonOutputIsValidForEveryByte) {
  std::string every_byte;
  for (int c = 0; c < 256; ++c) every_byte.push_back(static_cast<char>(c));
  std::string line =
      format_log_line(LogFormat::json, fixed_time(), LogLevel::info, every_byte, every_byte);
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_NO_THROW(nlohmann::json::parse(line));
}

}  // namespace
}  // namespace conflux::core
