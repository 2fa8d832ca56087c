// tests/support — ConfluxProcess: runs the real `conflux` binary for an
// integration test, in a private temp directory, and stops it.
//
// Defaults, set as environment variables so they win over a config file
// (each overridable through `env`): CONFLUX_HTTP_LISTEN=127.0.0.1:0,
// CONFLUX_STORAGE_PATH=<tmp>/data, CONFLUX_PLUGINS_DIR=<build>/plugins,
// CONFLUX_LOG_LEVEL=debug, CONFLUX_MQTT_ENABLED=false (the MQTT plugin's
// default broker is tcp://127.0.0.1:1883: no test may depend on, or connect
// to, whatever listens there; MQTT tests set it to true with their own
// broker). Inherited CONFLUX_* variables are dropped so the test controls the
// whole configuration. stdout and stderr go to <tmp>/log.
// The bound port is read from the "http listening on <addr>:<port>" line.
//
// Thread-safety: one test thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace conflux::test {

// The conflux binary under test ($CONFLUX_BINARY, set by conflux_add_test).
std::filesystem::path conflux_binary();
// The build tree ($CONFLUX_BUILD_DIR) and the source tree ($CONFLUX_SOURCE_DIR).
std::filesystem::path build_dir();
std::filesystem::path source_dir();

struct ConfluxOptions {
  std::vector<std::string> args{"serve"};
  std::map<std::string, std::string> env;
  // When set, written to <tmp>/conflux.toml and passed as --config.
  std::optional<std::string> config_toml;
};

class ConfluxProcess {
 public:
  explicit ConfluxProcess(ConfluxOptions options = {});
  ~ConfluxProcess();  // kills the process if it still runs; removes the temp dir
  ConfluxProcess(const ConfluxProcess&) = delete;
  ConfluxProcess& operator=(const ConfluxProcess&) = delete;

  // Waits until the listener is up; false when the process exited first or
  // the timeout passed (the log then says why).
  bool wait_ready(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  std::uint16_t port() const noexcept { return port_; }
  // Sends `signal` and waits for exit; returns the exit code (128+n when
  // killed by signal n), or -1 on timeout (the process is then killed).
  int stop(int signal = 15, std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Waits for the process to exit on its own; -1 on timeout.
  int wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  bool running();
  // Everything the process printed so far.
  std::string log() const;
  // Waits until the log contains `needle`.
  bool wait_for_log(const std::string& needle,
                    std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  const std::filesystem::path& dir() const noexcept { return dir_; }

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::uint16_t port_ = 0;
};

// Runs a shell command, returning its exit code; output goes to `log_file`
// when given.
int run_command(const std::string& command, const std::filesystem::path& log_file = {});

}  // namespace conflux::test
