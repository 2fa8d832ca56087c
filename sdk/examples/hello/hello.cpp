// hello — the smallest useful Conflux plugin: one configurable route.
//
//   GET /hello            -> {"greeting":"Hello, world"}
//   GET /hello?name=Ada   -> {"greeting":"Hello, Ada"}
//
// Config ([plugins.hello] or CONFLUX_HELLO_GREETING):
//   greeting = "Hello"
#include <conflux/conflux.h>

namespace {

class HelloPlugin final : public conflux::Plugin {
 public:
  conflux::PluginDescriptor describe() const override {
    return {
        .name = "hello",
        .version = "1.0.0",
        .kind = conflux::PluginKind::service,
        .description = "Example plugin: GET /hello answers with a greeting",
        .config = {{.key = "greeting",
                    .type = conflux::ConfigType::string,
                    .default_value = std::string("Hello"),
                    .description = "the word before the name"}},
    };
  }

  conflux::Status start(conflux::Host& host) override {
    greeting_ = host.config().get_string("greeting");
    auto& served = host.metrics().counter("conflux_hello_greetings_total",
                                          "Greetings served by the hello plugin.");
    host.logger().info("greeting with '{}'", greeting_);
    return host.routes().add(
        conflux::HttpMethod::get, "/hello",
        [this, &served](conflux::HttpRequest request, conflux::HttpReply reply) {
          std::string name = request.query_param("name").value_or("world");
          served.inc();
          reply.send(conflux::HttpResponse::json(
              200, "{\"greeting\":\"" + conflux::json_escape(greeting_ + ", " + name) + "\"}"));
        });
  }

  void stop() override {}

 private:
  std::string greeting_;
};

}  // namespace

CONFLUX_PLUGIN(HelloPlugin)
