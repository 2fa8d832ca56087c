// plugins/mqtt — CommandDelivery: bus handler → outbox → broker.
#include "commands.h"

#include <future>
#include <stdexcept>

#include "topics.h"

namespace conflux::mqtt {

std::string encode_command_item(std::string_view topic, std::string_view payload) {
  std::string out;
  out.reserve(4 + topic.size() + payload.size());
  auto length = static_cast<std::uint32_t>(topic.size());
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((length >> (8 * i)) & 0xff));
  out.append(topic);
  out.append(payload);
  return out;
}

Result<OutboundMessage> decode_command_item(std::string_view item) {
  if (item.size() < 4) return fail(ErrorCode::invalid_argument, "command item too short");
  std::uint32_t length = 0;
  for (int i = 0; i < 4; ++i)
    length |= static_cast<std::uint32_t>(static_cast<unsigned char>(item[i])) << (8 * i);
  if (length == 0 || item.size() - 4 < length)
    return fail(ErrorCode::invalid_argument, "command item with a bad topic length");
  return OutboundMessage{std::string(item.substr(4, length)), std::string(item.substr(4 + length)),
                         1};
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
    outbox.enqueue(kCommandsQueue, encode_command_item(topic, c.payload), 0,
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
