// http — the HTTP device adapter (ingest, commands) and the Mainflux message
// readers. See README.md for routes, configuration and status codes.
#include <conflux/conflux.h>

#include <memory>

#include "adapter.h"

namespace {

using conflux::ConfigType;

class HttpPlugin final : public conflux::Plugin {
 public:
  conflux::PluginDescriptor describe() const override {
    return {
        .name = "http",
        .version = "1.0.0",
        .kind = conflux::PluginKind::protocol,
        .description =
            "HTTP device adapter (/http/messages, commands) and message readers "
            "(/reader/...)",
        .config =
            {
                {.key = "workers",
                 .type = ConfigType::integer,
                 .default_value = std::int64_t{2},
                 .description = "threads running reader queries and deletes"},
                {.key = "transfers",
                 .type = ConfigType::integer,
                 .default_value = std::int64_t{2},
                 .description = "threads streaming exports and backups and running restores"},
                {.key = "restore_limit",
                 .type = ConfigType::integer,
                 .default_value = std::int64_t{4} << 30,
                 .description = "largest backup accepted by POST /reader/restore, in bytes "
                                "(spooled to a temporary file)"},
                {.key = "stream_buffer",
                 .type = ConfigType::integer,
                 .default_value = std::int64_t{256} << 10,
                 .description = "bytes buffered per streamed export or backup before the "
                                "producer waits for the client"},
            },
    };
  }

  conflux::Status start(conflux::Host& host) override {
    conflux::http_adapter::AdapterOptions options;
    auto workers = host.config().get_int("workers", 2);
    auto transfers = host.config().get_int("transfers", 2);
    auto restore_limit = host.config().get_int("restore_limit", std::int64_t{4} << 30);
    auto stream_buffer = host.config().get_int("stream_buffer", std::int64_t{256} << 10);
    if (workers < 1 || workers > 64)
      return conflux::fail(conflux::ErrorCode::invalid_argument, "workers must be 1..64");
    if (transfers < 1 || transfers > 64)
      return conflux::fail(conflux::ErrorCode::invalid_argument, "transfers must be 1..64");
    if (restore_limit < 1)
      return conflux::fail(conflux::ErrorCode::invalid_argument, "restore_limit must be positive");
    if (stream_buffer < 1024)
      return conflux::fail(conflux::ErrorCode::invalid_argument,
                           "stream_buffer must be at least 1024");
    options.workers = static_cast<std::size_t>(workers);
    options.transfers = static_cast<std::size_t>(transfers);
    options.restore_limit = static_cast<std::uint64_t>(restore_limit);
    options.stream_buffer = static_cast<std::size_t>(stream_buffer);
    CONFLUX_ASSIGN_OR_RETURN(adapter_, conflux::http_adapter::start_adapter(host, options));
    return {};
  }

  void stop() override { adapter_.reset(); }

 private:
  std::unique_ptr<conflux::http_adapter::Adapter> adapter_;
};

}  // namespace

CONFLUX_PLUGIN(HttpPlugin)
