// core/plugin_host — the order plugins start in: topological over each
// descriptor's `after` list, ties broken by name.
//
// Thread-safety: a pure function; thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace conflux::core {

struct StartPlan {
  std::vector<std::string> order;   // start order (stop in reverse)
  std::vector<std::string> cyclic;  // plugins on a dependency cycle, by name
};

// `after` maps each plugin to start onto the plugins it must follow. Names not
// in the map are ignored. Plugins on a cycle (including one that lists itself)
// are left out of `order`; plugins that merely follow a cycle still start.
StartPlan plan_start_order(const std::map<std::string, std::vector<std::string>>& after);

}  // namespace conflux::core
