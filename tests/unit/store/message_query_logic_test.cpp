// tests/unit/store/message_query_logic_test.cpp — query validation, row
// filters, JSON paths/filters and aggregation buckets, without LMDB.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/store/message_aggregation.h"
#include "core/store/message_json_path.h"
#include "core/store/message_query.h"

namespace conflux::core::store {
namespace {

using namespace std::chrono;

std::int64_t ns_of(sys_days day, hours h = hours{0}, minutes m = minutes{0}) {
  return duration_cast<nanoseconds>((day + h + m).time_since_epoch()).count();
}

TEST(MessageQueryCompile, ValidatesLimitFormatAndFilterKinds) {
  MessageQuery q;
  EXPECT_TRUE(compile_query(q, QueryUse::page));
  q.limit = 0;
  EXPECT_EQ(compile_query(q, QueryUse::page).error().code, ErrorCode::invalid_argument);
  q.limit = 1001;
  EXPECT_FALSE(compile_query(q, QueryUse::page));
  EXPECT_TRUE(compile_query(q, QueryUse::export_rows));  // exports ignore limit
  q.limit = 1000;
  EXPECT_TRUE(compile_query(q, QueryUse::page));
  q.format = MessageFormat::unknown;
  EXPECT_FALSE(compile_query(q, QueryUse::page));
  q.format = MessageFormat::json;
  q.name = "temp";
  EXPECT_FALSE(compile_query(q, QueryUse::page));
  q.name.clear();
  q.filter = "a.b=1";
  EXPECT_TRUE(compile_query(q, QueryUse::page));
  q.filter = "a..b";
  EXPECT_FALSE(compile_query(q, QueryUse::page));
  q.format = MessageFormat::senml;
  q.filter = "a";
  EXPECT_FALSE(compile_query(q, QueryUse::page));
}

TEST(MessageQueryCompile, DeduplicatesPublishersAndDetectsRowFilters) {
  MessageQuery q;
  q.publishers = {"b", "a", "b"};
  q.from = 5;
  q.to = 9;
  auto cq = compile_query(q, QueryUse::page);
  ASSERT_TRUE(cq);
  EXPECT_EQ(cq->query.publishers, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(cq->has_row_filters);
  EXPECT_TRUE(cq->time_in_range(5));
  EXPECT_FALSE(cq->time_in_range(9));
  q.protocol = "mqtt";
  EXPECT_TRUE(compile_query(q, QueryUse::page)->has_row_filters);
  q.protocol.clear();
  q.from = 9;
  EXPECT_TRUE(compile_query(q, QueryUse::page)->empty_range());
}

RowView senml_row(double value) {
  RowView row;
  row.format = MessageFormat::senml;
  row.name = "temp";
  row.subtopic = "room";
  row.protocol = "http";
  row.value = value;
  return row;
}

TEST(MessageQueryFilters, ComparatorsOnValue) {
  struct Case {
    Comparator cmp;
    double query;
    bool expect;
  };
  const Case cases[] = {
      {Comparator::eq, 20, true},  {Comparator::eq, 21, false}, {Comparator::lt, 21, true},
      {Comparator::lt, 20, false}, {Comparator::le, 20, true},  {Comparator::le, 19, false},
      {Comparator::gt, 19, true},  {Comparator::gt, 20, false}, {Comparator::ge, 20, true},
      {Comparator::ge, 21, false},
  };
  for (const auto& c : cases) {
    MessageQuery q;
    q.value = c.query;
    q.comparator = c.cmp;
    auto cq = compile_query(q, QueryUse::page);
    ASSERT_TRUE(cq);
    EXPECT_EQ(matches_row_filters(*cq, senml_row(20)), c.expect)
        << static_cast<int>(c.cmp) << " " << c.query;
  }
  MessageQuery q;
  q.value = 1;
  RowView no_value = senml_row(0);
  no_value.value.reset();
  EXPECT_FALSE(matches_row_filters(*compile_query(q, QueryUse::page), no_value));
}

TEST(MessageQueryFilters, ExactMatchFields) {
  RowView row = senml_row(1);
  row.string_value = std::string_view("on");
  row.bool_value = true;
  row.data_value = std::string_view("AQ==");
  auto check = [&](auto&& set) {
    MessageQuery q;
    set(q);
    return matches_row_filters(*compile_query(q, QueryUse::page), row);
  };
  EXPECT_TRUE(check([](MessageQuery& q) { q.subtopic = "room"; }));
  EXPECT_FALSE(check([](MessageQuery& q) { q.subtopic = "roo"; }));
  EXPECT_TRUE(check([](MessageQuery& q) { q.protocol = "http"; }));
  EXPECT_FALSE(check([](MessageQuery& q) { q.protocol = "mqtt"; }));
  EXPECT_TRUE(check([](MessageQuery& q) { q.name = "temp"; }));
  EXPECT_FALSE(check([](MessageQuery& q) { q.name = "hum"; }));
  EXPECT_TRUE(check([](MessageQuery& q) { q.string_value = "on"; }));
  EXPECT_FALSE(check([](MessageQuery& q) { q.string_value = "off"; }));
  EXPECT_TRUE(check([](MessageQuery& q) { q.bool_value = true; }));
  EXPECT_FALSE(check([](MessageQuery& q) { q.bool_value = false; }));
  EXPECT_TRUE(check([](MessageQuery& q) { q.data_value = "AQ=="; }));
  EXPECT_FALSE(check([](MessageQuery& q) { q.data_value = "AA=="; }));
}

TEST(MessageJsonFilter, ExistenceAndTypedEquality) {
  auto doc = parse_document(
      R"({"name":"temperature","value":20,"ok":true,"none":null,"data":{"temp":21.5,"list":[{"v":3}]}})");
  auto matches = [&](std::string_view f) { return JsonFilter::parse(f)->matches(doc); };
  EXPECT_TRUE(matches("name"));
  EXPECT_TRUE(matches("none"));
  EXPECT_FALSE(matches("missing"));
  EXPECT_TRUE(matches("data.temp"));
  EXPECT_TRUE(matches("data.list.0.v=3"));
  EXPECT_FALSE(matches("data.list.1.v"));
  EXPECT_TRUE(matches("name=temperature"));
  EXPECT_TRUE(matches("name=\"temperature\""));
  EXPECT_FALSE(matches("name=temp"));
  EXPECT_TRUE(matches("value=20"));
  EXPECT_TRUE(matches("value=20.0"));
  EXPECT_FALSE(matches("value=\"20\""));
  EXPECT_TRUE(matches("data.temp=21.5"));
  EXPECT_TRUE(matches("ok=true"));
  EXPECT_FALSE(matches("ok=false"));
  EXPECT_TRUE(matches("none=null"));
  EXPECT_FALSE(JsonFilter::parse(""));
  EXPECT_FALSE(JsonFilter::parse(".a"));
  EXPECT_FALSE(JsonFilter::parse("a.")) << "empty last segment";
  EXPECT_FALSE(JsonFilter::parse("name=x")->matches_text("not json"));
}

AggregationSpec spec(AggInterval interval, std::uint32_t width,
                     AggregationType type = AggregationType::avg) {
  AggregationSpec s;
  s.type = type;
  s.interval = interval;
  s.width = width;
  return s;
}

TEST(MessageAggregationBuckets, FixedIntervalsAlignOnTheEpoch) {
  auto t = ns_of(sys_days{2024y / March / 15}, hours{13}, minutes{47});
  auto b = bucket_of(spec(AggInterval::minute, 15), t);
  EXPECT_EQ(b.start, ns_of(sys_days{2024y / March / 15}, hours{13}, minutes{45}));
  EXPECT_EQ(b.end, ns_of(sys_days{2024y / March / 15}, hours{14}));
  b = bucket_of(spec(AggInterval::hour, 1), t);
  EXPECT_EQ(b.start, ns_of(sys_days{2024y / March / 15}, hours{13}));
  b = bucket_of(spec(AggInterval::day, 1), t);
  EXPECT_EQ(b.start, ns_of(sys_days{2024y / March / 15}));
  EXPECT_EQ(b.end, ns_of(sys_days{2024y / March / 16}));
  // Negative times floor.
  b = bucket_of(spec(AggInterval::hour, 1), -1);
  EXPECT_EQ(b.start, -kNsPerHour);
  EXPECT_EQ(b.end, 0);
}

TEST(MessageAggregationBuckets, WeeksStartOnMonday) {
  // 2024-03-15 is a Friday; its week starts Monday 2024-03-11.
  auto t = ns_of(sys_days{2024y / March / 15}, hours{10});
  auto b = bucket_of(spec(AggInterval::week, 1), t);
  EXPECT_EQ(b.start, ns_of(sys_days{2024y / March / 11}));
  EXPECT_EQ(b.end, ns_of(sys_days{2024y / March / 18}));
  EXPECT_EQ(weekday{sys_days{2024y / March / 11}}, Monday);
  // A Monday at 00:00 starts its own week.
  b = bucket_of(spec(AggInterval::week, 1), ns_of(sys_days{2024y / March / 18}));
  EXPECT_EQ(b.start, ns_of(sys_days{2024y / March / 18}));
  // The epoch (a Thursday) belongs to the week of Monday 1969-12-29.
  EXPECT_EQ(bucket_of(spec(AggInterval::week, 1), 0).start, ns_of(sys_days{1969y / December / 29}));
}

TEST(MessageAggregationBuckets, CalendarMonthsAndYears) {
  auto t = ns_of(sys_days{2024y / February / 29}, hours{23});
  auto b = bucket_of(spec(AggInterval::month, 1), t);
  EXPECT_EQ(b.start, ns_of(sys_days{2024y / February / 1}));
  EXPECT_EQ(b.end, ns_of(sys_days{2024y / March / 1}));
  b = bucket_of(spec(AggInterval::month, 3), t);  // quarters
  EXPECT_EQ(b.start, ns_of(sys_days{2024y / January / 1}));
  EXPECT_EQ(b.end, ns_of(sys_days{2024y / April / 1}));
  b = bucket_of(spec(AggInterval::month, 1), ns_of(sys_days{2023y / December / 31}, hours{23}));
  EXPECT_EQ(b.start, ns_of(sys_days{2023y / December / 1}));
  EXPECT_EQ(b.end, ns_of(sys_days{2024y / January / 1}));
  b = bucket_of(spec(AggInterval::year, 1), t);
  EXPECT_EQ(b.start, ns_of(sys_days{2024y / January / 1}));
  EXPECT_EQ(b.end, ns_of(sys_days{2025y / January / 1}));
  b = bucket_of(spec(AggInterval::year, 10), t);
  EXPECT_EQ(b.start, ns_of(sys_days{2020y / January / 1}));
  EXPECT_EQ(b.end, ns_of(sys_days{2030y / January / 1}));
  b = bucket_of(spec(AggInterval::month, 1), -1);  // 1969-12-31
  EXPECT_EQ(b.start, ns_of(sys_days{1969y / December / 1}));
}

TEST(MessageAggregationCompile, Validation) {
  Aggregation a;
  a.type = AggregationType::max;
  a.interval = "hour";
  EXPECT_TRUE(compile_aggregation(a, MessageFormat::senml));
  a.interval = "fortnight";
  EXPECT_FALSE(compile_aggregation(a, MessageFormat::senml));
  a.interval = "day";
  a.value = 0;
  EXPECT_FALSE(compile_aggregation(a, MessageFormat::senml));
  a.value = 1'000'000;
  EXPECT_FALSE(compile_aggregation(a, MessageFormat::senml)) << "a million days is too wide";
  a.value = 2;
  a.field = "sum";
  EXPECT_TRUE(compile_aggregation(a, MessageFormat::senml)->senml_sum);
  a.field = "string_value";
  EXPECT_FALSE(compile_aggregation(a, MessageFormat::senml));
  a.field = "";
  EXPECT_FALSE(compile_aggregation(a, MessageFormat::json)) << "JSON needs a field";
  a.type = AggregationType::last;
  EXPECT_TRUE(compile_aggregation(a, MessageFormat::json)) << "first/last work without one";
}

RowView at(std::int64_t t, double v, std::uint64_t seq) {
  RowView row = senml_row(v);
  row.key.time = t;
  row.key.seq = seq;
  return row;
}

std::vector<StoredRecord> aggregate(AggregationType type, const std::vector<RowView>& rows) {
  std::vector<StoredRecord> out;
  BucketAggregator agg(spec(AggInterval::hour, 1, type),
                       [&](const Bucket& b) { out.push_back(b.result()); });
  for (const auto& r : rows) agg.add(r);
  agg.finish();
  return out;
}

TEST(MessageAggregator, EveryTypeOverTwoBuckets) {
  const std::int64_t h = kNsPerHour;
  // Descending scan order, as a default query delivers them.
  std::vector<RowView> rows = {at(2 * h + 5, 7, 5), at(h + 30, 4, 4), at(h + 20, 10, 3),
                               at(h + 10, 1, 2)};
  struct Case {
    AggregationType type;
    double newest_bucket;
    double older_bucket;
  };
  const Case cases[] = {{AggregationType::min, 7, 1},  {AggregationType::max, 7, 10},
                        {AggregationType::sum, 7, 15}, {AggregationType::count, 1, 3},
                        {AggregationType::avg, 7, 5},  {AggregationType::first, 7, 1},
                        {AggregationType::last, 7, 4}};
  for (const auto& c : cases) {
    auto out = aggregate(c.type, rows);
    ASSERT_EQ(out.size(), 2u) << static_cast<int>(c.type);
    EXPECT_EQ(out[0].senml.time, 2 * h);
    EXPECT_EQ(out[1].senml.time, h);
    EXPECT_EQ(out[0].senml.value, c.newest_bucket) << static_cast<int>(c.type);
    EXPECT_EQ(out[1].senml.value, c.older_bucket) << static_cast<int>(c.type);
    EXPECT_EQ(out[1].senml.name, "temp");
    EXPECT_EQ(out[1].subtopic, "room");
  }
}

TEST(MessageAggregator, RowsWithoutTheFieldDoNotCount) {
  RowView no_value = at(10, 0, 1);
  no_value.value.reset();
  no_value.sum = 3;
  EXPECT_TRUE(aggregate(AggregationType::count, {no_value}).empty());
  std::vector<StoredRecord> out;
  auto s = spec(AggInterval::hour, 1, AggregationType::sum);
  s.senml_sum = true;
  BucketAggregator agg(s, [&](const Bucket& b) { out.push_back(b.result()); });
  agg.add(no_value);
  agg.finish();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].senml.value, 3);
}

TEST(MessageAggregator, JsonFieldAggregatesAndFirstLast) {
  std::vector<std::string> docs = {R"({"t":{"c":20}})", R"({"t":{"c":"x"}})", R"({"t":{"c":22}})",
                                   R"({"other":1})"};
  std::vector<RowView> rows;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    RowView row;
    row.format = MessageFormat::json;
    row.json = docs[i];
    row.key.time = static_cast<std::int64_t>(i);
    row.key.seq = i + 1;
    rows.push_back(row);
  }
  auto run = [&](AggregationType type, std::string field) {
    Aggregation a;
    a.type = type;
    a.interval = "minute";
    a.field = field;
    auto s = compile_aggregation(a, MessageFormat::json);
    EXPECT_TRUE(s);
    std::vector<StoredRecord> out;
    BucketAggregator agg(*s, [&](const Bucket& b) { out.push_back(b.result()); });
    for (const auto& r : rows) agg.add(r);
    agg.finish();
    return out;
  };
  auto avg = run(AggregationType::avg, "t.c");
  ASSERT_EQ(avg.size(), 1u);
  EXPECT_EQ(avg[0].json, R"({"t.c":21.0})");
  EXPECT_EQ(avg[0].created, 0);
  EXPECT_EQ(run(AggregationType::count, "t.c")[0].json, R"({"t.c":2})");
  EXPECT_EQ(run(AggregationType::last, "t.c")[0].json, R"({"t.c":22})");
  EXPECT_EQ(run(AggregationType::first, "")[0].json, docs[0]);
  EXPECT_EQ(run(AggregationType::last, "")[0].json, docs[3]);
}

}  // namespace
}  // namespace conflux::core::store
