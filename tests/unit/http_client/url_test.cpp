// tests/unit/http_client/url_test.cpp — parse_http_url: schemes, hosts, ports,
// IPv6 literals, targets and the rejections.
#include "core/http_client/url.h"

#include <gtest/gtest.h>

namespace conflux::core {
namespace {

TEST(ParseHttpUrl, PlainHostDefaultsPortAndTarget) {
  auto url = parse_http_url("http://Example.ORG");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_FALSE(url->tls);
  EXPECT_EQ(url->host, "example.org");
  EXPECT_EQ(url->port, 80);
  EXPECT_EQ(url->target, "/");
  EXPECT_FALSE(url->host_is_ip);
  EXPECT_EQ(url->host_header(), "example.org");
  EXPECT_EQ(url->authority(), "example.org:80");
  EXPECT_EQ(url->pool_key(), "http://example.org:80");
}

TEST(ParseHttpUrl, HttpsWithPortPathAndQuery) {
  auto url = parse_http_url("HTTPS://api.example.org:8443/v1/things?limit=5&x=%20");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_TRUE(url->tls);
  EXPECT_EQ(url->scheme(), "https");
  EXPECT_EQ(url->port, 8443);
  EXPECT_EQ(url->target, "/v1/things?limit=5&x=%20");
  EXPECT_EQ(url->host_header(), "api.example.org:8443");
}

TEST(ParseHttpUrl, DefaultPortIsLeftOutOfHostHeader) {
  auto url = parse_http_url("https://h.example:443/x");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->host_header(), "h.example");
}

TEST(ParseHttpUrl, QueryWithoutPathGetsASlash) {
  auto url = parse_http_url("http://h?a=b");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "h");
  EXPECT_EQ(url->target, "/?a=b");
}

TEST(ParseHttpUrl, FragmentIsDropped) {
  auto url = parse_http_url("http://h/p?q=1#section");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->target, "/p?q=1");
}

TEST(ParseHttpUrl, EmptyPortMeansDefault) {
  auto url = parse_http_url("http://h:/p");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->port, 80);
}

TEST(ParseHttpUrl, Ipv4Literal) {
  auto url = parse_http_url("http://127.0.0.1:8080/");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_TRUE(url->host_is_ip);
  EXPECT_EQ(url->port, 8080);
}

TEST(ParseHttpUrl, Ipv6LiteralInBrackets) {
  auto url = parse_http_url("http://[::1]:8080/x");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->host, "::1");
  EXPECT_TRUE(url->host_is_ip);
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->host_header(), "[::1]:8080");
  EXPECT_EQ(url->authority(), "[::1]:8080");

  auto no_port = parse_http_url("https://[FE80::A]/");
  ASSERT_TRUE(no_port);
  EXPECT_EQ(no_port->host, "fe80::a");
  EXPECT_EQ(no_port->port, 443);
  EXPECT_EQ(no_port->host_header(), "[fe80::a]");
}

TEST(ParseHttpUrl, Rejections) {
  for (const char* bad : {"",
                          "example.org/x",
                          "ftp://h/",
                          "http://",
                          "http:///path",
                          "http://:80/",
                          "http://user:pw@h/",
                          "http://h:0/",
                          "http://h:65536/",
                          "http://h:80x/",
                          "http://h:-1/",
                          "http://[::1/",
                          "http://[::1]x/",
                          "http://[nothex]/",
                          "http://a b/",
                          "http://h/a b",
                          "http://h/\n",
                          "http://h\xc3\xa9/",
                          "http://bad!host/",
                          "http://-h/"}) {
    auto url = parse_http_url(bad);
    ASSERT_FALSE(url) << bad;
    EXPECT_EQ(url.error().code, ErrorCode::invalid_argument) << bad;
  }
}

TEST(ParseHttpUrl, MessageNamesTheUrlAndReason) {
  auto url = parse_http_url("gopher://h/");
  ASSERT_FALSE(url);
  EXPECT_NE(url.error().message.find("gopher://h/"), std::string::npos);
  EXPECT_NE(url.error().message.find("scheme"), std::string::npos);
}

}  // namespace
}  // namespace conflux::core
