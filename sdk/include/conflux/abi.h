// conflux/abi.h — the plugin ABI version and build key.
//
// Every plugin compiles these into itself (through CONFLUX_PLUGIN). The host
// refuses a plugin whose ABI major differs, whose ABI minor is newer than the
// host's, or whose build key (compiler family and major version, C++ standard
// library ABI, Boost version) differs: those plugins would share C++ types
// (std::string, std::function, std::expected) with an incompatible layout.
//
// Rules for SDK maintainers: appending a virtual method at the end of an
// interface, or adding a new interface, bumps the minor version. Anything else
// that changes a type's layout bumps the major version.
#pragma once

#include <boost/version.hpp>
#include <cstdint>

#define CONFLUX_SDK_ABI_MAJOR 3
#define CONFLUX_SDK_ABI_MINOR 0

#define CONFLUX_STRINGIFY_INNER_(x) #x
#define CONFLUX_STRINGIFY_(x) CONFLUX_STRINGIFY_INNER_(x)

#if defined(__clang__)
#define CONFLUX_COMPILER_KEY_ "clang-" CONFLUX_STRINGIFY_(__clang_major__)
#elif defined(__GNUC__)
#define CONFLUX_COMPILER_KEY_ "gcc-" CONFLUX_STRINGIFY_(__GNUC__)
#else
#define CONFLUX_COMPILER_KEY_ "unknown"
#endif

#if defined(_LIBCPP_VERSION)
#define CONFLUX_STDLIB_KEY_ "libc++"
#elif defined(_GLIBCXX_USE_CXX11_ABI)
#define CONFLUX_STDLIB_KEY_ "libstdc++-cxx11abi" CONFLUX_STRINGIFY_(_GLIBCXX_USE_CXX11_ABI)
#else
#define CONFLUX_STDLIB_KEY_ "stdlib-unknown"
#endif

// e.g. "gcc-12;libstdc++-cxx11abi1;boost-107400"
#define CONFLUX_BUILD_KEY \
  CONFLUX_COMPILER_KEY_ ";" CONFLUX_STDLIB_KEY_ ";boost-" CONFLUX_STRINGIFY_(BOOST_VERSION)

namespace conflux {

// What a plugin tells the host about how it was built. A plain C layout so the
// host can read it before trusting any C++ type the plugin uses.
struct PluginAbi {
  std::uint32_t major;
  std::uint32_t minor;
  const char* build_key;
};

}  // namespace conflux
