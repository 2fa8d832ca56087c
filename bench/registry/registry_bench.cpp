// bench/registry — identify (key → thing) lookups per second (prints one JSON
// object):
//
//  1. cache:  RegistryService::identify, the in-memory cache every protocol
//             adapter uses (one thread, then --threads threads).
//  2. lmdb:   the same lookup through LMDB without the cache (a read
//             transaction, the unique key index, the row, decoding).
//  3. raw:    the ceiling in the same run: bare mdb_get on the key index
//             inside one long read transaction (no decoding, no txn cost).
// Keys are looked up in a shuffled order over --things things. Rates are per
// CPU second of the measuring thread(s) (per core), so a busy machine does not
// skew them.
//
//   registry_bench [--things N] [--lookups N] [--threads N] [--dir D]
//
// Thread-safety: single-threaded driver; the cache phase uses its own threads.
#include <lmdb.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "conflux/log.h"
#include "conflux/uuid.h"
#include "core/metrics/registry.h"
#include "core/registry/registry.h"
#include "core/registry/validation.h"
#include "core/store/lmdb_env.h"

namespace conflux::bench {
namespace {

namespace fs = std::filesystem;

struct Options {
  std::size_t things = 100000;
  std::size_t lookups = 5000000;
  unsigned threads = 2;
  fs::path dir = fs::temp_directory_path();
};

class QuietLogger final : public Logger {
 public:
  bool enabled(LogLevel level) const noexcept override { return level >= LogLevel::warn; }
  void write(LogLevel, std::string_view message) noexcept override {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(message.size()), message.data());
  }
};

class OneOrg final : public core::authz::OrgDirectory {
 public:
  Result<Role> org_role(std::string_view, std::string_view) noexcept override {
    return Role::owner;
  }
  Result<std::string> user_email(std::string_view) noexcept override {
    return std::string("bench@example.com");
  }
};

// CPU seconds used by the calling thread (the machine may be shared: rates
// are per core, measured in CPU time rather than wall time).
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--things") o.things = std::stoul(argv[i + 1]);
    if (flag == "--lookups") o.lookups = std::stoul(argv[i + 1]);
    if (flag == "--threads") o.threads = static_cast<unsigned>(std::stoul(argv[i + 1]));
    if (flag == "--dir") o.dir = argv[i + 1];
  }
  return o;
}

int run(const Options& o) {
  QuietLogger log;
  core::MetricsRegistry metrics;
  fs::path dir = o.dir / ("conflux-registry-bench-" + conflux::random_uuid());
  core::store::EnvOptions env_options;
  env_options.path = dir;
  env_options.sync = false;
  env_options.map_size = std::size_t{256} << 20;
  auto env = core::store::LmdbEnv::open(env_options, log, metrics);
  if (!env) return std::fprintf(stderr, "env: %s\n", env.error().message.c_str()), 1;
  auto registry = core::registry::RegistryService::open(**env, log);
  if (!registry) return std::fprintf(stderr, "registry: %s\n", registry.error().message.c_str()), 1;
  OneOrg orgs;
  (*registry)->set_org_directory(&orgs);
  auto& reg = **registry;

  Principal owner;
  owner.id = conflux::random_uuid();
  auto group = reg.create_group(owner, conflux::random_uuid(), GroupInput{"bench", "", "{}"});
  if (!group) return std::fprintf(stderr, "group: %s\n", group.error().message.c_str()), 1;
  auto profile = reg.create_profiles(
      group->id, {ProfileInput{"", "p", "{}", R"({"content_type":"application/senml+json"})"}});
  if (!profile) return 1;
  std::vector<std::string> keys;
  keys.reserve(o.things);
  for (std::size_t made = 0; made < o.things;) {
    std::vector<ThingInput> batch;
    for (std::size_t i = 0; i < 1000 && made < o.things; ++i, ++made)
      batch.push_back(ThingInput{"", "t" + std::to_string(made), "device", "", "", "{}"});
    auto things = reg.create_things(profile->front().id, batch);
    if (!things) return std::fprintf(stderr, "things: %s\n", things.error().message.c_str()), 1;
    for (auto& t : *things) keys.push_back(t.key);
  }
  std::mt19937_64 rng(42);
  std::shuffle(keys.begin(), keys.end(), rng);
  const std::size_t n = keys.size();
  // The shuffled keys packed in lookup order, as an adapter has a key in its
  // (hot) request buffer: the driver's own reads stay sequential.
  std::string packed;
  for (const auto& k : keys) packed += k;
  std::vector<std::string_view> views;
  views.reserve(n);
  for (std::size_t i = 0, at = 0; i < n; at += keys[i].size(), ++i)
    views.emplace_back(packed.data() + at, keys[i].size());

  // 1. cache, one thread
  std::size_t misses = 0;
  double start = thread_cpu_seconds();
  for (std::size_t i = 0; i < o.lookups; ++i)
    if (!reg.identify(KeyKind::internal, views[i % n])) ++misses;
  const double cache_rate = static_cast<double>(o.lookups) / (thread_cpu_seconds() - start);

  // 1b. cache, several threads
  std::atomic<std::size_t> mt_misses{0};
  start = process_cpu_seconds();
  {
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < o.threads; ++t)
      threads.emplace_back([&, t] {
        std::size_t local = 0;
        for (std::size_t i = 0; i < o.lookups; ++i)
          if (!reg.identify(KeyKind::internal, views[(i + t * 7919) % n])) ++local;
        mt_misses += local;
      });
    for (auto& th : threads) th.join();
  }
  // per core: lookups per CPU second summed over the threads
  const double cache_mt_rate =
      static_cast<double>(o.lookups) * o.threads / (process_cpu_seconds() - start);

  // 2. through LMDB without the cache
  const std::size_t lmdb_lookups = std::min<std::size_t>(o.lookups / 5, 1000000);
  start = thread_cpu_seconds();
  for (std::size_t i = 0; i < lmdb_lookups; ++i)
    if (!reg.thing_by_key_uncached(KeyKind::internal, views[i % n])) ++misses;
  const double lmdb_rate = static_cast<double>(lmdb_lookups) / (thread_cpu_seconds() - start);

  // 3. the ceiling: bare mdb_get on the key index in one read transaction
  auto dbi = (*env)->database("things.key");
  if (!dbi) return 1;
  double raw_rate = 0;
  {
    auto txn = (*env)->read();
    if (!txn) return 1;
    start = thread_cpu_seconds();
    for (std::size_t i = 0; i < o.lookups; ++i) {
      std::string_view k = views[i % n];
      MDB_val key{k.size(), const_cast<char*>(k.data())};
      MDB_val value;
      if (mdb_get(txn->raw(), *dbi, &key, &value) != 0) ++misses;
    }
    raw_rate = static_cast<double>(o.lookups) / (thread_cpu_seconds() - start);
  }

  std::printf(
      "{\"things\":%zu,\"lookups\":%zu,\"threads\":%u,\"misses\":%zu,"
      "\"cache_per_core_s\":%.0f,\"cache_threads_per_core_s\":%.0f,\"lmdb_per_core_s\":%.0f,"
      "\"raw_lmdb_get_per_core_s\":%.0f,\"cache_vs_raw\":%.2f,\"lmdb_vs_raw\":%.3f}\n",
      n, o.lookups, o.threads, misses + mt_misses.load(), cache_rate, cache_mt_rate, lmdb_rate,
      raw_rate, cache_rate / raw_rate, lmdb_rate / raw_rate);
  registry->reset();
  env->reset();
  std::error_code ec;
  fs::remove_all(dir, ec);
  return misses + mt_misses.load() == 0 ? 0 : 1;
}

}  // namespace
}  // namespace conflux::bench

int main(int argc, char** argv) { return conflux::bench::run(conflux::bench::parse(argc, argv)); }
