// A platform that dies mid-task, or comes back empty on the same port, over real sockets on
// both fake profiles: the progress says the platform is unreachable (or the PM vanished)
// instead of repeating the last good status, and the verdict says the harness lost sight of
// the task instead of "still running" (client/verdict.h RunEvidence, docs/verdicts.md).
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client/platform_client.h"
#include "fixtures/run/coordinator_run.h"
#include "fixtures/run/workspace_janitor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mocks/embedded_fake_platform.h"
#include "tests/harness/coordinator_run_fixture.h"
#include "tests/support/platform_fixture.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

// Platform seconds the task is left to run before the platform is lost: past the refusal
// window, so a 503 the dying fake answers is not a refused kickoff.
constexpr double kLoseAfterPlatformSecs = 100;

// 2026-04 holds the call until the task ends; the dying fake either answers it 503
// "shutting down" (the platform's own word on the task's end, which stands) or the
// connection drops first (then the harness saw nothing end it: the lost platform is the
// reason). Which of the two comes first, and whether the one sample after the call's end
// still reaches the stopping fake, is the fake's shutdown race, not the harness's.
void ExpectHeldCallEnded(const RunReport& r) {
  EXPECT_NE(r.verdict, Verdict::kHarnessTimeout) << r.verdict_reason;
  if (r.verdict == Verdict::kBoundedByPlatform) {
    EXPECT_THAT(r.verdict_reason, HasSubstr("shutting down"));
  } else {
    EXPECT_EQ(r.verdict, Verdict::kInconclusive) << r.verdict_reason;
    EXPECT_THAT(r.verdict_reason,
                testing::AnyOf(HasSubstr("platform unreachable from"), HasSubstr("PM vanished")));
  }
}

class PlatformLostTest : public EveryProfileRunTest {
 protected:
  // Runs a depth-8 task (440 platform s; A2A_TIMEOUT 700) and calls `lose` from another
  // thread kLoseAfterPlatformSecs after the fake received the kickoff. The fake is not
  // checked for leaks (it is stopped or replaced); deletes give up after 300 ms.
  RunReport RunAndLose(const std::function<void()>& lose) {
    constexpr double kScale = 0.001;
    Start(Options(kScale), HarnessServerOptions());
    RunConfig config = Config(kScale, 8);
    config.a2a_timeout_secs = 700;
    RunOptions run_options;
    run_options.synthesis_depth = 8;
    run_options.on_progress = [this](const RunProgress& p) {
      std::lock_guard<std::mutex> lock(mu_);
      progress_.push_back(p);
    };
    JanitorOptions janitor_options = JanitorOptionsFor(config, fake_->url());
    janitor_options.delete_timeout = std::chrono::milliseconds(300);
    WorkspaceJanitor janitor(janitor_options, &events_);
    CoordinatorRun run(config, fake_->url(), events_, janitor, run_options);
    EXPECT_TRUE(run.Begin() && run.Provision() && run.WaitOnline()) << run.report().FirstError();
    pm_id_ = run.report().pm_id;
    std::thread loser([&] {
      const auto kickoff = fake_->server().WaitForRequest(
          [](const RecordedRequest& r) { return r.route == "POST /workspaces/{id}/a2a"; },
          DefaultWait());
      EXPECT_TRUE(kickoff.has_value());
      std::this_thread::sleep_for(std::chrono::duration<double>(kLoseAfterPlatformSecs * kScale));
      lose();
    });
    const StepResult measured = run.Measure();
    loser.join();
    EXPECT_TRUE(measured.ok) << measured.reason;
    return run.report();
  }

  // The progress reports that said the sampler had lost sight of the PM.
  std::vector<RunProgress> LostProgress() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<RunProgress> lost;
    for (const RunProgress& p : progress_) {
      if (p.lost_sight.lost()) {
        lost.push_back(p);
      }
    }
    return lost;
  }

  std::mutex mu_;
  std::vector<RunProgress> progress_;
  std::string pm_id_;  // set before `lose` can run
};

TEST_P(PlatformLostTest, APlatformThatStopsAnsweringIsUnreachableNotStillRunning) {
  const RunReport r = RunAndLose([this] { fake_->Stop(); });
  if (OnTodaysProfile()) {
    EXPECT_GE(r.lost_sight.unreachable_from_secs, kLoseAfterPlatformSecs) << r.verdict_reason;
    EXPECT_THAT(r.verdict_evidence, Contains(HasSubstr("platform unreachable from")));
    // The queued task's end was never seen: the harness lost sight of it.
    EXPECT_EQ(r.verdict, Verdict::kInconclusive) << r.verdict_reason;
    EXPECT_THAT(r.verdict_reason, HasSubstr("platform unreachable from"));
    EXPECT_THAT(r.verdict_reason, HasSubstr("last error"));
    const std::vector<RunProgress> lost = LostProgress();
    ASSERT_FALSE(lost.empty()) << "no progress report said the platform was unreachable";
    EXPECT_GE(lost.back().lost_sight.unreachable_from_secs, kLoseAfterPlatformSecs);
    EXPECT_FALSE(lost.back().lost_sight.last_error.empty());
  } else {
    ExpectHeldCallEnded(r);
  }
}

TEST_P(PlatformLostTest, APmThatVanishesWithARestartedPlatformIsNotStillRunning) {
  const RunReport r = RunAndLose([this] {
    const int port = fake_->port();
    fake_->Stop();
    ServerOptions same_port = HarnessServerOptions();
    same_port.port = port;
    std::string error;
    fake_ = EmbeddedFakePlatform::Start(Options(0.001), &error, same_port);
    ASSERT_NE(fake_, nullptr) << error;
  });
  if (OnTodaysProfile()) {
    // The sampler polls on after the restart: the 404 ends the unreachable gap.
    EXPECT_GE(r.lost_sight.vanished_at_secs, kLoseAfterPlatformSecs) << r.verdict_reason;
    EXPECT_EQ(r.lost_sight.vanished_http_status, 404);
    EXPECT_LT(r.lost_sight.unreachable_from_secs, 0) << "the restarted platform answers";
    EXPECT_THAT(r.verdict_evidence, Contains(HasSubstr("answered 404")));
    EXPECT_EQ(r.verdict, Verdict::kInconclusive) << r.verdict_reason;
    EXPECT_THAT(r.verdict_reason, HasSubstr("the PM vanished (GET 404) at"));
    const std::vector<RunProgress> lost = LostProgress();
    ASSERT_FALSE(lost.empty()) << "no progress report said the PM vanished";
    EXPECT_EQ(lost.back().lost_sight.vanished_http_status, 404);
  } else {
    // Only the sample right after the call's end sees the platform, dead or restarted empty.
    ExpectHeldCallEnded(r);
  }
}

// Issue 19.2: an operator deletes the PM mid-task (DELETE ?confirm=true with X-Confirm-Name,
// not the harness). On 2026-08 the removal fails the held turn (its row turns "error",
// "context canceled") just before the PM reads as removed; on 2026-04 the held call ends with
// the dead container's 503. Either way the error is the removal's consequence, not a bound.
TEST_P(PlatformLostTest, APmDeletedBySomeoneElseMidTaskIsNotAPlatformBound) {
  const RunReport r = RunAndLose([this] {
    PlatformClient operator_client(ClientFor(*fake_, kHarnessAdminToken));
    const auto deleted = operator_client.DeleteWorkspaceByReadName(pm_id_, /*confirm=*/true);
    ASSERT_TRUE(deleted.ok()) << deleted.error;
  });
  std::printf("verdict: %s because %s\n", r.verdict_name.c_str(), r.verdict_reason.c_str());
  EXPECT_EQ(r.verdict, Verdict::kInconclusive) << r.verdict_reason;
  EXPECT_THAT(r.verdict_reason, HasSubstr("by someone other than this run")) << r.verdict_reason;
  EXPECT_THAT(r.mechanism, testing::IsEmpty());
  // One plain sentence: no parser message about the row's empty body.
  EXPECT_THAT(r.verdict_reason, testing::Not(HasSubstr("not JSON")));
  EXPECT_THAT(r.verdict_reason, testing::Not(HasSubstr("empty body")));
  if (OnTodaysProfile()) {
    EXPECT_THAT(r.verdict_reason, HasSubstr("context canceled"));
  }
}

INSTANTIATE_TEST_SUITE_P(Profiles, PlatformLostTest, testing::ValuesIn(AllPlatformVersions()),
                         ProfileParamName);

}  // namespace
}  // namespace taskbounds
