// tests/plugins/needs_key.cpp — fixture plugin "needs_key": a required
// `endpoint` string without default; GET /needs_key answers its value.
//
// Thread-safety: single-threaded test use.
#include <conflux/conflux.h>

#include <string>

namespace {

class NeedsKey final : public conflux::Plugin {
 public:
  conflux::PluginDescriptor describe() const override {
    conflux::PluginDescriptor d;
    d.name = "needs_key";
    d.version = "0.1.0";
    d.kind = conflux::PluginKind::sink;
    d.description = "plugin host test fixture with a required key";
    d.config = {{.key = "endpoint",
                 .type = conflux::ConfigType::string,
                 .description = "where to deliver",
                 .required = true}};
    return d;
  }

  conflux::Status start(conflux::Host& host) override {
    std::string endpoint = host.config().get_string("endpoint");
    return host.routes().add(
        conflux::HttpMethod::get, "/needs_key",
        [endpoint](conflux::HttpRequest, conflux::HttpReply r) {
          r.send(conflux::HttpResponse::with_body(200, endpoint, "text/plain"));
        });
  }

  void stop() override {}
};

}  // namespace

CONFLUX_PLUGIN(NeedsKey)
