// conflux — memory_allocator() (see allocator.h).
#include "core/src/allocator.h"

#ifdef CONFLUX_WITH_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

namespace conflux::core {

std::string memory_allocator() {
#ifdef CONFLUX_WITH_JEMALLOC
  const char* version = nullptr;
  std::size_t size = sizeof(version);
  if (mallctl("version", &version, &size, nullptr, 0) == 0 && version)
    return std::string("jemalloc ") + version;
  return "jemalloc";
#else
  return "glibc malloc";
#endif
}

}  // namespace conflux::core
