// Unit tests of the readers' parameter parsing and JSON encoding.
#include "plugins/http/reader_query.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "conflux/testing/matchers.h"
#include "plugins/http/reader_json.h"

namespace conflux::http_adapter {
namespace {

using ::conflux::testing::IsErrorWith;
using ::conflux::testing::IsOk;

Result<MessageQuery> parse(MessageFormat f, std::string query) {
  HttpRequest r;
  r.query = std::move(query);
  return parse_reader_query(f, query_string_params(r));
}

TEST(ReaderQuery, DefaultsAreMainfluxDefaults) {
  auto q = parse(MessageFormat::senml, "");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->offset, 0u);
  EXPECT_EQ(q->limit, 10u);
  EXPECT_FALSE(q->ascending);
  EXPECT_TRUE(q->publishers.empty());
  EXPECT_EQ(q->aggregation.type, AggregationType::none);
}

TEST(ReaderQuery, MapsEveryParameter) {
  auto q = parse(MessageFormat::senml,
                 "offset=5&limit=1000&publisher=p1&subtopic=a%2Fb&protocol=http&name=temp&v=2.5&"
                 "comparator=ge&vs=on&vb=true&vd=AA&from=100&to=200&dir=asc&agg_type=avg&"
                 "agg_interval=hour&agg_value=15&agg_field=value");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->offset, 5u);
  EXPECT_EQ(q->limit, 1000u);
  EXPECT_EQ(q->publishers, std::vector<std::string>{"p1"});
  EXPECT_EQ(q->subtopic, "a.b");
  EXPECT_EQ(q->protocol, "http");
  EXPECT_EQ(q->name, "temp");
  EXPECT_EQ(q->value, 2.5);
  EXPECT_EQ(q->comparator, Comparator::ge);
  EXPECT_EQ(q->string_value, "on");
  EXPECT_EQ(q->bool_value, true);
  EXPECT_EQ(q->data_value, "AA");
  EXPECT_EQ(q->from, 100);
  EXPECT_EQ(q->to, 200);
  EXPECT_TRUE(q->ascending);
  EXPECT_EQ(q->aggregation.type, AggregationType::avg);
  EXPECT_EQ(q->aggregation.interval, "hour");
  EXPECT_EQ(q->aggregation.value, 15u);
  EXPECT_EQ(q->aggregation.field, "value");
}

TEST(ReaderQuery, JsonRowsTakeAFilterAndAJsonAggregateField) {
  auto q =
      parse(MessageFormat::json, "filter=a.b%3D20&agg_type=max&agg_interval=day&agg_field=a.b");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->format, MessageFormat::json);
  EXPECT_EQ(q->filter, "a.b=20");
  EXPECT_EQ(q->aggregation.field, "a.b");
}

TEST(ReaderQuery, EveryMalformedParameterIsNamed) {
  struct Case {
    MessageFormat format;
    std::string query;
    std::string named;
  };
  const Case cases[] = {
      {MessageFormat::senml, "from=yesterday", "'from'"},
      {MessageFormat::senml, "to=1.5", "'to'"},
      {MessageFormat::senml, "from=10&to=5", "'to'"},
      {MessageFormat::senml, "offset=-1", "'offset'"},
      {MessageFormat::senml, "limit=1001", "'limit'"},
      {MessageFormat::senml, "limit=0", "'limit'"},
      {MessageFormat::senml, "limit=ten", "'limit'"},
      {MessageFormat::senml, "v=abc", "'v'"},
      {MessageFormat::senml, "v=1&comparator=between", "'comparator'"},
      {MessageFormat::senml, "comparator=lt", "'comparator'"},
      {MessageFormat::senml, "vb=yes", "'vb'"},
      {MessageFormat::senml, "dir=up", "'dir'"},
      {MessageFormat::senml, "subtopic=a.*", "'subtopic'"},
      {MessageFormat::senml, "publisher=%zz", "'publisher'"},
      {MessageFormat::senml, "agg_type=median&agg_interval=day", "'agg_type'"},
      {MessageFormat::senml, "agg_type=max&agg_interval=fortnight", "'agg_interval'"},
      {MessageFormat::senml, "agg_type=max", "'agg_interval'"},
      {MessageFormat::senml, "agg_type=max&agg_interval=day&agg_value=0", "'agg_value'"},
      {MessageFormat::senml, "agg_interval=day", "'agg_type'"},
      {MessageFormat::senml, "filter=a", "'filter'"},
      {MessageFormat::json, "name=temp", "'name'"},
      {MessageFormat::json, "v=1", "'v'"},
      {MessageFormat::json, "agg_type=avg&agg_interval=day", "'agg_field'"},
  };
  for (const auto& c : cases)
    EXPECT_THAT(parse(c.format, c.query), IsErrorWith(ErrorCode::invalid_argument, c.named))
        << c.query;
}

TEST(ReaderQuery, SearchBodyUsesTheSameParameters) {
  auto params = json_body_params(
      R"({"publisher":"p1","protocol":"http","name":"v","from":100,"to":2e2,"limit":10,"offset":0})");
  ASSERT_THAT(params, IsOk());
  auto q = parse_reader_query(MessageFormat::senml, *params);
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->publishers, std::vector<std::string>{"p1"});
  EXPECT_EQ(q->from, 100);
  EXPECT_EQ(q->to, 200);
  EXPECT_EQ(q->name, "v");
  auto bad = json_body_params(R"({"from":"soon"})");
  ASSERT_THAT(bad, IsOk());
  EXPECT_THAT(parse_reader_query(MessageFormat::senml, *bad),
              IsErrorWith(ErrorCode::invalid_argument, "'from'"));
  EXPECT_THAT(json_body_params("[1]"), IsErrorWith(ErrorCode::invalid_argument, "JSON object"));
  auto nested = json_body_params(R"({"limit":{"a":1}})");
  ASSERT_THAT(nested, IsOk());
  EXPECT_THAT(parse_reader_query(MessageFormat::senml, *nested),
              IsErrorWith(ErrorCode::invalid_argument, "'limit'"));
}

TEST(ReaderJson, SecondsAreExactDecimalsOfTheStoredNanoseconds) {
  auto seconds = [](std::int64_t ns) {
    std::string s;
    append_seconds(s, ns);
    return s;
  };
  EXPECT_EQ(seconds(1276020076001000000), "1276020076.001");
  EXPECT_EQ(seconds(1276020071001000000), "1276020071.001");
  EXPECT_EQ(seconds(12000000000), "12");
  EXPECT_EQ(seconds(1), "0.000000001");
  EXPECT_EQ(seconds(-500000000), "-0.5");
}

TEST(ReaderJson, PageLooksLikeTheSeedsReadResponse) {
  MessageQuery q;
  MessagePage page;
  page.total = 3;
  StoredRecord r;
  r.publisher = "33eb28c3-4ca2-45c3-b1c5-d5d049c6c24e";
  r.protocol = "http";
  r.senml.name = "some-base-name:voltage";
  r.senml.unit = "V";
  r.senml.time = 1276020076001000000;
  r.senml.value = 120.1;
  page.records.push_back(r);
  EXPECT_EQ(page_json(q, page),
            R"({"offset":0,"limit":10,"format":"messages","total":3,"messages":[)"
            R"({"publisher":"33eb28c3-4ca2-45c3-b1c5-d5d049c6c24e","protocol":"http",)"
            R"("name":"some-base-name:voltage","unit":"V","time":1276020076.001,"value":120.1}]})");
}

TEST(ReaderJson, JsonRowsCarryTheirDocumentAsPayload) {
  StoredRecord r;
  r.format = MessageFormat::json;
  r.publisher = "p";
  r.protocol = "http";
  r.subtopic = "a.b";
  r.created = 42;
  r.json = R"({"name":"temperature","value":20.5})";
  std::string out;
  append_row(out, r);
  EXPECT_EQ(out, R"({"created":42,"subtopic":"a.b","publisher":"p","protocol":"http",)"
                 R"("payload":{"name":"temperature","value":20.5}})");
}

}  // namespace
}  // namespace conflux::http_adapter
