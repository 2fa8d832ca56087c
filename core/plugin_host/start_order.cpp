// core/plugin_host — plan_start_order: cycle detection, then Kahn's algorithm
// with a name-ordered ready set.
//
// Thread-safety: see start_order.h.
#include "core/plugin_host/start_order.h"

#include <set>

namespace conflux::core {
namespace {

using Graph = std::map<std::string, std::set<std::string>>;

// `after` restricted to known names, without duplicates.
Graph known_edges(const std::map<std::string, std::vector<std::string>>& after) {
  Graph graph;
  for (const auto& [name, deps] : after) {
    auto& edges = graph[name];
    for (const auto& dep : deps) {
      if (after.contains(dep)) edges.insert(dep);
    }
  }
  return graph;
}

// True when `start` can reach itself by following `after` edges.
bool on_cycle(const Graph& graph, const std::string& start) {
  std::set<std::string> seen;
  std::vector<std::string> pending(graph.at(start).begin(), graph.at(start).end());
  while (!pending.empty()) {
    std::string name = std::move(pending.back());
    pending.pop_back();
    if (name == start) return true;
    if (!seen.insert(name).second) continue;
    const auto& next = graph.at(name);
    pending.insert(pending.end(), next.begin(), next.end());
  }
  return false;
}

}  // namespace

StartPlan plan_start_order(const std::map<std::string, std::vector<std::string>>& after) {
  StartPlan plan;
  Graph graph = known_edges(after);
  for (const auto& [name, deps] : graph) {
    if (on_cycle(graph, name)) plan.cyclic.push_back(name);
  }
  std::set<std::string> cyclic(plan.cyclic.begin(), plan.cyclic.end());

  // Remaining dependencies per plugin, and who waits for whom.
  std::map<std::string, std::size_t> waiting_on;
  std::map<std::string, std::vector<std::string>> followers;
  std::set<std::string> ready;
  for (const auto& [name, deps] : graph) {
    if (cyclic.contains(name)) continue;
    std::size_t count = 0;
    for (const auto& dep : deps) {
      if (cyclic.contains(dep)) continue;
      followers[dep].push_back(name);
      ++count;
    }
    waiting_on[name] = count;
    if (count == 0) ready.insert(name);
  }

  while (!ready.empty()) {
    std::string name = *ready.begin();
    ready.erase(ready.begin());
    plan.order.push_back(name);
    for (const auto& follower : followers[name]) {
      if (--waiting_on[follower] == 0) ready.insert(follower);
    }
  }
  return plan;
}

}  // namespace conflux::core
