// tests/integration — the child of the pipeline crash test: opens the LMDB
// env, message store and pipeline directly (no HTTP) on a data dir and
// publishes SenML messages from several threads until killed, printing each
// acknowledged message id on its own line (flushed) after the success
// callback.
//
//   pipeline_crash_child <data-dir> <publisher-id> [threads]
//
// Prints "ready" once the store is open. Exits 2 on a start-up error.
// Thread-safety: stdout lines are written under one mutex.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/unit/pipeline/pipeline_fixture.h"
#include "tests/unit/pipeline/store_harness.h"

namespace {

std::mutex out_mu;

void print_line(const std::string& line) {
  std::lock_guard lock(out_mu);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  using conflux::PublishReceipt;
  using conflux::Result;
  namespace testing = conflux::core::testing;
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <data-dir> <publisher-id> [threads]\n", argv[0]);
    return 2;
  }
  std::string dir = argv[1], publisher = argv[2];
  int threads = argc > 3 ? std::atoi(argv[3]) : 4;

  std::unique_ptr<testing::StoreHarness> harness;
  try {
    // Durable commits, as in production (storage.sync = true).
    harness = std::make_unique<testing::StoreHarness>(
        dir, testing::HarnessOptions{.commit_interval = std::chrono::milliseconds(2),
                                     .sync = true,
                                     .pipeline = {.queue_size = 512, .workers = 2}});
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cannot open the store: %s\n", e.what());
    return 2;
  }
  print_line("ready");

  std::vector<std::thread> publishers;
  for (int t = 0; t < threads; ++t)
    publishers.emplace_back([&, t] {
      for (long i = 0;; ++i) {
        auto req =
            testing::request(testing::senml_pack(3, static_cast<double>(t * 1000 + i % 1000)),
                             testing::senml_profile(), publisher);
        harness->pipeline->publish(std::move(req), [](Result<PublishReceipt> r) {
          if (r) print_line(r->message_ids.at(0));
        });
        // Keep a bounded number in flight (refusals are simply not printed).
        while (harness->pipeline->in_flight() > 256)
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    });
  for (auto& p : publishers) p.join();
  return 0;
}
