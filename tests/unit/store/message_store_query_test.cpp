// tests/unit/store/message_store_query_test.cpp — MessageStore append and
// query over a real LMDB environment: exact read-back, every filter, time
// edges, pagination and totals, order, publisher-less queries, aggregation,
// JSON filter, and skipping values of an unknown version.
#include <gtest/gtest.h>

#include <chrono>

#include "core/store/message_keys.h"
#include "tests/unit/store/message_store_fixture.h"

namespace conflux::core::store {
namespace {

using namespace testing;

TEST(MessageStoreQuery, SeedSenmlExampleReadsBackNewestFirst) {
  StoreHarness h;
  // The seed's pack, resolved: bt = 1276020076.001, relative t -5 and -4.
  const std::int64_t bt = 1'276'020'076'001'000'000;
  SenmlRecord voltage = record("some-base-name:voltage", bt, 120.1);
  voltage.unit = "V";
  SenmlRecord c1 = record("some-base-name:current", bt - 5 * kSecond, 1.2);
  c1.unit = "A";
  SenmlRecord c2 = record("some-base-name:current", bt - 4 * kSecond, 1.3);
  c2.unit = "A";
  h.append({senml_message(kThingA, {c1, c2, voltage})});

  auto page = h.query(MessageQuery{});
  EXPECT_EQ(page.total, 3u);
  ASSERT_EQ(page.records.size(), 3u);
  EXPECT_EQ(page.records[0].senml, voltage);
  EXPECT_EQ(page.records[1].senml, c2);
  EXPECT_EQ(page.records[2].senml, c1);
  EXPECT_EQ(page.records[0].publisher, kThingA);
  EXPECT_EQ(page.records[0].protocol, "http");
  EXPECT_EQ(page.records[0].format, MessageFormat::senml);
  EXPECT_EQ(page.records[0].created, c1.time + 1);
}

TEST(MessageStoreQuery, EveryValueKindRoundTrips) {
  StoreHarness h;
  std::vector<SenmlRecord> records;
  SenmlRecord s = record("label", kT0, std::nullopt);
  s.string_value = "kitchen";
  SenmlRecord b = record("door", kT0 + 1, std::nullopt);
  b.bool_value = true;
  SenmlRecord d = record("blob", kT0 + 2, std::nullopt);
  d.data_value = "aGVsbG8=";
  SenmlRecord sum = record("energy", kT0 + 3, std::nullopt);
  sum.sum = 42.5;
  sum.unit = "J";
  sum.update_time = 60;
  SenmlRecord v = record("temp", kT0 + 4, -3.25);
  h.append({senml_message(kThingA, {s, b, d, sum, v}, "room.1", "mqtt")});
  MessageQuery q;
  q.ascending = true;
  auto page = h.query(q);
  ASSERT_EQ(page.records.size(), 5u);
  EXPECT_EQ(page.records[0].senml, s);
  EXPECT_EQ(page.records[1].senml, b);
  EXPECT_EQ(page.records[2].senml, d);
  EXPECT_EQ(page.records[3].senml, sum);
  EXPECT_EQ(page.records[4].senml, v);
  EXPECT_EQ(page.records[4].subtopic, "room.1");
  EXPECT_EQ(page.records[4].protocol, "mqtt");
}

TEST(MessageStoreQuery, JsonRowsRoundTripAndSeparateFromSenml) {
  StoreHarness h;
  h.append({json_message(kThingA, kT0, R"({"name":"temperature","value":20.5,"unit":"°C"})"),
            json_message(kThingA, kT0 + 1, R"({"name":"humidity","value":68,"unit":"%"})", "x"),
            senml_message(kThingA, {record("t", kT0, 1)})});
  MessageQuery q;
  q.format = MessageFormat::json;
  auto page = h.query(q);
  ASSERT_EQ(page.total, 2u);
  EXPECT_EQ(page.records[0].json, R"({"name":"humidity","value":68,"unit":"%"})");
  EXPECT_EQ(page.records[0].created, kT0 + 1);
  EXPECT_EQ(page.records[0].subtopic, "x");
  EXPECT_EQ(page.records[0].message_id, "msg-" + std::to_string(kT0 + 1));
  EXPECT_EQ(page.records[1].format, MessageFormat::json);
  EXPECT_EQ(h.query(MessageQuery{}).total, 1u);
}

// Two publishers, 10 records each at kT0 + i s, values i, alternating names.
void fill_two(StoreHarness& h) {
  for (const char* pub : {kThingA, kThingB}) {
    std::vector<SenmlRecord> records;
    for (int i = 0; i < 10; ++i) {
      SenmlRecord r = record(i % 2 ? "odd" : "even", kT0 + i * kSecond, i);
      if (i == 3) {
        r.value.reset();
        r.string_value = "three";
      }
      if (i == 4) {
        r.value.reset();
        r.bool_value = false;
      }
      if (i == 5) {
        r.value.reset();
        r.data_value = "NQ==";
      }
      records.push_back(r);
    }
    h.append({senml_message(pub, records, pub == std::string(kThingA) ? "a" : "b",
                            pub == std::string(kThingA) ? "http" : "mqtt")});
  }
}

TEST(MessageStoreQuery, EveryFilter) {
  StoreHarness h;
  fill_two(h);
  auto total = [&](auto&& set) {
    MessageQuery q;
    q.limit = 1000;
    set(q);
    auto page = h.query(q);
    EXPECT_EQ(page.total, page.records.size());
    return page.total;
  };
  EXPECT_EQ(total([](MessageQuery&) {}), 20u);
  EXPECT_EQ(total([](MessageQuery& q) { q.publishers = {kThingA}; }), 10u);
  EXPECT_EQ(total([](MessageQuery& q) { q.publishers = {kThingA, kThingB}; }), 20u);
  EXPECT_EQ(total([](MessageQuery& q) { q.publishers = {"unknown-thing"}; }), 0u);
  EXPECT_EQ(total([](MessageQuery& q) { q.subtopic = "b"; }), 10u);
  EXPECT_EQ(total([](MessageQuery& q) { q.protocol = "mqtt"; }), 10u);
  EXPECT_EQ(total([](MessageQuery& q) {
              q.protocol = "mqtt";
              q.publishers = {kThingA};
            }),
            0u);
  EXPECT_EQ(total([](MessageQuery& q) { q.name = "odd"; }), 10u);
  // Values 0..9 minus 3, 4, 5 (non-numeric): 0 1 2 6 7 8 9 per publisher.
  auto cmp = [&](Comparator c, double v) {
    return total([&](MessageQuery& q) {
      q.publishers = {kThingB};
      q.value = v;
      q.comparator = c;
    });
  };
  EXPECT_EQ(cmp(Comparator::eq, 6), 1u);
  EXPECT_EQ(cmp(Comparator::lt, 6), 3u);
  EXPECT_EQ(cmp(Comparator::le, 6), 4u);
  EXPECT_EQ(cmp(Comparator::gt, 6), 3u);
  EXPECT_EQ(cmp(Comparator::ge, 6), 4u);
  EXPECT_EQ(cmp(Comparator::eq, 3), 0u);
  EXPECT_EQ(total([](MessageQuery& q) { q.string_value = "three"; }), 2u);
  EXPECT_EQ(total([](MessageQuery& q) { q.bool_value = false; }), 2u);
  EXPECT_EQ(total([](MessageQuery& q) { q.bool_value = true; }), 0u);
  EXPECT_EQ(total([](MessageQuery& q) { q.data_value = "NQ=="; }), 2u);
  EXPECT_EQ(total([](MessageQuery& q) {
              q.name = "even";
              q.value = 4;
              q.comparator = Comparator::ge;
            }),
            4u);  // 6 and 8, for both publishers
}

TEST(MessageStoreQuery, FromIsInclusiveToIsExclusive) {
  StoreHarness h;
  fill_two(h);
  for (bool with_publisher : {false, true}) {
    MessageQuery q;
    q.limit = 100;
    q.ascending = true;
    if (with_publisher) q.publishers = {kThingA};
    q.from = kT0 + 2 * kSecond;
    q.to = kT0 + 5 * kSecond;
    auto page = h.query(q);
    const std::uint64_t per = with_publisher ? 1 : 2;
    EXPECT_EQ(page.total, 3 * per);
    ASSERT_EQ(page.records.size(), 3 * per);
    EXPECT_EQ(page.records.front().senml.time, kT0 + 2 * kSecond);
    EXPECT_EQ(page.records.back().senml.time, kT0 + 4 * kSecond);
    q.from = kT0 + 2 * kSecond + 1;
    EXPECT_EQ(h.query(q).total, 2 * per);
    q.to = q.from;
    EXPECT_EQ(h.query(q).total, 0u);
    q.from.reset();
    q.to = kT0;
    EXPECT_EQ(h.query(q).total, 0u);
    q.to = kT0 + 1;
    EXPECT_EQ(h.query(q).total, per);
  }
}

TEST(MessageStoreQuery, PaginationTotalsAndOrder) {
  StoreHarness h;
  fill_two(h);
  MessageQuery q;
  q.publishers = {kThingA, kThingB};
  q.limit = 3;
  q.offset = 4;
  auto page = h.query(q);
  EXPECT_EQ(page.total, 20u);
  // Newest first across both publishers: times 9 9 8 8 | 7 7 6 | ...
  EXPECT_EQ(times_of(page),
            (std::vector<std::int64_t>{kT0 + 7 * kSecond, kT0 + 7 * kSecond, kT0 + 6 * kSecond}));
  q.ascending = true;
  page = h.query(q);
  EXPECT_EQ(times_of(page),
            (std::vector<std::int64_t>{kT0 + 2 * kSecond, kT0 + 2 * kSecond, kT0 + 3 * kSecond}));
  q.offset = 19;
  page = h.query(q);
  EXPECT_EQ(page.records.size(), 1u);
  EXPECT_EQ(page.total, 20u);
  q.offset = 25;
  page = h.query(q);
  EXPECT_TRUE(page.records.empty());
  EXPECT_EQ(page.total, 20u);
  // With a row filter the total is counted by scanning.
  q.offset = 1;
  q.name = "odd";
  page = h.query(q);
  EXPECT_EQ(page.total, 10u);
  EXPECT_EQ(page.records.size(), 3u);
  EXPECT_EQ(page.records[0].senml.time, kT0 + 1 * kSecond);
  EXPECT_EQ(page.records[1].senml.time, kT0 + 3 * kSecond);
  // Publisher-less and publisher queries agree.
  MessageQuery all;
  all.limit = 1000;
  MessageQuery both = all;
  both.publishers = {kThingA, kThingB};
  EXPECT_EQ(times_of(h.query(all)), times_of(h.query(both)));
}

TEST(MessageStoreQuery, TotalsFromHourCountsMatchScans) {
  StoreHarness h;
  // One row every 7 minutes over ~20 hours, across hour boundaries.
  std::vector<SenmlRecord> records;
  for (int i = 0; i < 170; ++i) records.push_back(record("t", kT0 + i * 7 * 60 * kSecond, i));
  h.append({senml_message(kThingA, records)});
  const std::int64_t hour = kNsPerHour;
  const std::int64_t edges[] = {
      kT0 - hour,     kT0, kT0 + 1, (kT0 / hour + 1) * hour, kT0 + 3 * hour + 17, kT0 + 11 * hour,
      kT0 + 30 * hour};
  for (auto from : edges) {
    for (auto to : edges) {
      MessageQuery q;
      q.publishers = {kThingA};
      q.from = from;
      q.to = to;
      q.limit = 1;
      auto counted = h.query(q).total;
      q.protocol = "http";  // a row filter forces a scan
      auto scanned = h.query(q).total;
      EXPECT_EQ(counted, scanned) << from << " " << to;
    }
  }
}

TEST(MessageStoreQuery, NonUuidPublishersAreExact) {
  StoreHarness h;
  h.append({senml_message("Thing-1", {record("a", kT0, 1)}),
            senml_message("thing-1", {record("a", kT0, 2)})});
  MessageQuery q;
  q.publishers = {"Thing-1"};
  auto page = h.query(q);
  ASSERT_EQ(page.records.size(), 1u);
  EXPECT_EQ(page.records[0].publisher, "Thing-1");
  EXPECT_EQ(page.records[0].senml.value, 1);
}

TEST(MessageStoreQuery, RejectsBadQueries) {
  StoreHarness h;
  MessageQuery q;
  q.limit = 1001;
  auto r = h.store->query(q);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  q.limit = 10;
  q.aggregation.type = AggregationType::avg;
  q.aggregation.interval = "decade";
  EXPECT_FALSE(h.store->query(q));
}

TEST(MessageStoreQuery, JsonFilter) {
  StoreHarness h;
  h.append({json_message(kThingA, kT0, R"({"name":"temperature","v":20,"meta":{"room":"k"}})"),
            json_message(kThingA, kT0 + 1, R"({"name":"humidity","v":68})"),
            json_message(kThingB, kT0 + 2, R"({"name":"temperature","v":21})")});
  auto count = [&](std::string filter) {
    MessageQuery q;
    q.format = MessageFormat::json;
    q.filter = std::move(filter);
    return h.query(q).total;
  };
  EXPECT_EQ(count("name=temperature"), 2u);
  EXPECT_EQ(count("meta.room"), 1u);
  EXPECT_EQ(count("meta.room=k"), 1u);
  EXPECT_EQ(count("v=68"), 1u);
  EXPECT_EQ(count("v=\"68\""), 0u);
  EXPECT_EQ(count("missing"), 0u);
}

TEST(MessageStoreQuery, AggregationOverStoredRows) {
  StoreHarness h;
  using namespace std::chrono;
  auto at = [](sys_days d, int hour) {
    return duration_cast<nanoseconds>((d + hours{hour}).time_since_epoch()).count();
  };
  // Values in Jan, Feb (two), Mar 2024 and Jan 2025.
  h.append({senml_message(
      kThingA,
      {record("t", at(2024y / January / 10, 5), 1), record("t", at(2024y / February / 1, 0), 2),
       record("t", at(2024y / February / 29, 23), 4), record("t", at(2024y / March / 31, 23), 8),
       record("t", at(2025y / January / 1, 0), 16)})});
  MessageQuery q;
  q.aggregation.type = AggregationType::sum;
  q.aggregation.interval = "month";
  auto page = h.query(q);
  EXPECT_EQ(page.total, 4u);
  ASSERT_EQ(page.records.size(), 4u);
  EXPECT_EQ(page.records[0].senml.time, at(2025y / January / 1, 0));
  EXPECT_EQ(page.records[0].senml.value, 16);
  EXPECT_EQ(page.records[2].senml.time, at(2024y / February / 1, 0));
  EXPECT_EQ(page.records[2].senml.value, 6);
  EXPECT_EQ(page.records[2].publisher, kThingA);
  EXPECT_EQ(page.records[2].senml.name, "t");

  q.aggregation.interval = "year";
  q.aggregation.type = AggregationType::avg;
  q.ascending = true;
  page = h.query(q);
  ASSERT_EQ(page.records.size(), 2u);
  EXPECT_EQ(page.records[0].senml.time, at(2024y / January / 1, 0));
  EXPECT_EQ(page.records[0].senml.value, 15.0 / 4);

  // Pagination over buckets: quarters, second page of size 1.
  q.aggregation.interval = "month";
  q.aggregation.value = 3;
  q.aggregation.type = AggregationType::count;
  q.limit = 1;
  q.offset = 1;
  page = h.query(q);
  EXPECT_EQ(page.total, 2u);
  ASSERT_EQ(page.records.size(), 1u);
  EXPECT_EQ(page.records[0].senml.time, at(2025y / January / 1, 0));
  EXPECT_EQ(page.records[0].senml.value, 1);

  // Filters apply before aggregation; time bounds too.
  q.offset = 0;
  q.limit = 10;
  q.aggregation.type = AggregationType::max;
  q.aggregation.interval = "day";
  q.aggregation.value = 1;
  q.value = 3;
  q.comparator = Comparator::gt;
  q.to = at(2025y / January / 1, 0);
  page = h.query(q);
  ASSERT_EQ(page.records.size(), 2u);
  EXPECT_EQ(page.records[0].senml.time, at(2024y / February / 29, 0));
  EXPECT_EQ(page.records[1].senml.value, 8);
}

TEST(MessageStoreQuery, AggregationWeekAndMinuteAndJson) {
  StoreHarness h;
  using namespace std::chrono;
  auto t = [](sys_days d, int hour, int minute) {
    return duration_cast<nanoseconds>((d + hours{hour} + minutes{minute}).time_since_epoch())
        .count();
  };
  // Sunday 2024-03-17 and Monday 2024-03-18 fall in different weeks.
  h.append({json_message(kThingA, t(2024y / March / 17, 23, 59), R"({"t":1})"),
            json_message(kThingA, t(2024y / March / 18, 0, 1), R"({"t":3})"),
            json_message(kThingA, t(2024y / March / 18, 0, 14), R"({"t":5})")});
  MessageQuery q;
  q.format = MessageFormat::json;
  q.aggregation.type = AggregationType::max;
  q.aggregation.interval = "week";
  q.aggregation.field = "t";
  auto page = h.query(q);
  ASSERT_EQ(page.records.size(), 2u);
  EXPECT_EQ(page.records[0].created, t(2024y / March / 18, 0, 0));
  EXPECT_EQ(page.records[0].json, R"({"t":5.0})");
  EXPECT_EQ(page.records[1].created, t(2024y / March / 11, 0, 0));
  q.aggregation.interval = "minute";
  q.aggregation.value = 15;
  q.aggregation.type = AggregationType::first;
  page = h.query(q);
  ASSERT_EQ(page.records.size(), 2u);
  EXPECT_EQ(page.records[0].json, R"({"t":3})");
  EXPECT_EQ(page.records[0].created, t(2024y / March / 18, 0, 0));
}

TEST(MessageStoreQuery, UnknownValueVersionIsSkippedCountedAndLogged) {
  StoreHarness h;
  h.append({senml_message(
      kThingA, {record("a", kT0, 1), record("b", kT0 + 1, 2), record("c", kT0 + 2, 3)})});
  // Rewrite the middle row's version byte as a future version.
  auto s = h.env->write_sync([&](WriteTxn& txn) -> Status {
    auto key = make_row_key(publisher_key(kThingA), kT0 + 1, 2);
    CONFLUX_ASSIGN_OR_RETURN(auto value, txn.get(h.store->dbs().senml, as_view(key)));
    std::string changed(*value);
    changed[0] = 7;
    return txn.put(h.store->dbs().senml, as_view(key), changed);
  });
  ASSERT_TRUE(s) << s.error().message;
  MessageQuery q;
  q.name = "b";
  EXPECT_EQ(h.query(q).total, 0u);
  q.name.clear();
  q.publishers = {kThingA};
  auto page = h.query(q);
  ASSERT_EQ(page.records.size(), 2u);
  EXPECT_EQ(page.records[0].senml.name, "c");
  EXPECT_EQ(page.records[1].senml.name, "a");
  EXPECT_GE(h.metrics.counter_value("conflux_store_data_loss_total"), 2u);
  EXPECT_TRUE(h.log.contains("data loss"));
  EXPECT_TRUE(h.log.contains("unknown value version"));
}

TEST(MessageStoreQuery, AppendRejectsUnnormalizedMessages) {
  StoreHarness h;
  Message m = senml_message(kThingA, {record("a", kT0, 1)});
  m.format = MessageFormat::unknown;
  auto s = h.env->write_sync([&](WriteTxn& txn) { return h.store->append(txn, m); });
  EXPECT_FALSE(s);
  m.format = MessageFormat::senml;
  m.publisher.clear();
  s = h.env->write_sync([&](WriteTxn& txn) { return h.store->append(txn, m); });
  EXPECT_FALSE(s);
  EXPECT_EQ(h.query(MessageQuery{}).total, 0u);
}

TEST(MessageStoreQuery, SequencesSurviveReopenAndEqualTimesDoNotCollide) {
  StoreHarness h;
  h.append({senml_message(kThingA, {record("a", kT0, 1), record("a", kT0, 1)})});
  h.store.reset();
  h.env.reset();
  h.open();
  h.append({senml_message(kThingA, {record("a", kT0, 1)})});
  auto state = h.store->state();
  ASSERT_TRUE(state);
  EXPECT_EQ(state->next_seq, 4u);
  EXPECT_EQ(state->senml_rows, 3u);
  EXPECT_EQ(h.query(MessageQuery{}).total, 3u);
  EXPECT_EQ(h.metrics.counter_value("conflux_store_message_rows_stored_total"), 3u);
}

}  // namespace
}  // namespace conflux::core::store
