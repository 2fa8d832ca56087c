// core/runtime — RetentionTask (see retention_task.h).
#include "core/runtime/retention_task.h"

#include "conflux/thread_name.h"

namespace conflux::core {

RetentionTask::RetentionTask(RetentionOptions options, Clock& clock, store::MessageStore& messages,
                             Logger& log)
    : options_(options), clock_(clock), messages_(messages), log_(log) {
  if (!options_.enabled()) return;
  thread_ = std::thread([this] {
    name_this_thread("cfx-retention");
    run();
  });
  arm(state_, clock_, options_.interval);
}

RetentionTask::~RetentionTask() { stop(); }

void RetentionTask::stop() {
  TimerId timer;
  {
    std::lock_guard lock(state_->mu);
    if (state_->stopping) return;
    state_->stopping = true;
    timer = state_->timer;
  }
  if (timer) clock_.cancel(timer);
  state_->cv.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::uint64_t RetentionTask::deleted() const {
  std::lock_guard lock(state_->mu);
  return state_->deleted;
}

void RetentionTask::arm(const std::shared_ptr<State>& state, Clock& clock,
                        std::chrono::milliseconds interval) {
  std::lock_guard lock(state->mu);
  if (state->stopping) return;
  state->timer = clock.call_after(interval, [state, &clock, interval] {
    {
      std::lock_guard inner(state->mu);
      if (state->stopping) return;
      state->due = true;
    }
    state->cv.notify_all();
    arm(state, clock, interval);
  });
}

void RetentionTask::run() {
  for (;;) {
    {
      std::unique_lock lock(state_->mu);
      state_->cv.wait(lock, [this] { return state_->due || state_->stopping; });
      if (state_->stopping) return;
      state_->due = false;
    }
    sweep();
  }
}

void RetentionTask::sweep() {
  for (;;) {
    {
      std::lock_guard lock(state_->mu);
      if (state_->stopping) return;
    }
    auto step = messages_.apply_retention(clock_.now_ns(), options_.max_age,
                                          options_.max_size_bytes, options_.max_rows_per_step);
    if (!step) {
      log_.warn("retention step failed: {}", step.error().message);
      return;
    }
    {
      std::lock_guard lock(state_->mu);
      state_->deleted += *step;
    }
    if (*step > 0) log_.debug("retention deleted {} message row(s)", *step);
    if (*step < options_.max_rows_per_step) return;
  }
}

}  // namespace conflux::core
