// tests/support — ConfluxProcess implementation (posix_spawn + a log file).
#include "tests/support/conflux_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace conflux::test {
namespace {

std::filesystem::path env_path(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) throw std::runtime_error(std::string(name) + " is not set (run through ctest)");
  return v;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::filesystem::path conflux_binary() { return env_path("CONFLUX_BINARY"); }
std::filesystem::path build_dir() { return env_path("CONFLUX_BUILD_DIR"); }
std::filesystem::path source_dir() { return env_path("CONFLUX_SOURCE_DIR"); }

ConfluxProcess::ConfluxProcess(ConfluxOptions options) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "conflux-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;

  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    if (eq == std::string::npos || kv.rfind("CONFLUX_", 0) == 0) continue;
    env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  env["CONFLUX_HTTP_LISTEN"] = "127.0.0.1:0";
  env["CONFLUX_STORAGE_PATH"] = (dir_ / "data").string();
  env["CONFLUX_PLUGINS_DIR"] = (build_dir() / "plugins").string();
  env["CONFLUX_LOG_LEVEL"] = "debug";
  env["CONFLUX_MQTT_ENABLED"] = "false";
  for (auto& [k, v] : options.env) env[k] = v;

  std::vector<std::string> args{conflux_binary().string()};
  for (auto& a : options.args) args.push_back(a);
  if (options.config_toml) {
    auto file = dir_ / "conflux.toml";
    std::ofstream(file) << *options.config_toml;
    args.push_back("--config");
    args.push_back(file.string());
  }

  std::vector<std::string> env_strings;
  for (auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  auto log_path = (dir_ / "log").string();
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("posix_spawn failed: " + std::to_string(rc));
}

ConfluxProcess::~ConfluxProcess() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  std::error_code ec;
  if (!std::getenv("CONFLUX_TEST_KEEP")) std::filesystem::remove_all(dir_, ec);
}

bool ConfluxProcess::running() {
  if (exit_code_ || pid_ <= 0) return false;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exit_code_ = decode_status(status);
    return false;
  }
  return true;
}

std::string ConfluxProcess::log() const {
  std::ifstream in(dir_ / "log");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool ConfluxProcess::wait_for_log(const std::string& needle,
                                  std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (log().find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

bool ConfluxProcess::wait_ready(std::chrono::milliseconds timeout) {
  static const std::regex listening(R"(http listening on [^\s]*:(\d+))");
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch m;
    std::string text = log();
    if (std::regex_search(text, m, listening)) {
      port_ = static_cast<std::uint16_t>(std::stoi(m[1].str()));
      return true;
    }
    if (!running()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

int ConfluxProcess::wait_exit(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return exit_code_.value_or(-1);
}

int ConfluxProcess::stop(int signal, std::chrono::milliseconds timeout) {
  if (running()) ::kill(pid_, signal);
  int code = wait_exit(timeout);
  if (code == -1 && running()) {
    ::kill(pid_, SIGKILL);
    wait_exit(std::chrono::seconds(5));
    return -1;
  }
  return code;
}

int run_command(const std::string& command, const std::filesystem::path& log_file) {
  std::string cmd = command;
  if (!log_file.empty()) cmd += " >>'" + log_file.string() + "' 2>&1";
  int status = std::system(cmd.c_str());
  return status == -1 ? -1 : decode_status(status);
}

}  // namespace conflux::test
