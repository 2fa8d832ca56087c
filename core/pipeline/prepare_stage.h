// core/pipeline — the CPU stage of a publish, run on a worker thread: format
// the raw message for its profile (core/messages), run the transform hook,
// and give every resulting message an id and a reception time.
//
// Thread-safety: pure apart from the hook, which must itself be thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "conflux/message.h"
#include "conflux/status.h"
#include "core/pipeline/pipeline_metrics.h"
#include "core/pipeline/transform_hook.h"

namespace conflux::core {

struct PrepareError {
  RejectReason reason;
  Error error;
};

// `raw.created` must be set (the reception time; relative SenML times and
// JSON documents without a time field use it). `hook` null = identity. The
// result may be empty (the hook dropped everything).
std::expected<std::vector<Message>, PrepareError> prepare_messages(const Message& raw,
                                                                   const ProfileConfig& profile,
                                                                   TransformHook* hook);

}  // namespace conflux::core
