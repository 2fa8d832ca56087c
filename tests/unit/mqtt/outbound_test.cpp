// tests/unit/mqtt — OutboundQueue, CommandDelivery and Republisher against
// an in-memory outbox and a publisher whose confirmations the test gives:
// an item leaves the outbox only after the broker confirmed it, failures are
// retried, nothing is claimed while disconnected, a stop keeps what is
// unconfirmed, commands are committed before the bus handler returns.
#include "plugins/mqtt/outbound.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "conflux/testing.h"
#include "outbound_fakes.h"
#include "plugins/mqtt/commands.h"
#include "plugins/mqtt/republish.h"
#include "plugins/mqtt/topic_frame.h"

namespace conflux::mqtt {
namespace {

using namespace std::chrono_literals;
using testing::eventually;

class OutboundTest : public ::testing::Test {
 protected:
  std::unique_ptr<OutboundQueue> make(OutboundDecoder decode = nullptr) {
    OutboundOptions options;
    options.queue = "q";
    options.window = 4;
    options.poll = 5ms;
    options.retry_initial = 1ms;
    options.retry_max = 2ms;
    if (!decode)
      decode = [](const OutboxItem& item) -> Result<OutboundMessage> {
        if (item.payload == "bad") return fail(ErrorCode::invalid_argument, "unreadable");
        return OutboundMessage{"t/" + item.payload, item.payload, 1};
      };
    OutboundCounters counters;
    counters.delivered = &host_.metrics().counter("delivered", "", {});
    counters.retried = &host_.metrics().counter("retried", "", {});
    counters.dropped = &host_.metrics().counter("dropped", "", {});
    return std::make_unique<OutboundQueue>(outbox_, publisher_, clock_, host_.logger(),
                                           std::move(options), std::move(decode), counters);
  }
  void put(std::string payload) { outbox_.enqueue("q", std::move(payload), 0, nullptr); }
  std::uint64_t counter(const char* name) { return host_.metrics().counter_value(name, {}); }

  conflux::testing::FakeHost host_;
  testing::WallClock clock_;
  testing::MemoryOutbox outbox_{clock_};
  testing::ManualPublisher publisher_;
};

TEST_F(OutboundTest, AnItemLeavesTheOutboxOnlyAfterTheBrokerConfirmedIt) {
  put("a");
  auto queue = make();
  queue->start();
  ASSERT_TRUE(publisher_.wait_sent(1));
  EXPECT_EQ(outbox_.items("q").size(), 1u);  // sent, not confirmed
  EXPECT_EQ(queue->in_flight(), 1u);
  auto sent = publisher_.answer(ok());
  EXPECT_EQ(sent.topic, "t/a");
  EXPECT_EQ(sent.payload, "a");
  EXPECT_EQ(sent.qos, 1);
  EXPECT_TRUE(outbox_.items("q").empty());
  EXPECT_EQ(counter("delivered"), 1u);
  EXPECT_EQ(queue->in_flight(), 0u);
}

TEST_F(OutboundTest, AFailedPublishIsRetriedAndDeliveredLater) {
  put("a");
  auto queue = make();
  queue->start();
  ASSERT_TRUE(publisher_.wait_sent(1));
  publisher_.answer(fail(ErrorCode::unavailable, "connection lost"));
  auto items = outbox_.items("q");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].attempts, 1u);
  EXPECT_EQ(items[0].last_error, "connection lost");
  clock_.advance(1s);  // the retry falls due
  ASSERT_TRUE(publisher_.wait_sent(1));
  EXPECT_EQ(publisher_.answer(ok()).topic, "t/a");
  EXPECT_TRUE(outbox_.items("q").empty());
  EXPECT_EQ(counter("retried"), 1u);
  EXPECT_EQ(counter("delivered"), 1u);
}

TEST_F(OutboundTest, NothingIsSentWhileDisconnectedAndEverythingAfterTheReconnect) {
  publisher_.set_connected(false);
  put("a");
  put("b");
  auto queue = make();
  queue->start();
  queue->wake();
  std::this_thread::sleep_for(30ms);  // several polls
  EXPECT_EQ(outbox_.claims(), 0);
  EXPECT_EQ(counter("retried"), 0u);
  publisher_.set_connected(true);
  queue->wake();
  ASSERT_TRUE(publisher_.wait_sent(2));
  EXPECT_EQ(publisher_.answer(ok()).topic, "t/a");
  EXPECT_EQ(publisher_.answer(ok()).topic, "t/b");
  EXPECT_TRUE(outbox_.items("q").empty());
}

TEST_F(OutboundTest, APublishTheClientRefusesIsRescheduled) {
  publisher_.set_refuse(true);
  put("a");
  auto queue = make();
  queue->start();
  ASSERT_TRUE(eventually([&] { return counter("retried") >= 1; }));
  EXPECT_EQ(outbox_.items("q").size(), 1u);
  EXPECT_GE(outbox_.items("q")[0].attempts, 1u);
  publisher_.set_refuse(false);
  clock_.advance(1s);
  ASSERT_TRUE(publisher_.wait_sent(1));
  publisher_.answer(ok());
  EXPECT_TRUE(outbox_.items("q").empty());
}

TEST_F(OutboundTest, AtMostTheWindowIsUnconfirmed) {
  for (int i = 0; i < 10; ++i) put(std::to_string(i));
  auto queue = make();
  queue->start();
  ASSERT_TRUE(publisher_.wait_sent(4));
  EXPECT_EQ(publisher_.unanswered(), 4u);
  for (int delivered = 0; delivered < 10; ++delivered) {
    ASSERT_TRUE(publisher_.wait_sent(1));
    EXPECT_LE(publisher_.unanswered(), 4u);
    publisher_.answer(ok());
  }
  EXPECT_TRUE(outbox_.items("q").empty());
  EXPECT_EQ(counter("delivered"), 10u);
}

TEST_F(OutboundTest, AnUnreadableItemGoesToTheDeadLetters) {
  put("bad");
  put("good");
  auto queue = make();
  queue->start();
  ASSERT_TRUE(publisher_.wait_sent(1));
  EXPECT_EQ(publisher_.answer(ok()).topic, "t/good");
  auto dead = outbox_.dead_letters("q", 10);
  ASSERT_TRUE(dead);
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].payload, "bad");
  EXPECT_EQ(counter("dropped"), 1u);
}

TEST_F(OutboundTest, AStopKeepsWhatIsUnconfirmedForTheNextStart) {
  put("a");
  auto queue = make();
  queue->start();
  ASSERT_TRUE(publisher_.wait_sent(1));
  queue->stop();
  publisher_.answer(ok());  // late: ignored, the item stays
  EXPECT_EQ(outbox_.items("q").size(), 1u);
  queue.reset();

  outbox_.drop_leases();  // a restart
  auto again = make();
  again->start();
  ASSERT_TRUE(publisher_.wait_sent(1));
  EXPECT_EQ(publisher_.answer(ok()).topic, "t/a");
  EXPECT_TRUE(outbox_.items("q").empty());
}

// A bus that calls its one handler synchronously and reports a throw.
class OneHandlerBus final : public CommandBus {
 public:
  Result<std::size_t> publish(Command command) noexcept override {
    try {
      handler_(command);
      return std::size_t{1};
    } catch (const std::exception& e) {
      return fail(ErrorCode::unavailable, e.what());
    }
  }
  Result<CommandSubscriptionId> subscribe(std::string_view name,
                                          CommandHandler handler) noexcept override {
    name_ = std::string(name);
    handler_ = std::move(handler);
    return CommandSubscriptionId{7};
  }
  void unsubscribe(CommandSubscriptionId) noexcept override { handler_ = nullptr; }
  std::string name_;
  CommandHandler handler_;
};

TEST(CommandItem, RoundTripsTheTopicAndTheBytes) {
  std::string payload("a\0b", 3);
  auto m = decode_command_item(encode_topic_frame("things/t1/commands", payload));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->topic, "things/t1/commands");
  EXPECT_EQ(m->payload, payload);
  EXPECT_EQ(m->qos, 1);
  EXPECT_FALSE(decode_command_item("ab"));
  EXPECT_FALSE(decode_command_item(std::string("\x09\0\0\0abc", 7)));
}

TEST_F(OutboundTest, ACommandIsCommittedBeforeTheBusHandlerReturnsThenDelivered) {
  OneHandlerBus bus;
  publisher_.set_connected(false);  // the broker is away
  auto delivery =
      CommandDelivery::start(bus, outbox_, publisher_, clock_, host_.metrics(), host_.logger());
  ASSERT_TRUE(delivery);
  EXPECT_EQ(bus.name_, "mqtt");
  Command c;
  c.target = Command::Target::thing;
  c.target_id = "t1";
  c.subtopic = "relay.1";
  c.payload = R"({"on":true})";
  ASSERT_TRUE(bus.publish(c));
  auto items = outbox_.items(kCommandsQueue);
  ASSERT_EQ(items.size(), 1u);  // on disk when the publish returned

  publisher_.set_connected(true);
  (*delivery)->wake();
  ASSERT_TRUE(publisher_.wait_sent(1));
  auto sent = publisher_.answer(ok());
  EXPECT_EQ(sent.topic, "things/t1/commands/relay/1");
  EXPECT_EQ(sent.payload, R"({"on":true})");
  EXPECT_EQ(sent.qos, 1);
  EXPECT_TRUE(outbox_.items(kCommandsQueue).empty());
  EXPECT_EQ(host_.metrics().counter_value("conflux_mqtt_commands_total", {{"result", "delivered"}}),
            1u);

  c.target = Command::Target::group;
  c.target_id = "g1";
  c.subtopic = "";
  ASSERT_TRUE(bus.publish(c));
  ASSERT_TRUE(publisher_.wait_sent(1));
  EXPECT_EQ(publisher_.answer(ok()).topic, "groups/g1/commands");
}

TEST_F(OutboundTest, ACommandTheOutboxCannotTakeFailsThePublish) {
  OneHandlerBus bus;
  auto delivery =
      CommandDelivery::start(bus, outbox_, publisher_, clock_, host_.metrics(), host_.logger());
  ASSERT_TRUE(delivery);
  outbox_.fail_enqueue(true);
  Command c;
  c.target_id = "t1";
  c.payload = "x";
  auto published = bus.publish(c);
  ASSERT_FALSE(published);
  EXPECT_EQ(published.error().code, ErrorCode::unavailable);
  EXPECT_NE(published.error().message.find("disk full"), std::string::npos);
  EXPECT_TRUE(outbox_.items(kCommandsQueue).empty());
  EXPECT_EQ(host_.metrics().counter_value("conflux_mqtt_commands_total", {{"result", "refused"}}),
            1u);
}

// A pipeline whose durable subscription fills the outbox queue
// "subscription:<name>" when the test "commits" a message.
class DurablePipeline final : public Pipeline {
 public:
  explicit DurablePipeline(Outbox& outbox) : outbox_(outbox) {}
  void publish(PublishRequest, PublishCallback) noexcept override {}
  Result<SubscriptionId> subscribe(SubscriptionOptions options,
                                   MessageHandler handler) noexcept override {
    options_ = std::move(options);
    handler_ = std::move(handler);
    return SubscriptionId{3};
  }
  void unsubscribe(SubscriptionId) noexcept override { handler_ = nullptr; }
  void commit(const std::string& item, const Message& m) {
    outbox_.enqueue("subscription:" + options_.name, item, 0, nullptr);
    if (handler_) handler_(m);
  }
  Outbox& outbox_;
  SubscriptionOptions options_;
  MessageHandler handler_;
};

constexpr const char* kSenmlItem =
    R"({"v":1,"id":"m1","publisher":"t1","group":"g1","profile":"p1","protocol":"http",)"
    R"("subtopic":"room.1","content_type":"application/senml+json","created":5,)"
    R"("format":"senml","records":[{"name":"dev:temp","unit":"Cel","time":1500000000,)"
    R"("value":21.5,"update_time":0},{"name":"on","time":2000000000,"bool_value":true,)"
    R"("update_time":0}]})";
constexpr const char* kJsonItem =
    R"({"v":1,"id":"m2","publisher":"t2","group":"g1","profile":"p1","protocol":"mqtt",)"
    R"("subtopic":"","content_type":"application/json","created":6,"format":"json",)"
    R"("json":{"z":1,"a":{"json":2.50}}})";

TEST(SubscriptionItem, DecodesSenmlAndKeepsJsonDocumentsAsStored) {
  auto m = decode_subscription_item(kSenmlItem);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->id, "m1");
  EXPECT_EQ(m->publisher, "t1");
  EXPECT_EQ(m->subtopic, "room.1");
  EXPECT_EQ(m->created, 5);
  ASSERT_EQ(m->format, MessageFormat::senml);
  ASSERT_EQ(m->records.size(), 2u);
  EXPECT_EQ(m->records[0].name, "dev:temp");
  EXPECT_EQ(m->records[0].unit, "Cel");
  EXPECT_EQ(m->records[0].time, 1500000000);
  EXPECT_EQ(m->records[0].value, 21.5);
  EXPECT_EQ(m->records[1].bool_value, true);

  auto j = decode_subscription_item(kJsonItem);
  ASSERT_TRUE(j) << j.error().message;
  EXPECT_EQ(j->format, MessageFormat::json);
  EXPECT_EQ(j->json, R"({"z":1,"a":{"json":2.50}})");

  EXPECT_FALSE(decode_subscription_item("[1]"));
  EXPECT_FALSE(decode_subscription_item(R"({"v":2,"format":"senml","records":[]})"));
  EXPECT_FALSE(decode_subscription_item(R"({"v":"1","format":"senml","records":[]})"));  // no throw
  EXPECT_FALSE(decode_subscription_item(R"({"v":1,"format":"xml"})"));
}

TEST_F(OutboundTest, RepublishIsADurableSubscriptionDrainedOnConfirmation) {
  DurablePipeline pipeline(outbox_);
  publisher_.set_connected(false);
  auto republisher = Republisher::start(pipeline, outbox_, publisher_, clock_,
                                        "conflux/things/{thing_id}/messages/{subtopic}", 1,
                                        host_.metrics(), host_.logger());
  ASSERT_TRUE(republisher);
  EXPECT_EQ(pipeline.options_.name, "mqtt-republish");
  EXPECT_TRUE(pipeline.options_.durable);
  Message m;
  pipeline.commit(kSenmlItem, m);
  pipeline.commit(kJsonItem, m);
  EXPECT_EQ(outbox_.items("subscription:mqtt-republish").size(), 2u);

  publisher_.set_connected(true);
  (*republisher)->wake();
  ASSERT_TRUE(publisher_.wait_sent(2));
  auto first = publisher_.answer(ok());
  EXPECT_EQ(first.topic, "conflux/things/t1/messages/room/1");
  EXPECT_EQ(first.qos, 1);
  auto body = nlohmann::json::parse(first.payload);
  ASSERT_TRUE(body.is_array()) << first.payload;
  EXPECT_EQ(body.at(0).at("n"), "dev:temp");
  EXPECT_EQ(body.at(0).at("v"), 21.5);
  EXPECT_EQ(outbox_.items("subscription:mqtt-republish").size(), 1u);
  auto second = publisher_.answer(ok());
  EXPECT_EQ(second.payload, R"({"z":1,"a":{"json":2.50}})");
  EXPECT_TRUE(outbox_.items("subscription:mqtt-republish").empty());
}

}  // namespace
}  // namespace conflux::mqtt
