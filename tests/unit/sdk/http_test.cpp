// SDK HTTP value types: route patterns, URL decoding, query parameters,
// JSON escaping, and the one-shot reply.
#include <conflux/http.h>
#include <conflux/testing/matchers.h>
#include <gtest/gtest.h>

namespace {

using conflux::ErrorCode;
using conflux::HttpReply;
using conflux::HttpRequest;
using conflux::HttpResponse;
using conflux::RoutePattern;
using conflux::testing::IsError;

TEST(RoutePattern, ParsesLiteralsAndParams) {
  auto p = RoutePattern::parse("/things/{id}/channels");
  ASSERT_TRUE(p);
  ASSERT_EQ(p->segments().size(), 3u);
  EXPECT_FALSE(p->segments()[0].is_param);
  EXPECT_TRUE(p->segments()[1].is_param);
  EXPECT_EQ(p->segments()[1].text, "id");
}

TEST(RoutePattern, RejectsMalformedPatterns) {
  EXPECT_THAT(RoutePattern::parse("things"), IsError(ErrorCode::invalid_argument));
  EXPECT_THAT(RoutePattern::parse("/a//b"), IsError(ErrorCode::invalid_argument));
  EXPECT_THAT(RoutePattern::parse("/a/{b"), IsError(ErrorCode::invalid_argument));
  EXPECT_THAT(RoutePattern::parse("/a/{}"), IsError(ErrorCode::invalid_argument));
  EXPECT_THAT(RoutePattern::parse("/a/x{b}"), IsError(ErrorCode::invalid_argument));
  EXPECT_TRUE(RoutePattern::parse("/"));
}

TEST(RoutePattern, MatchesAndDecodesParams) {
  auto p = *RoutePattern::parse("/things/{id}");
  std::vector<std::pair<std::string, std::string>> params;
  EXPECT_TRUE(p.match(RoutePattern::split("/things/a%20b"), &params));
  ASSERT_EQ(params.size(), 1u);
  EXPECT_EQ(params[0].second, "a b");
  EXPECT_TRUE(p.match(RoutePattern::split("/things/x/"), nullptr));
  EXPECT_FALSE(p.match(RoutePattern::split("/things"), nullptr));
  EXPECT_FALSE(p.match(RoutePattern::split("/things/x/y"), nullptr));
  EXPECT_FALSE(p.match(RoutePattern::split("/things/%zz"), nullptr));
  EXPECT_FALSE(p.match(RoutePattern::split("/things//"), nullptr));
}

TEST(UrlDecode, HandlesEscapesAndRejectsBadOnes) {
  EXPECT_EQ(*conflux::url_decode("a%2Fb"), "a/b");
  EXPECT_EQ(*conflux::url_decode("a+b", true), "a b");
  EXPECT_EQ(*conflux::url_decode("a+b", false), "a+b");
  EXPECT_FALSE(conflux::url_decode("%4"));
  EXPECT_FALSE(conflux::url_decode("%"));
  EXPECT_FALSE(conflux::url_decode("%g0"));
}

TEST(HttpRequest, QueryParams) {
  HttpRequest r;
  r.query = "limit=10&name=a%20b&flag&x=1+2";
  EXPECT_EQ(r.query_param("limit"), "10");
  EXPECT_EQ(r.query_param("name"), "a b");
  EXPECT_EQ(r.query_param("flag"), "");
  EXPECT_EQ(r.query_param("x"), "1 2");
  EXPECT_FALSE(r.query_param("missing"));
}

TEST(HttpResponse, ErrorBodyIsEscapedJson) {
  auto r = HttpResponse::error(400, "bad \"name\"\n");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, R"({"error":"bad \"name\"\n"})");
  EXPECT_EQ(r.headers.get("content-type"), "application/json");
  auto e = HttpResponse::error(conflux::Error{ErrorCode::not_found, "no thing"});
  EXPECT_EQ(e.status, 404);
}

TEST(HttpReply, FirstSendWins) {
  std::vector<int> statuses;
  {
    HttpReply reply([&](HttpResponse r) { statuses.push_back(r.status); });
    HttpReply copy = reply;
    copy.send(HttpResponse::empty(202));
    reply.send(HttpResponse::empty(500));
    EXPECT_TRUE(reply.sent());
  }
  EXPECT_EQ(statuses, std::vector<int>{202});
}

TEST(HttpReply, DroppedWithoutSendAnswers500) {
  std::vector<HttpResponse> got;
  {
    HttpReply reply([&](HttpResponse r) { got.push_back(std::move(r)); });
  }
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].status, 500);
  EXPECT_NE(got[0].body.find("did not reply"), std::string::npos);
}

TEST(HttpHeaders, CaseInsensitive) {
  conflux::HttpHeaders h;
  h.add("Content-Type", "a");
  h.set("content-type", "b");
  EXPECT_EQ(h.fields().size(), 1u);
  EXPECT_EQ(h.get("CONTENT-TYPE"), "b");
}

}  // namespace
