// tests/unit/pipeline — the runtime's storage wiring: Services opens the
// env, stores and pipeline from Settings and hands each plugin its
// interfaces; a storage that cannot be opened fails with a clear message;
// the Runtime starts and stops with them; the retention task deletes old
// messages when its timer fires.
// Thread-safety: ManualClock is thread-safe; tests drive everything from
// the test thread.
#include "core/runtime/services.h"

#include <gtest/gtest.h>

#include <fstream>

#include "conflux/kv_store.h"
#include "conflux/message_reader.h"
#include "conflux/outbox.h"
#include "conflux/testing.h"
#include "core/runtime/retention_task.h"
#include "core/runtime/runtime.h"
#include "tests/unit/pipeline/pipeline_fixture.h"
#include "tests/unit/pipeline/store_harness.h"

namespace conflux::core {
namespace {

using testing::publish_sync;
using testing::request;
using testing::senml_pack;
using testing::senml_profile;
using testing::TempDir;

Settings settings_for(const std::filesystem::path& dir) {
  Settings s;
  s.storage_path = dir;
  s.storage.map_size = std::size_t{8} << 20;
  s.storage.commit_interval = std::chrono::milliseconds(1);
  s.storage.sync = false;
  s.pipeline_queue_size = 100;
  s.pipeline_workers = 2;
  return s;
}

class ServicesTest : public ::testing::Test {
 protected:
  conflux::testing::FakeClock clock_;
  conflux::testing::FakeMetrics metrics_;
  conflux::testing::CaptureLogger log_;
};

TEST_F(ServicesTest, EachPluginGetsItsInterfaces) {
  TempDir dir;
  auto services = Services::open(settings_for(dir.path()), clock_, metrics_, log_);
  ASSERT_TRUE(services) << services.error().message;
  auto& s = **services;

  auto* pipeline_a = static_cast<Pipeline*>(s.find_interface("a", Pipeline::kInterfaceName));
  auto* pipeline_b = static_cast<Pipeline*>(s.find_interface("b", Pipeline::kInterfaceName));
  ASSERT_NE(pipeline_a, nullptr);
  EXPECT_NE(pipeline_a, pipeline_b);
  EXPECT_EQ(pipeline_a, s.find_interface("a", Pipeline::kInterfaceName)) << "stable per plugin";

  auto* reader = static_cast<MessageReader*>(s.find_interface("a", MessageReader::kInterfaceName));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader, s.find_interface("b", MessageReader::kInterfaceName));

  auto* kv_a = static_cast<KvStore*>(s.find_interface("a", KvStore::kInterfaceName));
  auto* kv_b = static_cast<KvStore*>(s.find_interface("b", KvStore::kInterfaceName));
  ASSERT_NE(kv_a, nullptr);
  ASSERT_NE(kv_b, nullptr);
  ASSERT_TRUE(kv_a->write_sync({{"k", std::string("from a")}}));
  EXPECT_EQ(kv_a->get("k").value(), std::optional<std::string>("from a"));
  EXPECT_EQ(kv_b->get("k").value(), std::nullopt) << "namespaces are separate";

  EXPECT_NE(s.find_interface("a", Outbox::kInterfaceName), nullptr);
  EXPECT_EQ(s.find_interface("a", "conflux.unknown.v1"), nullptr);
  EXPECT_EQ(s.find_interface("bad/name", KvStore::kInterfaceName), nullptr);

  auto res = publish_sync(*pipeline_a, request(senml_pack(2), senml_profile()));
  ASSERT_TRUE(res) << res.error().message;
  MessageQuery q;
  q.publishers = {"7d6f2a58-5c1e-4b36-9d7e-1f0a2b3c4d5e"};
  auto page = reader->query(q);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 2u);
}

TEST_F(ServicesTest, DurableSubscriptionOfAPluginIsDrainedThroughItsOutbox) {
  TempDir dir;
  auto services = Services::open(settings_for(dir.path()), clock_, metrics_, log_);
  ASSERT_TRUE(services);
  auto& s = **services;
  auto* pipeline = static_cast<Pipeline*>(s.find_interface("hooks", Pipeline::kInterfaceName));
  auto* outbox = static_cast<Outbox*>(s.find_interface("hooks", Outbox::kInterfaceName));
  ASSERT_TRUE(pipeline->subscribe({.name = "hooks-all", .durable = true}, [](const Message&) {}));
  ASSERT_TRUE(publish_sync(*pipeline, request(senml_pack(1), senml_profile())));
  auto items = outbox->claim("subscription:hooks-all", 10, std::chrono::seconds(10));
  ASSERT_TRUE(items) << items.error().message;
  EXPECT_EQ(items->size(), 1u);
}

TEST_F(ServicesTest, StopDrainsAndRefusesFurtherPublishes) {
  TempDir dir;
  auto services = Services::open(settings_for(dir.path()), clock_, metrics_, log_);
  ASSERT_TRUE(services);
  auto& s = **services;
  std::atomic<int> answered{0};
  for (int i = 0; i < 50; ++i)
    s.pipeline().publish(request(senml_pack(1), senml_profile()), [&](auto) { ++answered; });
  s.stop();
  EXPECT_EQ(answered.load(), 50);
  auto late = publish_sync(s.pipeline(), request(senml_pack(1), senml_profile()));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::unavailable);
}

TEST_F(ServicesTest, UnopenableStorageFailsWithThePath) {
  TempDir dir;
  auto file = dir.path() / "not-a-dir";
  std::ofstream(file) << "x";
  auto services = Services::open(settings_for(file / "data"), clock_, metrics_, log_);
  ASSERT_FALSE(services);
  EXPECT_NE(services.error().message.find("cannot open storage at"), std::string::npos)
      << services.error().message;
  EXPECT_NE(services.error().message.find((file / "data").string()), std::string::npos);
}

TEST(RuntimeStorageTest, RuntimeStartsAndStopsWithStorageAndPipeline) {
  TempDir dir;
  RuntimeOptions options;
  options.environment = {{"CONFLUX_STORAGE_PATH", (dir.path() / "data").string()},
                         {"CONFLUX_HTTP_LISTEN", "127.0.0.1:0"},
                         {"CONFLUX_PLUGINS_DIR", (dir.path() / "no-plugins").string()},
                         {"CONFLUX_STORAGE_SYNC", "false"},
                         {"CONFLUX_LOG_LEVEL", "warn"}};
  auto runtime = Runtime::create(std::move(options));
  ASSERT_TRUE(runtime) << runtime.error().message;
  ASSERT_TRUE((*runtime)->start());
  auto* services = (*runtime)->services();
  ASSERT_NE(services, nullptr);
  auto res = publish_sync(services->pipeline(), request(senml_pack(1), senml_profile()));
  ASSERT_TRUE(res) << res.error().message;
  (*runtime)->stop();
  EXPECT_EQ((*runtime)->services(), nullptr);
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "data" / "data.mdb"));
}

TEST(RuntimeStorageTest, UnwritableStoragePathFailsTheStart) {
  TempDir dir;
  std::ofstream(dir.path() / "file") << "x";
  RuntimeOptions options;
  options.environment = {{"CONFLUX_STORAGE_PATH", (dir.path() / "file" / "data").string()},
                         {"CONFLUX_HTTP_LISTEN", "127.0.0.1:0"},
                         {"CONFLUX_PLUGINS_DIR", (dir.path() / "no-plugins").string()},
                         {"CONFLUX_LOG_LEVEL", "off"}};
  auto runtime = Runtime::create(std::move(options));
  ASSERT_TRUE(runtime);
  auto started = (*runtime)->start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message.find("storage"), std::string::npos) << started.error().message;
}

// A clock whose timers fire only when the test says so; thread-safe.
class ManualClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const noexcept override {
    return std::chrono::system_clock::time_point(std::chrono::seconds(now_s_.load()));
  }
  std::chrono::steady_clock::time_point monotonic() const noexcept override { return {}; }
  TimerId call_after(std::chrono::nanoseconds, std::function<void()> cb) noexcept override {
    std::lock_guard lock(mu_);
    timers_.emplace_back(++next_, std::move(cb));
    return next_;
  }
  bool cancel(TimerId id) noexcept override {
    std::lock_guard lock(mu_);
    return std::erase_if(timers_, [id](const auto& t) { return t.first == id; }) > 0;
  }
  void set_now_s(std::int64_t s) { now_s_ = s; }
  // Runs the timers pending now (not those they schedule).
  void fire() {
    std::vector<std::pair<TimerId, std::function<void()>>> due;
    {
      std::lock_guard lock(mu_);
      due.swap(timers_);
    }
    for (auto& [id, cb] : due) cb();
  }

 private:
  std::atomic<std::int64_t> now_s_{1'700'000'000};
  std::mutex mu_;
  TimerId next_ = 0;
  std::vector<std::pair<TimerId, std::function<void()>>> timers_;
};

TEST(RetentionTaskTest, DeletesOldRowsInCappedStepsWhenTheTimerFires) {
  TempDir dir;
  testing::StoreHarness h(dir.path());
  // 30 rows stored at the harness clock's time (1.7e9 s).
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(publish_sync(*h.pipeline, request(senml_pack(3, i), senml_profile())));
  ManualClock clock;
  clock.set_now_s(1'700'000'000 + 7200);  // two hours later
  RetentionTask task({.max_age = std::chrono::hours(1), .max_rows_per_step = 7}, clock, *h.messages,
                     h.log);
  EXPECT_EQ(task.deleted(), 0u) << "nothing before the timer";
  clock.fire();
  for (int i = 0; i < 500 && task.deleted() < 30; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(task.deleted(), 30u) << "steps of 7 continue until done";
  MessageQuery q;
  auto page = h.messages->query(q);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 0u);
  task.stop();
}

TEST(RetentionTaskTest, DisabledWithoutLimits) {
  TempDir dir;
  testing::StoreHarness h(dir.path());
  ManualClock clock;
  RetentionTask task({}, clock, *h.messages, h.log);
  clock.fire();
  EXPECT_EQ(task.deleted(), 0u);
}

}  // namespace
}  // namespace conflux::core
