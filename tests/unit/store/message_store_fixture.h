// tests/unit/store/message_store_fixture.h — a MessageStore over a fresh
// LMDB environment in a temporary directory, and message builders.
//
// Thread-safety: single test thread (the env's writer runs the jobs).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "conflux/testing.h"
#include "core/store/message_store.h"
#include "tests/unit/store/store_test_support.h"

namespace conflux::core::store::testing {

inline constexpr const char* kThingA = "33eb28c3-4ca2-45c3-b1c5-d5d049c6c24e";
inline constexpr const char* kThingB = "7a1c9e52-0d3b-4f6e-8a21-5c4b3d2e1f00";
inline constexpr std::int64_t kSecond = 1'000'000'000;
inline constexpr std::int64_t kT0 = 1'700'000'000 * kSecond;  // 2023-11-14T22:13:20Z

// A store in its own directory; `reopen()` opens a second store (for
// restore tests) in another directory.
class StoreHarness {
 public:
  StoreHarness() { open(); }
  ~StoreHarness() {
    store.reset();
    env.reset();
  }

  void open() {
    env = open_env(test_options(dir.path()), log, metrics);
    ASSERT_TRUE(env);
    auto opened = MessageStore::open(*env, log, metrics);
    ASSERT_TRUE(opened) << opened.error().message;
    store = std::move(*opened);
  }

  // Appends `messages` in one write job.
  void append(const std::vector<Message>& messages) {
    auto s = env->write_sync([&](WriteTxn& txn) -> Status {
      for (const auto& m : messages) CONFLUX_RETURN_IF_ERROR(store->append(txn, m));
      return ok();
    });
    ASSERT_TRUE(s) << s.error().message;
  }

  MessagePage query(const MessageQuery& q) {
    auto page = store->query(q);
    EXPECT_TRUE(page) << page.error().message;
    return page ? *page : MessagePage{};
  }

  TempDir dir;
  conflux::testing::CaptureLogger log;
  conflux::testing::FakeMetrics metrics;
  std::unique_ptr<LmdbEnv> env;
  std::unique_ptr<MessageStore> store;
};

inline SenmlRecord record(std::string name, std::int64_t time, std::optional<double> value) {
  SenmlRecord r;
  r.name = std::move(name);
  r.time = time;
  r.value = value;
  return r;
}

inline Message senml_message(std::string publisher, std::vector<SenmlRecord> records,
                             std::string subtopic = "", std::string protocol = "http") {
  Message m;
  m.id = "5f8a0d2c-4b1e-4c3a-9d1f-" + std::to_string(100000000000 + records.front().time % 1000000);
  m.publisher = std::move(publisher);
  m.protocol = std::move(protocol);
  m.subtopic = std::move(subtopic);
  m.created = records.front().time + 1;
  m.format = MessageFormat::senml;
  m.records = std::move(records);
  return m;
}

inline Message json_message(std::string publisher, std::int64_t created, std::string doc,
                            std::string subtopic = "") {
  Message m;
  m.id = "msg-" + std::to_string(created);
  m.publisher = std::move(publisher);
  m.protocol = "mqtt";
  m.subtopic = std::move(subtopic);
  m.created = created;
  m.format = MessageFormat::json;
  m.json = std::move(doc);
  return m;
}

inline std::vector<std::int64_t> times_of(const MessagePage& page) {
  std::vector<std::int64_t> out;
  for (const auto& r : page.records)
    out.push_back(r.format == MessageFormat::json ? r.created : r.senml.time);
  return out;
}

}  // namespace conflux::core::store::testing
