// core/log — the process log state (one LineSink, one level), init_logging
// and the scoped loggers. Before init_logging runs, loggers write text lines
// at info level to stderr.
//
// Thread-safety: init_logging/init_logging_to are start-up calls; loggers are
// thread-safe (the level is atomic, the sink serializes writes).
#include "core/log/logging.h"

#include <spdlog/logger.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdio>

#include "core/log/line_sink.h"
#include "core/log/log_output.h"

namespace conflux::core {
namespace {

struct LogState {
  std::shared_ptr<LineSink> sink = std::make_shared<LineSink>(stderr, LogFormat::text);
  std::atomic<LogLevel> level{LogLevel::info};
};

// Never destroyed: threads may still log while static destructors run.
LogState& state() {
  static LogState* log_state = new LogState();
  return *log_state;
}

class ScopedLogger final : public Logger {
 public:
  explicit ScopedLogger(std::string scope) : scope_(std::move(scope)), state_(state()) {}

  bool enabled(LogLevel level) const noexcept override {
    return level != LogLevel::off && level >= state_.level.load(std::memory_order_relaxed);
  }

  void write(LogLevel level, std::string_view message) noexcept override {
    if (!enabled(level)) return;
    try {
      spdlog::details::log_msg record(
          spdlog::source_loc{}, spdlog::string_view_t(scope_.data(), scope_.size()),
          to_spdlog_level(level), spdlog::string_view_t(message.data(), message.size()));
      state_.sink->log(record);
    } catch (...) {
      // A logger never throws; a line that cannot be written is dropped.
    }
  }

 private:
  std::string scope_;
  LogState& state_;
};

void install(LineSink::Output output, LogLevel level, LogFormat format) {
  LogState& s = state();
  s.sink->configure(output, format);
  s.level.store(level, std::memory_order_relaxed);
  // Code that logs through spdlog directly lands in the same sink, scope "conflux".
  auto default_logger = std::make_shared<spdlog::logger>("conflux", s.sink);
  default_logger->set_level(to_spdlog_level(level));
  spdlog::set_default_logger(std::move(default_logger));
}

}  // namespace

void init_logging(LogLevel level, LogFormat format) { install(stderr, level, format); }

void init_logging_to(std::ostream& out, LogLevel level, LogFormat format) {
  install(&out, level, format);
}

std::unique_ptr<Logger> make_logger(std::string scope) {
  return std::make_unique<ScopedLogger>(std::move(scope));
}

}  // namespace conflux::core
