// The script contract: transform(msg) modifies, drops or splits; JSON
// payloads; bad results; decode/encode; conflux.json null and empty arrays.
// Thread-safety: single-threaded tests.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/unit/scripting/script_test_support.h"

namespace conflux::core::scripting {
namespace {

using ::testing::HasSubstr;
using namespace testing;

std::vector<Message> run(const std::shared_ptr<const CompiledScript>& s, const Message& m) {
  CallReport report;
  auto r = s->transform(m, report);
  if (!r) throw std::runtime_error(r.error().message);
  return std::move(*r);
}

TEST(ContractTest, TransformSeesTheMessageFields) {
  auto s = compile(
      "function transform(msg)\n"
      "  local r = msg.records[1]\n"
      "  r.vs = table.concat({msg.publisher, msg.subtopic, msg.protocol, msg.content_type,\n"
      "    msg.group, msg.profile, tostring(msg.created), math.type(msg.created), r.n, r.u,\n"
      "    string.format('%.3f', r.t), tostring(r.v)}, '|')\n"
      "  r.v = nil\n"
      "  return msg\n"
      "end\n");
  auto out = run(s, senml_message({record("temp", 21.5, "Cel")}));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].records[0].string_value,
            "thing-1|room.1|http|application/senml+json|group-1|profile-1|"
            "1700000000500000000|integer|temp|Cel|1700000000.000|21.5");
}

TEST(ContractTest, ModifiedMessageKeepsIdentityAndExactTimes) {
  auto s = compile(
      "function transform(msg)\n"
      "  for _, r in ipairs(msg.records) do r.v = r.v * 2 r.u = 'x' end\n"
      "  msg.subtopic = 'a/b'\n"
      "  msg.publisher = 'someone-else'\n"
      "  return msg\n"
      "end\n");
  auto in = senml_message({record("a", 1, "", 1'700'000'000'123'456'789), record("b", 2)});
  auto out = run(s, in);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].publisher, "thing-1") << "publisher is read-only";
  EXPECT_EQ(out[0].subtopic, "a.b") << "subtopic normalized";
  EXPECT_EQ(out[0].records[0].value, 2.0);
  EXPECT_EQ(out[0].records[1].value, 4.0);
  EXPECT_EQ(out[0].records[0].unit, "x");
  EXPECT_EQ(out[0].records[0].time, 1'700'000'000'123'456'789) << "untouched t keeps its ns";
  EXPECT_EQ(out[0].format, MessageFormat::senml);
}

TEST(ContractTest, NilDropsAndArraySplits) {
  auto s = compile(
      "function transform(msg)\n"
      "  if msg.subtopic == 'drop' then return nil end\n"
      "  local out = {}\n"
      "  for i, r in ipairs(msg.records) do\n"
      "    out[i] = {subtopic = 'part.' .. i, records = {r}}\n"
      "  end\n"
      "  return out\n"
      "end\n");
  auto drop = senml_message({record("a", 1)});
  drop.subtopic = "drop";
  EXPECT_TRUE(run(s, drop).empty());

  auto out = run(s, senml_message({record("a", 1), record("b", 2), record("c", 3)}));
  ASSERT_EQ(out.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(out[i].subtopic, "part." + std::to_string(i + 1));
    ASSERT_EQ(out[i].records.size(), 1u);
    EXPECT_EQ(out[i].records[0].value, i + 1.0);
    EXPECT_EQ(out[i].publisher, "thing-1");
    EXPECT_TRUE(out[i].id.empty());
  }
}

TEST(ContractTest, JsonPayloadRoundTripsWithNullAndEmptyArrays) {
  auto s = compile(
      "function transform(msg)\n"
      "  local p = msg.payload\n"
      "  p.doubled = p.value * 2\n"
      "  p.was_null = p.missing == conflux.json.null\n"
      "  p.nothing = conflux.json.null\n"
      "  p.new_empty = conflux.json.array()\n"
      "  p.empty_obj = {}\n"
      "  return msg\n"
      "end\n");
  auto out = run(s, json_message(R"({"value":21,"missing":null,"list":[],"nested":{"a":[1,2]}})"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].format, MessageFormat::json);
  // Member order is the table's; check each member.
  const auto& j = out[0].json;
  for (const char* part :
       {"\"value\":21", "\"doubled\":42", "\"was_null\":true", "\"nothing\":null", "\"list\":[]",
        "\"new_empty\":[]", "\"empty_obj\":{}", "\"nested\":{\"a\":[1,2]}", "\"missing\":null"})
    EXPECT_THAT(j, HasSubstr(part));
}

TEST(ContractTest, PayloadCanBecomeRecords) {
  auto s = compile(
      "function transform(msg)\n"
      "  local records = {}\n"
      "  for k, v in pairs(msg.payload) do records[#records + 1] = {n = k, v = v} end\n"
      "  table.sort(records, function(a, b) return a.n < b.n end)\n"
      "  return {records = records}\n"
      "end\n");
  auto out = run(s, json_message(R"({"temp":21.5,"hum":40})"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].format, MessageFormat::senml);
  EXPECT_EQ(out[0].content_type, "application/senml+json");
  ASSERT_EQ(out[0].records.size(), 2u);
  EXPECT_EQ(out[0].records[0].name, "hum");
  EXPECT_EQ(out[0].records[0].time, out[0].created) << "records without t get created";
}

TEST(ContractTest, RelativeTimesAreFromCreated) {
  auto s = compile("function transform(msg) return {records = {{n = 'a', v = 1, t = -2.5}}} end");
  auto in = senml_message({record("x", 1)});
  auto out = run(s, in);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].records[0].time, in.created - 2'500'000'000);
}

TEST(ContractTest, BadResultsAreErrors) {
  struct Case {
    const char* body;
    const char* error;
  };
  for (const auto& c : {
           Case{"return 5", "transform must return a message table"},
           Case{"return {records = {{n = 'a'}}}", "exactly one of v, vs, vb, vd"},
           Case{"return {records = {{n = 'a', v = 1, vs = 'x'}}}", "exactly one of"},
           Case{"return {records = {{v = 1}}}", "field 'n' (name) is required"},
           Case{"return {records = {{n = 'a b', v = 1}}}", "characters outside"},
           Case{"return {records = {{n = 'a', v = 'x'}}}", "field 'v' must be a finite number"},
           Case{"return {records = {{n = 'a', v = 0/0}}}", "field 'v' must be a finite number"},
           Case{"return {records = {{n = 'a', value = 1}}}", "unknown field 'value'"},
           Case{"return {records = {}}", "records is empty"},
           Case{"return {subtopic = 'a.*', records = msg.records}", "wildcards"},
           Case{"return {}", "needs records (a table) or a payload"},
           Case{"return {payload = {f = function() end}}", "cannot encode a function"},
       }) {
    auto s = compile(std::string("function transform(msg) ") + c.body + " end", "bad");
    CallReport report;
    auto r = s->transform(senml_message({record("x", 1)}), report);
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(report.status, RunStatus::error);
    EXPECT_THAT(report.error, HasSubstr(c.error)) << c.body;
    EXPECT_THAT(report.error, HasSubstr("bad")) << c.body;
  }
}

TEST(ContractTest, DecodeGivesRecordsOrJson) {
  auto s = compile(
      "function decode(bytes, meta)\n"
      "  if meta.json then return {raw = conflux.hex.encode(bytes), port = meta.port} end\n"
      "  return {{n = 'b0', v = bytes:byte(1), u = meta.unit}, {n = 'len', v = #bytes}}\n"
      "end\n");
  CallReport report;
  auto recs =
      s->decode(std::string("\x07\x08", 2), R"({"unit":"Cel"})", 1'000'000'000'000'000'000, report);
  ASSERT_TRUE(recs) << recs.error().message;
  EXPECT_EQ(recs->format, MessageFormat::senml);
  ASSERT_EQ(recs->records.size(), 2u);
  EXPECT_EQ(recs->records[0].value, 7.0);
  EXPECT_EQ(recs->records[0].unit, "Cel");
  EXPECT_EQ(recs->records[0].time, 1'000'000'000'000'000'000);

  auto doc = s->decode(std::string("\x07\x08", 2), R"({"json":true,"port":3})", 0, report);
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ(doc->format, MessageFormat::json);
  EXPECT_THAT(doc->json, HasSubstr("\"raw\":\"0708\""));
  EXPECT_THAT(doc->json, HasSubstr("\"port\":3"));

  EXPECT_FALSE(s->transform(senml_message({record("x", 1)}), report)) << "no transform";
  EXPECT_FALSE(s->decode("x", "[1]", 0, report)) << "meta must be an object";
}

TEST(ContractTest, EncodeGivesBytesAndMeta) {
  auto s = compile(
      "function encode(records, meta)\n"
      "  local out = {}\n"
      "  for _, r in ipairs(records) do out[#out + 1] = string.pack('>i2', math.floor(r.v * 10)) "
      "end\n"
      "  return table.concat(out), {port = meta.port or 1, count = #records}\n"
      "end\n");
  CallReport report;
  auto r = s->encode({record("a", 27.2), record("b", -4.1)}, R"({"port":5})", report);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->bytes, std::string("\x01\x10\xff\xd7", 4));
  EXPECT_THAT(r->meta_json, HasSubstr("\"port\":5"));
  EXPECT_THAT(r->meta_json, HasSubstr("\"count\":2"));
}

TEST(ContractTest, JsonModuleRoundTrips) {
  auto s = compile(
      "function transform(msg)\n"
      "  local v = conflux.json.decode('{\"a\":[1,2.5,\"x\\\\u00e9\",true,null],\"b\":{}}')\n"
      "  assert(v.a[5] == conflux.json.null)\n"
      "  assert(math.type(v.a[1]) == 'integer')\n"
      "  msg.records[1].vs = conflux.json.encode(v.a) .. conflux.json.encode(v.b) ..\n"
      "    conflux.json.encode({}) .. conflux.json.encode(conflux.json.array({}))\n"
      "    .. conflux.base64.encode('hi!') .. conflux.base64.decode('aGkh')\n"
      "    .. conflux.hex.decode('41 42')\n"
      "  msg.records[1].v = nil\n"
      "  return msg\n"
      "end\n");
  auto out = run(s, senml_message({record("x", 1)}));
  EXPECT_EQ(out[0].records[0].string_value, "[1,2.5,\"x\xc3\xa9\",true,null]{}{}[]aGkhhi!AB");
}

}  // namespace
}  // namespace conflux::core::scripting
