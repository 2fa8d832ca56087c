// core/scripting — RunLog (see run_log.h).
// Thread-safety: see run_log.h.
#include "core/scripting/run_log.h"

namespace conflux::core::scripting {

RunLog::RunLog(std::size_t per_script, std::size_t per_thing, std::size_t max_things)
    : per_script_(per_script), per_thing_(per_thing), max_things_(max_things) {}

void RunLog::record(ScriptRun run) {
  std::lock_guard lock(mu_);
  if (!run.thing_id.empty()) {
    auto [it, inserted] = by_thing_.try_emplace(run.thing_id);
    if (inserted) {
      thing_order_.push_back(run.thing_id);
      if (thing_order_.size() > max_things_) {
        by_thing_.erase(thing_order_.front());
        thing_order_.pop_front();
      }
      it = by_thing_.find(run.thing_id);
    }
    if (it != by_thing_.end()) {
      it->second.push_back(run);
      if (it->second.size() > per_thing_) it->second.pop_front();
    }
  }
  auto& ring = by_script_[run.script_id];
  ring.push_back(std::move(run));
  if (ring.size() > per_script_) ring.pop_front();
}

std::vector<ScriptRun> RunLog::newest(const Ring& ring, std::size_t limit) {
  std::vector<ScriptRun> out;
  for (auto it = ring.rbegin(); it != ring.rend() && out.size() < limit; ++it) out.push_back(*it);
  return out;
}

std::vector<ScriptRun> RunLog::for_thing(std::string_view thing_id, std::size_t limit) const {
  std::lock_guard lock(mu_);
  auto it = by_thing_.find(std::string(thing_id));
  return it == by_thing_.end() ? std::vector<ScriptRun>{} : newest(it->second, limit);
}

std::vector<ScriptRun> RunLog::for_script(std::string_view script_id, std::size_t limit) const {
  std::lock_guard lock(mu_);
  auto it = by_script_.find(std::string(script_id));
  return it == by_script_.end() ? std::vector<ScriptRun>{} : newest(it->second, limit);
}

void RunLog::forget_script(std::string_view script_id) {
  std::lock_guard lock(mu_);
  by_script_.erase(std::string(script_id));
}

void RunLog::forget_thing(std::string_view thing_id) {
  std::lock_guard lock(mu_);
  std::string id(thing_id);
  if (by_thing_.erase(id) > 0) thing_order_.remove(id);
}

}  // namespace conflux::core::scripting
