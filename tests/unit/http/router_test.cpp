// Unit tests of core::Router: matching, precedence, 404/405, HEAD, the
// gateway prefix, and the errors of `add`.
#include "core/http/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "conflux/testing/matchers.h"

namespace conflux::core {
namespace {

using ::conflux::testing::IsError;
using ::conflux::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using Outcome = Router::Outcome;

// A handler that answers with its own name, so tests can tell routes apart.
HttpHandler named(std::string name) {
  return [name](HttpRequest, HttpReply reply) { reply.send(HttpResponse::json(200, name)); };
}

// Runs the resolved handler and returns its body ("" when nothing matched).
std::string run(const Router::Resolution& r) {
  if (!r.handler) return "";
  std::string out;
  (*r.handler)(HttpRequest{}, HttpReply([&](HttpResponse res) { out = res.body; }));
  return out;
}

class RouterTest : public ::testing::Test {
 protected:
  void add(HttpMethod m, std::string_view pattern) {
    ASSERT_THAT(router.add(m, pattern, named(std::string(pattern))), IsOk());
  }
  Router router;
};

TEST_F(RouterTest, MatchesLiteralRouteAndRunsItsHandler) {
  add(HttpMethod::get, "/health");
  auto r = router.resolve(HttpMethod::get, "/health");
  EXPECT_EQ(r.outcome, Outcome::matched);
  EXPECT_EQ(r.route, "/health");
  EXPECT_THAT(r.params, IsEmpty());
  EXPECT_EQ(run(r), "/health");
}

TEST_F(RouterTest, BindsPercentDecodedParameters) {
  add(HttpMethod::get, "/orgs/{org}/things/{id}");
  auto r = router.resolve(HttpMethod::get, "/orgs/acme%20corp/things/a%2Fb");
  ASSERT_EQ(r.outcome, Outcome::matched);
  EXPECT_EQ(r.route, "/orgs/{org}/things/{id}");
  EXPECT_THAT(r.params, ElementsAre(Pair("org", "acme corp"), Pair("id", "a/b")));
}

TEST_F(RouterTest, UndecodableParameterDoesNotMatch) {
  add(HttpMethod::get, "/things/{id}");
  EXPECT_EQ(router.resolve(HttpMethod::get, "/things/%zz").outcome, Outcome::not_found);
  EXPECT_EQ(router.resolve(HttpMethod::get, "/things/ab%4").outcome, Outcome::not_found);
}

TEST_F(RouterTest, LiteralSegmentBeatsParameterWhateverTheRegistrationOrder) {
  add(HttpMethod::get, "/things/{id}");
  add(HttpMethod::get, "/things/search");
  add(HttpMethod::get, "/users/search");
  add(HttpMethod::get, "/users/{id}");

  EXPECT_EQ(run(router.resolve(HttpMethod::get, "/things/search")), "/things/search");
  EXPECT_EQ(run(router.resolve(HttpMethod::get, "/things/42")), "/things/{id}");
  EXPECT_EQ(run(router.resolve(HttpMethod::get, "/users/search")), "/users/search");
  EXPECT_EQ(run(router.resolve(HttpMethod::get, "/users/42")), "/users/{id}");
}

TEST_F(RouterTest, LeftmostLiteralDecidesAndSearchBacktracks) {
  add(HttpMethod::get, "/a/{x}/c");
  add(HttpMethod::get, "/a/b/{y}");
  add(HttpMethod::get, "/p/q/r");
  add(HttpMethod::get, "/p/{x}/s");

  EXPECT_EQ(router.resolve(HttpMethod::get, "/a/b/c").route, "/a/b/{y}");
  EXPECT_EQ(router.resolve(HttpMethod::get, "/a/z/c").route, "/a/{x}/c");
  // The literal branch /p/q fails at "s"; the parameter branch matches.
  auto r = router.resolve(HttpMethod::get, "/p/q/s");
  EXPECT_EQ(r.route, "/p/{x}/s");
  EXPECT_THAT(r.params, ElementsAre(Pair("x", "q")));
}

TEST_F(RouterTest, LiteralOfAnotherMethodDoesNotHideParameterRoute) {
  add(HttpMethod::get, "/things/search");
  add(HttpMethod::post, "/things/{id}");
  auto r = router.resolve(HttpMethod::post, "/things/search");
  EXPECT_EQ(r.outcome, Outcome::matched);
  EXPECT_EQ(r.route, "/things/{id}");
}

TEST_F(RouterTest, UnknownPathIsNotFound) {
  add(HttpMethod::get, "/things");
  auto r = router.resolve(HttpMethod::get, "/nothing/here");
  EXPECT_EQ(r.outcome, Outcome::not_found);
  EXPECT_EQ(r.handler, nullptr);
  EXPECT_THAT(r.allowed, IsEmpty());
  EXPECT_EQ(router.resolve(HttpMethod::get, "things").outcome, Outcome::not_found);
  EXPECT_EQ(router.resolve(HttpMethod::get, "").outcome, Outcome::not_found);
}

TEST_F(RouterTest, KnownPathWithWrongMethodListsAllowedMethods) {
  add(HttpMethod::get, "/things/{id}");
  add(HttpMethod::del, "/things/{id}");
  add(HttpMethod::put, "/things/special");
  auto r = router.resolve(HttpMethod::post, "/things/special");
  EXPECT_EQ(r.outcome, Outcome::method_not_allowed);
  EXPECT_EQ(r.handler, nullptr);
  // Every route whose pattern matches the path counts; HEAD comes with GET.
  EXPECT_THAT(r.allowed,
              ElementsAre(HttpMethod::get, HttpMethod::head, HttpMethod::put, HttpMethod::del));
  EXPECT_THAT(router.allowed_methods("/things/1"),
              ElementsAre(HttpMethod::get, HttpMethod::head, HttpMethod::del));
  EXPECT_THAT(router.allowed_methods("/nope"), IsEmpty());
}

TEST_F(RouterTest, HeadFallsBackToGetButPrefersItsOwnRoute) {
  add(HttpMethod::get, "/a");
  add(HttpMethod::get, "/b");
  add(HttpMethod::head, "/b");
  auto a = router.resolve(HttpMethod::head, "/a");
  EXPECT_EQ(a.outcome, Outcome::matched);
  EXPECT_EQ(a.route, "/a");
  auto b = router.resolve(HttpMethod::head, "/b");
  ASSERT_EQ(b.outcome, Outcome::matched);
  EXPECT_EQ(b.handler, router.resolve(HttpMethod::head, "/b").handler);
  EXPECT_NE(b.handler, router.resolve(HttpMethod::get, "/b").handler);
  // No fallback the other way round.
  add(HttpMethod::head, "/c");
  EXPECT_EQ(router.resolve(HttpMethod::get, "/c").outcome, Outcome::method_not_allowed);
}

TEST_F(RouterTest, GatewayPrefixIsStrippedWhenNothingElseMatches) {
  add(HttpMethod::get, "/orgs/{id}/groups");
  auto r = router.resolve(HttpMethod::get, "/svcthings/orgs/1/groups");
  ASSERT_EQ(r.outcome, Outcome::matched);
  EXPECT_EQ(r.route, "/orgs/{id}/groups");
  EXPECT_THAT(r.params, ElementsAre(Pair("id", "1")));

  EXPECT_EQ(router.resolve(HttpMethod::get, "/svcauth/orgs/2/groups/").outcome, Outcome::matched);
  EXPECT_EQ(router.resolve(HttpMethod::post, "/svcusers/orgs/2/groups").outcome,
            Outcome::method_not_allowed);
  // "svc" needs at least one lower-case letter after it, and nothing else.
  EXPECT_EQ(router.resolve(HttpMethod::get, "/svc/orgs/1/groups").outcome, Outcome::not_found);
  EXPECT_EQ(router.resolve(HttpMethod::get, "/svcThings/orgs/1/groups").outcome,
            Outcome::not_found);
  EXPECT_EQ(router.resolve(HttpMethod::get, "/svcthings2/orgs/1/groups").outcome,
            Outcome::not_found);
  EXPECT_EQ(router.resolve(HttpMethod::get, "/xsvcthings/orgs/1/groups").outcome,
            Outcome::not_found);
}

TEST_F(RouterTest, RouteStartingWithSvcMatchesAsIs) {
  add(HttpMethod::get, "/svcstatus");
  add(HttpMethod::get, "/");
  EXPECT_EQ(router.resolve(HttpMethod::get, "/svcstatus").route, "/svcstatus");
  EXPECT_EQ(router.resolve(HttpMethod::get, "/svcother").route, "/");
}

TEST_F(RouterTest, TrailingSlashIsToleratedButEmptySegmentsAreNot) {
  add(HttpMethod::get, "/things");
  add(HttpMethod::get, "/things/{id}/channels");
  add(HttpMethod::get, "/");
  EXPECT_EQ(router.resolve(HttpMethod::get, "/things/").route, "/things");
  EXPECT_EQ(router.resolve(HttpMethod::get, "/things/1/channels/").route, "/things/{id}/channels");
  EXPECT_EQ(router.resolve(HttpMethod::get, "/").route, "/");
  EXPECT_EQ(router.resolve(HttpMethod::get, "/things//channels").outcome, Outcome::not_found);
  EXPECT_EQ(router.resolve(HttpMethod::get, "/things/1//channels").outcome, Outcome::not_found);
}

TEST_F(RouterTest, DuplicateRouteIsAlreadyExists) {
  add(HttpMethod::get, "/things/{id}");
  EXPECT_THAT(router.add(HttpMethod::get, "/things/{id}", named("again")),
              IsError(ErrorCode::already_exists));
  // Same shape, other parameter name: the two could never be told apart.
  EXPECT_THAT(router.add(HttpMethod::get, "/things/{thing}", named("again")),
              IsError(ErrorCode::already_exists));
  // Another method on the same pattern is fine.
  EXPECT_THAT(router.add(HttpMethod::put, "/things/{thing}", named("put")), IsOk());
  auto r = router.resolve(HttpMethod::put, "/things/7");
  EXPECT_THAT(r.params, ElementsAre(Pair("thing", "7")));
}

TEST_F(RouterTest, MalformedPatternsAreInvalidArguments) {
  for (std::string_view bad :
       {"", "things", "/a//b", "/a/", "/{", "/{}", "/a{b}", "/{a}b", "/a}", "/{id}/x/{id}"}) {
    EXPECT_THAT(router.add(HttpMethod::get, bad, named("x")), IsError(ErrorCode::invalid_argument))
        << bad;
  }
  EXPECT_THAT(router.add(HttpMethod::get, "/ok", HttpHandler{}),
              IsError(ErrorCode::invalid_argument));
  EXPECT_EQ(router.resolve(HttpMethod::get, "/ok").outcome, Outcome::not_found);
}

TEST_F(RouterTest, AddAfterFreezeFails) {
  add(HttpMethod::get, "/a");
  EXPECT_FALSE(router.frozen());
  router.freeze();
  EXPECT_TRUE(router.frozen());
  EXPECT_THAT(router.add(HttpMethod::get, "/b", named("b")),
              IsError(ErrorCode::failed_precondition));
  EXPECT_EQ(router.resolve(HttpMethod::get, "/a").outcome, Outcome::matched);
  EXPECT_EQ(router.resolve(HttpMethod::get, "/b").outcome, Outcome::not_found);
}

TEST_F(RouterTest, ManyRoutesResolveToTheRightOne) {
  for (int i = 0; i < 300; ++i) {
    add(HttpMethod::get, "/r" + std::to_string(i) + "/{id}");
    add(HttpMethod::post, "/r" + std::to_string(i) + "/{id}/items");
  }
  for (int i = 0; i < 300; i += 37) {
    auto r = router.resolve(HttpMethod::post, "/r" + std::to_string(i) + "/x/items");
    EXPECT_EQ(r.route, "/r" + std::to_string(i) + "/{id}/items");
  }
}

}  // namespace
}  // namespace conflux::core

namespace conflux::core {
namespace {

TEST_F(RouterTest, TailParameterBindsTheRestUndecodedAndLosesToParameters) {
  add(HttpMethod::post, "/http/messages/{subtopic...}");
  add(HttpMethod::post, "/http/things/{id}/commands");
  add(HttpMethod::post, "/http/things/{id}/commands/{rest...}");
  auto r = router.resolve(HttpMethod::post, "/http/messages/a/b%2Fc/d");
  ASSERT_EQ(r.outcome, Outcome::matched);
  EXPECT_THAT(r.params, ElementsAre(Pair("subtopic", "a/b%2Fc/d")));
  // A tail needs at least one segment.
  EXPECT_EQ(router.resolve(HttpMethod::post, "/http/messages").outcome, Outcome::not_found);
  EXPECT_EQ(run(router.resolve(HttpMethod::post, "/http/things/7/commands")),
            "/http/things/{id}/commands");
  auto c = router.resolve(HttpMethod::post, "/http/things/7/commands/x/y");
  EXPECT_THAT(c.params, ElementsAre(Pair("id", "7"), Pair("rest", "x/y")));
  EXPECT_THAT(router.add(HttpMethod::get, "/a/{rest...}/b", named("x")),
              IsError(ErrorCode::invalid_argument));
}

TEST_F(RouterTest, RouteOptionsComeWithTheResolution) {
  ASSERT_THAT(
      router.add_with_options(HttpMethod::post, "/restore",
                              {.body_limit = 1 << 30, .spool_to_file = true}, named("restore")),
      IsOk());
  add(HttpMethod::post, "/plain");
  auto r = router.resolve(HttpMethod::post, "/restore");
  EXPECT_EQ(r.options.body_limit, 1u << 30);
  EXPECT_TRUE(r.options.spool_to_file);
  EXPECT_FALSE(router.resolve(HttpMethod::post, "/plain").options.spool_to_file);
  EXPECT_EQ(router.max_body_limit(), 1u << 30);
}

}  // namespace
}  // namespace conflux::core
