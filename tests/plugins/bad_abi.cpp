// tests/plugins/bad_abi.cpp — fixture plugins whose exported ABI record the
// host must refuse. Built several times with FIXTURE_ABI_MAJOR and
// FIXTURE_ABI_MINOR set per target; FIXTURE_WRONG_BUILD_KEY exports another
// build key and FIXTURE_NO_CREATE leaves out the factory. The entry points
// are written by hand instead of CONFLUX_PLUGIN so the record can lie.
//
// Thread-safety: single-threaded test use.
#include <conflux/conflux.h>

#ifdef FIXTURE_WRONG_BUILD_KEY
#define FIXTURE_BUILD_KEY "gcc-0;libstdc++-cxx11abi0;boost-100000"
#else
#define FIXTURE_BUILD_KEY CONFLUX_BUILD_KEY
#endif

namespace {

class BadAbi final : public conflux::Plugin {
 public:
  conflux::PluginDescriptor describe() const override {
    conflux::PluginDescriptor d;
    d.name = FIXTURE_NAME;
    d.version = "0.0.1";
    return d;
  }
  conflux::Status start(conflux::Host&) override { return conflux::ok(); }
  void stop() override {}
};

}  // namespace

namespace bad_abi_entry {

const conflux::PluginAbi* abi() noexcept {
  static const conflux::PluginAbi record{FIXTURE_ABI_MAJOR, FIXTURE_ABI_MINOR, FIXTURE_BUILD_KEY};
  return &record;
}

std::unique_ptr<conflux::Plugin> create() { return std::make_unique<BadAbi>(); }

}  // namespace bad_abi_entry

BOOST_DLL_ALIAS(bad_abi_entry::abi, conflux_plugin_abi)
#ifndef FIXTURE_NO_CREATE
BOOST_DLL_ALIAS(bad_abi_entry::create, conflux_plugin_create)
#endif
