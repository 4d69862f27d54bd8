// Every platform answer the client parses, fed bodies built to exhaust a parser (deep
// nesting, oversized input), over real loopback sockets. Each must come back as a one-line
// error naming the call and the limit, never a crash: before the bounded parser, ~100 KB of
// '[' overflowed the stack (SIGSEGV) in the A2A call and in the sampler's GET.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "client/platform_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/scripted_http_server.h"

namespace taskbounds {
namespace {

using ::taskbounds::testing_support::ScriptedHttpServer;
using ::taskbounds::testing_support::ScriptedResponse;
using ::testing::HasSubstr;
using ::testing::Not;

// What one route call returned, reduced to what these tests check.
struct RouteOutcome {
  bool ok = false;
  std::string error;
};

struct RouteCase {
  std::string name;  // gtest parameter name
  std::string method;
  std::string path;
  int status;
  std::function<RouteOutcome(PlatformClient&)> call;
};

template <typename T>
RouteOutcome Reduce(const ApiResult<T>& r) {
  return RouteOutcome{r.ok(), r.error};
}

std::vector<RouteCase> Routes() {
  return {
      {"CreateWorkspace", "POST", "/workspaces", 201,
       [](PlatformClient& c) {
         return Reduce(c.CreateWorkspace({"PM", "r", 2, "t"}));
       }},
      {"GetWorkspace", "GET", "/workspaces/w", 200,
       [](PlatformClient& c) { return Reduce(c.GetWorkspace("w")); }},
      {"PatchParent", "PATCH", "/workspaces/w", 200,
       [](PlatformClient& c) { return Reduce(c.PatchParent("w", "p")); }},
      {"SetSecret", "POST", "/workspaces/w/secrets", 200,
       [](PlatformClient& c) { return Reduce(c.SetSecret("w", "K", "v")); }},
      {"SendMessage", "POST", "/workspaces/w/a2a", 200,
       [](PlatformClient& c) { return Reduce(c.SendMessage("w", "task", 10000)); }},
      {"HeartbeatHistory", "GET", "/workspaces/w/heartbeat-history", 200,
       [](PlatformClient& c) { return Reduce(c.GetHeartbeatHistory("w", 60)); }},
      {"Activity", "GET", "/workspaces/w/activity", 200,
       [](PlatformClient& c) { return Reduce(c.GetActivity("w", 10)); }},
      {"DeleteWorkspace", "DELETE", "/workspaces/w", 200,
       [](PlatformClient& c) { return Reduce(c.DeleteWorkspace("w", true)); }},
  };
}

std::string RouteName(const ::testing::TestParamInfo<RouteCase>& info) { return info.param.name; }

class HostileAnswerTest : public ::testing::TestWithParam<RouteCase> {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start()); }
  void TearDown() override {
    client_.reset();
    server_.Stop();
  }

  // Scripts the route under test to answer `body`, calls it, and returns the outcome.
  RouteOutcome CallWith(std::string body) {
    const RouteCase& route = GetParam();
    ScriptedResponse response;
    response.status = route.status;
    response.body = std::move(body);
    server_.Script(route.method, route.path, response);
    ClientOptions options;
    options.base_url = server_.base_url();
    options.request_timeout_ms = 20000;
    client_ = std::make_unique<PlatformClient>(options);
    return route.call(*client_);
  }

  std::string CallName() const { return GetParam().method + " " + GetParam().path; }

  ScriptedHttpServer server_;
  std::unique_ptr<PlatformClient> client_;
};

TEST_P(HostileAnswerTest, HundredKilobytesOfOpenBracketsIsANestingError) {
  const RouteOutcome r = CallWith(std::string(100 * 1024, '['));
  EXPECT_FALSE(r.ok);
  EXPECT_THAT(r.error, HasSubstr(CallName()));
  EXPECT_THAT(r.error, HasSubstr("JSON nested deeper than 64 levels"));
  EXPECT_THAT(r.error, Not(HasSubstr("\n")));
}

TEST_P(HostileAnswerTest, DeepObjectsInsideAValidPrefixAreANestingError) {
  std::string body = R"({"id":"w","status":"online","x":)";
  for (int i = 0; i < 20000; ++i) {
    body += R"({"a":)";
  }
  const RouteOutcome r = CallWith(body);
  EXPECT_FALSE(r.ok);
  EXPECT_THAT(r.error, HasSubstr("JSON nested deeper than 64 levels"));
}

TEST_P(HostileAnswerTest, BracketsInsideStringsDoNotCountAsNesting) {
  // 100 KB of '[' inside a string is just text: the answer parses (and may fail on its
  // own terms, never on nesting).
  const RouteOutcome r =
      CallWith(R"({"id":"w","status":")" + std::string(100 * 1024, '[') + R"(","text":"\"[[["})");
  EXPECT_THAT(r.error, Not(HasSubstr("nested deeper")));
}

INSTANTIATE_TEST_SUITE_P(EveryParsedRoute, HostileAnswerTest, ::testing::ValuesIn(Routes()),
                         RouteName);

TEST(BoundedJsonTest, SixtyFourLevelsParseAndSixtyFiveDoNot) {
  const auto nested = [](int depth) {
    return std::string(static_cast<std::size_t>(depth), '[') +
           std::string(static_cast<std::size_t>(depth), ']');
  };
  rapidjson::Document doc;
  std::string error;
  EXPECT_TRUE(ParseBoundedJson(nested(64), &doc, &error)) << error;
  EXPECT_FALSE(ParseBoundedJson(nested(65), &doc, &error));
  EXPECT_EQ(error, "JSON nested deeper than 64 levels");
}

TEST(BoundedJsonTest, BodiesOverTheSizeCapAreRefusedBeforeParsing) {
  const std::string big(kMaxJsonBytes + 1, ' ');
  rapidjson::Document doc;
  std::string error;
  EXPECT_FALSE(ParseBoundedJson(big, &doc, &error));
  EXPECT_THAT(error, HasSubstr("exceeds the 8388608-byte limit"));
}

}  // namespace
}  // namespace taskbounds
