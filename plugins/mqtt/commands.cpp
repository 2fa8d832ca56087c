// plugins/mqtt — CommandDelivery: bus handler → outbox → broker.
#include "commands.h"

#include <future>
#include <stdexcept>

#include "topic_frame.h"
#include "topics.h"

namespace conflux::mqtt {

Result<OutboundMessage> decode_command_item(std::string_view item) {
  auto frame = decode_topic_frame(item);
  if (!frame) return fail(ErrorCode::invalid_argument, "command item: " + frame.error().message);
  return OutboundMessage{std::string(frame->topic), std::string(frame->payload), 1};
}

Result<std::unique_ptr<CommandDelivery>> CommandDelivery::start(
    CommandBus& bus, Outbox& outbox, ConfirmedPublisher& publisher, Clock& clock, Metrics& metrics,
    Logger& log, std::chrono::milliseconds commit_timeout) {
  std::unique_ptr<CommandDelivery> d(new CommandDelivery(bus));
  const char* help = "Commands for the broker, by outcome.";
  auto& accepted = metrics.counter("conflux_mqtt_commands_total", help, {{"result", "accepted"}});
  auto& refused = metrics.counter("conflux_mqtt_commands_total", help, {{"result", "refused"}});
  OutboundCounters counters;
  counters.delivered =
      &metrics.counter("conflux_mqtt_commands_total", help, {{"result", "delivered"}});
  counters.retried = &metrics.counter("conflux_mqtt_commands_total", help, {{"result", "retried"}});
  counters.dropped = &metrics.counter("conflux_mqtt_commands_total", help, {{"result", "dropped"}});
  OutboundOptions options;
  options.queue = std::string(kCommandsQueue);
  options.window = 128;
  d->queue_ = std::make_unique<OutboundQueue>(
      outbox, publisher, clock, log, std::move(options),
      [](const OutboxItem& item) { return decode_command_item(item.payload); }, counters);
  d->queue_->start();

  auto* queue = d->queue_.get();
  auto id = bus.subscribe("mqtt", [&outbox, queue, &accepted, &refused, &log,
                                   commit_timeout](const Command& c) {
    std::string topic = c.target == Command::Target::group
                            ? group_commands_topic(c.target_id, c.subtopic)
                            : thing_commands_topic(c.target_id, c.subtopic);
    auto committed = std::make_shared<std::promise<Result<std::uint64_t>>>();
    auto future = committed->get_future();
    outbox.enqueue(kCommandsQueue, encode_topic_frame(topic, c.payload), 0,
                   [committed](Result<std::uint64_t> r) { committed->set_value(std::move(r)); });
    std::string why;
    if (future.wait_for(commit_timeout) != std::future_status::ready) {
      why = "the outbox did not commit it in time";
    } else if (auto r = future.get(); !r) {
      why = r.error().message;
    }
    if (!why.empty()) {
      refused.inc();
      log.warn("command {} for {} not accepted: {}", c.id, c.target_id, why);
      throw std::runtime_error("MQTT cannot take the command: " + why);
    }
    accepted.inc();
    queue->wake();
  });
  if (!id) return std::unexpected(id.error());
  d->id_ = *id;
  return d;
}

void CommandDelivery::wake() noexcept { queue_->wake(); }

CommandDelivery::~CommandDelivery() {
  bus_.unsubscribe(id_);
  queue_->stop();
}

}  // namespace conflux::mqtt
