// ack — benchmark plugin: POST /bench/ack answers 202 with an empty body, the
// Conflux twin of bench_beast_202 (router, metrics, SDK reply path included).
#include <conflux/conflux.h>

namespace {

class AckPlugin final : public conflux::Plugin {
 public:
  conflux::PluginDescriptor describe() const override {
    return {.name = "ack",
            .version = "1.0.0",
            .kind = conflux::PluginKind::service,
            .description = "Benchmark: POST /bench/ack -> 202"};
  }
  conflux::Status start(conflux::Host& host) override {
    return host.routes().add(conflux::HttpMethod::post, "/bench/ack",
                             [](conflux::HttpRequest, conflux::HttpReply reply) {
                               reply.send(conflux::HttpResponse::empty(202));
                             });
  }
  void stop() override {}
};

}  // namespace

CONFLUX_PLUGIN(AckPlugin)
