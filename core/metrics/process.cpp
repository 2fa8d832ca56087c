// core/metrics — process_resident_bytes from /proc/self/statm.
//
// Thread-safety: reads procfs; safe from any thread.
#include <unistd.h>

#include <fstream>

#include "core/metrics/registry.h"

namespace conflux::core {

double process_resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size_pages = 0;
  std::uint64_t resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return 0;
  long page_size = ::sysconf(_SC_PAGESIZE);
  if (page_size <= 0) return 0;
  return static_cast<double>(resident_pages) * static_cast<double>(page_size);
}

}  // namespace conflux::core
