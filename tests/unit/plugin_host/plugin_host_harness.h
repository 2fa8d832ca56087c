// tests/unit/plugin_host — a PluginHost wired to the SDK fakes, plus helpers
// to reach the fixture plugins (built into CONFLUX_TEST_PLUGIN_DIR), send
// requests through the fake routes and read the state gauge.
//
// Thread-safety: single-threaded test use.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/testing.h"
#include "core/config/config.h"
#include "core/plugin_host/plugin_host.h"
#include "core/plugin_host/prefixed_logger.h"

namespace conflux::core::test {

inline std::filesystem::path fixture_dir() { return CONFLUX_TEST_PLUGIN_DIR; }

inline std::filesystem::path fixture(std::string_view name) {
  return fixture_dir() / ("conflux-plugin-" + std::string(name) + ".so");
}

// Members are declared so that the host goes first, before the config and the
// fakes it borrows.
struct Harness {
  testing::CaptureLogger host_log;
  testing::CaptureLogger plugin_log;  // every plugin's lines, "[plugin:<name>] ..."
  boost::asio::io_context io;
  testing::FakeClock clock;
  testing::FakeRoutes routes;
  testing::FakeHttpClient http_client;
  testing::FakeMetrics metrics;
  std::optional<Config> config;
  std::unique_ptr<PluginHost> host;

  PluginServices services() {
    PluginServices s;
    s.io = &io;
    s.clock = &clock;
    s.routes = &routes;
    s.http_client = &http_client;
    s.metrics = &metrics;
    s.make_logger = [this](std::string scope) -> std::unique_ptr<Logger> {
      return std::make_unique<PrefixedLogger>(plugin_log, std::move(scope));
    };
    return s;
  }

  // Builds the host over `toml` and `env`.
  PluginHost& make(std::string_view toml = "", Environment env = {}) {
    return make_with(services(), toml, std::move(env));
  }
  PluginHost& make_with(PluginServices s, std::string_view toml = "", Environment env = {}) {
    auto parsed = Config::parse(toml, "test.toml", std::move(env));
    if (!parsed) ADD_FAILURE() << "config: " << parsed.error().message;
    config.emplace(parsed ? std::move(*parsed) : Config::defaults({}));
    host = std::make_unique<PluginHost>(std::move(s), *config, host_log);
    return *host;
  }

  // Loads each fixture, expecting success.
  void load(std::initializer_list<std::string_view> names) {
    for (auto name : names) {
      auto loaded = host->load_file(fixture(name));
      EXPECT_TRUE(loaded) << name << ": " << (loaded ? "" : loaded.error().message);
    }
  }

  PluginInfo info(std::string_view name) const {
    auto found = host->find(name);
    if (!found) {
      ADD_FAILURE() << "no plugin " << name;
      return {};
    }
    return *found;
  }

  // GET `path` through the fake routes; status 0 when nobody answered.
  HttpResponse get(std::string path) {
    HttpResponse out;
    out.status = 0;
    HttpRequest request;
    request.method = HttpMethod::get;
    request.path = std::move(path);
    routes.dispatch(std::move(request), HttpReply([&out](HttpResponse r) { out = std::move(r); }));
    return out;
  }

  double gauge(std::string_view plugin, PluginState state) {
    return metrics
        .gauge("conflux_plugin_state", "",
               {{"plugin", std::string(plugin)}, {"state", std::string(to_string(state))}})
        .value();
  }

  // Plugin log lines containing `needle`, in order.
  std::vector<std::string> plugin_lines(std::string_view needle) const {
    std::vector<std::string> out;
    for (const auto& line : plugin_log.lines()) {
      if (line.text.find(needle) != std::string::npos) out.push_back(line.text);
    }
    return out;
  }
};

}  // namespace conflux::core::test
