// plugins/mqtt — Ingest: routing, in-flight bound, retries, journal release.
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

std::optional<PublishRequest> Ingest::route(const std::string& topic, std::string& payload) {
  ThingRef thing;
  std::string subtopic;
  std::string content_type;
  if (auto parsed = parse_messages_topic(topic)) {
    auto found = things_.thing(parsed->thing_id);
    if (!found || !*found) {
      counters_.unknown_thing->inc();
      warn_limited("message for an unknown thing dropped", parsed->thing_id, topic);
      return std::nullopt;
    }
    thing = *found;
    auto normalized = normalize_subtopic(parsed->subtopic);
    if (!normalized) {
      counters_.malformed->inc();
      warn_limited("malformed message dropped", thing->id, normalized.error().message);
      return std::nullopt;
    }
    subtopic = std::move(*normalized);
  } else if (const BridgeRule* rule = find_bridge(bridges_, topic)) {
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
    thing = *found;
    subtopic = rule->subtopic;
    content_type = rule->content_type;
    if (!rule->codec.empty()) {
      if (scripts_ == nullptr) {
        counters_.malformed->inc();
        warn_limited("bridged message dropped", thing->id,
                     "the rule names a codec but the scripting service is not available");
        return std::nullopt;
      }
      std::string meta = "{\"topic\":\"" + json_escape(topic) + "\"}";
      auto decoded = scripts_->decode(rule->codec, payload, meta);
      if (!decoded) {
        counters_.malformed->inc();
        warn_limited("bridged message could not be decoded", thing->id, decoded.error().message);
        return std::nullopt;
      }
      if (decoded->format == MessageFormat::json) {
        payload = std::move(decoded->json);
        content_type = "application/json";
      } else {
        payload = senml_json(decoded->records);
        content_type = "application/senml+json";
      }
    }
  } else {
    counters_.unrouted->inc();
    warn_limited("message on a topic outside the scheme dropped", "", topic);
    return std::nullopt;
  }

  PublishRequest req;
  req.profile = thing->profile;
  if (!content_type.empty()) req.profile.content_type = content_type;
  req.message.publisher = thing->id;
  req.message.group = thing->group_id;
  req.message.profile = thing->profile_id;
  req.message.protocol = "mqtt";
  req.message.subtopic = std::move(subtopic);
  req.message.content_type = req.profile.content_type;
  req.message.payload = std::move(payload);
  return req;
}

void Ingest::on_message(std::string topic, std::string payload) {
  auto key = inbound_.record(topic, payload);
  if (!key) {
    // Not recorded (disk full?): still delivered, but a crash before the
    // commit would lose it.
    warn_limited("message not recorded in the inbound log", "", key.error().message);
    deliver(std::move(topic), std::move(payload), [] {});
    return;
  }
  deliver(std::move(topic), std::move(payload),
          [this, k = std::move(*key)] { inbound_.remove(k); });
}

bool Ingest::deliver(std::string topic, std::string payload, std::function<void()> release) {
  auto request = route(topic, payload);
  if (!request) {
    release();
    return true;
  }
  {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return stopping_ || in_flight_ < max_in_flight_; });
    if (stopping_) return false;  // not released: delivered again at the next start
    ++in_flight_;
    counters_.in_flight->set(static_cast<double>(in_flight_));
  }
  auto pending = std::make_shared<Pending>();
  pending->request = std::move(*request);
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
