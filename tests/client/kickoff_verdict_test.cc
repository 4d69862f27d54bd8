// Kickoff answers and PM statuses that the classifier used to misread, from a real
// loopback server through the client into ClassifyRun: an immediate 503 that refuses the
// task (busy, waking, warming, Retry-After) is kickoff_refused, not a platform bound; and
// every status but "online" seen during the task is an intervention, whatever its name.
#include <memory>
#include <string>
#include <vector>

#include "client/platform_client.h"
#include "client/verdict.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/scripted_http_server.h"

namespace taskbounds {
namespace {

using ::taskbounds::testing_support::ScriptedHttpServer;
using ::taskbounds::testing_support::ScriptedResponse;
using ::testing::HasSubstr;

struct RefusalCase {
  std::string name;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string signal;
};

std::string RefusalName(const ::testing::TestParamInfo<RefusalCase>& info) {
  return info.param.name;
}

class KickoffRefusalTest : public ::testing::TestWithParam<RefusalCase> {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start()); }
  void TearDown() override {
    client_.reset();
    server_.Stop();
  }
  ApiResult<A2AReply> Kickoff(int status) {
    ScriptedResponse response;
    response.status = status;
    response.body = GetParam().body;
    response.headers = GetParam().headers;
    server_.Script("POST", "/workspaces/pm/a2a", response);
    ClientOptions options;
    options.base_url = server_.base_url();
    client_ = std::make_unique<PlatformClient>(options);
    return client_->SendMessage("pm", "task", 10000);
  }
  static RunEvidence Evidence(const A2AReply& reply, long status, double platform_secs) {
    RunEvidence evidence;
    evidence.outcome = reply.outcome;
    evidence.http_status = status;
    evidence.response_text = reply.error_message;
    evidence.platform_secs = platform_secs;
    return evidence;
  }

  ScriptedHttpServer server_;
  std::unique_ptr<PlatformClient> client_;
};

TEST_P(KickoffRefusalTest, Immediate503IsKickoffRefused) {
  const auto reply = Kickoff(503);
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(A2AOutcomeName(reply.value->outcome), std::string("refused"));
  EXPECT_EQ(reply.value->refusal_signal, GetParam().signal);
  const Classification c = ClassifyRun(Evidence(*reply.value, 503, 0.2), VerdictThresholds{});
  EXPECT_EQ(VerdictName(c.verdict), std::string("kickoff_refused")) << c.reason;
  EXPECT_THAT(c.reason, HasSubstr("HTTP 503"));
}

TEST_P(KickoffRefusalTest, The503AfterALongRunStillBoundsIt) {
  const auto reply = Kickoff(503);
  ASSERT_TRUE(reply.ok()) << reply.error;
  const Classification c = ClassifyRun(Evidence(*reply.value, 503, 400), VerdictThresholds{});
  EXPECT_EQ(VerdictName(c.verdict), std::string("bounded_by_platform")) << c.reason;
}

INSTANTIATE_TEST_SUITE_P(
    Signals, KickoffRefusalTest,
    ::testing::Values(
        RefusalCase{
            "BusyWithRetryAfter",
            R"({"error":"workspace agent busy - retry after a short backoff","busy":true,"retry_after":30})",
            {{"Retry-After", "30"}},
            "busy"},
        RefusalCase{"Waking",
                    R"({"error":"workspace is waking from hibernation - retry in ~15 seconds"})",
                    {},
                    "waking"},
        RefusalCase{"Warming",
                    R"({"error":"platform concierge starting","warming":true})",
                    {{"Retry-After", "5"}},
                    "warming"},
        RefusalCase{"RetryAfterAlone",
                    R"({"error":"unavailable"})",
                    {{"retry-after", " 12 "}},
                    "Retry-After"}),
    RefusalName);

TEST(KickoffRefusalPlainTest, A503WithoutAnySignalIsStillAPlatformError) {
  ScriptedHttpServer server;
  ASSERT_TRUE(server.Start());
  ScriptedResponse response;
  response.status = 503;
  response.body = R"({"error":"workspace terminated"})";
  server.Script("POST", "/workspaces/pm/a2a", response);
  ClientOptions options;
  options.base_url = server.base_url();
  auto client = std::make_unique<PlatformClient>(options);
  const auto reply = client->SendMessage("pm", "task", 10000);
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.value->outcome, A2AOutcome::kPlatformError);
  client.reset();
  server.Stop();
}

// --- Every status but "online" during the task is an intervention.

class NonOnlineStatusTest : public ::testing::TestWithParam<std::string> {};

TEST_P(NonOnlineStatusTest, TransitionDuringTheTaskBoundsIt) {
  RunEvidence evidence;
  evidence.outcome = A2AOutcome::kResult;
  evidence.platform_secs = 400;
  evidence.status_samples = 40;
  evidence.status_transitions.push_back({120, "online", GetParam()});
  const Classification c = ClassifyRun(evidence, VerdictThresholds{});
  EXPECT_EQ(VerdictName(c.verdict), std::string("bounded_by_platform")) << c.reason;
  EXPECT_THAT(c.reason, HasSubstr("online -> " + GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Statuses, NonOnlineStatusTest,
                         ::testing::Values("hibernated", "provisioning", "awaiting_agent",
                                           "some_status_added_next_year"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST(NonOnlineStatusPlainTest, ReturningToOnlineIsNotItselfAnIntervention) {
  EXPECT_TRUE(IsHealthyTaskStatus("online"));
  EXPECT_FALSE(IsHealthyTaskStatus("hibernated"));
  EXPECT_FALSE(IsHealthyTaskStatus(""));
}

}  // namespace
}  // namespace taskbounds
