// core/plugin_host — PluginHost: loading libraries into entries, resolving
// config, starting in dependency order, stopping in reverse, and tearing down
// plugin -> context -> library.
//
// Thread-safety: load/start/stop from one thread (see plugin_host.h); the
// snapshot queries go through the thread-safe PluginStates.
#include "core/plugin_host/plugin_host.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <exception>
#include <map>
#include <system_error>
#include <utility>

#include "core/plugin_host/exception_text.h"
#include "core/plugin_host/plugin_config.h"
#include "core/plugin_host/plugin_context.h"
#include "core/plugin_host/plugin_library.h"
#include "core/plugin_host/plugin_states.h"
#include "core/plugin_host/prefixed_logger.h"
#include "core/plugin_host/start_order.h"

namespace conflux::core {
namespace {

// The first service start() needs that is not set, or "".
std::string missing_service(const PluginServices& services) {
  if (!services.io) return "io";
  if (!services.clock) return "clock";
  if (!services.routes) return "routes";
  if (!services.http_client) return "http_client";
  if (!services.metrics) return "metrics";
  return {};
}

bool is_plugin_file(const std::filesystem::directory_entry& entry) {
  std::error_code ec;
  if (!entry.is_regular_file(ec)) return false;
  const auto& path = entry.path();
  return path.extension() == ".so" && path.filename().string().starts_with("conflux-plugin-");
}

}  // namespace

struct PluginHost::Impl {
  // One loaded plugin. Members are destroyed bottom-up: the plugin first, then
  // its Host, then the library holding their code.
  struct Entry {
    boost::dll::shared_library library;
    std::unique_ptr<PluginContext> context;
    std::unique_ptr<Plugin> plugin;
    PluginDescriptor descriptor;
    std::string file;
    std::size_t index = 0;    // into states
    bool considered = false;  // start_all has looked at it
    bool started = false;     // start() succeeded and stop() has not run
  };

  Impl(PluginServices s, const Config& c, Logger& l)
      : services(std::move(s)), config(c), logger(l), states(l, services.metrics) {}
  ~Impl() {
    while (!entries.empty()) entries.pop_back();
  }

  Entry* find_entry(std::string_view name) {
    for (auto& entry : entries) {
      if (entry->descriptor.name == name) return entry.get();
    }
    return nullptr;
  }

  // Records a plugin refused at load and returns the error.
  Status refuse(PluginInfo info, Error error) {
    logger.error("refused plugin: {}", error.message);
    info.state = PluginState::failed;
    info.detail = error.message;
    states.add(std::move(info));
    return std::unexpected(std::move(error));
  }

  std::unique_ptr<Logger> make_plugin_logger(const std::string& name) {
    std::string scope = "plugin:" + name;
    if (services.make_logger) {
      try {
        if (auto made = services.make_logger(scope)) return made;
      } catch (...) {
        logger.warn("plugin {}: make_logger threw: {}", name, current_exception_text());
      }
    }
    return std::make_unique<PrefixedLogger>(logger, std::move(scope));
  }

  void warn_failed_dependencies(const Entry& entry) {
    for (const auto& dep : entry.descriptor.after) {
      auto info = states.find(dep);
      if (!info) continue;
      if (!info->enabled) {
        logger.warn("plugin {}: starting although {}, which it follows, is disabled",
                    entry.descriptor.name, dep);
      } else if (info->state == PluginState::failed) {
        logger.warn("plugin {}: starting although {}, which it follows, failed",
                    entry.descriptor.name, dep);
      }
    }
  }

  void start_one(Entry& entry, ConfigSection section) {
    const std::string& name = entry.descriptor.name;
    warn_failed_dependencies(entry);
    entry.context = std::make_unique<PluginContext>(
        name, entry.index, services, make_plugin_logger(name), std::move(section), states);
    states.set_state(entry.index, PluginState::starting, "");
    entry.context->begin_start();
    Status result = ok();
    std::string thrown;
    bool threw = false;
    try {
      result = entry.plugin->start(*entry.context);
    } catch (...) {
      threw = true;
      thrown = current_exception_text();
    }
    bool reported = entry.context->end_start();
    if (threw || !result) {
      entry.context->retire();
      states.set_state(
          entry.index, PluginState::failed,
          threw ? "start threw: " + thrown : "start failed: " + result.error().message);
      return;
    }
    entry.started = true;
    started_order.push_back(&entry);
    if (!reported) states.set_state(entry.index, PluginState::running, "");
  }

  PluginServices services;
  const Config& config;
  Logger& logger;
  PluginStates states;
  std::vector<std::unique_ptr<Entry>> entries;  // in load order
  std::vector<Entry*> started_order;
};

PluginHost::PluginHost(PluginServices services, const Config& config, Logger& logger)
    : impl_(std::make_unique<Impl>(std::move(services), config, logger)) {}

PluginHost::~PluginHost() {
  stop_all();
  impl_.reset();
}

std::size_t PluginHost::load_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    impl_->logger.warn("plugins dir {} does not exist or is not a directory; no plugins loaded",
                       dir.string());
    return 0;
  }
  std::vector<std::filesystem::path> files;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (is_plugin_file(*it)) files.push_back(it->path());
  }
  if (ec) impl_->logger.warn("reading plugins dir {}: {}", dir.string(), ec.message());
  std::ranges::sort(files);
  std::size_t loaded = 0;
  for (const auto& file : files) {
    if (load_file(file)) ++loaded;
  }
  impl_->logger.info("loaded {} of {} plugins from {}", loaded, files.size(), dir.string());
  return loaded;
}

Status PluginHost::load_file(const std::filesystem::path& file) {
  auto opened = open_plugin_library(file);
  if (!opened) {
    PluginInfo info;
    info.name = plugin_name_from_file(file);
    info.file = file.string();
    return impl_->refuse(std::move(info), std::move(opened).error());
  }
  const PluginDescriptor& descriptor = opened->descriptor;
  PluginInfo info;
  info.name = descriptor.name;
  info.file = file.string();
  info.version = descriptor.version;
  info.kind = descriptor.kind;
  info.description = descriptor.description;
  info.config = plugin_schema(descriptor);
  if (const auto* existing = impl_->find_entry(descriptor.name)) {
    return impl_->refuse(std::move(info),
                         Error{ErrorCode::already_exists,
                               fmt::format("{}: duplicate plugin name \"{}\" (already loaded "
                                           "from {})",
                                           file.string(), descriptor.name, existing->file)});
  }

  auto entry = std::make_unique<Impl::Entry>();
  entry->library = std::move(opened->library);
  entry->plugin = std::move(opened->plugin);
  entry->descriptor = std::move(opened->descriptor);
  entry->file = file.string();
  entry->index = impl_->states.add(std::move(info));
  impl_->logger.info("loaded plugin {} {} from {}", entry->descriptor.name,
                     entry->descriptor.version, entry->file);
  impl_->entries.push_back(std::move(entry));
  return ok();
}

void PluginHost::start_all() {
  std::vector<Impl::Entry*> candidates;
  for (auto& entry : impl_->entries) {
    if (entry->considered) continue;
    entry->considered = true;
    candidates.push_back(entry.get());
  }
  if (auto missing = missing_service(impl_->services); !missing.empty()) {
    for (auto* entry : candidates) {
      impl_->states.set_state(entry->index, PluginState::failed,
                              "host service missing: " + missing);
    }
    return;
  }

  std::map<std::string, std::vector<std::string>> after;
  std::map<std::string, std::pair<Impl::Entry*, ConfigSection>> runnable;
  for (auto* entry : candidates) {
    PluginConfig resolved = resolve_plugin_config(impl_->config, entry->descriptor);
    switch (resolved.outcome) {
      case PluginConfigOutcome::run:
        after[entry->descriptor.name] = entry->descriptor.after;
        runnable.emplace(entry->descriptor.name, std::pair(entry, std::move(resolved.section)));
        break;
      case PluginConfigOutcome::disabled:
        impl_->states.set_disabled(entry->index, resolved.detail);
        break;
      case PluginConfigOutcome::failed:
        impl_->states.set_state(entry->index, PluginState::failed, resolved.detail);
        break;
    }
  }

  StartPlan plan = plan_start_order(after);
  if (!plan.cyclic.empty()) {
    std::string detail = fmt::format("dependency cycle among {}", fmt::join(plan.cyclic, ", "));
    for (const auto& name : plan.cyclic) {
      impl_->states.set_state(runnable.at(name).first->index, PluginState::failed, detail);
    }
  }
  for (const auto& name : plan.order) {
    auto& [entry, section] = runnable.at(name);
    impl_->start_one(*entry, std::move(section));
  }
}

void PluginHost::stop_all() {
  auto& order = impl_->started_order;
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    Impl::Entry& entry = **it;
    if (!entry.started) continue;
    entry.started = false;
    std::string detail;
    try {
      entry.plugin->stop();
    } catch (...) {
      detail = "stop threw: " + current_exception_text();
      impl_->logger.error("plugin {}: {}", entry.descriptor.name, detail);
    }
    entry.context->retire();
    impl_->states.set_state(entry.index, PluginState::stopped, detail);
  }
  order.clear();
}

std::vector<PluginInfo> PluginHost::plugins() const { return impl_->states.snapshot(); }

std::optional<PluginInfo> PluginHost::find(std::string_view name) const {
  return impl_->states.find(name);
}

}  // namespace conflux::core
