// HttpServer over TLS: a self-signed certificate made with the openssl CLI,
// the same session logic as plain HTTP, and configuration errors.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "tests/unit/http/server_fixture.h"

namespace conflux::core {
namespace {

namespace fs = std::filesystem;
using ::conflux::testing::IsErrorWith;
using ::testing::Optional;

// A temporary directory with cert.pem and key.pem (CN=localhost), made once.
class TlsFiles {
 public:
  static const TlsFiles& get() {
    static TlsFiles files;
    return files;
  }
  fs::path cert() const { return dir_ / "cert.pem"; }
  fs::path key() const { return dir_ / "key.pem"; }
  bool ok() const { return ok_; }

 private:
  TlsFiles() {
    dir_ = fs::temp_directory_path() / ("conflux-http-tls-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::string command =
        "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 1"
        " -keyout '" +
        key().string() + "' -out '" + cert().string() + "' >/dev/null 2>&1";
    ok_ = std::system(command.c_str()) == 0 && fs::exists(cert()) && fs::exists(key());
  }
  ~TlsFiles() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  fs::path dir_;
  bool ok_ = false;
};

class TlsServerTest : public ServerTest {
 protected:
  HttpServerOptions tls_options() {
    auto o = test_options();
    o.tls_cert_file = TlsFiles::get().cert().string();
    o.tls_key_file = TlsFiles::get().key().string();
    return o;
  }
  void SetUp() override {
    ASSERT_TRUE(TlsFiles::get().ok()) << "openssl could not make a certificate";
  }
  static test::TestConnectionOptions tls_client() {
    test::TestConnectionOptions o;
    o.tls = true;
    return o;
  }
};

TEST_F(TlsServerTest, ServesRequestsOverTls) {
  route(HttpMethod::post, "/echo/{id}", [](HttpRequest req, HttpReply reply) {
    reply.send(
        HttpResponse::with_body(200, std::string(req.param("id")) + ":" + req.body, "text/plain"));
  });
  start(tls_options());
  auto conn = connect(tls_client());
  auto first = conn.request("POST", "/echo/1", "hello");
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, "1:hello");
  // Keep-alive and pipelining work the same over TLS.
  conn.send_request("POST", "/echo/2", "a");
  conn.send_request("POST", "/echo/3", "b");
  auto rs = conn.read_responses(2);
  EXPECT_EQ(rs[0].body, "2:a");
  EXPECT_EQ(rs[1].body, "3:b");
  auto missing = conn.request("GET", "/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, R"({"error":"not found"})");
}

TEST_F(TlsServerTest, PlainHttpToTheTlsPortGetsNoResponse) {
  route(HttpMethod::get, "/a", text("A"));
  start(tls_options());
  auto plain = connect();
  plain.send_request("GET", "/a");
  EXPECT_FALSE(plain.try_read_response().has_value());
  // The server still serves TLS clients.
  EXPECT_EQ(connect(tls_client()).request("GET", "/a").body, "A");
}

TEST_F(TlsServerTest, GracefulShutdownFinishesAnInFlightTlsRequest) {
  std::promise<void> handler_started;
  route(HttpMethod::get, "/slow", [&, this](HttpRequest, HttpReply reply) {
    handler_started.set_value();
    after(200ms, [reply] { reply.send(HttpResponse::with_body(200, "late", "text/plain")); });
  });
  start(tls_options());
  auto conn = connect(tls_client());
  conn.send_request("GET", "/slow");
  ASSERT_EQ(handler_started.get_future().wait_for(10s), std::future_status::ready);
  std::promise<void> done;
  server->shutdown(10s, [&done] { done.set_value(); });
  auto r = conn.read_response();
  EXPECT_EQ(r.body, "late");
  EXPECT_FALSE(r.keep_alive);
  EXPECT_TRUE(conn.closed());
  conn.close();
  EXPECT_EQ(done.get_future().wait_for(20s), std::future_status::ready);
  stopped = true;
}

TEST_F(TlsServerTest, MissingCertificateFailsNamingTheFile) {
  auto options = tls_options();
  options.tls_cert_file = "/nonexistent/cert.pem";
  HttpServer s(io, router, metrics, logger, options);
  EXPECT_THAT(s.start(), IsErrorWith(ErrorCode::invalid_argument, "/nonexistent/cert.pem"));
}

TEST_F(TlsServerTest, CertificateWithoutKeyIsAConfigurationError) {
  auto options = tls_options();
  options.tls_key_file.clear();
  HttpServer s(io, router, metrics, logger, options);
  EXPECT_THAT(s.start(), IsErrorWith(ErrorCode::invalid_argument, "tls_key_file"));
}

}  // namespace
}  // namespace conflux::core
