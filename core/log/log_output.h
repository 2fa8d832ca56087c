// core/log (internal) — init_logging with an explicit destination, so tests
// can capture exactly what the process logger writes.
//
// Thread-safety: like init_logging, call before other threads log.
#pragma once

#include <ostream>

#include "core/log/logging.h"

namespace conflux::core {

// init_logging, but lines go to `out` instead of stderr. `out` must outlive
// every log call until the next init_logging / init_logging_to call.
void init_logging_to(std::ostream& out, LogLevel level, LogFormat format);

}  // namespace conflux::core
