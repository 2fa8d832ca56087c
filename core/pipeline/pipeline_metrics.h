// core/pipeline — the pipeline's instruments, created once so the hot path
// only touches atomics:
//   conflux_pipeline_published_total         messages through the pipeline (acknowledged)
//   conflux_pipeline_stored_messages_total   messages committed to the message store
//   conflux_pipeline_rejected_total{reason}  publishes answered with an error
//   conflux_pipeline_queue_depth             publishes accepted and not yet answered
//   conflux_pipeline_latency_seconds         publish → acknowledgement (after the commit)
//
// Thread-safety: instruments are lock-free; construct on one thread.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "conflux/metrics.h"
#include "conflux/status.h"

namespace conflux::core {

// Why a publish was refused; the `reason` label.
enum class RejectReason : std::size_t {
  queue_full,  // the bounded queue is full (unavailable)
  stopped,     // the pipeline is not running (unavailable)
  no_config,   // the profile has no usable message config (failed_precondition)
  invalid,     // the payload is malformed (invalid_argument)
  transform,   // the transform hook failed
  store,       // the durable commit failed
};
inline constexpr std::size_t kRejectReasons = 6;

constexpr std::string_view to_string(RejectReason r) noexcept {
  switch (r) {
    case RejectReason::queue_full:
      return "queue_full";
    case RejectReason::stopped:
      return "stopped";
    case RejectReason::no_config:
      return "no_config";
    case RejectReason::invalid:
      return "invalid";
    case RejectReason::transform:
      return "transform";
    case RejectReason::store:
      return "store";
  }
  return "unknown";
}

// The reason label for a format-stage error.
constexpr RejectReason format_reject_reason(ErrorCode code) noexcept {
  return code == ErrorCode::failed_precondition ? RejectReason::no_config : RejectReason::invalid;
}

struct PipelineMetrics {
  explicit PipelineMetrics(Metrics& metrics);

  Counter& rejected(RejectReason reason) noexcept {
    return *rejected_[static_cast<std::size_t>(reason)];
  }

  Counter& published;
  Counter& stored;
  Gauge& queue_depth;
  Histogram& latency;

 private:
  std::array<Counter*, kRejectReasons> rejected_{};
};

}  // namespace conflux::core
