// slow — integration fixture: GET /slow?ms=N answers 200 "done" after N
// milliseconds (a Clock timer, so no io thread blocks). Used to prove that a
// graceful stop completes in-flight requests.
#include <conflux/conflux.h>

#include <charconv>

namespace {

class SlowPlugin final : public conflux::Plugin {
 public:
  conflux::PluginDescriptor describe() const override {
    return {.name = "slow",
            .version = "1.0.0",
            .kind = conflux::PluginKind::service,
            .description = "Test fixture: GET /slow?ms=N answers after N ms"};
  }
  conflux::Status start(conflux::Host& host) override {
    host_ = &host;
    return host.routes().add(
        conflux::HttpMethod::get, "/slow",
        [this](conflux::HttpRequest req, conflux::HttpReply reply) {
          int ms = 0;
          auto text = req.query_param("ms").value_or("0");
          std::from_chars(text.data(), text.data() + text.size(), ms);
          host_->logger().info("slow request received, answering in {} ms", ms);
          host_->clock().call_after(std::chrono::milliseconds(ms), [reply] {
            reply.send(conflux::HttpResponse::with_body(200, "done", "text/plain"));
          });
        });
  }
  void stop() override { host_->logger().info("slow plugin stopped"); }

 private:
  conflux::Host* host_ = nullptr;
};

}  // namespace

CONFLUX_PLUGIN(SlowPlugin)
