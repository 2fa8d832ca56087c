// tests/unit/http_client/tls_test.cpp — PooledHttpClient over https against
// an in-test TLS server with self-signed certificates made by the openssl
// CLI: verification against the default store, a CA file, host names, SNI.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/unit/http_client/client_harness.h"
#include "tests/unit/http_client/test_certs.h"
#include "tests/unit/http_client/test_server.h"

namespace conflux::test {
namespace {

class PooledHttpClientTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    localhost_ = new TestCert(make_self_signed_cert("localhost", "DNS:localhost,IP:127.0.0.1"));
    other_ = new TestCert(make_self_signed_cert("other.example", "DNS:other.example"));
  }
  static void TearDownTestSuite() {
    for (auto* cert : {localhost_, other_}) {
      std::error_code ignored;
      if (!cert->cert_file.empty())
        std::filesystem::remove_all(std::filesystem::path(cert->cert_file).parent_path(), ignored);
      delete cert;
    }
  }
  void SetUp() override {
    ASSERT_FALSE(localhost_->cert_file.empty()) << "openssl could not make a certificate";
    ASSERT_FALSE(other_->cert_file.empty()) << "openssl could not make a certificate";
  }

  static TestServerOptions serving(const TestCert& cert) {
    return {.cert_file = cert.cert_file, .key_file = cert.key_file};
  }
  static std::string localhost_url(const TestServer& server, std::string_view target) {
    return "https://localhost:" + std::to_string(server.port()) + std::string(target);
  }

  static inline TestCert* localhost_ = nullptr;
  static inline TestCert* other_ = nullptr;
};

TEST_F(PooledHttpClientTls, DefaultStoreRejectsASelfSignedCertificate) {
  TestServer server(serving(*localhost_));
  ClientHarness harness;
  auto request = get(localhost_url(server, "/"));
  request.retries = 2;

  auto res = harness.send(request);

  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::unavailable);
  EXPECT_NE(res.error().message.find("certificate"), std::string::npos) << res.error().message;
  EXPECT_NE(res.error().message.find("localhost:" + std::to_string(server.port())),
            std::string::npos)
      << res.error().message;
  EXPECT_TRUE(server.requests().empty());
  EXPECT_EQ(server.connections(), 1);  // a certificate failure is not retried
}

TEST_F(PooledHttpClientTls, CaFileTrustsTheServer) {
  TestServer server(serving(*localhost_), [](const RecordedRequest& req) {
    return Reply{200, {}, "secure:" + req.target};
  });
  ClientHarness harness({.ca_file = localhost_->cert_file});

  auto res = harness.send(get(localhost_url(server, "/s?x=1")));

  ASSERT_TRUE(res) << res.error().message;
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "secure:/s?x=1");
  auto names = server.server_names();
  ASSERT_EQ(names.size(), 1u);
  EXPECT_EQ(names[0], "localhost");  // SNI
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].header("Host"), "localhost:" + std::to_string(server.port()));
}

TEST_F(PooledHttpClientTls, IpAddressIsCheckedAgainstTheIpAltName) {
  TestServer server(serving(*localhost_));
  ClientHarness harness({.ca_file = localhost_->cert_file});

  auto res = harness.send(get(server.url("/ip")));

  ASSERT_TRUE(res) << res.error().message;
  EXPECT_EQ(res->status, 200);
  auto names = server.server_names();
  ASSERT_EQ(names.size(), 1u);
  EXPECT_EQ(names[0], "");  // no SNI for an IP address
}

TEST_F(PooledHttpClientTls, HostNameMismatchIsRejected) {
  TestServer server(serving(*other_));
  ClientHarness harness({.ca_file = other_->cert_file});

  auto res = harness.send(get(localhost_url(server, "/")));

  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::unavailable);
  EXPECT_NE(res.error().message.find("certificate"), std::string::npos) << res.error().message;
  EXPECT_NE(res.error().message.find("localhost"), std::string::npos) << res.error().message;
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(PooledHttpClientTls, VerifyPeerOffAcceptsAnyCertificate) {
  TestServer server(serving(*other_));
  ClientHarness harness({.verify_peer = false});

  auto res = harness.send(get(localhost_url(server, "/")));

  ASSERT_TRUE(res) << res.error().message;
  EXPECT_EQ(res->status, 200);
}

TEST_F(PooledHttpClientTls, KeepAliveReusesTheTlsConnection) {
  TestServer server(serving(*localhost_));
  ClientHarness harness({.ca_file = localhost_->cert_file});

  ASSERT_TRUE(harness.send(get(localhost_url(server, "/1"))));
  ASSERT_TRUE(harness.send(get(localhost_url(server, "/2"))));

  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST_F(PooledHttpClientTls, UnreadableCaFileFailsHttpsRequests) {
  TestServer server(serving(*localhost_));
  ClientHarness harness({.ca_file = "/nonexistent/ca.pem"});

  auto res = harness.send(get(localhost_url(server, "/")));

  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::unavailable);
  EXPECT_NE(res.error().message.find("/nonexistent/ca.pem"), std::string::npos)
      << res.error().message;
  EXPECT_TRUE(harness.logger().contains("/nonexistent/ca.pem"));
  EXPECT_EQ(server.connections(), 0);
}

}  // namespace
}  // namespace conflux::test
