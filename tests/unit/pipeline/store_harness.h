// tests/unit/pipeline — StoreHarness: a real LMDB env, message store, outbox
// queues and a MessagePipeline on them, in a temporary (or given) directory,
// opened the way the runtime opens them. Also used by the crash test.
//
// Thread-safety: open/close from one thread; the members are thread-safe as
// documented by their own headers.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "conflux/testing.h"
#include "core/pipeline/message_pipeline.h"
#include "core/pipeline/store_commit_stage.h"
#include "core/store/lmdb_env.h"
#include "core/store/message_store.h"
#include "core/store/outbox_queues.h"
#include "tests/unit/store/store_test_support.h"

namespace conflux::core::testing {

// Temporary directories come from the store tests' support header.
using conflux::core::store::testing::TempDir;

struct HarnessOptions {
  std::chrono::milliseconds commit_interval{1};
  bool sync = false;
  PipelineOptions pipeline{.queue_size = 1000, .workers = 2, .max_batch = 64};
};

class StoreHarness {
 public:
  // Opens everything on `dir`; throws std::runtime_error with the reason.
  StoreHarness(const std::filesystem::path& dir, HarnessOptions options = {}) {
    store::EnvOptions env_options;
    env_options.path = dir;
    env_options.map_size = std::size_t{16} << 20;
    env_options.commit_interval = options.commit_interval;
    env_options.sync = options.sync;
    env = take(store::LmdbEnv::open(env_options, log, metrics));
    messages = take(store::MessageStore::open(*env, log, metrics));
    outbox = take(store::OutboxQueues::open(*env, clock));
    stage = std::make_unique<StoreCommitStage>(*env, *messages, *outbox);
    pipeline = std::make_unique<MessagePipeline>(options.pipeline, *stage, clock, metrics, log);
    pipeline->start();
  }
  ~StoreHarness() { close(); }

  // Stops the pipeline, then closes the store (env last).
  void close() {
    if (pipeline) pipeline->stop();
    pipeline.reset();
    stage.reset();
    outbox.reset();
    messages.reset();
    env.reset();
  }

  conflux::testing::FakeClock clock;
  conflux::testing::FakeMetrics metrics;
  conflux::testing::CaptureLogger log;
  std::unique_ptr<store::LmdbEnv> env;
  std::unique_ptr<store::MessageStore> messages;
  std::unique_ptr<store::OutboxQueues> outbox;
  std::unique_ptr<StoreCommitStage> stage;
  std::unique_ptr<MessagePipeline> pipeline;

 private:
  template <class T>
  static T take(Result<T> r) {
    if (!r) throw std::runtime_error(r.error().message);
    return std::move(*r);
  }
};

}  // namespace conflux::core::testing
