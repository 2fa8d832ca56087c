// core/runtime — Runtime implementation.
#include "core/runtime/runtime.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "conflux/thread_name.h"
#include "core/http/router.h"
#include "core/http/server.h"
#include "core/http_client/pooled_client.h"
#include "core/log/logging.h"
#include "core/metrics/registry.h"
#include "core/plugin_host/plugin_host.h"
#include "core/runtime/asio_clock.h"
#include "core/runtime/health.h"
#include "core/runtime/services.h"
#include "core/runtime/version.h"

namespace conflux::core {

struct Runtime::Impl {
  Impl(Config cfg, Settings s)
      : config(std::move(cfg)),
        settings(std::move(s)),
        log(make_logger("core")),
        http_log(make_logger("core:http")),
        client_log(make_logger("core:http-client")),
        storage_log(make_logger("core:storage")),
        work(boost::asio::make_work_guard(io)),
        signals(io, SIGINT, SIGTERM),
        clock(io),
        client(io, *client_log, HttpClientOptions{}),
        server(io, router, metrics, *http_log, settings.http) {}

  Config config;
  Settings settings;
  std::unique_ptr<Logger> log, http_log, client_log, storage_log;
  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work;
  boost::asio::signal_set signals;
  AsioClock clock;
  MetricsRegistry metrics;
  Router router;
  PooledHttpClient client;
  HttpServer server;
  std::unique_ptr<PluginHost> plugins;
  std::unique_ptr<Services> services;  // opened by start(), closed by stop()
  std::vector<std::thread> threads;

  std::mutex mu;
  std::condition_variable cv;
  bool stop_requested = false;
  bool stopped = false;
  bool started = false;
};

Result<std::unique_ptr<Runtime>> Runtime::create(RuntimeOptions options) {
  Config config = Config::defaults(options.environment);
  if (options.config_file) {
    CONFLUX_ASSIGN_OR_RETURN(config, Config::load_file(*options.config_file, options.environment));
  }
  CONFLUX_ASSIGN_OR_RETURN(auto settings, load_settings(config));
  init_logging(settings.log_level, settings.log_format);

  auto impl = std::make_unique<Impl>(std::move(config), std::move(settings));
  PluginServices services;
  services.io = &impl->io;
  services.clock = &impl->clock;
  services.routes = &impl->router;
  services.http_client = &impl->client;
  services.metrics = &impl->metrics;
  services.make_logger = [](std::string scope) { return make_logger(std::move(scope)); };
  services.find_interface = [impl = impl.get()](std::string_view plugin,
                                                std::string_view name) -> void* {
    return impl->services ? impl->services->find_interface(plugin, name) : nullptr;
  };
  impl->plugins = std::make_unique<PluginHost>(std::move(services), impl->config, *impl->log);
  return std::unique_ptr<Runtime>(new Runtime(std::move(impl)));
}

Runtime::Runtime(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Runtime::~Runtime() { stop(); }

Status Runtime::start() {
  auto& m = *impl_;
  m.log->info("conflux {} starting (config: {}, {} io threads)", kVersion, m.config.source(),
              m.settings.threads);

  std::error_code ec;
  std::filesystem::create_directories(m.settings.storage_path, ec);
  if (ec)
    return fail(
        ErrorCode::unavailable,
        "cannot create storage.path '" + m.settings.storage_path.string() + "': " + ec.message());
  CONFLUX_ASSIGN_OR_RETURN(m.services,
                           Services::open(m.settings, m.clock, m.metrics, *m.storage_log));

  m.signals.async_wait([this](const boost::system::error_code& err, int signal) {
    if (err) return;
    impl_->log->info("received signal {}, stopping", signal);
    request_stop();
  });
  for (unsigned i = 0; i < m.settings.threads; ++i)
    m.threads.emplace_back([&m, i] {
      name_this_thread("cfx-io-" + std::to_string(i));
      m.io.run();
    });
  m.started = true;

  CONFLUX_RETURN_IF_ERROR(add_operational_routes(m.router, m.metrics, *m.plugins));
  auto loaded = m.plugins->load_directory(m.settings.plugins_dir);
  m.log->info("loaded {} plugin(s) from {}", loaded, m.settings.plugins_dir.string());
  m.plugins->start_all();
  m.router.freeze();

  CONFLUX_RETURN_IF_ERROR(m.server.start());
  m.log->info("http listening on {}", m.server.local_endpoint());
  return ok();
}

void Runtime::wait() {
  std::unique_lock lock(impl_->mu);
  impl_->cv.wait(lock, [&] { return impl_->stop_requested; });
}

void Runtime::request_stop() noexcept {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stop_requested = true;
  }
  impl_->cv.notify_all();
}

void Runtime::stop() {
  auto& m = *impl_;
  {
    std::lock_guard lock(m.mu);
    if (m.stopped) return;
    m.stopped = true;
    m.stop_requested = true;
  }
  m.cv.notify_all();
  if (m.started) {
    std::promise<void> drained;
    m.server.shutdown(m.settings.shutdown_timeout, [&drained] { drained.set_value(); });
    drained.get_future().wait();
    m.log->info("listener closed; stopping plugins");
  }
  m.plugins->stop_all();
  if (m.services) {
    m.services->stop();  // drops subscriptions, drains the pipeline
    m.services.reset();  // closes the stores and the env
    m.log->info("pipeline drained; storage closed");
  }
  m.client.shutdown();
  m.clock.cancel_all();
  boost::system::error_code ignored;
  m.signals.cancel(ignored);
  m.work.reset();
  m.io.stop();
  for (auto& t : m.threads) t.join();
  m.threads.clear();
  if (m.started) m.log->info("stopped");
}

std::string Runtime::http_endpoint() const { return impl_->server.local_endpoint(); }

const Settings& Runtime::settings() const noexcept { return impl_->settings; }

PluginHost& Runtime::plugins() noexcept { return *impl_->plugins; }

Services* Runtime::services() noexcept { return impl_->services.get(); }

}  // namespace conflux::core
