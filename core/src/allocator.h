// conflux — which malloc the executable runs on.
//
// The executable links jemalloc when the build found it (CONFLUX_JEMALLOC,
// on by default): the pipeline hands every message from thread to thread,
// and glibc's per-thread caches serve that producer/consumer pattern poorly
// (see docs/performance.md). Plugins, Lua and the libraries use the same
// allocator: the executable's malloc interposes process-wide.
#pragma once

#include <string>

namespace conflux::core {

// "jemalloc <version>" or "glibc malloc".
std::string memory_allocator();

}  // namespace conflux::core
