// plugins/http — start_adapter (see adapter.h).
#include "adapter.h"

namespace conflux::http_adapter {

Result<std::unique_ptr<Adapter>> start_adapter(Host& host, AdapterOptions options) {
  auto a = std::unique_ptr<Adapter>(new Adapter{host, options});
  a->pipeline = host.find<Pipeline>();
  a->things = host.find<ThingDirectory>();
  a->access = host.find<AccessControl>();
  a->reader = host.find<MessageReader>();
  a->commands = host.find<CommandBus>();
  if (!a->pipeline || !a->things || !a->access || !a->reader)
    return fail(ErrorCode::unavailable,
                std::string("the core does not offer ") + (!a->pipeline ? "the pipeline"
                                                           : !a->things ? "the thing directory"
                                                           : !a->access ? "access control"
                                                                        : "the message reader"));
  if (!a->commands) host.logger().warn("no command bus: command routes will answer 503");
  a->queries = std::make_unique<WorkerPool>("cfx-http-q", options.workers, 1024);
  a->transfers = std::make_unique<WorkerPool>("cfx-http-xfer", options.transfers, 16);
  CONFLUX_RETURN_IF_ERROR(add_ingest_routes(*a));
  CONFLUX_RETURN_IF_ERROR(add_command_routes(*a));
  CONFLUX_RETURN_IF_ERROR(add_reader_routes(*a));
  CONFLUX_RETURN_IF_ERROR(add_reader_admin_routes(*a));
  return a;
}

}  // namespace conflux::http_adapter
