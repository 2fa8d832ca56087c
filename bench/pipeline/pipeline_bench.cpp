// bench/pipeline — the pipeline benchmark driver (prints one JSON object):
//
//  1. ingest: SenML packs of 10 records published into the full pipeline
//     (format → store, durable group commit, fsync on) vs the ceiling: raw
//     batched LMDB puts (mdb_put, one fsync'd transaction per batch) of the
//     same encoded row bytes, measured in the same run on the same disk.
//     Alternating runs, best of each; reports records/s and the ratio.
//  2. query: latency of reading the newest 100 rows of one publisher among N
//     stored rows (1000 publishers), p50/p99 over many queries.
//
//   pipeline_bench [--packs N] [--rows N] [--queries N] [--repeat N] [--workers N]
//                  [--dir D]
// Environment: CONFLUX_BENCH_FULL=1 sets --rows 10000000 --packs 100000.
//
// Thread-safety: single-threaded driver; publishing uses its own threads.
#include <lmdb.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench/pipeline/bench_clock.h"
#include "conflux/log.h"
#include "core/messages/format.h"
#include "core/metrics/registry.h"
#include "core/pipeline/message_ids.h"
#include "core/pipeline/message_pipeline.h"
#include "core/pipeline/store_commit_stage.h"
#include "core/store/lmdb_env.h"
#include "core/store/message_codec.h"
#include "core/store/message_keys.h"
#include "core/store/message_store.h"
#include "core/store/outbox_queues.h"

namespace conflux::bench {
namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

struct Options {
  std::size_t packs = 30000;
  std::size_t rows = 500000;
  std::size_t queries = 2000;
  int repeat = 2;
  unsigned workers = 2;
  fs::path dir = fs::temp_directory_path();
};

class QuietLogger final : public Logger {
 public:
  bool enabled(LogLevel level) const noexcept override { return level >= LogLevel::warn; }
  void write(LogLevel, std::string_view message) noexcept override {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(message.size()), message.data());
  }
};

// CPU seconds (user + system) of each live thread of this process, busiest
// first: where a run's time went, readable on a loaded machine.
std::vector<double> thread_cpu_seconds() {
  std::vector<double> out;
  const double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
  for (const auto& task : fs::directory_iterator("/proc/self/task")) {
    std::FILE* f = std::fopen((task.path() / "stat").c_str(), "r");
    if (!f) continue;
    char buf[1024];
    std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    buf[n] = '\0';
    // Fields after the parenthesised name: state is field 3, utime 14, stime 15.
    const char* p = std::strrchr(buf, ')');
    if (!p) continue;
    unsigned long long utime = 0, stime = 0;
    if (std::sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
                    &stime) == 2)
      out.push_back(static_cast<double>(utime + stime) / tick);
  }
  std::sort(out.rbegin(), out.rend());
  return out;
}

// CPU seconds (user + system) of the whole process so far.
double process_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec * 1e-6; };
  return sec(u.ru_utime) + sec(u.ru_stime);
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "pipeline_bench: %s\n", what.c_str());
  std::exit(1);
}

template <class T>
T take(Result<T> r, const char* what) {
  if (!r) die(std::string(what) + ": " + r.error().message);
  return std::move(*r);
}

fs::path fresh_dir(const Options& o, const std::string& name) {
  auto p = o.dir / ("conflux-bench-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

std::vector<std::string> make_publishers(std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(core::new_message_id());
  return out;
}

// A realistic 10-record SenML pack with base fields.
std::string senml_pack(std::size_t i) {
  auto t = 1700000000 + static_cast<long long>(i);
  std::string s = "[{\"bn\":\"urn:dev:" + std::to_string(i % 1000) +
                  ":\",\"bt\":" + std::to_string(t) + ",\"bu\":\"Cel\",\"n\":\"temp0\",\"v\":21.5}";
  for (int r = 1; r < 10; ++r)
    s += ",{\"n\":\"temp" + std::to_string(r) + "\",\"t\":0." + std::to_string(r) +
         ",\"v\":" + std::to_string(20 + r) + "." + std::to_string(i % 10) + "}";
  return s + "]";
}

PublishRequest make_request(std::size_t i, const std::vector<std::string>& publishers) {
  PublishRequest r;
  r.message.publisher = publishers[i % publishers.size()];
  r.message.protocol = "http";
  r.message.subtopic = "bench";
  r.message.content_type = "application/senml+json";
  r.message.payload = senml_pack(i);
  r.message.created = 1700000000000000000LL + static_cast<std::int64_t>(i);
  r.profile.content_type = "application/senml+json";
  return r;
}

// Full pipeline: publish every request (retrying while full), wait for all acks.
double run_pipeline(const Options& o, std::vector<PublishRequest> requests,
                    double* avg_jobs_per_commit) {
  auto dir = fresh_dir(o, "pipeline");
  QuietLogger log;
  core::MetricsRegistry metrics;
  BenchClock clock;
  core::store::EnvOptions eo;
  eo.path = dir;
  eo.map_size = std::size_t{1} << 30;
  eo.sync = true;
  // The product defaults (storage.commit_interval 0: natural group commit,
  // storage.commit_batch 4096).
  eo.commit_interval = std::chrono::milliseconds(0);
  eo.commit_batch = 4096;
  auto env = take(core::store::LmdbEnv::open(eo, log, metrics), "open env");
  auto messages = take(core::store::MessageStore::open(*env, log, metrics), "open store");
  auto outbox = take(core::store::OutboxQueues::open(*env, clock), "open outbox");
  core::StoreCommitStage stage(*env, *messages, *outbox);
  core::MessagePipeline pipeline({.queue_size = 10000, .workers = o.workers}, stage, clock, metrics,
                                 log);
  pipeline.start();

  const std::size_t total = requests.size();
  std::atomic<std::size_t> acked{0}, failed{0};
  std::mutex mu;
  std::condition_variable cv;
  auto on_done = [&](Result<PublishReceipt> r) {
    if (!r) ++failed;
    if (++acked == total) {
      std::lock_guard lock(mu);
      cv.notify_all();
    }
  };
  const double cpu_started = process_cpu_seconds();
  auto started = Clock::now();
  std::vector<std::thread> publishers;
  for (int t = 0; t < 2; ++t)
    publishers.emplace_back([&, t] {
      for (std::size_t i = t; i < total; i += 2) {
        for (;;) {
          // Publishing never blocks: back off while the bounded queue is full.
          if (pipeline.in_flight() >= 9000) {
            std::this_thread::sleep_for(std::chrono::microseconds(200));
            continue;
          }
          pipeline.publish(std::move(requests[i]), on_done);
          break;
        }
      }
    });
  for (auto& p : publishers) p.join();
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return acked.load() == total; });
  }
  double elapsed = seconds_since(started);
  const double process_cpu = process_cpu_seconds() - cpu_started;
  auto cpu = thread_cpu_seconds();
  pipeline.stop();
  if (failed.load()) die(std::to_string(failed.load()) + " publishes failed");
  auto rendered = metrics.render();
  // conflux_store_commits_total / the job histogram are the env's; derive jobs per commit.
  auto value_of = [&](const std::string& name) -> double {
    auto pos = rendered.find("\n" + name + " ");
    if (pos == std::string::npos) return 0;
    return std::strtod(rendered.c_str() + pos + name.size() + 2, nullptr);
  };
  double commits = value_of("conflux_store_commits_total");
  double jobs = value_of("conflux_store_commit_jobs_sum");
  *avg_jobs_per_commit = commits > 0 ? jobs / commits : 0;
  std::fprintf(stderr, "  %.0f commits, %.0f store jobs, %.1f packs per job\n", commits, jobs,
               jobs > 0 ? static_cast<double>(total) / jobs : 0);
  // The main thread's share includes building the run's inputs and the ceiling.
  // Process CPU near 2 x wall means both cores were busy with the pipeline.
  std::fprintf(stderr, "  process cpu %.2f s over %.2f s wall;", process_cpu, elapsed);
  std::fprintf(stderr, " thread cpu (s, busiest first, main thread included):");
  for (double c : cpu) std::fprintf(stderr, " %.2f", c);
  std::fprintf(stderr, "\n");
  messages.reset();
  outbox.reset();
  env.reset();
  fs::remove_all(dir);
  return elapsed;
}

struct EncodedRow {
  core::store::RowKey key;
  std::string value;
};

// The rows the store writes for `requests`: key and encoded value bytes.
std::vector<EncodedRow> encode_rows(const std::vector<PublishRequest>& requests) {
  std::vector<EncodedRow> rows;
  rows.reserve(requests.size() * 10);
  std::uint64_t seq = 0;
  for (const auto& r : requests) {
    auto formatted = take(core::format_message(r.message, r.profile, r.message.created), "format");
    for (auto& m : formatted) {
      m.id = core::new_message_id();
      core::store::RowHeader header{m.publisher, m.id, m.subtopic, m.protocol, m.created};
      auto pk = core::store::publisher_key(m.publisher);
      for (const auto& rec : m.records) {
        EncodedRow row;
        row.key = core::store::make_row_key(pk, rec.time, ++seq);
        core::store::encode_senml_row(row.value, header, rec);
        rows.push_back(std::move(row));
      }
    }
  }
  return rows;
}

void check(int rc, const char* what) {
  if (rc != MDB_SUCCESS) die(std::string(what) + ": " + mdb_strerror(rc));
}

// The ceiling: raw mdb_put of the same bytes, fsync'd transactions of `batch` rows.
double run_ceiling(const Options& o, const std::vector<EncodedRow>& rows, std::size_t batch) {
  auto dir = fresh_dir(o, "ceiling");
  MDB_env* env = nullptr;
  check(mdb_env_create(&env), "mdb_env_create");
  check(mdb_env_set_mapsize(env, std::size_t{1} << 30), "mdb_env_set_mapsize");
  check(mdb_env_set_maxdbs(env, 4), "mdb_env_set_maxdbs");
  check(mdb_env_open(env, dir.c_str(), MDB_NOTLS, 0640), "mdb_env_open");
  MDB_dbi dbi;
  {
    MDB_txn* txn;
    check(mdb_txn_begin(env, nullptr, 0, &txn), "mdb_txn_begin");
    check(mdb_dbi_open(txn, "rows", MDB_CREATE, &dbi), "mdb_dbi_open");
    check(mdb_txn_commit(txn), "mdb_txn_commit");
  }
  const double cpu_started = process_cpu_seconds();
  auto started = Clock::now();
  for (std::size_t i = 0; i < rows.size(); i += batch) {
    MDB_txn* txn;
    check(mdb_txn_begin(env, nullptr, 0, &txn), "mdb_txn_begin");
    for (std::size_t j = i; j < std::min(rows.size(), i + batch); ++j) {
      MDB_val k{rows[j].key.size(), const_cast<std::uint8_t*>(rows[j].key.data())};
      MDB_val v{rows[j].value.size(), const_cast<char*>(rows[j].value.data())};
      check(mdb_put(txn, dbi, &k, &v, 0), "mdb_put");
    }
    check(mdb_txn_commit(txn), "mdb_txn_commit");
  }
  double elapsed = seconds_since(started);
  std::fprintf(stderr, "  ceiling: process cpu %.2f s over %.2f s wall\n",
               process_cpu_seconds() - cpu_started, elapsed);
  mdb_env_close(env);
  fs::remove_all(dir);
  return elapsed;
}

struct QueryResult {
  double p50_ms = 0, p99_ms = 0, populate_s = 0;
};

QueryResult run_queries(const Options& o) {
  auto dir = fresh_dir(o, "query");
  QuietLogger log;
  core::MetricsRegistry metrics;
  core::store::EnvOptions eo;
  eo.path = dir;
  eo.map_size = std::size_t{1} << 30;
  eo.sync = false;  // population speed is not what is measured
  eo.commit_interval = std::chrono::milliseconds(0);
  auto env = take(core::store::LmdbEnv::open(eo, log, metrics), "open env");
  auto messages = take(core::store::MessageStore::open(*env, log, metrics), "open store");
  auto publishers = make_publishers(1000);

  // Populate: messages of 10 records, 1000 messages per write job.
  auto started = Clock::now();
  const std::size_t total_messages = o.rows / 10;
  std::size_t written = 0;
  std::int64_t t0 = 1600000000LL * 1000000000LL;
  while (written < total_messages) {
    std::size_t n = std::min<std::size_t>(1000, total_messages - written);
    auto batch = std::make_shared<std::vector<Message>>();
    batch->reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      std::size_t k = written + i;
      Message m;
      m.id = core::new_message_id();
      m.publisher = publishers[k % publishers.size()];
      m.protocol = "mqtt";
      m.subtopic = "bench";
      m.created = t0 + static_cast<std::int64_t>(k) * 1000000;
      m.format = MessageFormat::senml;
      for (int r = 0; r < 10; ++r) {
        SenmlRecord rec;
        rec.name = "urn:dev:temp" + std::to_string(r);
        rec.unit = "Cel";
        rec.time = m.created + r;
        rec.value = 20.0 + r;
        m.records.push_back(std::move(rec));
      }
      batch->push_back(std::move(m));
    }
    auto status = env->write_sync([&, batch](core::store::WriteTxn& txn) -> Status {
      for (const auto& m : *batch) CONFLUX_RETURN_IF_ERROR(messages->append(txn, m));
      return ok();
    });
    if (!status) die("populate: " + status.error().message);
    written += n;
  }
  QueryResult out;
  out.populate_s = seconds_since(started);

  std::mt19937 rng(42);
  std::uniform_int_distribution<std::size_t> pick(0, publishers.size() - 1);
  std::vector<double> ms;
  ms.reserve(o.queries);
  for (std::size_t i = 0; i < o.queries; ++i) {
    MessageQuery q;
    q.publishers = {publishers[pick(rng)]};
    q.limit = 100;
    auto t = Clock::now();
    auto page = messages->query(q);
    ms.push_back(seconds_since(t) * 1000);
    if (!page) die("query: " + page.error().message);
    if (page->records.size() != std::min<std::size_t>(100, o.rows / publishers.size()))
      die("query returned " + std::to_string(page->records.size()) + " rows");
  }
  std::sort(ms.begin(), ms.end());
  out.p50_ms = ms[ms.size() / 2];
  out.p99_ms = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
  messages.reset();
  env.reset();
  fs::remove_all(dir);
  return out;
}

Options parse(int argc, char** argv) {
  Options o;
  if (const char* full = std::getenv("CONFLUX_BENCH_FULL"); full && std::string(full) == "1") {
    o.rows = 10000000;
    o.packs = 100000;
  }
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--packs")
      o.packs = std::stoul(v);
    else if (k == "--rows")
      o.rows = std::stoul(v);
    else if (k == "--queries")
      o.queries = std::stoul(v);
    else if (k == "--repeat")
      o.repeat = std::stoi(v);
    else if (k == "--workers")
      o.workers = static_cast<unsigned>(std::stoul(v));
    else if (k == "--dir")
      o.dir = v;
    else
      die("unknown option " + k);
  }
  return o;
}

}  // namespace
}  // namespace conflux::bench

int main(int argc, char** argv) {
  using namespace conflux::bench;
  auto o = parse(argc, argv);
  auto publishers = make_publishers(100);
  std::vector<conflux::PublishRequest> requests;
  requests.reserve(o.packs);
  for (std::size_t i = 0; i < o.packs; ++i) requests.push_back(make_request(i, publishers));
  auto rows = encode_rows(requests);
  const double records = static_cast<double>(rows.size());
  constexpr std::size_t kCeilingBatch = 10000;

  double best_pipeline = 1e100, best_ceiling = 1e100, jobs_per_commit = 0;
  for (int r = 0; r < o.repeat; ++r) {
    double c = run_ceiling(o, rows, kCeilingBatch);
    double jpc = 0;
    double p = run_pipeline(o, requests, &jpc);
    std::fprintf(
        stderr,
        "run %d: ceiling %.0f records/s, pipeline %.0f records/s (%.1f store jobs/commit)\n", r + 1,
        records / c, records / p, jpc);
    best_ceiling = std::min(best_ceiling, c);
    if (p < best_pipeline) {
      best_pipeline = p;
      jobs_per_commit = jpc;
    }
  }
  auto q = run_queries(o);
  std::fprintf(stderr, "query: %zu rows populated in %.1f s; p50 %.3f ms, p99 %.3f ms\n", o.rows,
               q.populate_s, q.p50_ms, q.p99_ms);
  std::printf(
      "{\"ingest\":{\"packs\":%zu,\"records\":%.0f,\"pipeline_records_per_s\":%.0f,"
      "\"ceiling_records_per_s\":%.0f,\"ratio\":%.3f,\"ceiling_batch_rows\":%zu,"
      "\"worker_batches_per_commit\":%.1f},"
      "\"query\":{\"stored_rows\":%zu,\"publishers\":1000,\"limit\":100,\"queries\":%zu,"
      "\"p50_ms\":%.3f,\"p99_ms\":%.3f}}\n",
      o.packs, records, records / best_pipeline, records / best_ceiling,
      best_ceiling / best_pipeline, kCeilingBatch, jobs_per_commit, o.rows, o.queries, q.p50_ms,
      q.p99_ms);
  return 0;
}
