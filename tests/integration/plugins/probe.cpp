// probe — integration fixture for an external component that may be down:
// connects to `endpoint` (host:port) on the io_context, retrying with
// conflux::Backoff. While it cannot connect the plugin is `degraded` with the
// reason; once connected it is `running`; if the peer goes away it is
// degraded again and reconnects. start() never waits for the peer.
#include <conflux/conflux.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

class ProbePlugin final : public conflux::Plugin {
 public:
  conflux::PluginDescriptor describe() const override {
    return {.name = "probe",
            .version = "1.0.0",
            .kind = conflux::PluginKind::protocol,
            .description = "Test fixture: keeps a TCP connection to an endpoint",
            .config = {{.key = "endpoint",
                        .type = conflux::ConfigType::string,
                        .description = "host:port to connect to",
                        .required = true}}};
  }

  conflux::Status start(conflux::Host& host) override {
    host_ = &host;
    auto endpoint = host.config().get_string("endpoint");
    auto colon = endpoint.rfind(':');
    if (colon == std::string::npos)
      return conflux::fail(conflux::ErrorCode::invalid_argument,
                           "endpoint must be host:port, got '" + endpoint + "'");
    host_name_ = endpoint.substr(0, colon);
    port_ = endpoint.substr(colon + 1);
    socket_ = std::make_shared<tcp::socket>(host.io());
    host.set_state(conflux::PluginState::starting, "connecting to " + endpoint);
    connect();
    return conflux::ok();
  }

  void stop() override {
    stopped_ = true;
    if (timer_) host_->clock().cancel(timer_);
    asio::post(host_->io(), [socket = socket_] {
      boost::system::error_code ignored;
      socket->close(ignored);
    });
  }

 private:
  void connect() {
    if (stopped_) return;
    auto resolver = std::make_shared<tcp::resolver>(host_->io());
    resolver->async_resolve(
        host_name_, port_,
        [this, resolver](boost::system::error_code ec, tcp::resolver::results_type results) {
          if (ec) return retry(ec.message());
          asio::async_connect(*socket_, results,
                              [this](boost::system::error_code ec, const tcp::endpoint&) {
                                if (ec) return retry(ec.message());
                                backoff_.reset();
                                host_->set_state(conflux::PluginState::running, "");
                                host_->logger().info("connected to {}:{}", host_name_, port_);
                                watch();
                              });
        });
  }

  // Waits for the peer to close the connection.
  void watch() {
    socket_->async_read_some(asio::buffer(buffer_),
                             [this](boost::system::error_code ec, std::size_t) {
                               if (!ec) return watch();
                               boost::system::error_code ignored;
                               socket_->close(ignored);
                               retry("connection lost: " + ec.message());
                             });
  }

  void retry(const std::string& reason) {
    if (stopped_) return;
    auto delay = backoff_.next();
    host_->set_state(conflux::PluginState::degraded,
                     host_name_ + ":" + port_ + " unreachable (" + reason + "), retrying");
    host_->logger().warn("{}:{} unreachable: {}; retry in {} ms", host_name_, port_, reason,
                         delay.count());
    timer_ = host_->clock().call_after(delay, [this] { connect(); });
  }

  conflux::Host* host_ = nullptr;
  std::string host_name_, port_;
  std::shared_ptr<tcp::socket> socket_;
  conflux::Backoff backoff_{std::chrono::milliseconds(50), std::chrono::milliseconds(400)};
  conflux::TimerId timer_ = 0;
  bool stopped_ = false;
  char buffer_[64];
};

}  // namespace

CONFLUX_PLUGIN(ProbePlugin)
