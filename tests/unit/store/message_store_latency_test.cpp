// tests/unit/store/message_store_latency_test.cpp — a local measurement,
// not an assertion: query latency for the newest 100 rows of one publisher
// (with its total) among many stored rows. Disabled by default; run with
//   CONFLUX_MSG_ROWS=10000000 build/tests/test_store_messages
//     --gtest_also_run_disabled_tests --gtest_filter='*Latency*'
// It prints p50/p99 for a publisher holding 1/100 of the rows and for one
// holding all of them.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "tests/unit/store/message_store_fixture.h"

namespace conflux::core::store {
namespace {

using namespace testing;
using Clock = std::chrono::steady_clock;

std::string publisher_id(int i) {
  char buf[37];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", i);
  return buf;
}

struct Percentiles {
  double p50_us = 0;
  double p99_us = 0;
  double over_1ms = 0;  // fraction of runs slower than 1 ms
};

Percentiles measure(StoreHarness& h, const MessageQuery& q, int runs) {
  std::vector<double> us;
  for (int i = 0; i < runs; ++i) {
    auto start = Clock::now();
    auto page = h.store->query(q);
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    EXPECT_TRUE(page && page->records.size() == 100u);
  }
  std::sort(us.begin(), us.end());
  double slow =
      static_cast<double>(std::count_if(us.begin(), us.end(), [](double v) { return v > 1000; }));
  return {us[us.size() / 2], us[us.size() * 99 / 100], slow / static_cast<double>(us.size())};
}

void load(StoreHarness& h, std::int64_t rows, int publishers) {
  constexpr int kRecordsPerMessage = 10;
  constexpr int kMessagesPerJob = 500;
  const std::int64_t messages = rows / kRecordsPerMessage;
  std::vector<Message> batch;
  std::vector<std::int64_t> next_time(static_cast<std::size_t>(publishers), kT0);
  for (std::int64_t m = 0; m < messages; ++m) {
    const int p = static_cast<int>(m % publishers);
    std::vector<SenmlRecord> records;
    for (int r = 0; r < kRecordsPerMessage; ++r) {
      records.push_back(
          record("sensor." + std::to_string(r), next_time[p], static_cast<double>(m)));
    }
    next_time[p] += kSecond;
    batch.push_back(senml_message(publisher_id(p), std::move(records)));
    if (batch.size() == kMessagesPerJob || m + 1 == messages) {
      h.append(batch);
      batch.clear();
    }
  }
}

TEST(MessageStoreLatency, DISABLED_NewestHundredOfOnePublisher) {
  const char* env_rows = std::getenv("CONFLUX_MSG_ROWS");
  const std::int64_t rows = env_rows ? std::atoll(env_rows) : 2'000'000;
  for (int publishers : {100, 1}) {
    StoreHarness h;
    auto start = Clock::now();
    load(h, rows, publishers);
    double load_s = std::chrono::duration<double>(Clock::now() - start).count();
    MessageQuery q;
    q.publishers = {publisher_id(0)};
    q.limit = 100;
    measure(h, q, 50);  // warm up
    auto newest = measure(h, q, 2000);
    q.publishers.clear();
    auto any = measure(h, q, 2000);
    auto total = h.store->query(MessageQuery{.publishers = {publisher_id(0)}})->total;
    std::printf(
        "rows=%lld publishers=%d (publisher 0 holds %llu) load=%.1fs (%.0f rows/s)\n"
        "  newest 100 of publisher 0 + total: p50=%.0fus p99=%.0fus (>1ms: %.2f%%)\n"
        "  newest 100 of any publisher + total: p50=%.0fus p99=%.0fus (>1ms: %.2f%%)\n",
        static_cast<long long>(rows), publishers, static_cast<unsigned long long>(total), load_s,
        static_cast<double>(rows) / load_s, newest.p50_us, newest.p99_us, newest.over_1ms * 100,
        any.p50_us, any.p99_us, any.over_1ms * 100);
  }
}

}  // namespace
}  // namespace conflux::core::store
