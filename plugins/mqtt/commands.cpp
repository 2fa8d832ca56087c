// plugins/mqtt — CommandDelivery.
#include "commands.h"

#include "topics.h"

namespace conflux::mqtt {

Result<std::unique_ptr<CommandDelivery>> CommandDelivery::start(CommandBus& bus,
                                                                BrokerClient& client,
                                                                Metrics& metrics, Logger& log) {
  std::unique_ptr<CommandDelivery> d(new CommandDelivery(bus));
  const char* help = "Commands published to the broker.";
  auto& sent = metrics.counter("conflux_mqtt_commands_total", help, {{"result", "queued"}});
  auto& failed = metrics.counter("conflux_mqtt_commands_total", help, {{"result", "failed"}});
  auto id = bus.subscribe("mqtt", [&client, &sent, &failed, &log](const Command& c) {
    std::string topic = c.target == Command::Target::group
                            ? group_commands_topic(c.target_id, c.subtopic)
                            : thing_commands_topic(c.target_id, c.subtopic);
    auto status = client.publish(topic, c.payload, 1);
    if (status) {
      sent.inc();
    } else {
      failed.inc();
      log.warn("command {} for {} not delivered: {}", c.id, c.target_id, status.error().message);
    }
  });
  if (!id) return std::unexpected(id.error());
  d->id_ = *id;
  return d;
}

CommandDelivery::~CommandDelivery() { bus_.unsubscribe(id_); }

}  // namespace conflux::mqtt
