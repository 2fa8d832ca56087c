// ScriptsService: management (create, list, find, update, remove, assign,
// unassign) on a real LMDB env, the transform hook (profile then thing
// scripts, error policies, metrics, run log), codecs through the SDK
// interface, reloading from storage, and hot reload under load through the
// real MessagePipeline (no message lost, none transformed twice).
// Thread-safety: the hot reload test publishes from several threads.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "core/scripting/scripts_service.h"
#include "tests/unit/pipeline/pipeline_fixture.h"
#include "tests/unit/pipeline/store_harness.h"
#include "tests/unit/scripting/script_test_support.h"
#include "tests/unit/store/store_test_support.h"

namespace conflux::core::scripting {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace testing;

ScriptDraft draft(std::string name, std::string source) {
  ScriptDraft d;
  d.name = std::move(name);
  d.source = std::move(source);
  return d;
}

// Appends `tag` to every record name.
std::string tagger(const std::string& tag) {
  return "function transform(msg)\n"
         "  for _, r in ipairs(msg.records) do r.n = r.n .. '" +
         tag +
         "' end\n"
         "  return msg\n"
         "end\n";
}

class ScriptsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = store::testing::open_env(store::testing::test_options(dir_.path()), log_, metrics_);
    ASSERT_TRUE(env_);
    open_service();
  }
  void open_service() {
    service_.reset();
    auto s = ScriptsService::open(*env_, clock_, metrics_, log_);
    ASSERT_TRUE(s) << s.error().message;
    service_ = *s;
  }
  std::vector<Message> hook(Message m) {
    auto r = service_->transform(std::move(m));
    EXPECT_TRUE(r) << r.error().message;
    return r ? std::move(*r) : std::vector<Message>{};
  }
  std::uint64_t runs(const char* result) {
    return metrics_.counter_value("conflux_scripts_runs_total", {{"result", result}});
  }

  store::testing::TempDir dir_;
  conflux::testing::CaptureLogger log_;
  conflux::testing::FakeMetrics metrics_;
  conflux::testing::FakeClock clock_;
  std::unique_ptr<store::LmdbEnv> env_;
  std::shared_ptr<ScriptsService> service_;
};

TEST_F(ScriptsServiceTest, CreateGetListFindUpdateRemove) {
  auto a = service_->create("g1", draft("b-script", tagger(".b")));
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->revision, 1u);
  EXPECT_EQ(a->timeout_ms, 10u);
  EXPECT_EQ(a->memory_bytes, 8u << 20);
  EXPECT_EQ(a->policy, ScriptPolicy::pass);
  auto b = service_->create("g1", draft("a-script", tagger(".a")));
  ASSERT_TRUE(b);
  ASSERT_TRUE(service_->create("g2", draft("a-script", tagger(".x"))));

  auto dup = service_->create("g1", draft("a-script", tagger(".z")));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::already_exists);

  auto page = service_->list("g1", 0, 10);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 2u);
  ASSERT_EQ(page->scripts.size(), 2u);
  EXPECT_EQ(page->scripts[0].name, "a-script");
  auto second = service_->list("g1", 1, 10);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->scripts.size(), 1u);
  EXPECT_EQ(second->scripts[0].name, "b-script");

  auto found = service_->find("g1", "b-script");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, a->id);
  EXPECT_EQ(service_->find("g1", "nope").error().code, ErrorCode::not_found);

  auto d = draft("b-script", tagger(".b2"));
  d.timeout_ms = 50;
  d.policy = ScriptPolicy::drop;
  auto updated = service_->update(a->id, d);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->revision, 2u);
  auto got = service_->get(a->id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->source, tagger(".b2"));
  EXPECT_EQ(got->timeout_ms, 50u);
  EXPECT_EQ(got->policy, ScriptPolicy::drop);

  EXPECT_EQ(service_->update(a->id, draft("a-script", tagger("x"))).error().code,
            ErrorCode::already_exists);
  ASSERT_TRUE(service_->remove(a->id));
  EXPECT_EQ(service_->get(a->id).error().code, ErrorCode::not_found);
  EXPECT_EQ(service_->remove(a->id).error().code, ErrorCode::not_found);
}

TEST_F(ScriptsServiceTest, BadDraftsAndUncompilableScriptsStoreNothing) {
  auto bad =
      service_->create("g1", draft("broken", "function transform(msg)\n  return msg +\nend"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
  EXPECT_THAT(bad.error().message, HasSubstr("broken:3:"));
  EXPECT_EQ(service_->list("g1", 0, 10)->total, 0u);

  auto d = draft("x", tagger(".x"));
  d.timeout_ms = 0;
  EXPECT_EQ(service_->create("g1", d).error().code, ErrorCode::invalid_argument);
  d.timeout_ms = 10;
  d.memory_bytes = 1024;
  EXPECT_EQ(service_->create("g1", d).error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(service_->create("g1", draft("", tagger(".x"))).error().code,
            ErrorCode::invalid_argument);
  EXPECT_EQ(service_->create("", draft("x", tagger(".x"))).error().code,
            ErrorCode::invalid_argument);

  // A failed update leaves the stored version and the running one alone.
  auto ok = service_->create("g1", draft("good", tagger(".1")));
  ASSERT_TRUE(ok);
  ASSERT_TRUE(service_->assign(ScriptTarget::thing, "thing-1", {ok->id}));
  auto upd = service_->update(ok->id, draft("good", "function transform(msg) retur msg end"));
  ASSERT_FALSE(upd);
  EXPECT_THAT(upd.error().message, HasSubstr("good:1:"));
  EXPECT_EQ(service_->get(ok->id)->revision, 1u);
  auto out = hook(senml_message({record("t", 1)}));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].records[0].name, "t.1");
}

TEST_F(ScriptsServiceTest, ProfileScriptsRunBeforeThingScripts) {
  auto p = service_->create("g1", draft("profile", tagger(".p")));
  auto t1 = service_->create("g1", draft("thing-1", tagger(".t1")));
  auto t2 = service_->create("g1", draft("thing-2", tagger(".t2")));
  ASSERT_TRUE(p && t1 && t2);
  ASSERT_TRUE(service_->assign(ScriptTarget::thing, "thing-1", {t1->id, t2->id}));
  ASSERT_TRUE(service_->assign(ScriptTarget::profile, "profile-1", {p->id}));
  ASSERT_TRUE(service_->assign(ScriptTarget::thing, "thing-1", {t1->id}));  // already: kept

  auto out = hook(senml_message({record("t", 1)}));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].records[0].name, "t.p.t1.t2");

  auto other = hook(senml_message({record("t", 1)}, "thing-9"));
  EXPECT_EQ(other[0].records[0].name, "t.p") << "profile script applies to all its things";

  EXPECT_THAT(*service_->targets(t1->id, ScriptTarget::thing), ElementsAre("thing-1"));
  EXPECT_THAT(*service_->targets(p->id, ScriptTarget::profile), ElementsAre("profile-1"));
  auto attached = service_->attached(ScriptTarget::thing, "thing-1");
  ASSERT_TRUE(attached);
  ASSERT_EQ(attached->size(), 2u);
  EXPECT_EQ((*attached)[0].name, "thing-1");

  ASSERT_TRUE(service_->unassign(ScriptTarget::thing, "thing-1", {t1->id}));
  EXPECT_EQ(hook(senml_message({record("t", 1)}))[0].records[0].name, "t.p.t2");
  EXPECT_EQ(service_->assign(ScriptTarget::thing, "thing-1", {"unknown"}).error().code,
            ErrorCode::not_found);

  // Removing a script removes its bindings.
  ASSERT_TRUE(service_->remove(t2->id));
  EXPECT_EQ(hook(senml_message({record("t", 1)}))[0].records[0].name, "t.p");
  EXPECT_TRUE(service_->attached(ScriptTarget::thing, "thing-1")->empty());
}

TEST_F(ScriptsServiceTest, ErrorPoliciesPassOrDropAndAreRecorded) {
  const char* failing =
      "function transform(msg)\n"
      "  conflux.log('warn', 'about to fail')\n"
      "  error('boom')\n"
      "end\n";
  auto pass = service_->create("g1", draft("passes", failing));
  auto d = draft("drops", failing);
  d.policy = ScriptPolicy::drop;
  auto drop = service_->create("g1", d);
  ASSERT_TRUE(pass && drop);
  ASSERT_TRUE(service_->assign(ScriptTarget::thing, "thing-p", {pass->id}));
  ASSERT_TRUE(service_->assign(ScriptTarget::thing, "thing-d", {drop->id}));

  auto in = senml_message({record("t", 1)}, "thing-p");
  auto out = hook(in);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], in) << "pass: the original goes through";
  EXPECT_TRUE(hook(senml_message({record("t", 1)}, "thing-d")).empty()) << "drop";

  EXPECT_EQ(runs("error"), 2u);
  EXPECT_EQ(metrics_.counter_value("conflux_scripts_dropped_total"), 1u);
  EXPECT_TRUE(log_.contains("passes")) << "logged with the script name";
  EXPECT_TRUE(log_.contains("passes:3: boom")) << "and line";

  auto runs_p = service_->thing_runs("thing-p", 10);
  ASSERT_TRUE(runs_p);
  ASSERT_EQ(runs_p->size(), 1u);
  const auto& run = (*runs_p)[0];
  EXPECT_EQ(run.script_id, pass->id);
  EXPECT_EQ(run.status, "error");
  EXPECT_EQ(run.function, "transform");
  EXPECT_THAT(run.error, HasSubstr("passes:3: boom"));
  EXPECT_THAT(run.logs, ElementsAre("about to fail"));
  EXPECT_EQ(service_->script_runs(drop->id, 10)->size(), 1u);
  EXPECT_EQ(service_->script_runs("unknown", 10).error().code, ErrorCode::not_found);

  // A deadline is a failure like any other; the next message goes through.
  auto loop =
      service_->create("g1", draft("loops",
                                   "function transform(msg)\n"
                                   "  if msg.subtopic == 'loop' then while true do end end\n"
                                   "  msg.subtopic = 'done' return msg\n"
                                   "end\n"));
  ASSERT_TRUE(loop);
  ASSERT_TRUE(service_->assign(ScriptTarget::thing, "thing-l", {loop->id}));
  auto m = senml_message({record("t", 1)}, "thing-l");
  m.subtopic = "loop";
  EXPECT_EQ(hook(m).at(0).subtopic, "loop");
  EXPECT_EQ(runs("timeout"), 1u);
  EXPECT_EQ(hook(senml_message({record("t", 1)}, "thing-l")).at(0).subtopic, "done");
}

TEST_F(ScriptsServiceTest, CodecsThroughTheSdkInterface) {
  auto codec = service_->create(
      "g1", draft("codec",
                  "function decode(bytes, meta)\n"
                  "  return {{n = 'temp', v = string.unpack('>i2', bytes) / 10, u = 'Cel'}}\n"
                  "end\n"
                  "function encode(records, meta)\n"
                  "  return string.pack('>i2', math.floor(records[1].v * 10 + 0.5)), {port = 2}\n"
                  "end\n"));
  ASSERT_TRUE(codec) << codec.error().message;
  conflux::Scripts& api = *service_;
  auto decoded = api.decode(codec->id, std::string("\x01\x10", 2), "");
  ASSERT_TRUE(decoded) << decoded.error().message;
  ASSERT_EQ(decoded->records.size(), 1u);
  EXPECT_DOUBLE_EQ(*decoded->records[0].value, 27.2);
  auto encoded = api.encode(codec->id, decoded->records, "{}");
  ASSERT_TRUE(encoded);
  EXPECT_EQ(encoded->bytes, std::string("\x01\x10", 2));
  EXPECT_EQ(encoded->meta_json, R"({"port":2})");
  EXPECT_EQ(api.decode("unknown", "x", "").error().code, ErrorCode::not_found);
  auto bad = api.decode(codec->id, "x", "");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
  EXPECT_THAT(bad.error().message, HasSubstr("codec:2:"));
}

TEST_F(ScriptsServiceTest, ScriptsAndBindingsSurviveAReopen) {
  auto s = service_->create("g1", draft("kept", tagger(".k")));
  ASSERT_TRUE(s);
  ASSERT_TRUE(service_->assign(ScriptTarget::profile, "profile-1", {s->id}));
  open_service();
  EXPECT_EQ(service_->get(s->id)->name, "kept");
  EXPECT_EQ(hook(senml_message({record("t", 1)}))[0].records[0].name, "t.k");
}

TEST(ScriptsHotReloadTest, UpdatesUnderLoadLoseNothingAndApplyOneVersion) {
  store::testing::TempDir dir;
  core::testing::HarnessOptions options;
  options.pipeline.workers = 2;
  options.pipeline.max_batch = 16;
  core::testing::StoreHarness h(dir.path(), options);
  auto service = ScriptsService::open(*h.env, h.clock, h.metrics, h.log);
  ASSERT_TRUE(service) << service.error().message;
  auto script = (*service)->create("g1", draft("reloaded", tagger(":v1")));
  ASSERT_TRUE(script);
  ASSERT_TRUE((*service)->assign(ScriptTarget::thing, "thing-1", {script->id}));
  h.pipeline->set_transform_hook(*service);

  std::mutex mu;
  std::map<std::string, int> seen;  // record name → times delivered
  auto sub = h.pipeline->subscribe({"collector", false, {}}, [&](const Message& m) {
    std::lock_guard lock(mu);
    for (const auto& r : m.records) ++seen[r.name];
  });
  ASSERT_TRUE(sub);

  constexpr int kThreads = 3;
  constexpr int kPerThread = 300;
  std::atomic<int> published{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> publishers;
  for (int t = 0; t < kThreads; ++t) {
    publishers.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto req = core::testing::request(
            R"([{"n":"m)" + std::to_string(t) + "_" + std::to_string(i) + R"(","v":1}])",
            core::testing::senml_profile(), "thing-1");
        auto r = core::testing::publish_sync(*h.pipeline, std::move(req));
        if (r)
          ++published;
        else
          ++failed;
      }
    });
  }
  // Update while the publishers run.
  int version = 1;
  while (published.load() + failed.load() < kThreads * kPerThread && version < 40) {
    ++version;
    auto u =
        (*service)->update(script->id, draft("reloaded", tagger(":v" + std::to_string(version))));
    ASSERT_TRUE(u) << u.error().message;
  }
  for (auto& t : publishers) t.join();
  h.pipeline->stop();

  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(published.load(), kThreads * kPerThread);
  EXPECT_GT(version, 2) << "updates happened during the run";
  std::lock_guard lock(mu);
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kThreads * kPerThread)) << "none lost";
  std::set<int> versions;
  for (const auto& [name, count] : seen) {
    EXPECT_EQ(count, 1) << name << " delivered more than once";
    // Exactly one ":v<N>" suffix: transformed by exactly one version, once.
    auto first = name.find(":v");
    ASSERT_NE(first, std::string::npos) << name << " not transformed";
    EXPECT_EQ(name.find(":v", first + 1), std::string::npos) << name << " transformed twice";
    versions.insert(std::stoi(name.substr(first + 2)));
  }
  EXPECT_GE(versions.size(), 1u);
}

}  // namespace
}  // namespace conflux::core::scripting
