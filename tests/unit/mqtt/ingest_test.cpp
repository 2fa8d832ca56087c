#include "plugins/mqtt/ingest.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <future>
#include <thread>

#include "conflux/testing.h"
#include "fake_services.h"
#include "plugins/mqtt/session_journal.h"
#include "plugins/mqtt/topic_frame.h"

namespace conflux::mqtt {
namespace {

using namespace std::chrono_literals;

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mqtt-ingest-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    inbound_ = std::move(*InboundLog::open(dir_ / "inbound", false));
    things_.add("t1", "k1", "g1", R"({"tasmota":"plug1"})", "ext-key-1");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Ingest> make(std::size_t max_in_flight = 8,
                               std::vector<BridgeRule> bridges = {}) {
    return std::make_unique<Ingest>(pipeline_, things_, *inbound_, host_.clock(), host_.logger(),
                                    host_.metrics(), max_in_flight, std::move(bridges));
  }
  void deliver(Ingest& ingest, std::string topic, std::string payload) {
    ingest.on_message(std::move(topic), std::move(payload));
  }
  std::uint64_t counter(const char* result) {
    return host_.metrics().counter_value("conflux_mqtt_messages_total", {{"result", result}});
  }

  std::filesystem::path dir_;
  conflux::testing::FakeHost host_;
  testing::FakeThings things_;
  testing::ManualPipeline pipeline_;
  std::unique_ptr<InboundLog> inbound_;
};

TEST_F(IngestTest, AMessageIsPublishedAsTheTopicsThingAndReleasedAfterTheCommit) {
  auto ingest = make();
  deliver(*ingest, "things/t1/messages/room/temp", R"([{"n":"t","v":1}])");
  ASSERT_EQ(pipeline_.pending(), 1u);
  auto req = pipeline_.front();
  EXPECT_EQ(req.message.publisher, "t1");
  EXPECT_EQ(req.message.group, "g1");
  EXPECT_EQ(req.message.protocol, "mqtt");
  EXPECT_EQ(req.message.subtopic, "room.temp");
  EXPECT_EQ(req.message.payload, R"([{"n":"t","v":1}])");
  EXPECT_EQ(req.profile.content_type, "application/senml+json");
  EXPECT_EQ(inbound_->size(), 1u);  // not committed yet
  pipeline_.complete(PublishReceipt{{"m1"}, 1, true});
  EXPECT_EQ(inbound_->size(), 0u);
  EXPECT_EQ(counter("stored"), 1u);
  EXPECT_EQ(ingest->in_flight(), 0u);
}

TEST_F(IngestTest, UnknownThingsAndForeignTopicsAreCountedAndReleased) {
  auto ingest = make();
  deliver(*ingest, "things/nobody/messages", "[]");
  deliver(*ingest, "some/other/topic", "[]");
  deliver(*ingest, "things/t1/messages/bad%zz", "[]");
  EXPECT_EQ(pipeline_.pending(), 0u);
  EXPECT_EQ(inbound_->size(), 0u);
  EXPECT_EQ(counter("unknown_thing"), 1u);
  EXPECT_EQ(counter("unrouted"), 1u);
  EXPECT_EQ(counter("malformed"), 1u);
  EXPECT_TRUE(host_.capture().contains("nobody"));
}

// A message that routes nowhere is dropped before the inbound log is
// touched: the file does not grow (a valid message held in flight keeps the
// file non-empty, so a record and its later removal would show).
TEST_F(IngestTest, MessagesThatRouteNowhereCostNoInboundLogWrite) {
  auto ingest = make(8, {{.topic = "zigbee2mqtt/+", .thing_level = 2, .codec = "abc"}});
  deliver(*ingest, "things/t1/messages", "[]");
  ASSERT_EQ(pipeline_.pending(), 1u);
  auto bytes = std::filesystem::file_size(dir_ / "inbound");
  ASSERT_GT(bytes, 0u);
  deliver(*ingest, "some/other/topic", "[]");
  deliver(*ingest, "things//messages", "[]");
  deliver(*ingest, "things/nobody/messages", "[]");
  deliver(*ingest, "things/t1/messages/bad%zz", "[]");
  deliver(*ingest, "things/t1/messages/+", "[]");
  deliver(*ingest, "zigbee2mqtt/nobody", "{}");
  deliver(*ingest, "zigbee2mqtt/ext-key-1", "{}");  // the codec needs scripting: none here
  EXPECT_EQ(std::filesystem::file_size(dir_ / "inbound"), bytes);
  EXPECT_EQ(inbound_->size(), 1u);
  EXPECT_EQ(pipeline_.pending(), 1u);
  EXPECT_EQ(counter("unrouted"), 2u);
  EXPECT_EQ(counter("unknown_thing"), 2u);
  EXPECT_EQ(counter("malformed"), 3u);
  // A valid message is still recorded before it is published.
  deliver(*ingest, "things/t1/messages/room", "[]");
  EXPECT_GT(std::filesystem::file_size(dir_ / "inbound"), bytes);
  EXPECT_EQ(inbound_->size(), 2u);
}

// Start-up recovery: the readable entries are returned for delivery; an
// unreadable one is counted, logged with its key and removed.
TEST_F(IngestTest, RecoveryCountsLogsAndRemovesUnreadableEntries) {
  inbound_.reset();
  {
    auto journal = std::move(*SessionJournal::open(dir_ / "inbound"));
    ASSERT_TRUE(journal->update({}, "m-0000000000000001",
                                {encode_topic_frame("things/t1/messages", "[]")}));
    ASSERT_TRUE(journal->update({}, "m-0000000000000002", {std::string("\x7f\0\0\0x", 5)}));
  }
  inbound_ = std::move(*InboundLog::open(dir_ / "inbound", false));
  auto ingest = make();
  auto recovered = ingest->recover();
  ASSERT_EQ(recovered.size(), 1u);
  EXPECT_EQ(recovered[0].topic, "things/t1/messages");
  EXPECT_EQ(counter("unreadable"), 1u);
  EXPECT_TRUE(host_.capture().contains("m-0000000000000002"));
  EXPECT_EQ(inbound_->size(), 1u);
  // Not seen again by the next recovery (nor the next start).
  EXPECT_TRUE(ingest->recover().size() == 1u);
  EXPECT_EQ(counter("unreadable"), 1u);
  // The readable one is delivered and leaves the log after its commit.
  InboundLog* log = inbound_.get();
  ASSERT_TRUE(ingest->deliver(recovered[0].topic, recovered[0].payload,
                              [log, key = recovered[0].key] { log->remove(key); }));
  pipeline_.complete(PublishReceipt{{"m1"}, 1, true});
  EXPECT_EQ(inbound_->size(), 0u);
}

TEST_F(IngestTest, AMalformedPayloadIsCountedLoggedWithTheThingAndReleased) {
  auto ingest = make();
  deliver(*ingest, "things/t1/messages", "not json");
  pipeline_.complete(fail(ErrorCode::invalid_argument, "record 0: not SenML"));
  EXPECT_EQ(inbound_->size(), 0u);
  EXPECT_EQ(counter("malformed"), 1u);
  EXPECT_TRUE(host_.capture().contains("thing t1"));
}

TEST_F(IngestTest, AFullPipelineIsRetriedWhileTheMessageIsHeld) {
  auto ingest = make();
  deliver(*ingest, "things/t1/messages", "[]");
  pipeline_.complete(fail(ErrorCode::unavailable, "pipeline full"));
  EXPECT_EQ(pipeline_.pending(), 0u);
  EXPECT_EQ(inbound_->size(), 1u);
  EXPECT_EQ(ingest->in_flight(), 1u);
  host_.clock().advance(10s);  // the backoff timer fires
  ASSERT_EQ(pipeline_.pending(), 1u);
  EXPECT_EQ(pipeline_.front().message.publisher, "t1");
  pipeline_.complete(PublishReceipt{{"m1"}, 0, true});
  EXPECT_EQ(inbound_->size(), 0u);
  EXPECT_EQ(host_.metrics().counter_value("conflux_mqtt_pipeline_retries_total"), 1u);
}

TEST_F(IngestTest, OnMessageBlocksAtTheInFlightBound) {
  auto ingest = make(2);
  deliver(*ingest, "things/t1/messages", "[]");
  deliver(*ingest, "things/t1/messages", "[]");
  auto third =
      std::async(std::launch::async, [&] { ingest->on_message("things/t1/messages", "[]"); });
  EXPECT_EQ(third.wait_for(100ms), std::future_status::timeout);
  EXPECT_EQ(pipeline_.pending(), 2u);
  pipeline_.complete(PublishReceipt{{"m1"}, 0, true});
  third.get();
  EXPECT_EQ(pipeline_.pending(), 2u);
  EXPECT_EQ(ingest->in_flight(), 2u);
}

TEST_F(IngestTest, StoppingKeepsUncommittedMessagesInTheJournal) {
  auto ingest = make(1);
  deliver(*ingest, "things/t1/messages", "[]");
  auto blocked =
      std::async(std::launch::async, [&] { ingest->on_message("things/t1/messages", "[]"); });
  EXPECT_EQ(blocked.wait_for(50ms), std::future_status::timeout);
  ingest->begin_stop();
  blocked.get();
  pipeline_.complete(fail(ErrorCode::unavailable, "pipeline is stopping"));
  EXPECT_TRUE(ingest->wait_idle(1s));
  // Both stay recorded: the next start feeds them to the pipeline again.
  auto pending = inbound_->recover().messages;
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].topic, "things/t1/messages");
}

TEST_F(IngestTest, ABridgeRuleMapsATasmotaTopicToAThingByMetadata) {
  BridgeRule rule{.topic = "tele/+/SENSOR",
                  .thing_level = 2,
                  .metadata_field = "tasmota",
                  .content_type = "application/json",
                  .subtopic = "energy"};
  auto ingest = make(8, {rule});
  deliver(*ingest, "tele/plug1/SENSOR", R"({"ENERGY":{"Power":12}})");
  deliver(*ingest, "tele/unknown/SENSOR", "{}");
  ASSERT_EQ(pipeline_.pending(), 1u);
  auto req = pipeline_.front();
  EXPECT_EQ(req.message.publisher, "t1");
  EXPECT_EQ(req.message.subtopic, "energy");
  EXPECT_EQ(req.profile.content_type, "application/json");
  EXPECT_EQ(counter("unknown_thing"), 1u);
}

TEST_F(IngestTest, ABridgeRuleMapsByExternalKey) {
  auto ingest = make(8, {{.topic = "zigbee2mqtt/+", .thing_level = 2}});
  deliver(*ingest, "zigbee2mqtt/ext-key-1", "{}");
  ASSERT_EQ(pipeline_.pending(), 1u);
  EXPECT_EQ(pipeline_.front().message.publisher, "t1");
}

TEST_F(IngestTest, ACodecRuleWithoutScriptingDropsTheMessage) {
  auto ingest = make(8, {{.topic = "zigbee2mqtt/+", .thing_level = 2, .codec = "abc"}});
  deliver(*ingest, "zigbee2mqtt/ext-key-1", "{}");
  EXPECT_EQ(pipeline_.pending(), 0u);
  EXPECT_EQ(counter("malformed"), 1u);
  EXPECT_EQ(inbound_->size(), 0u);
}

}  // namespace
}  // namespace conflux::mqtt
