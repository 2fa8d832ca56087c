// core/store/plugin_outbox.cpp — PluginOutbox: name mapping and access
// checks, then OutboxQueues. Errors found before queueing a write are still
// delivered through `done` on the store's completion thread.
// Thread-safety: see plugin_outbox.h.
#include "core/store/plugin_outbox.h"

#include <fmt/format.h>

#include <exception>

#include "core/store/outbox_codec.h"
#include "core/store/outbox_queues.h"

namespace conflux::core::store {
namespace {

constexpr std::string_view kSubscription = "subscription:";

// Delivers `error` to `done` from the completion thread.
template <class Done>
void fail_later(LmdbEnv& env, Error error, Done done) {
  env.write([error](WriteTxn&) -> Status { return std::unexpected(error); },
            [error, done = std::move(done)](Status s) {
              if (!done) return;
              // The job always fails; a refused queue (closing, full) has its own error.
              done(std::unexpected(s ? error : std::move(s).error()));
            });
}

}  // namespace

Result<std::string> PluginOutbox::resolve(std::string_view queue) const {
  if (queue.starts_with(kSubscription)) {
    const auto name = queue.substr(kSubscription.size());
    if (!queues_.granted(plugin_, name)) {
      return fail(ErrorCode::permission_denied,
                  fmt::format("outbox: plugin {} may not read queue {}", plugin_, queue));
    }
    return std::string(queue);
  }
  auto full = plugin_queue(plugin_, queue);
  CONFLUX_RETURN_IF_ERROR(check_queue_name(queue));
  return full;
}

void PluginOutbox::enqueue(std::string_view queue, std::string payload, std::int64_t due,
                           std::function<void(Result<std::uint64_t>)> done) noexcept {
  try {
    if (queue.starts_with(kSubscription)) {
      fail_later(queues_.env(),
                 Error{ErrorCode::permission_denied,
                       "outbox: subscription queues are filled by the pipeline"},
                 std::move(done));
      return;
    }
    auto full = resolve(queue);
    if (!full) {
      fail_later(queues_.env(), full.error(), std::move(done));
      return;
    }
    queues_.enqueue(std::move(*full), std::move(payload), due, std::move(done));
  } catch (const std::exception&) {
    if (done) done(fail(ErrorCode::internal, "outbox enqueue could not be queued"));
  }
}

Result<std::vector<OutboxItem>> PluginOutbox::claim(std::string_view queue, std::size_t max,
                                                    std::chrono::milliseconds lease) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto full, resolve(queue));
    return queues_.claim(full, max, lease);
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, fmt::format("outbox claim: {}", e.what()));
  }
}

void PluginOutbox::complete(std::string_view queue, std::uint64_t id,
                            std::function<void(Status)> done) noexcept {
  try {
    auto full = resolve(queue);
    if (!full) {
      fail_later(queues_.env(), full.error(), std::move(done));
      return;
    }
    queues_.complete(std::move(*full), id, std::move(done));
  } catch (const std::exception&) {
    if (done) done(fail(ErrorCode::internal, "outbox complete could not be queued"));
  }
}

void PluginOutbox::retry(std::string_view queue, std::uint64_t id, std::int64_t due,
                         std::string error, bool give_up,
                         std::function<void(Status)> done) noexcept {
  try {
    auto full = resolve(queue);
    if (!full) {
      fail_later(queues_.env(), full.error(), std::move(done));
      return;
    }
    queues_.retry(std::move(*full), id, due, std::move(error), give_up, std::move(done));
  } catch (const std::exception&) {
    if (done) done(fail(ErrorCode::internal, "outbox retry could not be queued"));
  }
}

Result<OutboxStats> PluginOutbox::stats(std::string_view queue) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto full, resolve(queue));
    return queues_.stats(full);
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, fmt::format("outbox stats: {}", e.what()));
  }
}

Result<std::vector<OutboxItem>> PluginOutbox::dead_letters(std::string_view queue,
                                                           std::size_t max) noexcept {
  try {
    CONFLUX_ASSIGN_OR_RETURN(auto full, resolve(queue));
    return queues_.dead_letters(full, max);
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, fmt::format("outbox dead letters: {}", e.what()));
  }
}

}  // namespace conflux::core::store
