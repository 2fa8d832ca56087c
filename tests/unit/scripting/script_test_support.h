// tests/unit/scripting — helpers: compile a script from text, build SenML
// and JSON messages, read the library scripts from scripts/.
//
// Thread-safety: plain helpers.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

#include "conflux/testing.h"
#include "core/scripting/compiled_script.h"

namespace conflux::core::scripting::testing {

inline ScriptSpec spec(std::string source, std::string name = "test",
                       ScriptPolicy policy = ScriptPolicy::pass) {
  ScriptSpec s;
  s.id = "script-" + name;
  s.name = std::move(name);
  s.source = std::move(source);
  s.policy = policy;
  return s;
}

// Compiles or throws (so a test fails loudly with the compiler's message).
inline std::shared_ptr<const CompiledScript> compile(std::string source, std::string name = "test",
                                                     ScriptLimits limits = {},
                                                     Logger* log = nullptr) {
  auto s = spec(std::move(source), std::move(name));
  s.limits = limits;
  auto c = CompiledScript::compile(std::move(s), log);
  if (!c) throw std::runtime_error(c.error().message);
  return *c;
}

inline SenmlRecord record(std::string name, double v, std::string unit = "",
                          std::int64_t time = 1'700'000'000'000'000'000) {
  SenmlRecord r;
  r.name = std::move(name);
  r.value = v;
  r.unit = std::move(unit);
  r.time = time;
  return r;
}

inline Message senml_message(std::vector<SenmlRecord> records, std::string publisher = "thing-1") {
  Message m;
  m.publisher = std::move(publisher);
  m.group = "group-1";
  m.profile = "profile-1";
  m.protocol = "http";
  m.subtopic = "room.1";
  m.content_type = "application/senml+json";
  m.created = 1'700'000'000'500'000'000;
  m.format = MessageFormat::senml;
  m.records = std::move(records);
  return m;
}

inline Message json_message(std::string json, std::string publisher = "thing-1") {
  Message m;
  m.publisher = std::move(publisher);
  m.group = "group-1";
  m.profile = "profile-1";
  m.protocol = "mqtt";
  m.subtopic = "";
  m.content_type = "application/json";
  m.created = 1'700'000'000'500'000'000;
  m.format = MessageFormat::json;
  m.json = std::move(json);
  return m;
}

inline std::string read_library_script(const std::string& relative) {
  std::ifstream in(std::string(CONFLUX_SCRIPTS_DIR) + "/" + relative);
  if (!in) throw std::runtime_error("cannot read scripts/" + relative);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace conflux::core::scripting::testing
