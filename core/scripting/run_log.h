// core/scripting — RunLog: the last runs of each script and on each thing's
// messages, in memory (a restart forgets them). Bounded: `per_script` runs
// per script, `per_thing` runs per thing, at most `max_things` things (the
// least recently inserted thing is forgotten first).
//
// Thread-safety: all methods may be called from any thread (one mutex).
#pragma once

#include <cstddef>
#include <deque>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "conflux/scripts.h"

namespace conflux::core::scripting {

class RunLog {
 public:
  explicit RunLog(std::size_t per_script = 50, std::size_t per_thing = 20,
                  std::size_t max_things = 10'000);

  void record(ScriptRun run);
  // Newest first, at most `limit`.
  std::vector<ScriptRun> for_thing(std::string_view thing_id, std::size_t limit) const;
  std::vector<ScriptRun> for_script(std::string_view script_id, std::size_t limit) const;
  void forget_script(std::string_view script_id);
  void forget_thing(std::string_view thing_id);

 private:
  using Ring = std::deque<ScriptRun>;
  static std::vector<ScriptRun> newest(const Ring& ring, std::size_t limit);

  std::size_t per_script_;
  std::size_t per_thing_;
  std::size_t max_things_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Ring> by_script_;
  std::unordered_map<std::string, Ring> by_thing_;
  std::list<std::string> thing_order_;  // insertion order, for eviction
};

}  // namespace conflux::core::scripting
