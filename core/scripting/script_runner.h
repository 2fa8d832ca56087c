// core/scripting — the `conflux script test FILE.lua --input MSG.json
// [--function transform|decode|encode]` runner: compiles a script file the
// way the service does and runs one function on an input document, printing
// JSON (the script author's inner loop; see docs/lua.md).
//
// Input (JSON):
//   transform: a message object {"publisher", "subtopic", "protocol",
//              "content_type", "created" (ns), and "records" (a SenML pack:
//              base fields resolved as the pipeline does) or "payload" (any
//              JSON)}, or a bare SenML pack;
//   decode:    {"hex": "03 67 01 10" | "base64": "..." | "text": "...",
//               "meta": {...}};
//   encode:    {"records": [SenML pack], "meta": {...}}.
// Output (JSON text): transform → an array of the resulting messages ([]
// when dropped); decode → {"records": [...]} or {"payload": ...}; encode →
// {"hex": "...", "base64": "...", "meta": {...}}. Record times `t` are
// seconds.
//
// Errors: invalid_argument naming the problem: unreadable input, the
// compiler's or the script's "<file>:<line>: <message>", a deadline
// (timeout) or the memory cap (resource_exhausted).
//
// Thread-safety: runs on the calling thread; no shared state.
#pragma once

#include <string>
#include <string_view>

#include "conflux/status.h"

namespace conflux::core::scripting {

Result<std::string> run_script_test(std::string_view script_name, std::string_view source,
                                    std::string_view input_json, std::string_view function);

}  // namespace conflux::core::scripting
