// tests/unit/http_client/pooled_client_test.cpp — PooledHttpClient over plain
// HTTP against the in-test server: round trips, keep-alive, timeouts, retries,
// stale connections, limits, shutdown and concurrent senders.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "tests/unit/http_client/client_harness.h"
#include "tests/unit/http_client/test_server.h"

namespace conflux::test {
namespace {

using namespace std::chrono_literals;

TEST(PooledHttpClient, GetRoundTrip) {
  TestServer server({}, [](const RecordedRequest&) {
    Reply r;
    r.status = 203;
    r.headers = {{"X-Reply", "yes"}, {"Content-Type", "text/plain"}};
    r.body = "hello";
    return r;
  });
  ClientHarness harness;
  auto request = get(server.url("/things/42?limit=5&q=a%20b"));
  request.headers.set("X-Trace", "abc");

  auto res = harness.send(request);

  ASSERT_TRUE(res) << res.error().message;
  EXPECT_EQ(res->status, 203);
  EXPECT_EQ(res->headers.get("x-reply"), "yes");
  EXPECT_EQ(res->headers.get("Content-Type"), "text/plain");
  EXPECT_EQ(res->body, "hello");
  EXPECT_TRUE(harness.callbacks_on_io_threads());
  EXPECT_EQ(harness.callbacks(), 1);

  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].target, "/things/42?limit=5&q=a%20b");
  EXPECT_EQ(seen[0].header("Host"), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(seen[0].header("User-Agent"), "conflux");
  EXPECT_EQ(seen[0].header("X-Trace"), "abc");
  EXPECT_EQ(seen[0].body, "");
}

TEST(PooledHttpClient, PostRoundTrip) {
  TestServer server({}, [](const RecordedRequest& req) {
    Reply r;
    r.status = 201;
    r.body = "echo:" + req.body;
    return r;
  });
  ClientHarness harness({.user_agent = "conflux-test/1"});
  auto request = get(server.url("/messages"));
  request.method = HttpMethod::post;
  request.body = R"({"temp":21.5})";
  request.headers.set("Content-Type", "application/json");
  request.headers.set("Content-Length", "999");  // replaced by the real length

  auto res = harness.send(request);

  ASSERT_TRUE(res) << res.error().message;
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(res->body, R"(echo:{"temp":21.5})");
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].target, "/messages");
  EXPECT_EQ(seen[0].body, R"({"temp":21.5})");
  EXPECT_EQ(seen[0].header("Content-Length"), "13");
  EXPECT_EQ(seen[0].header("Content-Type"), "application/json");
  EXPECT_EQ(seen[0].header("User-Agent"), "conflux-test/1");
}

TEST(PooledHttpClient, CallerHeadersOverrideDefaults) {
  TestServer server;
  ClientHarness harness;
  auto request = get(server.url(""));
  request.method = HttpMethod::put;
  request.headers.set("Host", "example.org");
  request.headers.set("User-Agent", "custom");

  auto res = harness.send(request);

  ASSERT_TRUE(res) << res.error().message;
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "PUT");
  EXPECT_EQ(seen[0].target, "/");
  EXPECT_EQ(seen[0].header("Host"), "example.org");
  EXPECT_EQ(seen[0].header("User-Agent"), "custom");
  EXPECT_EQ(seen[0].header("Content-Length"), "0");
}

TEST(PooledHttpClient, HeadResponseHasNoBody) {
  TestServer server({}, [](const RecordedRequest&) {
    return Reply{200, {}, std::string(100, 'x')};
  });
  ClientHarness harness;
  auto request = get(server.url("/h"));
  request.method = HttpMethod::head;

  auto res = harness.send(request);

  ASSERT_TRUE(res) << res.error().message;
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->headers.get("Content-Length"), "100");
  EXPECT_EQ(res->body, "");
  // The connection stays usable after a HEAD.
  ASSERT_TRUE(harness.send(get(server.url("/h"))));
  EXPECT_EQ(server.connections(), 1);
}

TEST(PooledHttpClient, ChunkedResponseIsAssembled) {
  TestServer server({}, [](const RecordedRequest&) {
    Reply r;
    r.body = std::string(5000, 'c');
    r.chunked = true;
    return r;
  });
  ClientHarness harness;

  auto res = harness.send(get(server.url("/chunked")));

  ASSERT_TRUE(res) << res.error().message;
  EXPECT_EQ(res->body, std::string(5000, 'c'));
}

TEST(PooledHttpClient, InterimResponseIsSkipped) {
  TestServer server({}, [](const RecordedRequest&) {
    Reply r;
    r.raw = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\nhi";
    return r;
  });
  ClientHarness harness;

  auto res = harness.send(get(server.url("/interim")));

  ASSERT_TRUE(res) << res.error().message;
  EXPECT_EQ(res->status, 202);
  EXPECT_EQ(res->body, "hi");
}

TEST(PooledHttpClient, KeepAliveReusesTheConnection) {
  TestServer server;
  ClientHarness harness;

  ASSERT_TRUE(harness.send(get(server.url("/a"))));
  ASSERT_TRUE(harness.send(get(server.url("/b"))));

  EXPECT_EQ(server.connections(), 1);
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].connection, 1);
  EXPECT_EQ(seen[1].index_on_connection, 2);
}

TEST(PooledHttpClient, ConnectionCloseResponseIsNotPooled) {
  TestServer server({}, [](const RecordedRequest&) {
    Reply r;
    r.keep_alive = false;
    return r;
  });
  ClientHarness harness;

  ASSERT_TRUE(harness.send(get(server.url("/a"))));
  ASSERT_TRUE(harness.send(get(server.url("/b"))));

  EXPECT_EQ(server.connections(), 2);
}

TEST(PooledHttpClient, StalledServerTimesOutWithoutRetry) {
  TestServer server({}, [](const RecordedRequest&) {
    Reply r;
    r.delay = 20s;
    return r;
  });
  ClientHarness harness;
  auto request = get(server.url("/slow"));
  request.timeout = 300ms;
  request.retries = 2;

  auto res = harness.send(request);

  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::timeout) << res.error().message;
  EXPECT_NE(res.error().message.find("127.0.0.1:" + std::to_string(server.port())),
            std::string::npos);
  EXPECT_EQ(server.requests().size(), 1u);  // the request reached the server: no retry
}

TEST(PooledHttpClient, RefusedConnectionIsUnavailable) {
  auto port = unused_port();
  ClientHarness harness;

  auto res = harness.send(get("http://127.0.0.1:" + std::to_string(port) + "/"));

  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::unavailable);
  EXPECT_NE(res.error().message.find("127.0.0.1:" + std::to_string(port)), std::string::npos)
      << res.error().message;
  EXPECT_TRUE(harness.callbacks_on_io_threads());
}

TEST(PooledHttpClient, ClosedConnectionsAreRetried) {
  TestServer server({.close_first_connections = 2});
  ClientHarness harness;
  auto request = get(server.url("/retry"));
  request.retries = 3;

  auto res = harness.send(request);

  ASSERT_TRUE(res) << res.error().message;
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(server.connections(), 3);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(PooledHttpClient, WithoutRetriesAClosedConnectionFails) {
  TestServer server({.close_first_connections = 1});
  ClientHarness harness;

  auto res = harness.send(get(server.url("/once")));

  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::unavailable) << res.error().message;
  EXPECT_EQ(server.connections(), 1);
}

TEST(PooledHttpClient, RetriesRunOutAfterTheConfiguredCount) {
  TestServer server({.close_first_connections = 10});
  ClientHarness harness;
  auto request = get(server.url("/never"));
  request.retries = 2;

  auto res = harness.send(request);

  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::unavailable);
  EXPECT_NE(res.error().message.find("after 2 retries"), std::string::npos) << res.error().message;
  EXPECT_EQ(server.connections(), 3);
}

TEST(PooledHttpClient, RefusedConnectsAreRetriedUntilThePortListens) {
  auto port = unused_port();
  ClientHarness harness;
  auto request = get("http://127.0.0.1:" + std::to_string(port) + "/late");
  request.retries = 8;

  auto pending = harness.send_async(request);
  std::this_thread::sleep_for(300ms);
  TestServer server({.port = port});

  ASSERT_EQ(pending.wait_for(60s), std::future_status::ready);
  auto res = pending.get();
  ASSERT_TRUE(res) << res.error().message;
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(PooledHttpClient, ServerErrorIsNeverRetried) {
  TestServer server({}, [](const RecordedRequest&) { return Reply{500, {}, "boom"}; });
  ClientHarness harness;
  auto request = get(server.url("/fails"));
  request.method = HttpMethod::post;
  request.body = "x";
  request.retries = 3;

  auto res = harness.send(request);

  ASSERT_TRUE(res) << res.error().message;
  EXPECT_EQ(res->status, 500);
  EXPECT_EQ(res->body, "boom");
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(PooledHttpClient, TruncatedResponseIsUnavailableAndNotRetried) {
  TestServer server({}, [](const RecordedRequest&) {
    Reply r;
    r.raw = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc";
    return r;
  });
  ClientHarness harness;
  auto request = get(server.url("/cut"));
  request.retries = 3;

  auto res = harness.send(request);

  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::unavailable) << res.error().message;
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(PooledHttpClient, IdleConnectionClosedByServerIsReplaced) {
  TestServer server({}, [](const RecordedRequest&) {
    Reply r;
    r.close_after_answer = true;  // advertises keep-alive, then hangs up
    return r;
  });
  ClientHarness harness;

  ASSERT_TRUE(harness.send(get(server.url("/1"))));
  ASSERT_TRUE(TestServer::wait_until([&] { return server.closed_connections() == 1; }));
  auto res = harness.send(get(server.url("/2")));

  ASSERT_TRUE(res) << res.error().message;
  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(PooledHttpClient, StalePooledConnectionGetsOneFreeRetry) {
  // The server drops every second request on a connection unanswered: the
  // pooled connection fails before any response byte.
  TestServer server({}, [](const RecordedRequest& req) {
    Reply r;
    r.close_without_answer = req.index_on_connection == 2;
    return r;
  });
  ClientHarness harness;
  auto request = get(server.url("/x"));
  request.retries = 0;

  ASSERT_TRUE(harness.send(request));
  auto res = harness.send(request);

  ASSERT_TRUE(res) << res.error().message;
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(server.connections(), 2);
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[2].connection, 2);
}

TEST(PooledHttpClient, FreshConnectionFailureAfterStaleRetryCounts) {
  // Connection 1 answers once then drops; connection 2 drops at once.
  TestServer server({}, [](const RecordedRequest& req) {
    Reply r;
    r.close_without_answer = req.connection > 1 || req.index_on_connection > 1;
    return r;
  });
  ClientHarness harness;

  ASSERT_TRUE(harness.send(get(server.url("/x"))));
  auto res = harness.send(get(server.url("/x")));

  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::unavailable) << res.error().message;
  EXPECT_EQ(server.connections(), 2);
}

TEST(PooledHttpClient, BadUrlsAreInvalidArgument) {
  ClientHarness harness;
  for (const char* url : {"ftp://example.org/", "http://", "example.org/x", "http://host:99999/",
                          "http://user@host/", "http://[::1/", "http://a b/"}) {
    auto res = harness.send(get(url));
    ASSERT_FALSE(res) << url;
    EXPECT_EQ(res.error().code, ErrorCode::invalid_argument) << url;
  }
  EXPECT_TRUE(harness.callbacks_on_io_threads());
}

TEST(PooledHttpClient, HeaderWithLineBreakIsInvalidArgument) {
  TestServer server;
  ClientHarness harness;
  auto request = get(server.url("/"));
  request.headers.set("X-Evil", "a\r\nInjected: 1");

  auto res = harness.send(request);

  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(server.connections(), 0);
}

TEST(PooledHttpClient, OversizedResponseIsRejected) {
  TestServer server({}, [](const RecordedRequest& req) {
    Reply r;
    r.body = std::string(4096, 'z');
    r.chunked = req.target == "/chunked";
    return r;
  });
  ClientHarness harness({.max_response_bytes = 1024});

  for (const char* target : {"/sized", "/chunked"}) {
    auto res = harness.send(get(server.url(target)));
    ASSERT_FALSE(res) << target;
    EXPECT_EQ(res.error().code, ErrorCode::payload_too_large) << res.error().message;
  }
  EXPECT_EQ(server.requests().size(), 2u);  // never retried
}

TEST(PooledHttpClient, ResponseAtTheLimitIsAccepted) {
  TestServer server({}, [](const RecordedRequest&) {
    return Reply{200, {}, std::string(1024, 'z')};
  });
  ClientHarness harness({.max_response_bytes = 1024});

  auto res = harness.send(get(server.url("/exact")));

  ASSERT_TRUE(res) << res.error().message;
  EXPECT_EQ(res->body.size(), 1024u);
}

TEST(PooledHttpClient, ShutdownCancelsPendingRequests) {
  TestServer server({}, [](const RecordedRequest&) {
    Reply r;
    r.delay = 30s;
    return r;
  });
  ClientHarness harness;

  auto pending = harness.send_async(get(server.url("/pending")));
  ASSERT_TRUE(TestServer::wait_until([&] { return server.requests().size() == 1; }));
  harness.client().shutdown();

  ASSERT_EQ(pending.wait_for(10s), std::future_status::ready);
  auto res = pending.get();
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::cancelled);

  auto after = harness.send(get(server.url("/after")));
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, ErrorCode::cancelled);
  EXPECT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(harness.callbacks(), 2);
}

TEST(PooledHttpClient, ShutdownClosesPooledConnections) {
  TestServer server;
  ClientHarness harness;

  ASSERT_TRUE(harness.send(get(server.url("/"))));
  harness.client().shutdown();

  EXPECT_TRUE(TestServer::wait_until([&] { return server.closed_connections() == 1; }));
}

TEST(PooledHttpClient, IdleTimeoutClosesPooledConnections) {
  TestServer server;
  ClientHarness harness({.idle_timeout = 100ms});

  ASSERT_TRUE(harness.send(get(server.url("/1"))));
  ASSERT_TRUE(TestServer::wait_until([&] { return server.closed_connections() == 1; }));
  ASSERT_TRUE(harness.send(get(server.url("/2"))));

  EXPECT_EQ(server.connections(), 2);
}

TEST(PooledHttpClient, PoolKeepsAtMostMaxIdlePerHost) {
  TestServer server({}, [](const RecordedRequest&) {
    Reply r;
    r.delay = 200ms;  // keeps the three requests in flight together
    return r;
  });
  ClientHarness harness({.max_idle_per_host = 1}, 2);

  std::vector<std::future<Result<HttpClientResponse>>> pending;
  for (int i = 0; i < 3; ++i) pending.push_back(harness.send_async(get(server.url("/p"))));
  for (auto& p : pending) {
    ASSERT_EQ(p.wait_for(30s), std::future_status::ready);
    ASSERT_TRUE(p.get());
  }

  EXPECT_EQ(server.connections(), 3);
  // Two of the three connections do not fit the pool and are closed.
  EXPECT_TRUE(TestServer::wait_until([&] { return server.closed_connections() == 2; }));
  ASSERT_TRUE(harness.send(get(server.url("/again"))));
  EXPECT_EQ(server.connections(), 3);
}

TEST(PooledHttpClient, ConcurrentSendersAllGetOneCallback) {
  TestServer server({}, [](const RecordedRequest& req) { return Reply{200, {}, req.target}; });
  ClientHarness harness({}, 2);
  constexpr int kThreads = 4, kPerThread = 10;
  std::atomic<int> ok{0};

  std::vector<std::thread> senders;
  for (int t = 0; t < kThreads; ++t)
    senders.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto target = "/t" + std::to_string(t) + "/" + std::to_string(i);
        auto res = harness.send(get(server.url(target)));
        if (res && res->status == 200 && res->body == target) ++ok;
      }
    });
  for (auto& s : senders) s.join();

  EXPECT_EQ(ok.load(), kThreads * kPerThread);
  EXPECT_EQ(harness.callbacks(), kThreads * kPerThread);
  EXPECT_EQ(server.requests().size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_LE(server.connections(), kThreads);
}

}  // namespace
}  // namespace conflux::test
