// plugins/mqtt — Republisher.
#include "republish.h"

#include "senml_text.h"
#include "topics.h"

namespace conflux::mqtt {

Result<std::unique_ptr<Republisher>> Republisher::start(Pipeline& pipeline, BrokerClient& client,
                                                        std::string pattern, int qos,
                                                        Metrics& metrics, Logger& log) {
  std::unique_ptr<Republisher> r(new Republisher(pipeline));
  auto& sent =
      metrics.counter("conflux_mqtt_republished_total",
                      "Processed messages republished to the broker.", {{"result", "queued"}});
  auto& failed =
      metrics.counter("conflux_mqtt_republished_total",
                      "Processed messages republished to the broker.", {{"result", "failed"}});
  SubscriptionOptions options;
  options.name = "mqtt-republish";
  auto id = pipeline.subscribe(
      std::move(options), [&client, pattern, qos, &sent, &failed, &log](const Message& m) {
        auto status = client.publish(render_topic(pattern, m), normalized_body(m), qos);
        if (status) {
          sent.inc();
        } else {
          failed.inc();
          log.debug("republish of message {} failed: {}", m.id, status.error().message);
        }
      });
  if (!id) return std::unexpected(id.error());
  r->id_ = *id;
  return r;
}

Republisher::~Republisher() { pipeline_.unsubscribe(id_); }

}  // namespace conflux::mqtt
