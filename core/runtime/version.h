// core/runtime — the Conflux version string (from the CMake project version).
#pragma once

#include <string_view>

#ifndef CONFLUX_VERSION
#define CONFLUX_VERSION "0.0.0"
#endif

namespace conflux::core {
inline constexpr std::string_view kVersion = CONFLUX_VERSION;
}
