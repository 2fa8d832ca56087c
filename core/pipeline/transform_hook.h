// core/pipeline — TransformHook: the stage between formatting and storage
// where a message can be modified, split into several or dropped (the Lua
// scripting area plugs its transforms in here).
//
// The pipeline calls `transform` once per formatted message, on a worker
// thread, possibly from several workers at once: implementations must be
// thread-safe (e.g. per-thread interpreter state).
//
// Contract: return the messages to keep (empty vector: drop; several: split;
// each is stored and fanned out as its own message — one with an empty `id`
// gets a fresh one, one with `created == 0` gets the input's time). An error
// fails the whole publish with that error; nothing of it is stored.
//
// Thread-safety: see above; IdentityTransform is stateless.
#pragma once

#include <utility>
#include <vector>

#include "conflux/message.h"
#include "conflux/status.h"

namespace conflux::core {

class TransformHook {
 public:
  virtual ~TransformHook() = default;
  virtual Result<std::vector<Message>> transform(Message&& message) noexcept = 0;
};

// Passes every message through unchanged (the default).
class IdentityTransform final : public TransformHook {
 public:
  Result<std::vector<Message>> transform(Message&& message) noexcept override {
    std::vector<Message> out;
    out.push_back(std::move(message));
    return out;
  }
};

}  // namespace conflux::core
