// plugins/mqtt — Republisher: durable subscription → outbox → broker.
#include "republish.h"

#include <nlohmann/json.hpp>

#include "senml_text.h"
#include "topics.h"

namespace conflux::mqtt {
namespace {

using nlohmann::json;

std::string text(const json& doc, const char* field) {
  auto it = doc.find(field);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Result<Message> decode_subscription_item(std::string_view payload) {
  json doc = json::parse(payload, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return fail(ErrorCode::invalid_argument, "subscription item is not a JSON object");
  if (auto v = doc.find("v"); v == doc.end() || !v->is_number_integer() || *v != 1)
    return fail(ErrorCode::invalid_argument, "subscription item of an unknown version");
  Message m;
  m.id = text(doc, "id");
  m.publisher = text(doc, "publisher");
  m.group = text(doc, "group");
  m.profile = text(doc, "profile");
  m.protocol = text(doc, "protocol");
  m.subtopic = text(doc, "subtopic");
  m.content_type = text(doc, "content_type");
  if (auto it = doc.find("created"); it != doc.end() && it->is_number_integer())
    m.created = it->get<std::int64_t>();
  std::string format = text(doc, "format");
  if (format == "json") {
    // The stored document as encoded (key order and numbers kept): the
    // payload ends with ,"json":<document>} and no field before it can
    // contain that sequence unescaped.
    constexpr std::string_view kField = ",\"json\":";
    auto at = payload.find(kField);
    if (at == std::string_view::npos || payload.back() != '}')
      return fail(ErrorCode::invalid_argument, "subscription item without its JSON document");
    m.format = MessageFormat::json;
    m.json =
        std::string(payload.substr(at + kField.size(), payload.size() - 1 - (at + kField.size())));
    return m;
  }
  if (format != "senml")
    return fail(ErrorCode::invalid_argument, "subscription item of an unknown format");
  m.format = MessageFormat::senml;
  auto records = doc.find("records");
  if (records == doc.end() || !records->is_array())
    return fail(ErrorCode::invalid_argument, "subscription item without records");
  m.records.reserve(records->size());
  for (const auto& r : *records) {
    if (!r.is_object()) return fail(ErrorCode::invalid_argument, "a record is not an object");
    SenmlRecord rec;
    rec.name = text(r, "name");
    rec.unit = text(r, "unit");
    if (auto it = r.find("time"); it != r.end() && it->is_number())
      rec.time = it->get<std::int64_t>();
    if (auto it = r.find("value"); it != r.end() && it->is_number()) rec.value = it->get<double>();
    if (auto it = r.find("string_value"); it != r.end() && it->is_string())
      rec.string_value = it->get<std::string>();
    if (auto it = r.find("bool_value"); it != r.end() && it->is_boolean())
      rec.bool_value = it->get<bool>();
    if (auto it = r.find("data_value"); it != r.end() && it->is_string())
      rec.data_value = it->get<std::string>();
    if (auto it = r.find("sum"); it != r.end() && it->is_number()) rec.sum = it->get<double>();
    if (auto it = r.find("update_time"); it != r.end() && it->is_number())
      rec.update_time = it->get<double>();
    m.records.push_back(std::move(rec));
  }
  return m;
}

Result<std::unique_ptr<Republisher>> Republisher::start(Pipeline& pipeline, Outbox& outbox,
                                                        ConfirmedPublisher& publisher, Clock& clock,
                                                        std::string pattern, int qos,
                                                        Metrics& metrics, Logger& log) {
  std::unique_ptr<Republisher> r(new Republisher(pipeline));
  const char* help = "Processed messages republished to the broker, by outcome.";
  OutboundCounters counters;
  counters.delivered =
      &metrics.counter("conflux_mqtt_republished_total", help, {{"result", "delivered"}});
  counters.retried =
      &metrics.counter("conflux_mqtt_republished_total", help, {{"result", "retried"}});
  counters.dropped =
      &metrics.counter("conflux_mqtt_republished_total", help, {{"result", "dropped"}});
  OutboundOptions options;
  options.queue = "subscription:" + std::string(kRepublishSubscription);
  r->queue_ = std::make_unique<OutboundQueue>(
      outbox, publisher, clock, log, std::move(options),
      [pattern = std::move(pattern), qos](const OutboxItem& item) -> Result<OutboundMessage> {
        CONFLUX_ASSIGN_OR_RETURN(auto m, decode_subscription_item(item.payload));
        return OutboundMessage{render_topic(pattern, m), normalized_body(m), qos};
      },
      counters);

  SubscriptionOptions subscription;
  subscription.name = std::string(kRepublishSubscription);
  subscription.durable = true;
  auto* queue = r->queue_.get();
  auto id = pipeline.subscribe(std::move(subscription), [queue](const Message&) { queue->wake(); });
  if (!id) return std::unexpected(id.error());
  r->id_ = *id;
  r->queue_->start();  // after the subscription: its queue may be drained now
  return r;
}

void Republisher::wake() noexcept { queue_->wake(); }

Republisher::~Republisher() {
  queue_->stop();
  pipeline_.unsubscribe(id_);
}

}  // namespace conflux::mqtt
