// conflux — the command line: serve, version, plugins list|describe,
// config check, script test.
//
// Exit codes: 0 success, 1 runtime failure (e.g. cannot listen), 2 bad
// configuration or usage.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "conflux/abi.h"
#include "core/log/logging.h"
#include "core/plugin_host/plugin_host.h"
#include "core/runtime/runtime.h"
#include "core/runtime/settings.h"
#include "core/runtime/version.h"
#include "core/scripting/script_runner.h"
#include "core/src/allocator.h"

namespace {

using namespace conflux;
using namespace conflux::core;

constexpr int kExitFailure = 1;
constexpr int kExitConfig = 2;

std::string describe_value(const ConfigField& f) {
  if (f.secret) return "(secret)";
  return std::visit(
      [](const auto& v) -> std::string {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::monostate>)
          return "(none)";
        else if constexpr (std::is_same_v<V, std::string>)
          return fmt::format("\"{}\"", v);
        else if constexpr (std::is_same_v<V, bool>)
          return v ? "true" : "false";
        else if constexpr (std::is_same_v<V, std::chrono::milliseconds>)
          return fmt::format("\"{}ms\"", v.count());
        else if constexpr (std::is_same_v<V, std::vector<std::string>>)
          return fmt::format("[{}]", fmt::join(v, ", "));
        else if constexpr (std::is_same_v<V, std::vector<ConfigSection>>)
          return v.empty() ? "[]" : fmt::format("[{} entries]", v.size());
        else
          return fmt::format("{}", v);
      },
      f.default_value);
}

Result<Config> load_config(const std::string& file) {
  auto env = process_environment();
  if (file.empty()) return Config::defaults(std::move(env));
  return Config::load_file(file, std::move(env));
}

int serve(const std::string& config_file) {
  RuntimeOptions options;
  if (!config_file.empty()) options.config_file = config_file;
  options.environment = process_environment();
  auto runtime = Runtime::create(std::move(options));
  if (!runtime) {
    std::fprintf(stderr, "conflux: configuration error: %s\n", runtime.error().message.c_str());
    return kExitConfig;
  }
  if (auto started = (*runtime)->start(); !started) {
    std::fprintf(stderr, "conflux: %s\n", started.error().message.c_str());
    (*runtime)->stop();
    return kExitFailure;
  }
  (*runtime)->wait();
  (*runtime)->stop();
  return 0;
}

// Loads plugins without starting them, for `plugins list|describe`.
int with_plugins(const std::string& config_file, const std::string& dir_override,
                 const std::function<int(PluginHost&)>& body) {
  auto config = load_config(config_file);
  if (!config) {
    std::fprintf(stderr, "conflux: configuration error: %s\n", config.error().message.c_str());
    return kExitConfig;
  }
  auto settings = load_settings(*config);
  if (!settings) {
    std::fprintf(stderr, "conflux: configuration error: %s\n", settings.error().message.c_str());
    return kExitConfig;
  }
  init_logging(LogLevel::warn, LogFormat::text);
  auto log = make_logger("core");
  PluginServices services;
  services.make_logger = [](std::string scope) { return make_logger(std::move(scope)); };
  PluginHost host(std::move(services), *config, *log);
  host.load_directory(dir_override.empty() ? settings->plugins_dir
                                           : std::filesystem::path(dir_override));
  return body(host);
}

// `conflux script test`: prints the result (exit 0) or the error (exit 1).
int script_test(const std::string& file, const std::string& input, const std::string& function) {
  auto read = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  auto name = std::filesystem::path(file).filename().string();
  auto result = scripting::run_script_test(name, read(file), read(input), function);
  if (!result) {
    std::fprintf(stderr, "conflux: %s\n", result.error().message.c_str());
    return kExitFailure;
  }
  fmt::print("{}\n", *result);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Conflux — IoT protocol adapter framework"};
  app.require_subcommand(0, 1);
  std::string config_file;

  auto* serve_cmd = app.add_subcommand("serve", "Run Conflux (the default)");
  serve_cmd->add_option("-c,--config", config_file, "TOML configuration file")
      ->check(CLI::ExistingFile);

  auto* version_cmd = app.add_subcommand("version", "Print version, SDK ABI and build key");

  auto* config_cmd = app.add_subcommand("config", "Configuration tools");
  auto* check_cmd = config_cmd->add_subcommand("check", "Validate a configuration and exit");
  check_cmd->add_option("-c,--config", config_file, "TOML configuration file")
      ->check(CLI::ExistingFile);
  config_cmd->require_subcommand(1);

  auto* plugins_cmd = app.add_subcommand("plugins", "Inspect plugins");
  std::string plugins_dir, plugin_name;
  plugins_cmd->add_option("-c,--config", config_file, "TOML configuration file")
      ->check(CLI::ExistingFile);
  plugins_cmd->add_option("-d,--dir", plugins_dir, "Plugins directory (default: plugins.dir)");
  auto* list_cmd = plugins_cmd->add_subcommand("list", "List plugins and whether they load");
  auto* describe_cmd = plugins_cmd->add_subcommand("describe", "Print a plugin's config schema");
  describe_cmd->add_option("name", plugin_name, "Plugin name")->required();
  plugins_cmd->require_subcommand(1);

  auto* script_cmd = app.add_subcommand("script", "Lua script tools");
  auto* script_test_cmd =
      script_cmd->add_subcommand("test", "Run a Lua script on an input and print the result");
  std::string script_file, script_input, script_function = "transform";
  script_test_cmd->add_option("file", script_file, "The script (.lua)")
      ->required()
      ->check(CLI::ExistingFile);
  script_test_cmd->add_option("-i,--input", script_input, "The input (JSON), see docs/lua.md")
      ->required()
      ->check(CLI::ExistingFile);
  script_test_cmd
      ->add_option("-f,--function", script_function, "transform (default), decode or encode")
      ->check(CLI::IsMember({"transform", "decode", "encode"}));
  script_cmd->require_subcommand(1);

  CLI11_PARSE(app, argc, argv);

  if (*script_test_cmd) return script_test(script_file, script_input, script_function);
  if (*version_cmd) {
    fmt::print("conflux {}\nsdk abi {}.{}\nbuild key {}\nmemory allocator {}\n", kVersion,
               CONFLUX_SDK_ABI_MAJOR, CONFLUX_SDK_ABI_MINOR, CONFLUX_BUILD_KEY, memory_allocator());
    return 0;
  }
  if (*check_cmd) {
    auto config = load_config(config_file);
    auto settings =
        config ? load_settings(*config) : Result<Settings>(std::unexpected(config.error()));
    if (!settings) {
      std::fprintf(stderr, "conflux: configuration error: %s\n", settings.error().message.c_str());
      return kExitConfig;
    }
    fmt::print("configuration OK ({})\n", config->source());
    return 0;
  }
  if (*list_cmd) {
    return with_plugins(config_file, plugins_dir, [](PluginHost& host) {
      auto all = host.plugins();
      if (all.empty()) fmt::print("no plugins found\n");
      for (const auto& p : all) {
        fmt::print("{:<14} {:<9} {:<9} {:<8} {}\n", p.name, p.version, to_string(p.kind),
                   p.state == PluginState::failed ? "refused" : "ok",
                   p.state == PluginState::failed ? p.detail : p.description);
      }
      return 0;
    });
  }
  if (*describe_cmd) {
    return with_plugins(config_file, plugins_dir, [&](PluginHost& host) {
      auto p = host.find(plugin_name);
      if (!p) {
        std::fprintf(stderr, "conflux: no plugin named '%s'\n", plugin_name.c_str());
        return kExitFailure;
      }
      if (p->state == PluginState::failed) {
        std::fprintf(stderr, "conflux: plugin '%s' was refused: %s\n", plugin_name.c_str(),
                     p->detail.c_str());
        return kExitFailure;
      }
      fmt::print("{} {} ({})\n{}\nfile: {}\n\n[plugins.{}]\n", p->name, p->version,
                 to_string(p->kind), p->description, p->file, p->name);
      fmt::print("  {:<20} {:<12} {:<16} {}\n", "key", "type", "default", "description");
      fmt::print("  {:<20} {:<12} {:<16} {}\n", "enabled", "boolean", "true", "start this plugin");
      for (const auto& f : p->config) {
        fmt::print("  {:<20} {:<12} {:<16} {}{}\n", f.key, to_string(f.type), describe_value(f),
                   f.required ? "(required) " : "", f.description);
        // A table list's entry keys, as [[plugins.<name>.<key>]] shows them.
        for (const auto& e : f.fields)
          fmt::print("  {:<20} {:<12} {:<16} {}{}\n", f.key + "[]." + e.key, to_string(e.type),
                     describe_value(e), e.required ? "(required) " : "", e.description);
      }
      return 0;
    });
  }
  return serve(config_file);
}
