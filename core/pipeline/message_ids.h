// core/pipeline — message ids: random (v4) UUIDs in their canonical text form
// ("8-4-4-4-12" lower-case hex).
//
// Thread-safety: thread-safe; each thread keeps its own Boost.UUID generator
// (a Mersenne Twister seeded from the OS entropy source on first use), so ids
// are made without locks or system calls.
#pragma once

#include <string>

namespace conflux::core {

std::string new_message_id();

}  // namespace conflux::core
