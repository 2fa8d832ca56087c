// tests/plugins/bad_factory.cpp — fixture plugins whose factory misbehaves:
// FIXTURE_FACTORY_THROWS makes it throw std::runtime_error("factory exploded"),
// otherwise it returns null.
//
// Thread-safety: single-threaded test use.
#include <conflux/conflux.h>

#include <stdexcept>

namespace bad_factory_entry {

const conflux::PluginAbi* abi() noexcept {
  static const conflux::PluginAbi record{CONFLUX_SDK_ABI_MAJOR, CONFLUX_SDK_ABI_MINOR,
                                         CONFLUX_BUILD_KEY};
  return &record;
}

std::unique_ptr<conflux::Plugin> create() {
#ifdef FIXTURE_FACTORY_THROWS
  throw std::runtime_error("factory exploded");
#else
  return nullptr;
#endif
}

}  // namespace bad_factory_entry

BOOST_DLL_ALIAS(bad_factory_entry::abi, conflux_plugin_abi)
BOOST_DLL_ALIAS(bad_factory_entry::create, conflux_plugin_create)
