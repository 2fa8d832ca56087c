// plugins/mqtt — the MQTT protocol plugin: a Paho MQTT C client of a real
// broker (Mosquitto, EMQX, ...). Ingests things/{id}/messages[/...] and
// bridge topics into the pipeline (recorded in the inbound log until
// after the durable commit), serves the broker's auth/ACL hooks, republishes
// processed messages. See plugins/mqtt/README.md and docs/mqtt.md.
//
// Thread-safety: describe/start/stop from the host's thread; the parts are
// thread-safe as their headers say.
#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>

#include "broker_auth.h"
#include "broker_client.h"
#include "commands.h"
#include "conflux/conflux.h"
#include "inbound_log.h"
#include "ingest.h"
#include "outage_logger.h"
#include "republish.h"
#include "settings.h"
#include "topics.h"

namespace conflux::mqtt {
namespace {

std::string file_safe(std::string_view id) {
  std::string out;
  for (char c : id) {
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.';
    out.push_back(safe ? c : '_');
  }
  return out;
}

// Earlier versions kept Paho's client persistence in <client_id>.journal:
// copies of outgoing messages that are also in the outbox (which sends them
// again), so the file (and its compaction's temporary) is only a source of
// duplicates now.
void remove_paho_journal(const std::filesystem::path& file, Logger& log) {
  auto tmp = file;
  tmp += ".tmp";
  for (const auto& f : {file, tmp}) {
    std::error_code ec;
    if (!std::filesystem::exists(f, ec)) continue;
    if (std::filesystem::remove(f, ec))
      log.info(
          "removed {}: Paho's client persistence is no longer used (outgoing messages are "
          "in the outbox)",
          f.string());
    else
      log.warn("cannot remove {}: {}", f.string(), ec.message());
  }
}

class MqttPlugin final : public Plugin {
 public:
  PluginDescriptor describe() const override {
    return {.name = "mqtt",
            .version = "1.0.0",
            .kind = PluginKind::protocol,
            .description =
                "MQTT: things publish through a broker (Mosquitto, EMQX); auth hooks "
                "for the broker; republish and bridges",
            .config = mqtt_schema(),
            .after = {}};
  }

  Status start(Host& host) override {
    host_ = &host;
    auto& log = host.logger();
    auto* pipeline = host.find<Pipeline>();
    if (pipeline == nullptr)
      return fail(ErrorCode::failed_precondition, "the pipeline (conflux.pipeline.v1) is missing");
    auto* things = host.find<ThingDirectory>();
    if (things == nullptr)
      return fail(ErrorCode::failed_precondition,
                  "the thing directory (conflux.things.v1) is missing");
    const char* storage = std::getenv("CONFLUX_STORAGE_PATH");
    CONFLUX_ASSIGN_OR_RETURN(settings_, read_settings(host.config(), storage ? storage : ""));

    const std::filesystem::path state_dir(settings_.state_dir);
    const std::string base = file_safe(settings_.client_id);
    remove_paho_journal(state_dir / (base + ".journal"), log);
    CONFLUX_ASSIGN_OR_RETURN(
        inbound_, InboundLog::open(state_dir / (base + ".inbound"), settings_.state_sync));

    if (settings_.auth_routes) {
      auth_ = std::make_unique<BrokerAuth>(*things, settings_.username, settings_.password);
      CONFLUX_RETURN_IF_ERROR(auth_->add_routes(host.routes(), host.metrics(), log));
    }

    ingest_ = std::make_unique<Ingest>(
        *pipeline, *things, *inbound_, host.clock(), log, host.metrics(),
        static_cast<std::size_t>(settings_.max_in_flight), settings_.bridges, host.find<Scripts>());
    auto recovered = ingest_->recover();
    if (!recovered.empty())
      log.info("recovering {} MQTT messages acknowledged by an earlier run but not committed",
               recovered.size());

    std::vector<std::string> filters;
    auto shared = [&](std::string f) {
      return settings_.shared_group.empty() ? f : "$share/" + settings_.shared_group + "/" + f;
    };
    filters.push_back(shared("things/+/messages/#"));
    for (const auto& rule : settings_.bridges) filters.push_back(shared(rule.topic));

    auto* connected = &host.metrics().gauge("conflux_mqtt_connected",
                                            "1 while connected and subscribed to the broker.");
    BrokerClient::Callbacks callbacks;
    callbacks.on_message = [this](std::string topic, std::string payload) {
      ingest_->on_message(std::move(topic), std::move(payload));
    };
    // Repeated reconnect warnings are limited while the broker stays away.
    broker_log_ = std::make_unique<OutageLogger>(log, host.clock());
    callbacks.on_state = [this, connected](bool up, std::string detail) {
      broker_log_->set_connected(up);
      connected->set(up ? 1 : 0);
      host_->set_state(up ? PluginState::running : PluginState::degraded, detail);
      if (up) wake_outbound();
    };
    CONFLUX_ASSIGN_OR_RETURN(client_, BrokerClient::create(settings_, host.clock(), *broker_log_,
                                                           std::move(callbacks), filters));
    // Outbound messages go through the durable outbox (outbound.h).
    auto* outbox = host.find<Outbox>();
    if (outbox == nullptr && (!settings_.republish_topic.empty() || settings_.commands))
      return fail(ErrorCode::failed_precondition, "the outbox (conflux.outbox.v1) is missing");
    if (!settings_.republish_topic.empty()) {
      CONFLUX_ASSIGN_OR_RETURN(
          auto republisher,
          Republisher::start(*pipeline, *outbox, *client_, host.clock(), settings_.republish_topic,
                             settings_.republish_qos, host.metrics(), log));
      std::lock_guard lock(outbound_mu_);
      republisher_ = std::move(republisher);
    }
    if (settings_.commands) {
      if (auto* bus = host.find<CommandBus>()) {
        CONFLUX_ASSIGN_OR_RETURN(
            auto commands,
            CommandDelivery::start(*bus, *outbox, *client_, host.clock(), host.metrics(), log));
        std::lock_guard lock(outbound_mu_);
        commands_ = std::move(commands);
      } else {
        log.info("no command bus (conflux.commands.v1): commands are not delivered over MQTT");
      }
    }
    host.set_state(PluginState::starting, "connecting to " + settings_.broker);
    if (!recovered.empty())
      recovery_ = std::thread([this, r = std::move(recovered)]() mutable {
        name_this_thread("cfx-mqtt-recov");
        recover(std::move(r));
      });
    client_->start();
    return ok();
  }

  // Feeds the recovered messages to the pipeline; each leaves the inbound
  // log after its commit.
  void recover(std::vector<LoggedMessage> messages) {
    for (auto& m : messages) {
      InboundLog* log = inbound_.get();
      if (!ingest_->deliver(std::move(m.topic), std::move(m.payload),
                            [log, key = m.key] { log->remove(key); }))
        return;  // stopping: the rest stays for the next start
    }
  }

  // The broker is connected (again): outbound queues deliver what waits.
  void wake_outbound() {
    std::lock_guard lock(outbound_mu_);
    if (republisher_) republisher_->wake();
    if (commands_) commands_->wake();
  }

  void stop() override {
    {
      // Destroyed outside outbound_mu_: their threads may be inside Paho,
      // whose threads call wake_outbound.
      std::unique_ptr<CommandDelivery> commands;
      std::unique_ptr<Republisher> republisher;
      {
        std::lock_guard lock(outbound_mu_);
        commands = std::move(commands_);
        republisher = std::move(republisher_);
      }
    }
    if (ingest_) ingest_->begin_stop();
    if (recovery_.joinable()) recovery_.join();
    if (client_) client_->stop();
    if (ingest_ && !ingest_->wait_idle(std::chrono::seconds(30)))
      host_->logger().warn("stopping with {} MQTT messages uncommitted (kept in the inbound log)",
                           ingest_->in_flight());
    client_.reset();
    ingest_.reset();
    inbound_.reset();
  }

 private:
  Host* host_ = nullptr;
  MqttSettings settings_;
  std::unique_ptr<InboundLog> inbound_;
  std::thread recovery_;
  std::unique_ptr<BrokerAuth> auth_;
  std::unique_ptr<Ingest> ingest_;
  std::unique_ptr<OutageLogger> broker_log_;  // client_'s logger
  std::unique_ptr<BrokerClient> client_;
  std::mutex outbound_mu_;  // republisher_, commands_ (wake_outbound runs on Paho's threads)
  std::unique_ptr<Republisher> republisher_;
  std::unique_ptr<CommandDelivery> commands_;
};

}  // namespace
}  // namespace conflux::mqtt

CONFLUX_PLUGIN(conflux::mqtt::MqttPlugin)
