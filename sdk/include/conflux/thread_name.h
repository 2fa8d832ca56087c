// conflux/thread_name.h — names the calling thread, so operators see what
// each thread is in `top -H`, `ps -L`, gdb and perf. Conflux's own threads
// are named `cfx-<area>[-<n>]`; a plugin names its threads `cfx-<plugin>...`.
//
// Linux keeps 15 bytes: a longer name is cut. Header-only.
//
// Thread-safety: affects the calling thread only.
#pragma once

#include <pthread.h>

#include <algorithm>
#include <string_view>

namespace conflux {

inline void name_this_thread(std::string_view name) noexcept {
  char buffer[16] = {};
  name.copy(buffer, std::min<std::size_t>(name.size(), sizeof(buffer) - 1));
  pthread_setname_np(pthread_self(), buffer);
}

}  // namespace conflux
