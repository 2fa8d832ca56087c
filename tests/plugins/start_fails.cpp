// tests/plugins/start_fails.cpp — fixture plugin "start_fails": start()
// returns unavailable "broker refused connection".
//
// Thread-safety: single-threaded test use.
#include <conflux/conflux.h>

namespace {

class StartFails final : public conflux::Plugin {
 public:
  conflux::PluginDescriptor describe() const override {
    conflux::PluginDescriptor d;
    d.name = "start_fails";
    d.version = "0.1.0";
    return d;
  }
  conflux::Status start(conflux::Host&) override {
    return conflux::fail(conflux::ErrorCode::unavailable, "broker refused connection");
  }
  void stop() override {}
};

}  // namespace

CONFLUX_PLUGIN(StartFails)
