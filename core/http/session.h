// core/http — start_session: serves one accepted connection (plain or TLS).
//
// Private to core/http (included by server.cpp only). The session registers
// itself in `context->connections` and lives as long as it has work: a pending
// socket operation, a timer, or an unanswered HttpReply.
//
// Thread-safety: call from any thread; the session runs on the socket's
// strand.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <memory>

#include "core/http/server_context.h"

namespace conflux::core {

// A connection's socket, bound to its own strand. The concrete executor type
// (not any_io_executor) matters: every asynchronous operation copies the
// executor, and a type-erased strand is a heap allocation per copy.
using SessionExecutor = boost::asio::strand<boost::asio::io_context::executor_type>;
using SessionSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, SessionExecutor>;

// Starts serving `socket`; with `tls`, after a TLS handshake. When the registry
// refuses the connection (shutdown has begun) the socket is closed.
void start_session(SessionSocket socket, std::shared_ptr<ServerContext> context,
                   std::shared_ptr<boost::asio::ssl::context> tls);

}  // namespace conflux::core
