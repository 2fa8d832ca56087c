// Backpressure over real HTTP: a conflux process whose pipeline admits one
// publish at a time. A Lua transform that spins holds the first publish in
// the pipeline; a second publish meanwhile is answered 503 with an error
// body and stores nothing; once the first one is committed (202), publishing
// works again.
#include <chrono>
#include <future>
#include <thread>

#include "tests/integration/http_adapter_fixture.h"

namespace conflux::test {
namespace {

using namespace std::chrono_literals;

class HttpBackpressureTest : public HttpAdapterTest {
 protected:
  static void SetUpTestSuite() {
    auto options = process_options();
    options.env["CONFLUX_PIPELINE_QUEUE_SIZE"] = "1";
    options.env["CONFLUX_PIPELINE_WORKERS"] = "1";
    process_ = new ConfluxProcess(options);
    ASSERT_TRUE(process_->wait_ready()) << process_->log();
  }

  // The value of an unlabelled metric line "<name> <value>" of /metrics.
  double metric(std::string_view name) {
    auto r = call("GET", "/metrics", "");
    auto at = r.body.find("\n" + std::string(name) + " ");
    if (at == std::string::npos) return -1;
    return std::stod(r.body.substr(at + name.size() + 2));
  }
};

TEST_F(HttpBackpressureTest, FullPipelineAnswers503AndStoresNothing) {
  // Spins ~2 s of CPU time per message (the script's limit allows 8 s).
  auto script = call("POST", "/groups/" + group_ + "/scripts", owner_.token,
                     json{{"scripts",
                           {{{"name", "slow"},
                             {"timeout_ms", 8000},
                             {"script",
                              "function transform(msg)\n"
                              "  local start = os.clock()\n"
                              "  while os.clock() - start < 2 do end\n"
                              "  return msg\n"
                              "end\n"}}}}}
                         .dump());
  ASSERT_EQ(script.status, 201) << script.body;
  auto script_id = body_of(script)["scripts"][0].value("id", "");
  auto bind = call("POST", "/things/" + senml_thing_.id + "/scripts", owner_.token,
                   json{{"script_ids", {script_id}}}.dump());
  ASSERT_EQ(bind.status, 200) << bind.body;

  auto first = std::async(std::launch::async, [&] {
    return send(senml_thing_, R"([{"n":"first","v":1}])", {}, "application/senml+json");
  });
  // Wait until the first publish holds the pipeline's only place.
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (metric("conflux_pipeline_queue_depth") < 1 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(20ms);
  ASSERT_EQ(metric("conflux_pipeline_queue_depth"), 1) << process_->log();

  auto second = send(senml_thing_, R"([{"n":"second","v":2}])", {}, "application/senml+json");
  EXPECT_EQ(second.status, 503) << second.body;
  EXPECT_EQ(body_of(second), json({{"error", "pipeline full"}}));
  EXPECT_GE(metric("conflux_pipeline_rejected_total{reason=\"queue_full\"}"), 1);

  EXPECT_EQ(first.get().status, 202);
  auto page = read("/reader/senml?publisher=" + senml_thing_.id, owner_.token);
  ASSERT_EQ(page["messages"].size(), 1u) << page.dump();
  EXPECT_EQ(page["messages"][0]["name"], "first");

  // The place is free again: publishing is accepted (script unbound first,
  // so the test does not wait for another spin).
  auto unbind = call("PATCH", "/things/" + senml_thing_.id + "/scripts", owner_.token,
                     json{{"script_ids", {script_id}}}.dump());
  ASSERT_EQ(unbind.status, 200) << unbind.body;
  EXPECT_EQ(send(senml_thing_, R"([{"n":"third","v":3}])", {}, "application/senml+json").status,
            202);
  EXPECT_EQ(read("/reader/senml?publisher=" + senml_thing_.id, owner_.token)["total"], 2);
}

}  // namespace
}  // namespace conflux::test
