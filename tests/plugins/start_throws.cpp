// tests/plugins/start_throws.cpp — fixture plugin "start_throws": start()
// throws std::runtime_error("start exploded").
//
// Thread-safety: single-threaded test use.
#include <conflux/conflux.h>

#include <stdexcept>

namespace {

class StartThrows final : public conflux::Plugin {
 public:
  conflux::PluginDescriptor describe() const override {
    conflux::PluginDescriptor d;
    d.name = "start_throws";
    d.version = "0.1.0";
    return d;
  }
  conflux::Status start(conflux::Host&) override { throw std::runtime_error("start exploded"); }
  void stop() override {}
};

}  // namespace

CONFLUX_PLUGIN(StartThrows)
