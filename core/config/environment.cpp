// core/config — process_environment: the CONFLUX_* variables of this process.
//
// Thread-safety: reads `environ`; do not call concurrently with setenv/putenv.
#include <unistd.h>

#include <string_view>

#include "core/config/config.h"

namespace conflux::core {

Environment process_environment() {
  constexpr std::string_view kPrefix = "CONFLUX_";
  Environment env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view variable(*entry);
    if (!variable.starts_with(kPrefix)) continue;
    std::size_t equals = variable.find('=');
    if (equals == std::string_view::npos) continue;
    env.emplace(std::string(variable.substr(0, equals)), std::string(variable.substr(equals + 1)));
  }
  return env;
}

}  // namespace conflux::core
