// bench_beast_202 — the HTTP ceiling: the least a Beast server can do per
// request (read, answer 202 with an empty body, keep the connection alive), on
// the same number of io threads as Conflux. Conflux's HTTP path is measured
// against this in the same run.
//
//   bench_beast_202 <port> <threads>
// clang-format off
// <utility> first: Boost 1.74 asio/awaitable.hpp uses std::exchange without it under C++23.
#include <utility>
#include <boost/asio.hpp>
// clang-format on
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket socket) : stream_(std::move(socket)) {}
  void run() { read(); }

 private:
  void read() {
    request_ = {};
    http::async_read(stream_, buffer_, request_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return;
                       self->respond();
                     });
  }
  void respond() {
    response_ = {};
    response_.result(http::status::accepted);
    response_.version(request_.version());
    response_.keep_alive(request_.keep_alive());
    response_.prepare_payload();
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec || !self->response_.keep_alive()) return;
                        self->read();
                      });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::empty_body> response_;
};

void accept(tcp::acceptor& acceptor) {
  acceptor.async_accept(asio::make_strand(acceptor.get_executor()),
                        [&acceptor](beast::error_code ec, tcp::socket socket) {
                          if (!ec) std::make_shared<Session>(std::move(socket))->run();
                          accept(acceptor);
                        });
}

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: bench_beast_202 <port> <threads>\n");
    return 2;
  }
  int threads = std::max(1, std::atoi(argv[2]));
  asio::io_context io(threads);
  tcp::acceptor acceptor(
      io, {asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(std::atoi(argv[1]))});
  accept(acceptor);
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
}
