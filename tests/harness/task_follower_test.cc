// TaskFollower against the embedded fake over real sockets: a queued kickoff followed to
// its end by the event stream and by polling alone, the platform's actions on the way, the
// re-dispatch after the idle timer, 2026-04 where the answer is the end, and the request
// budget (under 20 requests per platform minute). Expected ends come from PlanTask2026_08.
#include "fixtures/run/task_follower.h"

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "client/platform_client.h"
#include "gtest/gtest.h"
#include "mocks/embedded_fake_platform.h"
#include "mocks/platform/coordinator_model.h"
#include "tests/support/platform_fixture.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

using Clock = std::chrono::steady_clock;
constexpr char kAdminToken[] = "follower-admin-token";
constexpr double kTimeScale = 0.001;

class TaskFollowerTest : public testing::Test {
 protected:
  void Start(Scenario scenario, PlatformVersion version = PlatformVersion::k2026_08) {
    options_ = FastOptions(kTimeScale);
    options_.platform_version = version;
    options_.scenario = scenario;
    options_.admin_token = kAdminToken;
    fake_ = StartFake(options_);
    ASSERT_NE(fake_, nullptr);
    client_ = std::make_unique<PlatformClient>(ClientFor(*fake_, kAdminToken));
    ASSERT_TRUE(CreateOnline(*client_, "PM", &pm_, DefaultWait(), "claude-code-default"));
  }

  // Kicks off a task of `depth` and follows it with `use_stream`.
  FollowResult Run(int depth, bool use_stream) {
    TaskFollowerOptions o;
    o.client = ClientFor(*fake_, kAdminToken);
    o.workspace_id = pm_;
    o.message_id = NewKickoffId();
    o.time_scale = kTimeScale;
    o.use_stream = use_stream;
    TaskFollower follower(o);
    follower.Prepare(Clock::now() + DefaultWait());
    const std::string body = BuildMessageSendBody(KickoffText(depth), o.message_id, NewKickoffId());
    sent_at_ = Clock::now();
    const auto reply = client_->SendMessageBody(pm_, body, DefaultWaitMs());
    const Clock::time_point answered = Clock::now();
    return follower.Follow(reply, sent_at_, answered, Clock::now() + 2 * DefaultWait());
  }

  double TaskSecs(const FollowResult& r) const {
    return std::chrono::duration<double>(r.end.at - sent_at_).count() / kTimeScale;
  }

  FakePlatformOptions options_;
  std::unique_ptr<EmbeddedFakePlatform> fake_;
  std::unique_ptr<PlatformClient> client_;
  std::string pm_;
  Clock::time_point sent_at_;
};

TEST_F(TaskFollowerTest, TheStreamShowsTheEndOfAQueuedTask) {
  ASSERT_NO_FATAL_FAILURE(Start(Scenario::kUnbounded));
  const TaskPlan2026_08 plan = PlanTask2026_08(Scenario::kUnbounded, options_.durations, 3, 0);
  ASSERT_GT(plan.end_secs, options_.durations.sync_budget_secs);
  const FollowResult r = Run(3, true);
  ASSERT_TRUE(r.end.ended) << (r.errors.empty() ? "" : r.errors.front());
  EXPECT_TRUE(r.stream_connected);
  EXPECT_EQ(r.end.source, "A2A_RESPONSE event");
  EXPECT_EQ(r.end.outcome, A2AOutcome::kResult);
  ASSERT_TRUE(r.end.platform_task_secs.has_value());
  EXPECT_EQ(r.kickoff_dispatches, 1);
  EXPECT_TRUE(r.actions.empty());
  // Reported, never asserted: the harness clock against the plan.
  std::printf("stream: task_secs %.1f, truth %.1f, platform_task_secs %.1f\n", TaskSecs(r),
              plan.end_secs, *r.end.platform_task_secs);
}

TEST_F(TaskFollowerTest, PollingAloneFindsTheCompletedRow) {
  ASSERT_NO_FATAL_FAILURE(Start(Scenario::kUnbounded));
  const FollowResult r = Run(3, false);
  ASSERT_TRUE(r.end.ended) << (r.errors.empty() ? "" : r.errors.front());
  EXPECT_EQ(r.end.source, "a2a_receive row");
  EXPECT_EQ(r.end.outcome, A2AOutcome::kResult);
  EXPECT_TRUE(r.end.platform_task_secs.has_value());
  EXPECT_GE(r.activity_polls, 1);
  EXPECT_EQ(r.stream.attempts, 0);
}

// A row seen in a poll's answer is stamped when that answer arrived, never when the poll was
// sent: the fake may write the row in between, and the harness clock must enclose the task
// (under --config=tsan coordinator_task_bounds_test saw a stall watchdog's end at 1079.3 s of
// a plan that ends at 1080 s).
TEST_F(TaskFollowerTest, PollingStampsTheEndWhenTheAnswerArrived) {
  ASSERT_NO_FATAL_FAILURE(Start(Scenario::kUnbounded));
  const FollowResult r = Run(3, false);
  ASSERT_TRUE(r.end.ended) << (r.errors.empty() ? "" : r.errors.front());
  ASSERT_EQ(r.end.source, "a2a_receive row");
  // Polling stops at the end: the last activity poll is the one whose answer showed it.
  std::optional<RecordedRequest> last_poll;
  for (const RecordedRequest& request : fake_->server().requests()) {
    if (request.route == "GET /workspaces/{id}/activity") {
      last_poll = request;
    }
  }
  ASSERT_TRUE(last_poll.has_value()) << "no activity poll reached the fake";
  EXPECT_GE(r.end.at, last_poll->received_steady)
      << "the end is stamped "
      << std::chrono::duration<double, std::milli>(last_poll->received_steady - r.end.at).count()
      << " ms before the poll that showed it reached the fake";
}

TEST_F(TaskFollowerTest, StaysUnderTwentyRequestsPerPlatformMinute) {
  ASSERT_NO_FATAL_FAILURE(Start(Scenario::kUnbounded));
  for (const bool use_stream : {true, false}) {
    const FollowResult r = Run(8, use_stream);
    ASSERT_TRUE(r.end.ended);
    const double minutes = std::max(1.0, TaskSecs(r) / 60);
    const double per_minute = (r.requests + 1) / minutes;  // + the kickoff
    EXPECT_LT(per_minute, 20) << (use_stream ? "stream" : "polling") << ": " << r.requests
                              << " requests in " << minutes << " platform minutes";
    std::printf("%s: %d requests over %.1f platform minutes (%.2f/min)\n",
                use_stream ? "stream" : "polling", r.requests + 1, minutes, per_minute);
  }
}

TEST_F(TaskFollowerTest, TheStallWatchdogsRowsAreActions) {
  ASSERT_NO_FATAL_FAILURE(Start(Scenario::kStallWatchdog));
  const FollowResult r = Run(3, true);
  ASSERT_FALSE(r.actions.empty());
  EXPECT_EQ(r.actions.front().mechanism, Mechanism::kStallWatchdog);
}

TEST_F(TaskFollowerTest, TheIdleTimersBusyRowCountsARedispatch) {
  ASSERT_NO_FATAL_FAILURE(Start(Scenario::kIdleTimeout));
  const FollowResult r = Run(8, true);
  ASSERT_TRUE(r.end.ended);
  EXPECT_EQ(r.kickoff_dispatches, 2);
  ASSERT_FALSE(r.actions.empty());
  EXPECT_EQ(r.actions.front().mechanism, Mechanism::kIdleTimer);
}

TEST_F(TaskFollowerTest, On2026_04TheAnswerIsTheEndAndNothingIsPolled) {
  ASSERT_NO_FATAL_FAILURE(Start(Scenario::kUnbounded, PlatformVersion::k2026_04));
  const FollowResult r = Run(3, true);
  ASSERT_TRUE(r.end.ended);
  EXPECT_EQ(r.end.source, "");
  EXPECT_FALSE(r.stream_connected);
  EXPECT_TRUE(r.stream.unavailable);
  EXPECT_EQ(r.activity_polls, 0);
}

}  // namespace
}  // namespace taskbounds
