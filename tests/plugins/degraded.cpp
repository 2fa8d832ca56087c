// tests/plugins/degraded.cpp — fixture plugin "degraded": start() reports
// PluginState::degraded "broker unreachable" and succeeds.
//
// Thread-safety: single-threaded test use.
#include <conflux/conflux.h>

namespace {

class Degraded final : public conflux::Plugin {
 public:
  conflux::PluginDescriptor describe() const override {
    conflux::PluginDescriptor d;
    d.name = "degraded";
    d.version = "0.1.0";
    return d;
  }
  conflux::Status start(conflux::Host& host) override {
    host.set_state(conflux::PluginState::degraded, "broker unreachable");
    return conflux::ok();
  }
  void stop() override {}
};

}  // namespace

CONFLUX_PLUGIN(Degraded)
