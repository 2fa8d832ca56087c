// core/plugin_host — what an exception escaping plugin code said, for the
// error recorded against that plugin.
//
// Thread-safety: call only inside a catch block; thread-safe.
#pragma once

#include <exception>
#include <string>

namespace conflux::core {

// The what() of the exception being handled, or "unknown exception".
inline std::string current_exception_text() {
  try {
    throw;
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace conflux::core
