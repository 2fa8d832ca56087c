// tests/plugins/good.cpp — fixture plugin "good": config keys `greeting`
// (default "hello") and `count` (default 3); routes GET /good ("good"),
// GET /good/config ("<greeting> x<count>") and GET /good/late (tries to add a
// route after start(): 409 with the host's error, or 201 if it was allowed).
//
// Thread-safety: single-threaded test use.
#include <conflux/conflux.h>

#include <string>

namespace {

class Good final : public conflux::Plugin {
 public:
  conflux::PluginDescriptor describe() const override {
    conflux::PluginDescriptor d;
    d.name = "good";
    d.version = "1.2.3";
    d.kind = conflux::PluginKind::protocol;
    d.description = "plugin host test fixture that works";
    d.config = {
        {.key = "greeting",
         .type = conflux::ConfigType::string,
         .default_value = std::string("hello"),
         .description = "word the config route answers"},
        {.key = "count",
         .type = conflux::ConfigType::integer,
         .default_value = std::int64_t{3},
         .description = "number the config route answers"},
    };
    return d;
  }

  conflux::Status start(conflux::Host& host) override {
    using conflux::HttpMethod;
    using conflux::HttpResponse;
    std::string summary = host.config().get_string("greeting") + " x" +
                          std::to_string(host.config().get_int("count"));
    CONFLUX_RETURN_IF_ERROR(
        host.routes().add(HttpMethod::get, "/good", [](conflux::HttpRequest, conflux::HttpReply r) {
          r.send(HttpResponse::with_body(200, "good", "text/plain"));
        }));
    CONFLUX_RETURN_IF_ERROR(host.routes().add(
        HttpMethod::get, "/good/config", [summary](conflux::HttpRequest, conflux::HttpReply r) {
          r.send(HttpResponse::with_body(200, summary, "text/plain"));
        }));
    conflux::Host* h = &host;
    CONFLUX_RETURN_IF_ERROR(host.routes().add(
        HttpMethod::get, "/good/late", [h](conflux::HttpRequest, conflux::HttpReply r) {
          auto added = h->routes().add(HttpMethod::get, "/late",
                                       [](conflux::HttpRequest, conflux::HttpReply) {});
          if (added) {
            r.send(HttpResponse::empty(201));
          } else {
            r.send(HttpResponse::error(409, added.error().message));
          }
        }));
    host.logger().info("good started");
    logger_ = &host.logger();
    return conflux::ok();
  }

  void stop() override { logger_->info("good stopped"); }

 private:
  conflux::Logger* logger_ = nullptr;
};

}  // namespace

CONFLUX_PLUGIN(Good)
