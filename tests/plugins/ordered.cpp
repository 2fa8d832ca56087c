// tests/plugins/ordered.cpp — fixture plugins for start order, built once per
// name with FIXTURE_NAME and FIXTURE_AFTER (a comma-separated list of string
// literals, possibly empty). start() and stop() log "<name> started" and
// "<name> stopped" so tests can read the order from the log.
//
// Thread-safety: single-threaded test use.
#include <conflux/conflux.h>

namespace {

class Ordered final : public conflux::Plugin {
 public:
  conflux::PluginDescriptor describe() const override {
    conflux::PluginDescriptor d;
    d.name = FIXTURE_NAME;
    d.version = "0.1.0";
    d.after = {FIXTURE_AFTER};
    return d;
  }
  conflux::Status start(conflux::Host& host) override {
    logger_ = &host.logger();
    logger_->info("{} started", FIXTURE_NAME);
    return conflux::ok();
  }
  void stop() override { logger_->info("{} stopped", FIXTURE_NAME); }

 private:
  conflux::Logger* logger_ = nullptr;
};

}  // namespace

CONFLUX_PLUGIN(Ordered)
