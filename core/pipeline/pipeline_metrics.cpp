// core/pipeline — PipelineMetrics construction (see pipeline_metrics.h).
// Thread-safety: construct on one thread; the instruments are lock-free.
#include "core/pipeline/pipeline_metrics.h"

#include <string>

namespace conflux::core {

PipelineMetrics::PipelineMetrics(Metrics& metrics)
    : published(metrics.counter("conflux_pipeline_published_total",
                                "Messages that went through the pipeline and were acknowledged")),
      stored(metrics.counter("conflux_pipeline_stored_messages_total",
                             "Messages committed to the message store")),
      queue_depth(
          metrics.gauge("conflux_pipeline_queue_depth", "Publishes accepted and not yet answered")),
      latency(metrics.histogram("conflux_pipeline_latency_seconds",
                                "Time from publish to acknowledgement (after the durable commit)",
                                default_latency_buckets())) {
  for (std::size_t i = 0; i < kRejectReasons; ++i)
    rejected_[i] = &metrics.counter(
        "conflux_pipeline_rejected_total", "Publishes answered with an error, by reason",
        {{"reason", std::string(to_string(static_cast<RejectReason>(i)))}});
}

}  // namespace conflux::core
