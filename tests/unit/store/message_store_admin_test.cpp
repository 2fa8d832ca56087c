// tests/unit/store/message_store_admin_test.cpp — MessageStore delete,
// retention, export, backup and restore over a real LMDB environment,
// including index and bookkeeping consistency afterwards.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "core/store/message_backup_format.h"
#include "core/store/message_count.h"
#include "core/store/message_keys.h"
#include "tests/unit/store/message_store_fixture.h"

namespace conflux::core::store {
namespace {

using namespace testing;

// Every index entry has its row and vice versa; the state's totals and the
// hour counts match the rows.
void expect_consistent(StoreHarness& h) {
  auto txn = h.env->read();
  ASSERT_TRUE(txn);
  const MessageDbs& dbs = h.store->dbs();
  std::uint64_t index_entries = 0, bytes = 0;
  std::map<CountKey, std::uint64_t> hours;
  auto index = txn->cursor(dbs.by_time);
  ASSERT_TRUE(index);
  for (auto e = index->first(); e && *e; e = index->next()) {
    MessageFormat format{};
    auto key = parse_index_key((*e)->key, &format);
    ASSERT_TRUE(key);
    auto row = txn->get(dbs.rows(format), as_view(row_key_of(*key)));
    ASSERT_TRUE(row && *row) << "orphan index entry";
    bytes += row_footprint((*row)->size());
    ++hours[make_count_key(format, key->publisher, hour_of(key->time))];
    ++index_entries;
  }
  std::uint64_t rows = 0;
  for (MessageFormat format : {MessageFormat::senml, MessageFormat::json}) {
    auto c = txn->cursor(dbs.rows(format));
    ASSERT_TRUE(c);
    for (auto e = c->first(); e && *e; e = c->next()) {
      auto key = parse_row_key((*e)->key);
      ASSERT_TRUE(key);
      auto entry = txn->get(dbs.by_time, as_view(index_key_of(format, *key)));
      ASSERT_TRUE(entry && *entry) << "row without index entry";
      ++rows;
    }
  }
  EXPECT_EQ(rows, index_entries);
  auto state = load_state(*txn, dbs);
  ASSERT_TRUE(state);
  EXPECT_EQ(state->senml_rows + state->json_rows, rows);
  EXPECT_EQ(state->bytes, bytes);
  std::map<CountKey, std::uint64_t> stored;
  auto counts = txn->cursor(dbs.counts);
  for (auto e = counts->first(); e && *e; e = counts->next()) {
    CountKey key{};
    ASSERT_EQ((*e)->key.size(), key.size());
    std::copy((*e)->key.begin(), (*e)->key.end(), reinterpret_cast<char*>(key.data()));
    stored[key] = *decode_count((*e)->value);
  }
  EXPECT_EQ(stored, hours);
}

void fill(StoreHarness& h, const char* publisher, int n, std::int64_t start = kT0) {
  std::vector<SenmlRecord> records;
  for (int i = 0; i < n; ++i) records.push_back(record("r", start + i * kSecond, i));
  h.append({senml_message(publisher, records)});
}

std::uint64_t total(StoreHarness& h, MessageFormat format = MessageFormat::senml,
                    std::vector<std::string> publishers = {}) {
  MessageQuery q;
  q.format = format;
  q.publishers = std::move(publishers);
  return h.query(q).total;
}

TEST(MessageStoreRemove, ByPublisherAndRange) {
  StoreHarness h;
  fill(h, kThingA, 10);
  fill(h, kThingB, 10);
  h.append({json_message(kThingA, kT0, "{}")});
  std::vector<std::string> a{kThingA};
  auto n = h.store->remove(MessageFormat::senml, a, kT0 + 2 * kSecond, kT0 + 5 * kSecond);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 3u);
  EXPECT_EQ(total(h, MessageFormat::senml, a), 7u);
  EXPECT_EQ(total(h, MessageFormat::senml, {kThingB}), 10u);
  expect_consistent(h);
  n = h.store->remove(MessageFormat::senml, a, std::nullopt, std::nullopt);
  EXPECT_EQ(*n, 7u);
  EXPECT_EQ(total(h, MessageFormat::senml, a), 0u);
  EXPECT_EQ(total(h, MessageFormat::json), 1u) << "other formats are kept";
  expect_consistent(h);
  EXPECT_EQ(h.metrics.counter_value("conflux_store_message_rows_deleted_total"), 10u);
}

TEST(MessageStoreRemove, AllPublishersByTimeIndex) {
  StoreHarness h;
  fill(h, kThingA, 10);
  fill(h, kThingB, 10);
  auto n = h.store->remove(MessageFormat::senml, {}, kT0 + 8 * kSecond, std::nullopt);
  EXPECT_EQ(*n, 4u);
  EXPECT_EQ(total(h), 16u);
  n = h.store->remove(MessageFormat::senml, {}, std::nullopt, std::nullopt);
  EXPECT_EQ(*n, 16u);
  EXPECT_EQ(total(h), 0u);
  expect_consistent(h);
  auto state = h.store->state();
  EXPECT_EQ(state->bytes, 0u);
  EXPECT_FALSE(h.store->remove(MessageFormat::unknown, {}, std::nullopt, std::nullopt));
}

TEST(MessageStoreRemove, LargeDeleteSpansSeveralJobs) {
  StoreHarness h;
  for (int chunk = 0; chunk < 5; ++chunk) fill(h, kThingA, 5000, kT0 + chunk * 5000 * kSecond);
  auto n = h.store->remove(MessageFormat::senml, {}, std::nullopt, std::nullopt);
  EXPECT_EQ(*n, 25000u);
  expect_consistent(h);
}

TEST(MessageStoreRetention, ByAgeIncrementally) {
  StoreHarness h;
  fill(h, kThingA, 10);  // kT0 .. kT0 + 9 s
  h.append({json_message(kThingB, kT0 + 500'000'000, "{}")});
  const std::int64_t now = kT0 + 100 * kSecond;
  // Older than 95 s: kT0 .. kT0 + 4 s (5 SenML rows) and the JSON row.
  auto step = h.store->apply_retention(now, std::chrono::seconds(95), 0, 4);
  ASSERT_TRUE(step) << step.error().message;
  EXPECT_EQ(*step, 4u);
  step = h.store->apply_retention(now, std::chrono::seconds(95), 0, 4);
  EXPECT_EQ(*step, 2u);
  step = h.store->apply_retention(now, std::chrono::seconds(95), 0, 4);
  EXPECT_EQ(*step, 0u);
  EXPECT_EQ(total(h), 5u);
  EXPECT_EQ(total(h, MessageFormat::json), 0u);
  MessageQuery q;
  q.ascending = true;
  EXPECT_EQ(h.query(q).records.front().senml.time, kT0 + 5 * kSecond);
  expect_consistent(h);
}

TEST(MessageStoreRetention, BySize) {
  StoreHarness h;
  fill(h, kThingA, 100);
  auto before = h.store->state()->bytes;
  const std::uint64_t limit = before / 2;
  std::uint64_t deleted = 0;
  for (int i = 0; i < 100; ++i) {
    auto step = h.store->apply_retention(kT0, std::chrono::milliseconds(0), limit, 10);
    ASSERT_TRUE(step);
    deleted += *step;
    if (*step < 10) break;
  }
  auto after = h.store->state()->bytes;
  EXPECT_LE(after, limit);
  EXPECT_GT(after, limit - before / 100 * 2) << "deletes only what is needed";
  EXPECT_EQ(total(h), 100 - deleted);
  MessageQuery q;
  q.ascending = true;
  q.limit = 1;
  EXPECT_EQ(h.query(q).records.front().senml.time,
            kT0 + static_cast<std::int64_t>(deleted) * kSecond)
      << "the oldest go first";
  expect_consistent(h);
  // Within limits: nothing to do.
  EXPECT_EQ(*h.store->apply_retention(kT0, std::chrono::milliseconds(0), 0, 10), 0u);
}

std::string export_text(StoreHarness& h, const MessageQuery& q, ExportFormat format,
                        std::size_t* chunks = nullptr) {
  std::string out;
  std::size_t n = 0;
  auto s = h.store->export_rows(q, format, [&](std::string_view c) {
    out.append(c);
    ++n;
    return true;
  });
  EXPECT_TRUE(s) << s.error().message;
  if (chunks) *chunks = n;
  return out;
}

TEST(MessageStoreExport, CsvAndJsonOfAQuery) {
  StoreHarness h;
  SenmlRecord v = record("some-base-name:voltage", 1'276'020'076'001'000'000, 120.1);
  v.unit = "V";
  h.append({senml_message(kThingA, {v}), json_message(kThingA, kT0, R"({"a":1})", "s")});
  MessageQuery q;
  EXPECT_EQ(export_text(h, q, ExportFormat::csv),
            "subtopic,publisher,protocol,name,unit,value,string_value,bool_value,data_value,sum,"
            "time,update_time\n"
            ",33eb28c3-4ca2-45c3-b1c5-d5d049c6c24e,http,some-base-name:voltage,V,120.1,,,,,"
            "1276020076.001,0\n");
  q.format = MessageFormat::json;
  EXPECT_EQ(export_text(h, q, ExportFormat::csv),
            "created,subtopic,publisher,protocol,payload\n"
            "1700000000000000000,s,33eb28c3-4ca2-45c3-b1c5-d5d049c6c24e,mqtt,\"{\"\"a\"\":1}\"\n");
  auto doc = nlohmann::json::parse(export_text(h, q, ExportFormat::json));
  ASSERT_EQ(doc.size(), 1u);
  EXPECT_EQ(doc[0]["payload"]["a"], 1);
  q.publishers = {kThingB};
  EXPECT_EQ(export_text(h, q, ExportFormat::json), "[]");
}

TEST(MessageStoreExport, LargeExportStreamsInManyChunksAndIgnoresLimit) {
  StoreHarness h;
  for (int chunk = 0; chunk < 5; ++chunk) fill(h, kThingA, 5000, kT0 + chunk * 5000 * kSecond);
  MessageQuery q;
  q.publishers = {kThingA};
  q.limit = 1;
  q.ascending = true;
  std::size_t chunks = 0;
  auto csv = export_text(h, q, ExportFormat::csv, &chunks);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 25001);
  EXPECT_GT(chunks, 10u);
  EXPECT_LT(csv.size() / chunks, 2 * 64 * 1024u);
  // Rows stay ordered across the read-transaction segments.
  auto json = nlohmann::json::parse(export_text(h, q, ExportFormat::json));
  ASSERT_EQ(json.size(), 25000u);
  for (std::size_t i = 1; i < json.size(); ++i)
    ASSERT_LT(json[i - 1]["time"].get<double>(), json[i]["time"].get<double>()) << i;
  // Publisher-less descending export across segments.
  q.publishers.clear();
  q.ascending = false;
  json = nlohmann::json::parse(export_text(h, q, ExportFormat::json));
  ASSERT_EQ(json.size(), 25000u);
  EXPECT_GT(json[0]["time"].get<double>(), json[24999]["time"].get<double>());
  // A sink that stops early ends the export quietly.
  std::size_t calls = 0;
  EXPECT_TRUE(h.store->export_rows(q, ExportFormat::csv, [&](std::string_view) {
    ++calls;
    return false;
  }));
  EXPECT_EQ(calls, 1u);
}

std::string backup_of(StoreHarness& h, std::size_t* chunks = nullptr) {
  std::string out;
  std::size_t n = 0;
  auto s = h.store->backup([&](std::string_view c) {
    out.append(c);
    ++n;
    return true;
  });
  EXPECT_TRUE(s) << s.error().message;
  if (chunks) *chunks = n;
  return out;
}

Result<std::uint64_t> restore_from(StoreHarness& h, const std::string& stream,
                                   std::size_t piece = 4096) {
  std::size_t pos = 0;
  return h.store->restore([&](std::span<char> buf) -> Result<std::size_t> {
    std::size_t n = std::min({piece, buf.size(), stream.size() - pos});
    std::copy_n(stream.data() + pos, n, buf.data());
    pos += n;
    return n;
  });
}

std::vector<StoredRecord> everything(StoreHarness& h, MessageFormat format) {
  std::vector<StoredRecord> out;
  MessageQuery q;
  q.format = format;
  q.limit = 1000;
  for (q.offset = 0;; q.offset += q.limit) {
    auto page = h.query(q);
    out.insert(out.end(), page.records.begin(), page.records.end());
    if (page.records.size() < q.limit) break;
  }
  return out;
}

TEST(MessageStoreBackup, RestoreIntoAFreshStoreGivesEqualQueriesAndIsIdempotent) {
  StoreHarness source;
  fill(source, kThingA, 1500);
  fill(source, kThingB, 700);
  SenmlRecord s = record("label", kT0, std::nullopt);
  s.string_value = "x";
  source.append({senml_message("Thing-Not-UUID", {s}),
                 json_message(kThingA, kT0, R"({"a":{"b":[1,2]}})", "sub"),
                 json_message(kThingB, kT0 + 1, R"({"c":true})")});
  std::size_t chunks = 0;
  auto stream = backup_of(source, &chunks);
  EXPECT_GT(chunks, 1u);

  StoreHarness target;
  fill(target, kThingB, 3, kT0 - 100 * kSecond);  // existing rows are kept
  auto restored = restore_from(target, stream, 1000);
  ASSERT_TRUE(restored) << restored.error().message;
  EXPECT_EQ(*restored, 2203u);
  restored = restore_from(target, stream);
  ASSERT_TRUE(restored);
  EXPECT_EQ(*restored, 0u) << "restoring twice adds nothing";
  ASSERT_TRUE(target.store->remove(MessageFormat::senml, {}, std::nullopt, kT0 - 50 * kSecond));

  for (auto format : {MessageFormat::senml, MessageFormat::json})
    EXPECT_EQ(everything(source, format), everything(target, format));
  MessageQuery q;
  q.publishers = {"Thing-Not-UUID"};
  EXPECT_EQ(source.query(q).records, target.query(q).records);
  q.publishers = {kThingB};
  q.offset = 100;
  EXPECT_EQ(source.query(q).records, target.query(q).records);
  EXPECT_EQ(source.query(q).total, target.query(q).total);
  expect_consistent(target);
}

TEST(MessageStoreBackup, RejectsForeignAndTruncatedStreams) {
  StoreHarness source;
  fill(source, kThingA, 2500);
  auto stream = backup_of(source);
  StoreHarness target;
  auto r = restore_from(target, R"([{"publisher":"x","name":"t"}])");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(r.error().message.find("at byte 0"), std::string::npos);
  r = restore_from(target, stream.substr(0, stream.size() / 2));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(r.error().message.find("truncated"), std::string::npos) << r.error().message;
  // Rows before the bad frame were kept; completing the restore fills the rest.
  auto partial = total(target);
  EXPECT_GT(partial, 1000u);
  r = restore_from(target, stream);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 2500u - partial);
  EXPECT_EQ(total(target), 2500u);
  expect_consistent(target);
}

TEST(MessageStoreBackup, EmptyStoreBacksUpToAValidStream) {
  StoreHarness h;
  auto stream = backup_of(h);
  EXPECT_EQ(stream.substr(0, kBackupMagic.size()), kBackupMagic);
  StoreHarness target;
  auto r = restore_from(target, stream);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 0u);
}

}  // namespace
}  // namespace conflux::core::store
