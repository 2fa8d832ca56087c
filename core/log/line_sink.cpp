// core/log (internal) — LineSink: formatting and writing one line per record.
//
// Thread-safety: sink_it_/flush_ run under base_sink's mutex; configure takes it.
#include "core/log/line_sink.h"

#include <string>

#include "core/log/line_format.h"

namespace conflux::core {

void LineSink::configure(Output output, LogFormat format) {
  std::lock_guard<std::mutex> lock(mutex_);
  output_ = output;
  format_ = format;
}

void LineSink::sink_it_(const spdlog::details::log_msg& msg) {
  std::string line =
      format_log_line(format_, msg.time, from_spdlog_level(msg.level),
                      std::string_view(msg.logger_name.data(), msg.logger_name.size()),
                      std::string_view(msg.payload.data(), msg.payload.size()));
  if (auto* file = std::get_if<std::FILE*>(&output_)) {
    std::fwrite(line.data(), 1, line.size(), *file);
    std::fflush(*file);
  } else if (auto* stream = std::get_if<std::ostream*>(&output_)) {
    (*stream)->write(line.data(), static_cast<std::streamsize>(line.size()));
    (*stream)->flush();
  }
}

void LineSink::flush_() {
  if (auto* file = std::get_if<std::FILE*>(&output_)) {
    std::fflush(*file);
  } else if (auto* stream = std::get_if<std::ostream*>(&output_)) {
    (*stream)->flush();
  }
}

spdlog::level::level_enum to_spdlog_level(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::trace:
      return spdlog::level::trace;
    case LogLevel::debug:
      return spdlog::level::debug;
    case LogLevel::info:
      return spdlog::level::info;
    case LogLevel::warn:
      return spdlog::level::warn;
    case LogLevel::error:
      return spdlog::level::err;
    case LogLevel::critical:
      return spdlog::level::critical;
    case LogLevel::off:
      return spdlog::level::off;
  }
  return spdlog::level::off;
}

LogLevel from_spdlog_level(spdlog::level::level_enum level) noexcept {
  switch (level) {
    case spdlog::level::trace:
      return LogLevel::trace;
    case spdlog::level::debug:
      return LogLevel::debug;
    case spdlog::level::info:
      return LogLevel::info;
    case spdlog::level::warn:
      return LogLevel::warn;
    case spdlog::level::err:
      return LogLevel::error;
    case spdlog::level::critical:
      return LogLevel::critical;
    default:
      return LogLevel::off;
  }
}

}  // namespace conflux::core
