// tests/unit/store/message_encoded_rows_test.cpp — rows encoded ahead of the
// write job (EncodedRows): the bytes equal the store's one-shot encoding, the
// bookkeeping they carry is right, and a store written through them holds
// exactly what the per-row insert and MessageStore::append write; counts
// stay right when several jobs (one failing) share one transaction.
//
// Thread-safety: single test thread (the env's writer runs the jobs).
#include "core/store/message_encoded_rows.h"

#include <gtest/gtest.h>

#include <future>
#include <map>
#include <string>
#include <vector>

#include "core/store/message_codec.h"
#include "core/store/message_rows.h"
#include "tests/unit/store/message_store_fixture.h"

namespace conflux::core::store::testing {
namespace {

constexpr std::int64_t kHour = 3600 * kSecond;

// A SenML message whose records straddle an hour boundary, with every kind
// of value.
Message mixed_message() {
  const std::int64_t edge = (kT0 / kHour + 1) * kHour;
  std::vector<SenmlRecord> records;
  records.push_back(record("temp", edge - 2 * kSecond, 21.5));
  records.push_back(record("temp", edge - kSecond, 21.75));
  SenmlRecord text = record("label", edge, std::nullopt);
  text.string_value = "kitchen";
  records.push_back(text);
  SenmlRecord flag = record("door", edge + kSecond, std::nullopt);
  flag.bool_value = true;
  flag.unit = "bool";
  records.push_back(flag);
  SenmlRecord energy = record("energy", edge + 2 * kSecond, std::nullopt);
  energy.sum = 12.5;
  energy.update_time = 60;
  records.push_back(energy);
  return senml_message(kThingA, std::move(records), "room.1", "mqtt");
}

// Every entry of every message-store database, as (db, key) -> value.
std::map<std::pair<int, std::string>, std::string> dump(LmdbEnv& env, const MessageDbs& dbs) {
  std::map<std::pair<int, std::string>, std::string> out;
  auto txn = env.read();
  EXPECT_TRUE(txn);
  if (!txn) return out;
  const Dbi all[] = {dbs.senml, dbs.json, dbs.by_time, dbs.counts, dbs.meta};
  for (int i = 0; i < 5; ++i) {
    auto cursor = txn->cursor(all[i]);
    EXPECT_TRUE(cursor);
    if (!cursor) continue;
    for (auto found = cursor->first(); found && *found; found = cursor->next())
      out[{i, std::string((*found)->key)}] = std::string((*found)->value);
  }
  return out;
}

TEST(EncodedRows, ValuesEqualTheOneShotEncoding) {
  const Message senml = mixed_message();
  const Message json = json_message("thing-b", kT0 + 7, R"({"v":1})", "a.b");
  EncodedRows rows;
  ASSERT_TRUE(rows.add(senml));
  ASSERT_TRUE(rows.add(json));
  ASSERT_EQ(rows.size(), senml.records.size() + 1);

  const RowHeader header{senml.publisher, senml.id, senml.subtopic, senml.protocol, senml.created};
  std::uint64_t bytes = 0;
  for (std::size_t i = 0; i < senml.records.size(); ++i) {
    const auto& row = rows.rows()[i];
    std::string expected;
    encode_senml_row(expected, header, senml.records[i]);
    EXPECT_EQ(rows.value(row), expected) << i;
    EXPECT_EQ(row.format, MessageFormat::senml);
    EXPECT_EQ(row.time, senml.records[i].time);
    EXPECT_EQ(row.publisher, publisher_key(kThingA));
    bytes += row_footprint(expected.size());
  }
  const auto& last = rows.rows().back();
  std::string expected_json;
  encode_json_row(expected_json,
                  RowHeader{json.publisher, json.id, json.subtopic, json.protocol, json.created},
                  json.json);
  EXPECT_EQ(rows.value(last), expected_json);
  EXPECT_EQ(last.format, MessageFormat::json);
  EXPECT_EQ(last.time, json.created);
  EXPECT_EQ(last.publisher, publisher_key("thing-b"));
  bytes += row_footprint(expected_json.size());

  EXPECT_EQ(rows.bytes(), bytes);
  EXPECT_EQ(rows.rows_of(MessageFormat::senml), senml.records.size());
  EXPECT_EQ(rows.rows_of(MessageFormat::json), 1u);

  rows.clear();
  EXPECT_TRUE(rows.empty());
  EXPECT_EQ(rows.bytes(), 0u);
  EXPECT_TRUE(rows.counts().empty());
}

TEST(EncodedRows, RejectsWhatAppendRejectsAndAddsNothing) {
  EncodedRows rows;
  Message no_publisher = mixed_message();
  no_publisher.publisher.clear();
  auto s = rows.add(no_publisher);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::invalid_argument);
  Message no_format = mixed_message();
  no_format.format = MessageFormat::unknown;
  s = rows.add(no_format);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::invalid_argument);
  EXPECT_TRUE(rows.empty());
  EXPECT_TRUE(rows.counts().empty());
  EXPECT_EQ(rows.bytes(), 0u);
}

TEST(EncodedRows, StoreWrittenFromEncodedRowsEqualsAppend) {
  std::vector<Message> messages = {
      mixed_message(),
      json_message(kThingB, kT0 + 3, R"({"a":[1,2]})", "x"),
      senml_message(kThingB,
                    {record("hum", kT0 + 5 * kSecond, 40), record("hum", kT0 - kHour, 41)}),
      senml_message("Not-A-Uuid", {record("t", kT0, 1)}),
  };
  // The reference: each row encoded on its own and stored by insert_row (the
  // per-row path restore uses), bookkeeping written once.
  StoreHarness reference;
  auto written = reference.env->write_sync([&](WriteTxn& txn) -> Status {
    const MessageDbs& dbs = reference.store->dbs();
    CONFLUX_ASSIGN_OR_RETURN(auto state, load_state(txn, dbs));
    CountDeltas counts;
    for (const auto& m : messages) {
      const RowHeader header{m.publisher, m.id, m.subtopic, m.protocol, m.created};
      const PublisherKey pk = publisher_key(m.publisher);
      std::string value;
      if (m.format == MessageFormat::json) {
        encode_json_row(value, header, m.json);
        CONFLUX_RETURN_IF_ERROR(
            insert_row(txn, dbs, MessageFormat::json, pk, m.created, value, state, counts));
        continue;
      }
      for (const auto& r : m.records) {
        value.clear();
        encode_senml_row(value, header, r);
        CONFLUX_RETURN_IF_ERROR(
            insert_row(txn, dbs, MessageFormat::senml, pk, r.time, value, state, counts));
      }
    }
    CONFLUX_RETURN_IF_ERROR(counts.apply(txn, dbs));
    return save_state(txn, dbs, state);
  });
  ASSERT_TRUE(written) << written.error().message;

  StoreHarness appended;
  appended.append(messages);

  StoreHarness encoded;
  EncodedRows rows;
  for (const auto& m : messages) ASSERT_TRUE(rows.add(m));
  auto s = encoded.env->write_sync([&](WriteTxn& txn) -> Status {
    CONFLUX_ASSIGN_OR_RETURN(auto batch, encoded.store->begin_batch(txn));
    CONFLUX_RETURN_IF_ERROR(batch.add(rows));
    return batch.finish();
  });
  ASSERT_TRUE(s) << s.error().message;

  auto expected = dump(*reference.env, reference.store->dbs());
  auto actual = dump(*encoded.env, encoded.store->dbs());
  // 9 rows, 9 index entries, 6 publisher-hour counts, the meta state.
  EXPECT_EQ(expected.size(), 9u + 9u + 6u + 1u);
  EXPECT_EQ(actual, expected);
  EXPECT_EQ(dump(*appended.env, appended.store->dbs()), expected);
}

// Index keys older than the newest stored one cannot be appended at the
// B-tree's edge; the writer must still index every row, in time order.
TEST(EncodedRows, OutOfOrderTimesAcrossJobsAreAllIndexed) {
  StoreHarness h;
  h.append({senml_message(kThingA, {record("a", kT0 + 10, 1), record("a", kT0 + 12, 2)})});
  EncodedRows rows;
  ASSERT_TRUE(rows.add(senml_message(
      kThingB, {record("b", kT0 + 1, 3), record("b", kT0 + 20, 4), record("b", kT0 + 5, 5)})));
  ASSERT_TRUE(rows.add(senml_message(kThingA, {record("a", kT0 + 11, 6)})));
  auto s = h.env->write_sync([&](WriteTxn& txn) -> Status {
    CONFLUX_ASSIGN_OR_RETURN(auto batch, h.store->begin_batch(txn));
    CONFLUX_RETURN_IF_ERROR(batch.add(rows));
    return batch.finish();
  });
  ASSERT_TRUE(s) << s.error().message;

  MessageQuery q;  // no publisher: walks messages.by_time
  q.ascending = true;
  q.limit = 100;
  auto page = h.query(q);
  EXPECT_EQ(times_of(page),
            (std::vector<std::int64_t>{kT0 + 1, kT0 + 5, kT0 + 10, kT0 + 11, kT0 + 12, kT0 + 20}));
  auto txn = h.env->read();
  ASSERT_TRUE(txn);
  auto entries = txn->count(h.store->dbs().by_time);
  ASSERT_TRUE(entries);
  EXPECT_EQ(*entries, 6u);
}

TEST(EncodedRows, CountsStayRightWhenJobsShareOneTransaction) {
  StoreHarness h;
  const std::int64_t hour0 = (kT0 / kHour) * kHour;
  auto job_rows = [&](std::vector<std::int64_t> offsets) {
    auto rows = std::make_shared<EncodedRows>();
    std::vector<SenmlRecord> records;
    for (auto o : offsets) records.push_back(record("t", hour0 + o, 1));
    EXPECT_TRUE(rows->add(senml_message(kThingA, records)));
    return rows;
  };
  // Three jobs in one transaction: the second writes rows, then fails (its
  // rows and counts must vanish); the first and third add to the same hours.
  std::vector<std::shared_ptr<EncodedRows>> jobs = {
      job_rows({kSecond, 2 * kSecond}),
      job_rows({3 * kSecond, kHour + kSecond}),
      job_rows({4 * kSecond, kHour + 2 * kSecond, kHour + 3 * kSecond}),
  };
  std::vector<std::promise<Status>> results(jobs.size());
  {
    WriterHold hold(*h.env);  // the three jobs queue up and form one batch
    std::vector<WriteJob> queued;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      queued.push_back(WriteJob{[&, i, rows = jobs[i]](WriteTxn& txn) -> Status {
                                  CONFLUX_ASSIGN_OR_RETURN(auto batch, h.store->begin_batch(txn));
                                  CONFLUX_RETURN_IF_ERROR(batch.add(*rows));
                                  CONFLUX_RETURN_IF_ERROR(batch.finish());
                                  if (i == 1)
                                    return fail(ErrorCode::failed_precondition,
                                                "job 1 fails on purpose");
                                  return ok();
                                },
                                [&, i](Status s) { results[i].set_value(std::move(s)); }});
    }
    h.env->write(std::move(queued));
    const auto commits_before = h.metrics.counter_value("conflux_store_commits_total");
    hold.release();
    ASSERT_TRUE(hold.done());
    for (std::size_t i = 0; i < results.size(); ++i) {
      Status s = results[i].get_future().get();
      EXPECT_EQ(static_cast<bool>(s), i != 1) << i;
    }
    // The held job's transaction plus one for the three jobs.
    EXPECT_EQ(h.metrics.counter_value("conflux_store_commits_total"), commits_before + 2);
  }

  auto state = h.store->state();
  ASSERT_TRUE(state);
  EXPECT_EQ(state->senml_rows, 5u);

  // Whole-hour ranges are answered from messages.counts.
  MessageQuery q;
  q.publishers = {kThingA};
  q.from = hour0;
  q.to = hour0 + kHour;
  EXPECT_EQ(h.query(q).total, 3u);
  q.from = hour0 + kHour;
  q.to = hour0 + 2 * kHour;
  EXPECT_EQ(h.query(q).total, 2u);
  q.from = hour0;
  q.to = hour0 + 2 * kHour;
  q.limit = 100;
  auto page = h.query(q);
  EXPECT_EQ(page.total, 5u);
  EXPECT_EQ(page.records.size(), 5u);
}

}  // namespace
}  // namespace conflux::core::store::testing
