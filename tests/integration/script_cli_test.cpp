// `conflux script test`: the real binary runs library scripts on inputs and
// prints JSON; a failing script prints its error with the line and exits 1.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/conflux_process.h"

namespace {

using conflux::test::ConfluxOptions;
using conflux::test::ConfluxProcess;
using nlohmann::json;
using ::testing::HasSubstr;

struct Outcome {
  int code;
  std::string log;
};

class ScriptCli : public ::testing::Test {
 protected:
  // Writes `text` into a file next to the test's scratch files.
  std::string file(const std::string& name, const std::string& text) {
    auto path = std::filesystem::temp_directory_path() /
                ("conflux-script-cli-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(path) << text;
    files_.push_back(path);
    return path.string();
  }
  void TearDown() override {
    for (const auto& f : files_) std::filesystem::remove(f);
  }
  Outcome run(std::vector<std::string> args) {
    args.insert(args.begin(), {"script", "test"});
    ConfluxProcess p(ConfluxOptions{.args = std::move(args)});
    int code = p.wait_exit();
    return {code, p.log()};
  }
  std::string library(const std::string& path) {
    return (conflux::test::source_dir() / "scripts" / path).string();
  }
  // The JSON document the binary printed (stdout; logs are not JSON).
  static json printed(const std::string& log) {
    auto start = log.find_first_of("[{");
    return json::parse(log.substr(start == std::string::npos ? 0 : start));
  }
  std::vector<std::filesystem::path> files_;
};

TEST_F(ScriptCli, TransformPrintsTheResultingMessages) {
  auto input = file(
      "msg.json",
      R"({"publisher":"t1","subtopic":"room/1","records":[{"bn":"dev:","n":"temp","u":"degF","v":212,"t":1700000000}]})");
  auto r = run({library("transforms/unit_conversion.lua"), "--input", input});
  ASSERT_EQ(r.code, 0) << r.log;
  auto out = printed(r.log);
  ASSERT_TRUE(out.is_array()) << r.log;
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]["subtopic"], "room.1");
  EXPECT_EQ(out[0]["records"][0]["n"], "dev:temp");
  EXPECT_EQ(out[0]["records"][0]["u"], "Cel");
  EXPECT_DOUBLE_EQ(out[0]["records"][0]["v"].get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(out[0]["records"][0]["t"].get<double>(), 1700000000.0);
}

TEST_F(ScriptCli, DecodeAndEncodeCayenneLpp) {
  auto in = file("lpp.json", R"({"hex":"03 67 01 10 05 67 00 FF","meta":{"fport":1}})");
  auto d = run({library("codecs/cayenne_lpp.lua"), "--function", "decode", "--input", in});
  ASSERT_EQ(d.code, 0) << d.log;
  auto decoded = printed(d.log);
  ASSERT_EQ(decoded["records"].size(), 2u) << d.log;
  EXPECT_EQ(decoded["records"][0]["n"], "temperature_3");
  EXPECT_DOUBLE_EQ(decoded["records"][0]["v"].get<double>(), 27.2);
  EXPECT_DOUBLE_EQ(decoded["records"][1]["v"].get<double>(), 25.5);

  auto enc_in = file(
      "enc.json",
      R"({"records":[{"n":"temperature_3","v":27.2},{"n":"temperature_5","v":25.5}],"meta":{"fport":3}})");
  auto e = run({library("codecs/cayenne_lpp.lua"), "-f", "encode", "-i", enc_in});
  ASSERT_EQ(e.code, 0) << e.log;
  auto encoded = printed(e.log);
  EXPECT_EQ(encoded["hex"], "03670110056700ff");
  EXPECT_EQ(encoded["meta"]["fport"], 3);
}

TEST_F(ScriptCli, ErrorsCarryTheLineAndFail) {
  auto input = file("in.json", R"([{"n":"temp","v":1}])");
  auto broken = file("broken.lua", "function transform(msg)\n  return msg +\nend\n");
  auto b = run({broken, "--input", input});
  EXPECT_EQ(b.code, 1) << b.log;
  EXPECT_THAT(b.log, HasSubstr("broken.lua:3:"));

  auto failing =
      file("failing.lua", "function transform(msg)\n  local x = nil\n  return x.y\nend\n");
  auto f = run({failing, "--input", input});
  EXPECT_EQ(f.code, 1) << f.log;
  EXPECT_THAT(f.log, HasSubstr("failing.lua:3: attempt to index a nil value"));

  auto looping = file("loop.lua", "function transform(msg) while true do end end\n");
  auto l = run({looping, "--input", input});
  EXPECT_EQ(l.code, 1) << l.log;
  EXPECT_THAT(l.log, HasSubstr("loop.lua:1: deadline of 10 ms exceeded"));

  auto dropping = file("drop.lua", "function transform(msg) return nil end\n");
  auto d = run({dropping, "--input", input});
  EXPECT_EQ(d.code, 0) << d.log;
  EXPECT_EQ(printed(d.log), json::array());

  auto bad_input = file("bad.json", "{nope");
  auto i = run({dropping, "--input", bad_input});
  EXPECT_EQ(i.code, 1);
  EXPECT_THAT(i.log, HasSubstr("input: not valid JSON"));
}

}  // namespace
