// core/log (internal) — the spdlog sink behind every Conflux logger: formats
// each record as one text or JSON line (line_format.h) and writes it to
// stderr or to a stream. The record's logger name is the line's scope.
//
// Thread-safety: thread-safe; records, flushes and reconfiguration are
// serialized by the sink's mutex.
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <cstdio>
#include <mutex>
#include <ostream>
#include <variant>

#include "core/log/logging.h"

namespace conflux::core {

class LineSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  // Where lines go: a C stream (stderr) or a std::ostream; neither is owned.
  using Output = std::variant<std::FILE*, std::ostream*>;

  LineSink(Output output, LogFormat format) : output_(output), format_(format) {}

  // Switches destination and format between two records.
  void configure(Output output, LogFormat format);

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override;

 private:
  Output output_;
  LogFormat format_;
};

spdlog::level::level_enum to_spdlog_level(LogLevel level) noexcept;
LogLevel from_spdlog_level(spdlog::level::level_enum level) noexcept;

}  // namespace conflux::core
