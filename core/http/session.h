// core/http — start_session: serves one accepted connection (plain or TLS).
//
// Private to core/http (included by server.cpp only). The session registers
// itself in `context->connections` and lives as long as it has work: a pending
// socket operation, a timer, or an unanswered HttpReply.
//
// Thread-safety: call from any thread; the session runs on the socket's
// executor, which must be a strand.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>

#include "core/http/server_context.h"

namespace conflux::core {

// Starts serving `socket`; with `tls`, after a TLS handshake. When the registry
// refuses the connection (shutdown has begun) the socket is closed.
void start_session(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerContext> context,
                   std::shared_ptr<boost::asio::ssl::context> tls);

}  // namespace conflux::core
