// plugins/mqtt — Ingest: routing, inbound log, in-flight bound, retries,
// release after the commit.
#include "ingest.h"

#include "conflux/http.h"
#include "senml_text.h"
#include "topics.h"

namespace conflux::mqtt {
namespace {

constexpr int kWarnPerSecond = 20;

}  // namespace

Ingest::Ingest(Pipeline& pipeline, ThingDirectory& things, InboundLog& inbound, Clock& clock,
               Logger& log, Metrics& metrics, std::size_t max_in_flight,
               std::vector<BridgeRule> bridges, Scripts* scripts)
    : pipeline_(pipeline),
      things_(things),
      inbound_(inbound),
      clock_(clock),
      log_(log),
      max_in_flight_(max_in_flight),
      bridges_(std::move(bridges)),
      scripts_(scripts) {
  const char* help = "MQTT messages received, by outcome.";
  auto outcome = [&](const char* r) -> Counter* {
    return &metrics.counter("conflux_mqtt_messages_total", help, {{"result", r}});
  };
  counters_.stored = outcome("stored");
  counters_.malformed = outcome("malformed");
  counters_.unknown_thing = outcome("unknown_thing");
  counters_.unrouted = outcome("unrouted");
  counters_.unreadable = outcome("unreadable");
  counters_.retries = &metrics.counter("conflux_mqtt_pipeline_retries_total",
                                       "Publishes retried because the pipeline was full.");
  counters_.in_flight = &metrics.gauge("conflux_mqtt_in_flight",
                                       "MQTT messages handed to the pipeline, not yet committed.");
}

Ingest::~Ingest() { begin_stop(); }

void Ingest::warn_limited(std::string_view what, std::string_view thing, std::string_view detail) {
  {
    std::lock_guard lock(warn_mu_);
    auto now = clock_.monotonic();
    if (now - warn_window_ >= std::chrono::seconds(1)) {
      warn_window_ = now;
      warn_count_ = 0;
    }
    if (++warn_count_ > kWarnPerSecond) return;
  }
  log_.warn("{} (thing {}): {}", what, thing.empty() ? "-" : thing, detail);
}

std::optional<Ingest::Target> Ingest::resolve(const std::string& topic) {
  Target target;
  if (auto parsed = parse_messages_topic(topic)) {
    auto found = things_.thing(parsed->thing_id);
    if (!found || !*found) {
      counters_.unknown_thing->inc();
      warn_limited("message for an unknown thing dropped", parsed->thing_id, topic);
      return std::nullopt;
    }
    target.thing = *found;
    auto normalized = normalize_subtopic(parsed->subtopic);
    if (!normalized) {
      counters_.malformed->inc();
      warn_limited("malformed message dropped", target.thing->id, normalized.error().message);
      return std::nullopt;
    }
    target.subtopic = std::move(*normalized);
    return target;
  }
  const BridgeRule* rule = find_bridge(bridges_, topic);
  if (rule == nullptr) {
    counters_.unrouted->inc();
    warn_limited("message on a topic outside the scheme dropped", "", topic);
    return std::nullopt;
  }
  auto key = bridge_thing_key(*rule, topic);
  Result<ThingRef> found = fail(ErrorCode::not_found, "");
  if (key) {
    found = rule->metadata_field.empty() ? things_.identify(KeyKind::external, *key)
                                         : things_.find_by_metadata(rule->metadata_field, *key);
  }
  if (!found || !*found) {
    counters_.unknown_thing->inc();
    warn_limited("bridged message without a matching thing dropped", key.value_or(""), topic);
    return std::nullopt;
  }
  target.thing = *found;
  target.subtopic = rule->subtopic;
  target.content_type = rule->content_type;
  target.rule = rule;
  if (!rule->codec.empty() && scripts_ == nullptr) {
    counters_.malformed->inc();
    warn_limited("bridged message dropped", target.thing->id,
                 "the rule names a codec but the scripting service is not available");
    return std::nullopt;
  }
  return target;
}

std::optional<PublishRequest> Ingest::request(Target target, const std::string& topic,
                                              std::string payload) {
  if (target.rule != nullptr && !target.rule->codec.empty()) {
    std::string meta = "{\"topic\":\"" + json_escape(topic) + "\"}";
    auto decoded = scripts_->decode(target.rule->codec, payload, meta);
    if (!decoded) {
      counters_.malformed->inc();
      warn_limited("bridged message could not be decoded", target.thing->id,
                   decoded.error().message);
      return std::nullopt;
    }
    if (decoded->format == MessageFormat::json) {
      payload = std::move(decoded->json);
      target.content_type = "application/json";
    } else {
      payload = senml_json(decoded->records);
      target.content_type = "application/senml+json";
    }
  }
  const ThingRef& thing = target.thing;
  PublishRequest req;
  req.profile = thing->profile;
  if (!target.content_type.empty()) req.profile.content_type = target.content_type;
  req.message.publisher = thing->id;
  req.message.group = thing->group_id;
  req.message.profile = thing->profile_id;
  req.message.protocol = "mqtt";
  req.message.subtopic = std::move(target.subtopic);
  req.message.content_type = req.profile.content_type;
  req.message.payload = std::move(payload);
  return req;
}

void Ingest::on_message(std::string topic, std::string payload) {
  // Routed before anything is written: a message that cannot be published
  // (outside the scheme, unknown thing) costs no durable write.
  auto target = resolve(topic);
  if (!target) return;
  std::function<void()> release = [] {};
  if (auto key = inbound_.record(topic, payload)) {
    release = [this, k = std::move(*key)] { inbound_.remove(k); };
  } else {
    // Not recorded (disk full?): still delivered, but a crash before the
    // commit would lose it.
    warn_limited("message not recorded in the inbound log", target->thing->id, key.error().message);
  }
  auto req = request(std::move(*target), topic, std::move(payload));
  if (!req) {
    release();
    return;
  }
  admit(std::move(*req), std::move(release));
}

bool Ingest::deliver(std::string topic, std::string payload, std::function<void()> release) {
  std::optional<PublishRequest> req;
  if (auto target = resolve(topic)) req = request(std::move(*target), topic, std::move(payload));
  if (!req) {
    release();
    return true;
  }
  return admit(std::move(*req), std::move(release));
}

std::vector<LoggedMessage> Ingest::recover() {
  auto recovered = inbound_.recover();
  for (const auto& key : recovered.unreadable) {
    counters_.unreadable->inc();
    log_.warn("unreadable entry {} of the MQTT inbound log{} (the message is lost)", key,
              recovered.removed ? " removed" : "");
  }
  if (!recovered.removed)
    log_.error("cannot remove the unreadable MQTT inbound-log entries: {}",
               recovered.removed.error().message);
  return std::move(recovered.messages);
}

bool Ingest::admit(PublishRequest request, std::function<void()> release) {
  {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return stopping_ || in_flight_ < max_in_flight_; });
    if (stopping_) return false;  // not released: delivered again at the next start
    ++in_flight_;
    counters_.in_flight->set(static_cast<double>(in_flight_));
  }
  auto pending = std::make_shared<Pending>();
  pending->request = std::move(request);
  pending->release = std::move(release);
  submit(std::move(pending));
  return true;
}

void Ingest::submit(std::shared_ptr<Pending> pending) {
  PublishRequest copy = pending->request;
  pipeline_.publish(std::move(copy), [this, pending](Result<PublishReceipt> result) mutable {
    completed(std::move(pending), std::move(result));
  });
}

void Ingest::completed(std::shared_ptr<Pending> pending, Result<PublishReceipt> result) {
  if (result) {
    counters_.stored->inc();
    pending->release();
    finish_one();
    return;
  }
  const Error& e = result.error();
  bool transient = e.code == ErrorCode::unavailable || e.code == ErrorCode::resource_exhausted ||
                   e.code == ErrorCode::timeout || e.code == ErrorCode::cancelled ||
                   e.code == ErrorCode::internal;
  if (!transient) {
    counters_.malformed->inc();
    warn_limited("message refused by the pipeline", pending->request.message.publisher, e.message);
    pending->release();
    finish_one();
    return;
  }
  std::lock_guard lock(mu_);
  if (stopping_) {
    // Kept in the journal; delivered again at the next start.
    --in_flight_;
    counters_.in_flight->set(static_cast<double>(in_flight_));
    cv_.notify_all();
    return;
  }
  counters_.retries->inc();
  auto delay = pending->backoff.next();
  // call_after may run the callback before returning (a fake clock does not,
  // the io clock never does), so the id is registered under the lock.
  auto holder = std::make_shared<TimerId>(0);
  TimerId id = clock_.call_after(delay, [this, pending, holder] {
    {
      std::lock_guard lock(mu_);
      if (retries_.erase(*holder) == 0) return;  // cancelled by stop
    }
    submit(pending);
  });
  *holder = id;
  retries_.emplace(id, pending);
}

void Ingest::finish_one() {
  std::lock_guard lock(mu_);
  --in_flight_;
  counters_.in_flight->set(static_cast<double>(in_flight_));
  cv_.notify_all();
}

void Ingest::begin_stop() {
  std::lock_guard lock(mu_);
  stopping_ = true;
  for (auto& [id, pending] : retries_) {
    clock_.cancel(id);
    --in_flight_;
  }
  retries_.clear();
  counters_.in_flight->set(static_cast<double>(in_flight_));
  cv_.notify_all();
}

bool Ingest::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return in_flight_ == 0; });
}

std::size_t Ingest::in_flight() const {
  std::lock_guard lock(mu_);
  return in_flight_;
}

}  // namespace conflux::mqtt
