// Tests for LmdbEnv: reads and writes, group commit, done-after-commit,
// isolation of failing jobs, map growth, the max map size, concurrent
// readers, stale reader slots, queue limits and shutdown.
// Thread-safety: tests that start threads join them before asserting.
#include "core/store/lmdb_env.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/unit/store/store_test_support.h"

namespace conflux::core::store {
namespace {

using ::testing::HasSubstr;
using testing::open_env;
using testing::TempDir;
using testing::test_options;
using testing::WriterHold;

class LmdbEnvTest : public ::testing::Test {
 protected:
  std::unique_ptr<LmdbEnv> open(EnvOptions o) { return open_env(o, log_, metrics_); }
  std::unique_ptr<LmdbEnv> open() { return open(test_options(dir_.path())); }
  std::uint64_t commits() const { return metrics_.counter_value("conflux_store_commits_total"); }

  static Status put(LmdbEnv& env, Dbi dbi, std::string key, std::string value) {
    return env.write_sync([&](WriteTxn& txn) { return txn.put(dbi, key, value); });
  }
  static std::optional<std::string> get(LmdbEnv& env, Dbi dbi, std::string_view key) {
    auto txn = env.read();
    EXPECT_TRUE(txn);
    auto v = txn->get(dbi, key);
    EXPECT_TRUE(v);
    if (!*v) return std::nullopt;
    return std::string(**v);
  }

  TempDir dir_;
  conflux::testing::CaptureLogger log_;
  conflux::testing::FakeMetrics metrics_;
};

TEST_F(LmdbEnvTest, WritesAndReadsBack) {
  auto env = open();
  ASSERT_TRUE(env);
  auto dbi = env->database("t");
  ASSERT_TRUE(dbi);
  ASSERT_TRUE(put(*env, *dbi, "a", "1"));
  EXPECT_EQ(get(*env, *dbi, "a"), "1");
  EXPECT_EQ(get(*env, *dbi, "b"), std::nullopt);
  auto again = env->database("t");
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *dbi);
}

TEST_F(LmdbEnvTest, DatabaseWithOtherFlagsIsRefused) {
  auto env = open();
  ASSERT_TRUE(env->database("t", 0));
  auto other = env->database("t", MDB_DUPSORT);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::invalid_argument);
  EXPECT_FALSE(env->database(""));
}

TEST_F(LmdbEnvTest, PutNoOverwriteGivesAlreadyExists) {
  auto env = open();
  auto dbi = *env->database("t");
  ASSERT_TRUE(put(*env, dbi, "a", "1"));
  Status s =
      env->write_sync([&](WriteTxn& txn) { return txn.put(dbi, "a", "2", MDB_NOOVERWRITE); });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::already_exists);
  EXPECT_EQ(get(*env, dbi, "a"), "1");
}

TEST_F(LmdbEnvTest, CursorWalksInKeyOrder) {
  auto env = open();
  auto dbi = *env->database("t");
  ASSERT_TRUE(env->write_sync([&](WriteTxn& txn) -> Status {
    for (const char* k : {"b", "a", "d", "c"}) CONFLUX_RETURN_IF_ERROR(txn.put(dbi, k, k));
    return ok();
  }));
  auto txn = env->read();
  ASSERT_TRUE(txn);
  auto cur = txn->cursor(dbi);
  ASSERT_TRUE(cur);
  std::string seen;
  for (auto e = cur->seek("b"); e && *e; e = cur->next()) seen += (*e)->key;
  EXPECT_EQ(seen, "bcd");
  auto last = cur->last();
  ASSERT_TRUE(last && *last);
  EXPECT_EQ((*last)->key, "d");
  auto prev = cur->prev();
  ASSERT_TRUE(prev && *prev);
  EXPECT_EQ((*prev)->key, "c");
  EXPECT_EQ(*txn->count(dbi), 4u);
}

TEST_F(LmdbEnvTest, GroupCommitFillsOneTransactionUpToCommitBatch) {
  auto o = test_options(dir_.path());
  o.commit_batch = 8;
  o.commit_interval = std::chrono::minutes(10);  // only a full batch commits
  auto env = open(o);
  auto dbi = *env->database("t");
  const auto before = commits();
  std::vector<std::thread> writers;
  std::atomic<int> acked{0};
  for (int i = 0; i < 8; ++i) {
    writers.emplace_back([&, i] {
      ASSERT_TRUE(put(*env, dbi, "k" + std::to_string(i), "v"));
      ++acked;
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(acked.load(), 8);
  EXPECT_EQ(commits() - before, 1u);
}

TEST_F(LmdbEnvTest, GroupCommitBatchesJobsQueuedDuringACommit) {
  auto env = open();
  auto dbi = *env->database("t");
  const auto before = commits();
  WriterHold hold(*env);
  std::vector<std::thread> writers;
  std::vector<std::promise<Status>> results(10);
  for (int i = 0; i < 10; ++i) {
    writers.emplace_back([&, i] {
      env->write([&, i](WriteTxn& txn) { return txn.put(dbi, "k" + std::to_string(i), "v"); },
                 [&, i](Status s) { results[i].set_value(std::move(s)); });
    });
  }
  for (auto& t : writers) t.join();  // every job is queued behind the hold
  hold.release();
  EXPECT_TRUE(hold.done());
  for (auto& r : results) EXPECT_TRUE(r.get_future().get());
  EXPECT_EQ(commits() - before, 2u);  // the hold's batch, then all ten together
}

TEST_F(LmdbEnvTest, DoneRunsAfterTheCommitOnTheCompletionThread) {
  auto env = open();
  auto dbi = *env->database("t");
  std::promise<std::optional<std::string>> seen;
  std::promise<Status> nested;
  env->write([&](WriteTxn& txn) { return txn.put(dbi, "a", "committed"); },
             [&](Status s) {
               ASSERT_TRUE(s);
               // Visible to a new reader: the commit happened before done.
               seen.set_value(get(*env, dbi, "a"));
               // Waiting for the writer here would deadlock: refused.
               nested.set_value(env->write_sync([](WriteTxn&) { return ok(); }));
             });
  EXPECT_EQ(seen.get_future().get(), "committed");
  Status n = nested.get_future().get();
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, ErrorCode::failed_precondition);
  env.reset();
  auto reopened = open();
  auto dbi2 = *reopened->database("t");
  EXPECT_EQ(get(*reopened, dbi2, "a"), "committed");
}

TEST_F(LmdbEnvTest, FailingJobsLeaveNoTraceAndBatchMatesCommit) {
  auto env = open();
  auto dbi = *env->database("t");
  const auto before = commits();
  WriterHold hold(*env);
  std::promise<Status> r1, r2, r3, r4;
  env->write([&](WriteTxn& txn) { return txn.put(dbi, "ok1", "v"); },
             [&](Status s) { r1.set_value(s); });
  env->write(
      [&](WriteTxn& txn) -> Status {
        CONFLUX_RETURN_IF_ERROR(txn.put(dbi, "failed", "v"));
        return fail(ErrorCode::invalid_argument, "no");
      },
      [&](Status s) { r2.set_value(s); });
  env->write(
      [&](WriteTxn& txn) -> Status {
        CONFLUX_RETURN_IF_ERROR(txn.put(dbi, "threw", "v"));
        throw std::runtime_error("boom");
      },
      [&](Status s) { r3.set_value(s); });
  env->write([&](WriteTxn& txn) { return txn.put(dbi, "ok2", "v"); },
             [&](Status s) { r4.set_value(s); });
  hold.release();
  EXPECT_TRUE(r1.get_future().get());
  Status s2 = r2.get_future().get();
  ASSERT_FALSE(s2);
  EXPECT_EQ(s2.error().code, ErrorCode::invalid_argument);
  Status s3 = r3.get_future().get();
  ASSERT_FALSE(s3);
  EXPECT_THAT(s3.error().message, HasSubstr("boom"));
  EXPECT_TRUE(r4.get_future().get());
  EXPECT_EQ(commits() - before, 2u);
  EXPECT_EQ(get(*env, dbi, "ok1"), "v");
  EXPECT_EQ(get(*env, dbi, "ok2"), "v");
  EXPECT_EQ(get(*env, dbi, "failed"), std::nullopt);
  EXPECT_EQ(get(*env, dbi, "threw"), std::nullopt);
  EXPECT_EQ(metrics_.counter_value("conflux_store_write_errors_total"), 1u);
}

TEST_F(LmdbEnvTest, MapGrowsOnDemand) {
  auto o = test_options(dir_.path());
  o.map_size = std::size_t{1} << 20;
  auto env = open(o);
  auto dbi = *env->database("t");
  const std::string value(4000, 'x');
  constexpr int kJobs = 200;
  std::vector<std::promise<Status>> results(kJobs);
  std::vector<WriteJob> jobs;
  for (int i = 0; i < kJobs; ++i) {
    jobs.push_back(WriteJob{[&, i](WriteTxn& txn) -> Status {
                              for (int r = 0; r < 25; ++r) {
                                CONFLUX_RETURN_IF_ERROR(txn.put(
                                    dbi, std::to_string(i) + "/" + std::to_string(r), value));
                              }
                              return ok();
                            },
                            [&, i](Status s) { results[i].set_value(std::move(s)); }});
  }
  env->write(std::move(jobs));
  for (auto& r : results) ASSERT_TRUE(r.get_future().get());
  auto txn = env->read();
  EXPECT_EQ(*txn->count(dbi), std::size_t{kJobs} * 25);
  EXPECT_EQ(**txn->get(dbi, "199/24"), value);
  EXPECT_GT(env->stats().map_size, std::size_t{20} << 20);
  EXPECT_TRUE(log_.contains("map grown"));
}

TEST_F(LmdbEnvTest, MaxMapSizeRefusesWritesAndKeepsTheStoreUsable) {
  auto o = test_options(dir_.path());
  o.map_size = std::size_t{1} << 20;
  o.max_map_size = std::size_t{2} << 20;
  auto env = open(o);
  auto dbi = *env->database("t");
  const std::string value(32 * 1024, 'v');
  int stored = 0;
  Status last = ok();
  for (int i = 0; i < 200 && last; ++i) {
    last = put(*env, dbi, "k" + std::to_string(i), value);
    if (last) ++stored;
  }
  ASSERT_FALSE(last);
  EXPECT_EQ(last.error().code, ErrorCode::resource_exhausted);
  EXPECT_THAT(last.error().message, HasSubstr("storage full"));
  ASSERT_GT(stored, 10);
  EXPECT_EQ(env->stats().map_size, std::size_t{2} << 20);
  // Everything acknowledged is intact.
  for (int i = 0; i < stored; ++i) EXPECT_EQ(get(*env, dbi, "k" + std::to_string(i)), value);
  // Deletes still work, and small writes fit in the freed space afterwards.
  for (int i = 0; i < stored / 2; ++i) {
    ASSERT_TRUE(env->write_sync([&](WriteTxn& txn) -> Status {
      CONFLUX_ASSIGN_OR_RETURN(bool gone, txn.del(dbi, "k" + std::to_string(i)));
      return gone ? ok() : fail(ErrorCode::not_found, "missing");
    }));
  }
  EXPECT_TRUE(put(*env, dbi, "small", "s"));
  EXPECT_EQ(get(*env, dbi, "small"), "s");
  EXPECT_GE(metrics_.counter_value("conflux_store_write_errors_total"), 1u);
}

TEST_F(LmdbEnvTest, BigJobFailsAloneAtMaxSizeWhileSmallBatchMatesCommit) {
  auto o = test_options(dir_.path());
  o.map_size = std::size_t{1} << 20;
  o.max_map_size = std::size_t{2} << 20;
  auto env = open(o);
  auto dbi = *env->database("t");
  WriterHold hold(*env);
  std::promise<Status> small1, big, small2;
  env->write([&](WriteTxn& txn) { return txn.put(dbi, "s1", "v"); },
             [&](Status s) { small1.set_value(s); });
  env->write([&](WriteTxn& txn) { return txn.put(dbi, "big", std::string(4 << 20, 'b')); },
             [&](Status s) { big.set_value(s); });
  env->write([&](WriteTxn& txn) { return txn.put(dbi, "s2", "v"); },
             [&](Status s) { small2.set_value(s); });
  hold.release();
  EXPECT_TRUE(small1.get_future().get());
  Status b = big.get_future().get();
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code, ErrorCode::resource_exhausted);
  EXPECT_TRUE(small2.get_future().get());
  EXPECT_EQ(get(*env, dbi, "s1"), "v");
  EXPECT_EQ(get(*env, dbi, "s2"), "v");
  EXPECT_EQ(get(*env, dbi, "big"), std::nullopt);
}

TEST_F(LmdbEnvTest, ReadersSeeConsistentSnapshotsWhileTheMapGrows) {
  auto o = test_options(dir_.path());
  o.map_size = std::size_t{1} << 20;
  auto env = open(o);
  auto dbi = *env->database("t");
  ASSERT_TRUE(put(*env, dbi, "a", "0"));
  ASSERT_TRUE(put(*env, dbi, "b", "0"));
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0};
  std::atomic<int> mismatches{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        auto txn = env->read();
        if (!txn) {
          ++mismatches;
          continue;
        }
        auto a = txn->get(dbi, "a");
        auto b = txn->get(dbi, "b");
        if (!a || !b || !*a || !*b || **a != **b) ++mismatches;
        ++reads;
      }
    });
  }
  const std::string filler(2000, 'f');
  for (int i = 1; i <= 300; ++i) {
    ASSERT_TRUE(env->write_sync([&](WriteTxn& txn) -> Status {
      const std::string v = std::to_string(i);
      CONFLUX_RETURN_IF_ERROR(txn.put(dbi, "a", v));
      for (int f = 0; f < 10; ++f) {
        CONFLUX_RETURN_IF_ERROR(txn.put(dbi, "f" + v + "/" + std::to_string(f), filler));
      }
      return txn.put(dbi, "b", v);
    }));
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(get(*env, dbi, "a"), "300");
  EXPECT_GT(env->stats().map_size, std::size_t{1} << 20);
}

TEST_F(LmdbEnvTest, AReaderHeldTooLongFailsTheResizeNotTheStore) {
  auto o = test_options(dir_.path());
  o.map_size = std::size_t{1} << 20;
  o.resize_wait = std::chrono::milliseconds(20);
  auto env = open(o);
  auto dbi = *env->database("t");
  ASSERT_TRUE(put(*env, dbi, "a", "1"));
  const std::string big(2 << 20, 'b');
  {
    auto reader = env->read();
    ASSERT_TRUE(reader);
    Status blocked = put(*env, dbi, "big", big);  // needs a bigger map
    ASSERT_FALSE(blocked);
    EXPECT_EQ(blocked.error().code, ErrorCode::unavailable);
    EXPECT_EQ(**reader->get(dbi, "a"), "1");
  }
  EXPECT_TRUE(put(*env, dbi, "big", big));
  EXPECT_EQ(get(*env, dbi, "big"), big);
}

TEST_F(LmdbEnvTest, ReadTxnMovesBetweenThreads) {
  auto env = open();
  auto dbi = *env->database("t");
  ASSERT_TRUE(put(*env, dbi, "a", "1"));
  auto txn = env->read();
  ASSERT_TRUE(txn);
  ReadTxn moved = std::move(*txn);
  std::string seen;
  std::thread([&] {
    auto v = moved.get(dbi, "a");
    if (v && *v) seen = std::string(**v);
    moved.close();
  }).join();
  EXPECT_EQ(seen, "1");
}

TEST_F(LmdbEnvTest, StaleReaderSlotsOfDeadProcessesAreCleared) {
  auto env = open();
  auto dbi = *env->database("t");
  ASSERT_TRUE(put(*env, dbi, "a", "1"));
  const std::string path = dir_.path().string();
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Opens its own environment, takes a reader slot and dies without
    // releasing it (as after kill -9).
    MDB_env* e = nullptr;
    MDB_txn* t = nullptr;
    if (mdb_env_create(&e) != 0) _exit(2);
    mdb_env_set_maxdbs(e, 8);
    mdb_env_set_mapsize(e, env->stats().map_size);
    if (mdb_env_open(e, path.c_str(), MDB_NOTLS, 0640) != 0) _exit(3);
    if (mdb_txn_begin(e, nullptr, MDB_RDONLY, &t) != 0) _exit(4);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  auto cleared = env->clear_stale_readers();
  ASSERT_TRUE(cleared);
  EXPECT_EQ(*cleared, 1);
  EXPECT_EQ(*env->clear_stale_readers(), 0);
  EXPECT_TRUE(log_.contains("stale reader"));
}

TEST_F(LmdbEnvTest, FullQueueRefusesWithUnavailable) {
  auto o = test_options(dir_.path());
  o.max_pending_jobs = 2;
  auto env = open(o);
  auto dbi = *env->database("t");
  WriterHold hold(*env);
  std::vector<std::promise<Status>> results(3);
  for (int i = 0; i < 3; ++i) {
    env->write([&, i](WriteTxn& txn) { return txn.put(dbi, std::to_string(i), "v"); },
               [&, i](Status s) { results[i].set_value(std::move(s)); });
  }
  Status refused = results[2].get_future().get();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::unavailable);
  hold.release();
  EXPECT_TRUE(results[0].get_future().get());
  EXPECT_TRUE(results[1].get_future().get());
}

TEST_F(LmdbEnvTest, ClosingCommitsEveryQueuedJob) {
  auto env = open();
  auto dbi = *env->database("t");
  std::atomic<int> acked{0};
  {
    WriterHold hold(*env);
    for (int i = 0; i < 100; ++i) {
      env->write([&, i](WriteTxn& txn) { return txn.put(dbi, std::to_string(i), "v"); },
                 [&](Status s) {
                   if (s) ++acked;
                 });
    }
    hold.release();
  }
  env.reset();
  EXPECT_EQ(acked.load(), 100);
  auto reopened = open();
  auto dbi2 = *reopened->database("t");
  auto txn = reopened->read();
  EXPECT_EQ(*txn->count(dbi2), 100u);
}

TEST_F(LmdbEnvTest, MetricsTrackCommitsAndMapUsage) {
  auto env = open();
  auto dbi = *env->database("t");
  ASSERT_TRUE(put(*env, dbi, "a", "1"));
  EXPECT_GE(commits(), 1u);
  EXPECT_GT(metrics_.gauge("conflux_store_map_size_bytes", "", {}).value(), 0);
  EXPECT_GT(metrics_.gauge("conflux_store_map_used_bytes", "", {}).value(), 0);
  EXPECT_GE(metrics_.histogram("conflux_store_commit_jobs", "", {}, {}).count(), 1u);
}

}  // namespace
}  // namespace conflux::core::store
