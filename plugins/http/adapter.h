// plugins/http — HttpAdapter: the HTTP device adapter (ingest and commands)
// and the Mainflux message readers, registered on the shared listener.
// See README.md for routes, configuration and status codes.
//
// The adapter finds the core's interfaces at start (pipeline, thing
// directory, access control, message reader; the command bus when present)
// and owns two worker pools: `queries` for reader requests (they read the
// store, and deletes wait for their commit) and command publishes (a
// subscriber may wait for its commit), and `transfers` for the long
// streamed ones (backup, export, restore).
//
// Thread-safety: start/stop from the plugin host's thread; the handlers run
// on io threads and hand blocking work to the pools.
#pragma once

#include <conflux/access.h>
#include <conflux/commands.h>
#include <conflux/host.h>
#include <conflux/message_reader.h>
#include <conflux/pipeline.h>
#include <conflux/things.h>

#include <cstdint>
#include <memory>

#include "worker_pool.h"

namespace conflux::http_adapter {

struct AdapterOptions {
  std::size_t workers = 2;                   // query pool threads
  std::size_t transfers = 2;                 // backup/export/restore threads
  std::uint64_t restore_limit = 4ull << 30;  // largest restore body, bytes
  std::size_t stream_buffer = 256 * 1024;    // bytes buffered per streamed response
};

// What the route files share.
struct Adapter {
  Host& host;
  AdapterOptions options;
  Pipeline* pipeline = nullptr;
  ThingDirectory* things = nullptr;
  AccessControl* access = nullptr;
  MessageReader* reader = nullptr;
  CommandBus* commands = nullptr;  // null: command routes answer 503
  std::unique_ptr<WorkerPool> queries;
  std::unique_ptr<WorkerPool> transfers;
};

// Route registration, one file each.
Status add_ingest_routes(Adapter& adapter);        // ingest.cpp
Status add_command_routes(Adapter& adapter);       // command_routes.cpp
Status add_reader_routes(Adapter& adapter);        // reader_routes.cpp
Status add_reader_admin_routes(Adapter& adapter);  // reader_admin.cpp

// Finds the interfaces, starts the pools, registers every route.
Result<std::unique_ptr<Adapter>> start_adapter(Host& host, AdapterOptions options);

}  // namespace conflux::http_adapter
