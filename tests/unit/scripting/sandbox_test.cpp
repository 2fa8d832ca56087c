// Sandbox escape attempts: each fails with a clear error (a limit error even
// when wrapped in pcall/xpcall) and the next message on the same thread is
// transformed normally. Plus the read-only globals and the fresh environment
// per call.
// Thread-safety: single-threaded tests.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/unit/scripting/script_test_support.h"

namespace conflux::core::scripting {
namespace {

using ::testing::HasSubstr;
using namespace testing;

// `attack` runs when the message's subtopic is "attack"; otherwise the
// transform sets the first record's value to 42.
std::string with_attack(const std::string& attack) {
  return "function transform(msg)\n"
         "  if msg.subtopic == 'attack' then\n" +
         attack +
         "\n  end\n"
         "  msg.records[1].v = 42\n"
         "  return msg\n"
         "end\n";
}

struct Escape {
  const char* name;
  const char* attack;
  RunStatus status;
  const char* error;
};

class SandboxEscapeTest : public ::testing::TestWithParam<Escape> {};

TEST_P(SandboxEscapeTest, FailsCleanlyAndTheNextMessageIsProcessed) {
  const auto& e = GetParam();
  ScriptLimits limits;
  if (e.status == RunStatus::memory) limits.timeout = std::chrono::seconds(5);  // the cap first
  auto script = compile(with_attack(e.attack), "escape", limits);

  auto attack = senml_message({record("temp", 1)});
  attack.subtopic = "attack";
  CallReport report;
  auto r = script->transform(attack, report);
  ASSERT_FALSE(r) << e.name << " was not stopped";
  EXPECT_EQ(report.status, e.status) << e.name << ": " << report.error;
  EXPECT_THAT(report.error, HasSubstr(e.error)) << e.name;
  EXPECT_THAT(report.error, HasSubstr("escape")) << "the error names the script";

  CallReport next_report;
  auto next = script->transform(senml_message({record("temp", 1)}), next_report);
  ASSERT_TRUE(next) << e.name << ": " << next.error().message;
  ASSERT_EQ(next->size(), 1u);
  EXPECT_EQ((*next)[0].records[0].value, 42.0);
  EXPECT_EQ(next_report.status, RunStatus::ok);
}

INSTANTIATE_TEST_SUITE_P(
    Escapes, SandboxEscapeTest,
    ::testing::Values(
        Escape{"io_open", "io.open('/etc/passwd')", RunStatus::error, "escape:3:"},
        Escape{"os_execute", "os.execute('true')", RunStatus::error, "execute"},
        Escape{"os_exit", "os.exit(1)", RunStatus::error, "exit"},
        Escape{"require", "require('os')", RunStatus::error, "require"},
        Escape{"dofile", "dofile('/etc/passwd')", RunStatus::error, "dofile"},
        Escape{"loadfile", "loadfile('/etc/passwd')", RunStatus::error, "loadfile"},
        Escape{"load_bytecode", "load('\\27LuaT\\0\\25\\147')", RunStatus::error,
               "binary chunks are not allowed"},
        Escape{"load_bytecode_mode", "local f = assert(load('\\27LuaT\\0\\25\\147', 'x', 'b'))",
               RunStatus::error, "binary chunks are not allowed"},
        Escape{"load_reader_bytecode",
               "local done = false\n"
               "local f, err = load(function() if done then return nil end done = true "
               "return '\\27LuaT' end)\n"
               "error(err)",
               RunStatus::error, "attempt to load a binary chunk"},
        Escape{"string_dump", "string.dump(transform)", RunStatus::error, "dump"},
        Escape{"string_dump_method", "('x').dump(transform)", RunStatus::error, "dump"},
        Escape{"debug", "debug.sethook()", RunStatus::error, "debug"},
        Escape{"package", "package.loadlib('libc.so.6', 'system')", RunStatus::error, "package"},
        Escape{"string_metatable", "getmetatable('').__index.upper = nil", RunStatus::error,
               "boolean value"},
        Escape{"string_metatable_set", "setmetatable('', {})", RunStatus::error, "table expected"},
        Escape{"patch_string_lib", "string.upper = nil", RunStatus::error, "read-only"},
        Escape{"rawset_string_lib", "rawset(string, 'upper', nil)", RunStatus::error, "read-only"},
        Escape{"patch_math", "math.floor = nil", RunStatus::error, "read-only"},
        Escape{"unprotect_lib", "setmetatable(string, nil)", RunStatus::error, "protected"},
        Escape{"gc_finalizer", "setmetatable({}, {__gc = function() while true do end end})",
               RunStatus::error, "__gc"},
        Escape{"endless_loop", "while true do end", RunStatus::timeout, "deadline of 10 ms"},
        Escape{"endless_loop_pcall", "pcall(function() while true do end end)", RunStatus::timeout,
               "deadline"},
        Escape{"endless_loop_pcall_retry",
               "for i = 1, 100 do pcall(function() while true do end end) end", RunStatus::timeout,
               "deadline"},
        Escape{"endless_loop_xpcall_handler",
               "xpcall(function() error('x') end, function() while true do end end)",
               RunStatus::timeout, "deadline"},
        Escape{"endless_recursion_pcall",
               "local function f() return pcall(f) end while true do f() end", RunStatus::timeout,
               "deadline"},
        Escape{"string_rep_bomb", "local s = string.rep('x', 1 << 30)", RunStatus::memory,
               "memory limit"},
        Escape{"string_rep_bomb_pcall", "pcall(string.rep, 'x', 1 << 30) local s = 'after'",
               RunStatus::memory, "memory limit"},
        Escape{"table_growth", "local t = {} for i = 1, 1 << 40 do t[i] = i end", RunStatus::memory,
               "memory limit"},
        Escape{"table_growth_pcall",
               "pcall(function() local t = {} for i = 1, 1 << 40 do t[i] = {i} end end)",
               RunStatus::memory, "memory limit"},
        Escape{"concat_growth", "local s = 'x' while true do s = s .. s end", RunStatus::memory,
               "memory limit"}),
    [](const ::testing::TestParamInfo<Escape>& info) { return std::string(info.param.name); });

TEST(SandboxTest, GlobalsAssignedInACallDoNotLeakIntoTheNext) {
  auto script = compile(
      "function transform(msg)\n"
      "  counter = (counter or 0) + 1\n"
      "  state.calls = (state.calls or 0) + 1\n"
      "  msg.records[1].v = counter * 1000 + state.calls\n"
      "  return msg\n"
      "end\n");
  for (int i = 1; i <= 3; ++i) {
    CallReport report;
    auto r = script->transform(senml_message({record("temp", 1)}), report);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ((*r)[0].records[0].value, 1000.0 + i) << "counter fresh, state kept";
  }
}

TEST(SandboxTest, TopLevelTablesAreReadOnlyInCalls) {
  auto script = compile(
      "UNITS = {degF = 'Cel', list = {1, 2, 3}}\n"
      "function transform(msg)\n"
      "  if msg.subtopic == 'write' then UNITS.degF = 'K' end\n"
      "  if msg.subtopic == 'nested' then UNITS.list[1] = 9 end\n"
      "  local n = 0 for _, v in ipairs(UNITS.list) do n = n + v end\n"
      "  for k, v in pairs(UNITS) do if k == 'degF' then msg.records[1].u = v end end\n"
      "  msg.records[1].v = n + #UNITS.list\n"
      "  return msg\n"
      "end\n");
  for (const char* sub : {"write", "nested"}) {
    auto m = senml_message({record("temp", 1)});
    m.subtopic = sub;
    CallReport report;
    EXPECT_FALSE(script->transform(m, report));
    EXPECT_THAT(report.error, HasSubstr("read-only")) << sub;
  }
  CallReport report;
  auto r = script->transform(senml_message({record("temp", 1)}), report);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)[0].records[0].unit, "Cel");
  EXPECT_EQ((*r)[0].records[0].value, 9.0);
}

TEST(SandboxTest, OnlyTheSafeLibrariesAreThere) {
  auto script = compile(
      "function transform(msg)\n"
      "  local present = {}\n"
      "  for _, name in ipairs({'io', 'os', 'debug', 'package', 'require', 'dofile', 'loadfile',\n"
      "      'coroutine', 'string', 'table', 'math', 'utf8', 'conflux', 'collectgarbage',\n"
      "      '_G', 'warn'}) do\n"
      "    if load('return ' .. name)() ~= nil then present[#present + 1] = name end\n"
      "  end\n"
      "  local os_fns = {}\n"
      "  for k in pairs(os) do os_fns[#os_fns + 1] = k end\n"
      "  table.sort(os_fns)\n"
      "  msg.records[1].vs = table.concat(present, ',') .. '|' .. table.concat(os_fns, ',')\n"
      "  msg.records[1].v = nil\n"
      "  return msg\n"
      "end\n");
  CallReport report;
  auto r = script->transform(senml_message({record("temp", 1)}), report);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)[0].records[0].string_value,
            "os,string,table,math,utf8,conflux,collectgarbage|clock,date,time");
}

TEST(SandboxTest, ScriptsThatDoNotCompileAreRefusedWithTheLine) {
  auto r = CompiledScript::compile(spec("function transform(msg)\n  return msg +\nend\n", "bad"),
                                   nullptr);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_THAT(r.error().message, HasSubstr("bad:3:"));

  auto top = CompiledScript::compile(spec("local x = nil\nx.y = 1\n", "top"), nullptr);
  ASSERT_FALSE(top);
  EXPECT_THAT(top.error().message, HasSubstr("top:2:"));

  auto none = CompiledScript::compile(spec("x = 1\n", "none"), nullptr);
  ASSERT_FALSE(none);
  EXPECT_THAT(none.error().message, HasSubstr("defines none of transform, decode, encode"));

  auto loop = CompiledScript::compile(spec("while true do end\n", "loop"), nullptr);
  ASSERT_FALSE(loop);
  EXPECT_EQ(loop.error().code, ErrorCode::timeout);
  EXPECT_THAT(loop.error().message, HasSubstr("loop:1: deadline"));
}

TEST(SandboxTest, ErrorsFromLibraryFunctionsCarryTheScriptLine) {
  auto script = compile(
      "function transform(msg)\n"
      "  local x = 1\n"
      "  conflux.json.decode('{bad')\n"
      "end\n",
      "located");
  CallReport report;
  EXPECT_FALSE(script->transform(senml_message({record("t", 1)}), report));
  EXPECT_THAT(report.error, HasSubstr("located:3: json:"));
}

TEST(SandboxTest, LimitsArePerScript) {
  ScriptLimits small;
  small.memory_bytes = 512 << 10;
  auto script = compile("function transform(msg) local s = string.rep('x', 1 << 20) return msg end",
                        "small", small);
  CallReport report;
  EXPECT_FALSE(script->transform(senml_message({record("t", 1)}), report));
  EXPECT_EQ(report.status, RunStatus::memory);
  EXPECT_THAT(report.error, HasSubstr("524288 bytes"));

  ScriptLimits fast;
  fast.timeout = std::chrono::milliseconds(2);
  auto slow = compile("function transform(msg) while true do end end", "fast", fast);
  EXPECT_FALSE(slow->transform(senml_message({record("t", 1)}), report));
  EXPECT_THAT(report.error, HasSubstr("deadline of 2 ms"));
}

TEST(SandboxTest, LogLinesAreCapturedPerCall) {
  conflux::testing::CaptureLogger log;
  auto script = compile(
      "function transform(msg)\n"
      "  conflux.log('info', 'got', #msg.records, 'records')\n"
      "  print('hello', true)\n"
      "  return msg\n"
      "end\n",
      "logger", {}, &log);
  CallReport report;
  ASSERT_TRUE(script->transform(senml_message({record("t", 1)}), report));
  EXPECT_THAT(report.logs, ::testing::ElementsAre("got 1 records", "hello true"));
  EXPECT_TRUE(log.contains("script logger: got 1 records"));
}

}  // namespace
}  // namespace conflux::core::scripting
