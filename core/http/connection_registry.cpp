// core/http — ConnectionRegistry implementation (see connection_registry.h).
#include "core/http/connection_registry.h"

#include <utility>
#include <vector>

namespace conflux::core {

bool ConnectionRegistry::add(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mu_);
  if (shutting_down_) return false;
  open_.emplace(connection.get(), connection);
  return true;
}

void ConnectionRegistry::remove(const Connection* connection) {
  std::function<void()> drained;
  {
    std::lock_guard lock(mu_);
    if (open_.erase(connection) == 0) return;
    if (shutting_down_ && open_.empty()) drained = std::exchange(on_drained_, nullptr);
  }
  if (drained) drained();
}

std::size_t ConnectionRegistry::size() const {
  std::lock_guard lock(mu_);
  return open_.size();
}

std::vector<std::shared_ptr<Connection>> ConnectionRegistry::snapshot() const {
  std::vector<std::shared_ptr<Connection>> out;
  std::lock_guard lock(mu_);
  out.reserve(open_.size());
  for (const auto& [key, weak] : open_)
    if (auto c = weak.lock()) out.push_back(std::move(c));
  return out;
}

void ConnectionRegistry::begin_shutdown(std::function<void()> on_drained) {
  std::function<void()> drained;
  {
    std::lock_guard lock(mu_);
    if (shutting_down_) return;
    shutting_down_ = true;
    if (open_.empty())
      drained = std::move(on_drained);
    else
      on_drained_ = std::move(on_drained);
  }
  if (drained) {
    drained();
    return;
  }
  for (const auto& c : snapshot()) c->finish_and_close();
}

void ConnectionRegistry::force_close_all() {
  for (const auto& c : snapshot()) c->force_close();
}

}  // namespace conflux::core
