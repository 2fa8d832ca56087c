// plugins/mqtt — BrokerClient over MQTTAsync.
#include "broker_client.h"

#include <chrono>
#include <cstring>
#include <thread>

namespace conflux::mqtt {
namespace {

std::string failure_text(MQTTAsync_failureData* data) {
  if (data == nullptr) return "unknown error";
  std::string text = data->message ? data->message : "";
  if (text.empty()) {
    switch (data->code) {
      case 1:
        text = "connection refused: unacceptable protocol version";
        break;
      case 2:
        text = "connection refused: identifier rejected";
        break;
      case 3:
        text = "connection refused: server unavailable";
        break;
      case 4:
        text = "connection refused: bad user name or password";
        break;
      case 5:
        text = "connection refused: not authorized";
        break;
      default:
        text = "error " + std::to_string(data->code);
    }
  }
  return text;
}

}  // namespace

BrokerClient::BrokerClient(const MqttSettings& settings, Clock& clock, Logger& log,
                           Callbacks callbacks, std::vector<std::string> filters)
    : settings_(settings),
      clock_(clock),
      log_(log),
      callbacks_(std::move(callbacks)),
      filters_(std::move(filters)),
      backoff_(std::chrono::milliseconds(250), settings.reconnect_max) {}

Result<std::unique_ptr<BrokerClient>> BrokerClient::create(const MqttSettings& settings,
                                                           Clock& clock, Logger& log,
                                                           Callbacks callbacks,
                                                           std::vector<std::string> filters) {
  std::unique_ptr<BrokerClient> c(
      new BrokerClient(settings, clock, log, std::move(callbacks), std::move(filters)));
  MQTTAsync_createOptions options = MQTTAsync_createOptions_initializer;
  options.MQTTVersion = MQTTVERSION_3_1_1;
  // Publishes are refused while disconnected (the outbox retries them).
  options.sendWhileDisconnected = 0;
  // Bounds Paho's queue of publishes not yet written (the outbound windows
  // stay far below); beyond it a publish is refused, never silently dropped.
  options.maxBufferedMessages = 10000;
  options.deleteOldestMessages = 0;
  int rc =
      MQTTAsync_createWithOptions(&c->client_, settings.broker.c_str(), settings.client_id.c_str(),
                                  MQTTCLIENT_PERSISTENCE_NONE, nullptr, &options);
  if (rc != MQTTASYNC_SUCCESS)
    return fail(ErrorCode::invalid_argument, "cannot create the MQTT client for " +
                                                 settings.broker + ": " + MQTTAsync_strerror(rc));
  rc = MQTTAsync_setCallbacks(c->client_, c.get(), &BrokerClient::connection_lost,
                              &BrokerClient::message_arrived, nullptr);
  if (rc != MQTTASYNC_SUCCESS) {
    MQTTAsync_destroy(&c->client_);
    return fail(ErrorCode::internal,
                std::string("cannot set the MQTT callbacks: ") + MQTTAsync_strerror(rc));
  }
  return c;
}

BrokerClient::~BrokerClient() { stop(); }

void BrokerClient::start() { connect(); }

void BrokerClient::connect() {
  {
    std::lock_guard lock(mu_);
    timer_armed_ = false;
  }
  std::shared_lock life(life_);
  if (stopped_ || client_ == nullptr) return;
  MQTTAsync_connectOptions options = MQTTAsync_connectOptions_initializer;
  options.keepAliveInterval = static_cast<int>(
      std::chrono::duration_cast<std::chrono::seconds>(settings_.keep_alive).count());
  options.cleansession = 0;
  options.connectTimeout = static_cast<int>(
      std::chrono::duration_cast<std::chrono::seconds>(settings_.connect_timeout).count());
  options.automaticReconnect = 0;  // reconnects are ours (with resubscription)
  options.onSuccess = &BrokerClient::on_connect_success;
  options.onFailure = &BrokerClient::on_connect_failure;
  options.context = this;
  if (!settings_.username.empty()) options.username = settings_.username.c_str();
  if (!settings_.password.empty()) options.password = settings_.password.c_str();
  MQTTAsync_SSLOptions ssl = MQTTAsync_SSLOptions_initializer;
  if (settings_.tls()) {
    if (!settings_.tls_ca_file.empty()) ssl.trustStore = settings_.tls_ca_file.c_str();
    if (!settings_.tls_cert_file.empty()) ssl.keyStore = settings_.tls_cert_file.c_str();
    if (!settings_.tls_key_file.empty()) ssl.privateKey = settings_.tls_key_file.c_str();
    ssl.enableServerCertAuth = settings_.tls_verify ? 1 : 0;
    ssl.verify = settings_.tls_verify ? 1 : 0;
    options.ssl = &ssl;
  }
  int rc = MQTTAsync_connect(client_, &options);
  life.unlock();
  if (rc != MQTTASYNC_SUCCESS)
    schedule_reconnect(std::string("connect failed: ") + MQTTAsync_strerror(rc));
}

void BrokerClient::schedule_reconnect(std::string why) {
  connected_ = false;
  std::chrono::milliseconds delay;
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    if (timer_armed_) return;
    delay = backoff_.next();
    timer_ = clock_.call_after(delay, [this] { connect(); });
    timer_armed_ = true;
  }
  log_.warn("MQTT broker {} unavailable: {}; retrying in {} ms", settings_.broker, why,
            delay.count());
  if (callbacks_.on_state)
    callbacks_.on_state(false,
                        "broker " + settings_.broker + " unreachable: " + why + " (retrying)");
}

void BrokerClient::subscribe() {
  if (stopped_) return;
  if (filters_.empty()) {
    {
      std::lock_guard lock(mu_);
      backoff_.reset();
    }
    connected_ = true;
    if (callbacks_.on_state) callbacks_.on_state(true, "");
    return;
  }
  std::vector<char*> topics;
  std::vector<int> qos;
  for (auto& f : filters_) {
    topics.push_back(f.data());
    qos.push_back(1);
  }
  MQTTAsync_responseOptions options = MQTTAsync_responseOptions_initializer;
  options.onSuccess = &BrokerClient::on_subscribe_success;
  options.onFailure = &BrokerClient::on_subscribe_failure;
  options.context = this;
  int rc = MQTTAsync_subscribeMany(client_, static_cast<int>(topics.size()), topics.data(),
                                   qos.data(), &options);
  if (rc != MQTTASYNC_SUCCESS) log_.error("MQTT subscribe failed: {}", MQTTAsync_strerror(rc));
}

void BrokerClient::on_connect_success(void* context, MQTTAsync_successData*) {
  auto* self = static_cast<BrokerClient*>(context);
  self->log_.info("connected to MQTT broker {} as {}", self->settings_.broker,
                  self->settings_.client_id);
  self->subscribe();
}

void BrokerClient::on_connect_failure(void* context, MQTTAsync_failureData* data) {
  auto* self = static_cast<BrokerClient*>(context);
  self->schedule_reconnect(failure_text(data));
}

void BrokerClient::on_subscribe_success(void* context, MQTTAsync_successData* data) {
  auto* self = static_cast<BrokerClient*>(context);
  // MQTT 3.1.1 SUBACK: 0x80 marks a refused filter.
  if (data != nullptr && self->filters_.size() > 1 && data->alt.qosList != nullptr) {
    for (std::size_t i = 0; i < self->filters_.size(); ++i)
      if (data->alt.qosList[i] == 0x80)
        self->log_.error("MQTT broker refused the subscription to {}", self->filters_[i]);
  } else if (data != nullptr && data->alt.qos == 0x80) {
    self->log_.error("MQTT broker refused the subscription to {}", self->filters_.front());
  }
  {
    std::lock_guard lock(self->mu_);
    self->backoff_.reset();
  }
  self->connected_ = true;
  if (self->callbacks_.on_state) self->callbacks_.on_state(true, "");
}

void BrokerClient::on_subscribe_failure(void* context, MQTTAsync_failureData* data) {
  auto* self = static_cast<BrokerClient*>(context);
  self->log_.error("MQTT subscribe failed: {}", failure_text(data));
  if (self->callbacks_.on_state)
    self->callbacks_.on_state(false, "subscription refused: " + failure_text(data));
}

void BrokerClient::connection_lost(void* context, char* cause) {
  auto* self = static_cast<BrokerClient*>(context);
  self->schedule_reconnect(cause ? cause : "connection lost");
}

int BrokerClient::message_arrived(void* context, char* topic, int topic_len, MQTTAsync_message* m) {
  auto* self = static_cast<BrokerClient*>(context);
  std::string t =
      topic_len > 0 ? std::string(topic, static_cast<std::size_t>(topic_len)) : std::string(topic);
  std::string payload(static_cast<const char*>(m->payload),
                      static_cast<std::size_t>(m->payloadlen));
  MQTTAsync_freeMessage(&m);
  MQTTAsync_free(topic);
  if (self->callbacks_.on_message) self->callbacks_.on_message(std::move(t), std::move(payload));
  return 1;
}

struct BrokerClient::Confirmation {
  BrokerClient* self;
  std::function<void(Status)> done;
};

bool BrokerClient::take(Confirmation* c) {
  std::lock_guard lock(confirmations_mu_);
  return confirmations_.erase(c) == 1;
}

void BrokerClient::on_publish_success(void* context, MQTTAsync_successData*) {
  auto* c = static_cast<Confirmation*>(context);
  if (!c->self->take(c)) return;
  std::unique_ptr<Confirmation> owned(c);
  owned->done(ok());
}

void BrokerClient::on_publish_failure(void* context, MQTTAsync_failureData* data) {
  auto* c = static_cast<Confirmation*>(context);
  if (!c->self->take(c)) return;
  std::unique_ptr<Confirmation> owned(c);
  owned->done(fail(ErrorCode::unavailable, "MQTT publish failed: " + failure_text(data)));
}

Status BrokerClient::publish_confirmed(std::string_view topic, std::string_view payload, int qos,
                                       std::function<void(Status)> done) {
  if (!connected_) return fail(ErrorCode::unavailable, "not connected to the MQTT broker");
  std::string t(topic);
  MQTTAsync_message msg = MQTTAsync_message_initializer;
  msg.payload = const_cast<char*>(payload.data());
  msg.payloadlen = static_cast<int>(payload.size());
  msg.qos = qos;
  msg.retained = 0;
  auto* c = new Confirmation{this, std::move(done)};
  {
    std::lock_guard lock(confirmations_mu_);
    confirmations_.insert(c);
  }
  MQTTAsync_responseOptions options = MQTTAsync_responseOptions_initializer;
  options.onSuccess = &BrokerClient::on_publish_success;
  options.onFailure = &BrokerClient::on_publish_failure;
  options.context = c;
  int rc = MQTTASYNC_DISCONNECTED;
  {
    std::shared_lock life(life_);
    if (!stopped_ && client_ != nullptr)
      rc = MQTTAsync_sendMessage(client_, t.c_str(), &msg, &options);
  }
  if (rc != MQTTASYNC_SUCCESS) {
    if (take(c)) delete c;
    return fail(ErrorCode::unavailable,
                std::string("MQTT publish to ") + t + " failed: " + MQTTAsync_strerror(rc));
  }
  return ok();
}

void BrokerClient::stop() {
  if (stopped_.exchange(true)) return;
  {
    std::lock_guard lock(mu_);
    if (timer_armed_) clock_.cancel(timer_);
    timer_armed_ = false;
  }
  MQTTAsync client = client_;
  connected_ = false;
  if (client == nullptr) return;
  if (MQTTAsync_isConnected(client)) {
    MQTTAsync_disconnectOptions options = MQTTAsync_disconnectOptions_initializer;
    options.timeout = 0;
    MQTTAsync_disconnect(client, &options);
    for (int i = 0; i < 50 && MQTTAsync_isConnected(client); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::unique_lock life(life_);
  MQTTAsync_destroy(&client_);
  client_ = nullptr;
  life.unlock();
  // No callback runs any more: the confirmations never answered are freed.
  std::lock_guard lock(confirmations_mu_);
  for (auto* c : confirmations_) delete c;
  confirmations_.clear();
}

}  // namespace conflux::mqtt
