// Sandbox escape attempts: each fails with a clear error (a limit error even
// when wrapped in pcall/xpcall) and the next message on the same thread is
// transformed normally. Plus the read-only globals, the call environment
// emptied after every call (however it ended) and the string cache.
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

// The call environment is one table per interpreter, emptied after every
// call: what a call writes must be gone for the next one however the call
// ended. `probe` reports the globals the call found (before writing any)
// in record 1's vs.
const char* kLeakProbe =
    "function transform(msg)\n"
    "  local seen, rep = {}, string.rep\n"
    "  for _, name in ipairs({'leak', 'raw_leak', 'index_leak', 'print', 'string', 'x1', 'x99'}) "
    "do\n"
    "    local v = _ENV[name]\n"
    "    if name == 'print' or name == 'string' then\n"
    "      if v == 1 then seen[#seen + 1] = name end\n"
    "    elseif v ~= nil then seen[#seen + 1] = name end\n"
    "  end\n"
    "  if state.f and state.f() ~= nil then seen[#seen + 1] = 'closure' end\n"
    "  if state.env and state.env.leak ~= nil then seen[#seen + 1] = 'saved_env' end\n"
    "  leak = msg.subtopic\n"
    "  rawset(_ENV, 'raw_leak', 1)\n"
    "  _ENV['index_leak'] = 1\n"
    "  print = 1\n"
    "  string = 1\n"
    "  state.f = function() return leak end\n"
    "  state.env = _ENV\n"
    "  if msg.subtopic == 'many' then for i = 1, 200 do _ENV['x' .. i] = i end end\n"
    "  if msg.subtopic == 'error' then error('after writing globals') end\n"
    "  if msg.subtopic == 'loop' then while true do end end\n"
    "  if msg.subtopic == 'memory' then local s = rep('x', 1 << 30) end\n"
    "  if msg.subtopic == 'pcall_loop' then pcall(function() while true do end end) end\n"
    "  msg.records[1].vs = table.concat(seen, ',')\n"
    "  msg.records[1].v = nil\n"
    "  return msg\n"
    "end\n";

// Runs `probe` on `state` with subtopic `sub`; the globals it saw.
std::string probe(LuaState& state, const std::string& sub, bool expect_ok = true) {
  auto m = senml_message({record("temp", 1)});
  m.subtopic = sub;
  CallReport report;
  auto r = state.transform(m, report);
  if (!expect_ok) {
    EXPECT_FALSE(r) << sub;
    return "";
  }
  EXPECT_TRUE(r) << sub << ": " << report.error;
  if (!r || r->empty()) return "(failed)";
  return (*r)[0].records[0].string_value.value_or("(none)");
}

TEST(SandboxTest, NoGlobalsLeakAfterSuccessErrorOrLimit) {
  ScriptLimits limits;
  limits.timeout = std::chrono::milliseconds(20);
  limits.memory_bytes = 4 << 20;
  auto built = LuaState::create("leak", kLeakProbe, limits, nullptr);
  ASSERT_TRUE(built) << built.error().message;
  LuaState& state = **built;
  EXPECT_EQ(probe(state, "first"), "");
  EXPECT_EQ(probe(state, "second"), "") << "globals of a successful call are gone";
  EXPECT_EQ(probe(state, "error", false), "");
  EXPECT_EQ(probe(state, "after-error"), "") << "a call that set globals then failed";
  EXPECT_EQ(probe(state, "many"), "");
  EXPECT_EQ(probe(state, "after-many"), "") << "a large environment is replaced";
  EXPECT_EQ(probe(state, "again"), "");
  // Limits leave the interpreter broken (the engine discards it), but even
  // a caller that keeps it sees no globals of the stopped call.
  EXPECT_EQ(probe(state, "loop", false), "");
  EXPECT_TRUE(state.broken());
  EXPECT_EQ(probe(state, "after-loop"), "") << "a call stopped by its deadline";
  EXPECT_EQ(probe(state, "pcall_loop", false), "");
  EXPECT_EQ(probe(state, "after-pcall-loop"), "");
  EXPECT_EQ(probe(state, "memory", false), "");
  EXPECT_EQ(probe(state, "after-memory"), "") << "a call stopped by the memory cap";
}

TEST(SandboxTest, NoGlobalsLeakThroughTheEngineAfterAnError) {
  auto script = compile(kLeakProbe, "leak");
  for (const char* sub : {"first", "error", "next", "many", "next", "loop", "next"}) {
    auto m = senml_message({record("temp", 1)});
    m.subtopic = sub;
    CallReport report;
    auto r = script->transform(m, report);
    std::string s(sub);
    if (s == "error" || s == "loop") {
      EXPECT_FALSE(r) << sub;
      continue;
    }
    ASSERT_TRUE(r) << sub << ": " << report.error;
    EXPECT_EQ((*r)[0].records[0].string_value, "") << "after " << sub;
  }
}

TEST(SandboxTest, ReturningTheEnvironmentStillWorks) {
  auto script = compile(
      "function transform(msg)\n"
      "  if records then error('records leaked from the previous call') end\n"
      "  records = msg.records\n"
      "  return _ENV\n"
      "end\n");
  for (int i = 0; i < 3; ++i) {
    CallReport report;
    auto r = script->transform(senml_message({record("temp", 1)}), report);
    ASSERT_TRUE(r) << report.error;
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ((*r)[0].records[0].value, 1.0);
  }
}

TEST(SandboxTest, InternedStringsFollowEachMessage) {
  auto script = compile(
      "function transform(msg)\n"
      "  local parts = {msg.publisher, msg.group, msg.profile, msg.protocol, msg.subtopic,\n"
      "    msg.content_type}\n"
      "  for _, r in ipairs(msg.records) do parts[#parts + 1] = r.n .. '/' .. (r.u or '-') end\n"
      "  return {records = {{n = 'out', vs = table.concat(parts, '|')}}}\n"
      "end\n");
  auto make = [](const std::string& who, int records) {
    std::vector<SenmlRecord> rs;
    for (int i = 0; i < records; ++i)
      rs.push_back(record(who + "-r" + std::to_string(i), i, i % 2 ? "" : who + "-u"));
    auto m = senml_message(std::move(rs), who + "-publisher");
    m.group = who + "-group";
    m.profile = who + "-profile";
    m.protocol = who + "-protocol";
    m.subtopic = who + ".sub";
    m.content_type = who + "/type";
    return m;
  };
  auto expected = [](const Message& m) {
    std::string s = m.publisher + "|" + m.group + "|" + m.profile + "|" + m.protocol + "|" +
                    m.subtopic + "|" + m.content_type;
    for (const auto& r : m.records) s += "|" + r.name + "/" + (r.unit.empty() ? "-" : r.unit);
    return s;
  };
  // Alternating senders, record counts across the cached positions, and a
  // name longer than the cache keeps.
  std::vector<Message> messages = {make("a", 1),  make("b", 3), make("a", 20), make("a", 20),
                                   make("b", 20), make("a", 2), make("a", 1)};
  messages.back().publisher = std::string(200, 'p');
  for (const auto& m : messages) {
    CallReport report;
    auto r = script->transform(m, report);
    ASSERT_TRUE(r) << report.error;
    EXPECT_EQ((*r)[0].records[0].string_value, expected(m));
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
