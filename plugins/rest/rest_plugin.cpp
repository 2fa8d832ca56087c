// rest — the Mainflux management API (seed 002) as a thin HTTP face over the
// core's accounts, registry and (when present) scripts services. See
// README.md for routes and configuration.
#include <conflux/conflux.h>

#include <memory>

#include "routes.h"

namespace {

class RestPlugin final : public conflux::Plugin {
 public:
  conflux::PluginDescriptor describe() const override {
    return {
        .name = "rest",
        .version = "1.0.0",
        .kind = conflux::PluginKind::service,
        .description = "Mainflux management API: users, orgs, groups, profiles, things, keys",
        .config = {{.key = "workers",
                    .type = conflux::ConfigType::integer,
                    .default_value = std::int64_t{4},
                    .description = "threads running management requests (they may hash "
                                   "passwords and wait for store commits)"}},
    };
  }

  conflux::Status start(conflux::Host& host) override {
    auto* access = host.find<conflux::AccessControl>();
    if (!access)
      return conflux::fail(conflux::ErrorCode::unavailable, "the core offers no access control");
    auto workers = host.config().get_int("workers", 4);
    if (workers < 1 || workers > 64)
      return conflux::fail(conflux::ErrorCode::invalid_argument, "workers must be 1..64");
    api_ =
        std::make_unique<conflux::rest::RestApi>(host, *access, static_cast<std::size_t>(workers));
    CONFLUX_RETURN_IF_ERROR(conflux::rest::add_account_routes(*api_));
    CONFLUX_RETURN_IF_ERROR(conflux::rest::add_registry_routes(*api_));
    CONFLUX_RETURN_IF_ERROR(conflux::rest::add_script_routes(*api_));
    return {};
  }

  void stop() override { api_.reset(); }

 private:
  std::unique_ptr<conflux::rest::RestApi> api_;
};

}  // namespace

CONFLUX_PLUGIN(RestPlugin)
