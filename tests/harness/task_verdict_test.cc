// A whole run (CoordinatorRun) on the fake's 2026-08 profile for every scenario at depths 1,
// 3 and 8: the harness follows the queued task to its end and its verdict and mechanism are
// the ones PlanTask2026_08 (the fake's own model) says DESIGN.md gives that task.
#include <algorithm>
#include <sstream>
#include <string>
#include <tuple>

#include "client/config.h"
#include "client/event_log.h"
#include "fixtures/run/coordinator_run.h"
#include "fixtures/run/workspace_janitor.h"
#include "gtest/gtest.h"
#include "mocks/fake_platform_options.h"
#include "mocks/platform/coordinator_model.h"
#include "tests/support/platform_fixture.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

constexpr char kAdminToken[] = "task-verdict-admin-token";
constexpr double kTimeScale = 0.001;
// Long enough for every planned end (the idle timer's re-dispatch is the latest), so no
// case is a harness timeout; platform seconds.
constexpr double kA2ATimeoutSecs = 9000;

using Case = std::tuple<Scenario, int>;

class TaskVerdictTest : public FakePlatformTest, public testing::WithParamInterface<Case> {};

// Wall seconds that must separate a completed task's end from the verdict threshold above
// it (60 s, 300 s), times SlowdownFactor(): harness overhead only ever adds time.
constexpr double kBaseWallMarginSecs = 0.15;

// kTimeScale, or slower when a completed task ends close below a verdict threshold.
double ScaleFor(Scenario scenario, int depth) {
  const SimulatedDurations d;
  if (PlanTask2026_08(scenario, d, depth, 0).mechanism != TaskMechanism::kNone) {
    return kTimeScale;  // a mechanism, not a threshold, decides the verdict
  }
  const double end = PossibleTaskEnds2026_08(scenario, d, depth).latest_secs;
  double scale = kTimeScale;
  for (const double threshold : {60.0, 300.0}) {
    if (threshold > end) {
      scale = std::max(scale, kBaseWallMarginSecs * SlowdownFactor() / (threshold - end));
    }
  }
  return scale;
}

// One whole run of `depth` against the fake at `url`, its events into `out`.
RunReport RunOnce(const std::string& url, double time_scale, int depth, double a2a_timeout_secs,
                  std::ostringstream* out) {
  RunConfig config = FakeRunConfig(time_scale, depth);
  config.admin_token = kAdminToken;
  config.a2a_timeout_secs = a2a_timeout_secs;
  EventLog events(*out);
  WorkspaceJanitor janitor(JanitorOptionsFor(config, url), &events);
  RunOptions run_options;
  run_options.synthesis_depth = depth;
  CoordinatorRun run(config, url, events, janitor, run_options);
  return run.Run();
}

TEST_P(TaskVerdictTest, VerdictAndMechanismAreThePlans) {
  const auto [scenario, depth] = GetParam();
  const double time_scale = ScaleFor(scenario, depth);
  FakePlatformOptions options;
  options.time_scale = time_scale;
  options.platform_version = PlatformVersion::k2026_08;
  options.scenario = scenario;
  options.admin_token = kAdminToken;
  ASSERT_NO_FATAL_FAILURE(Start(options, HarnessServerOptions()));
  const TaskPlan2026_08 plan = PlanTask2026_08(scenario, options.durations, depth, 0);
  ASSERT_LT(plan.end_secs, kA2ATimeoutSecs);

  std::ostringstream out;
  const RunReport r = RunOnce(fake_->url(), time_scale, depth, kA2ATimeoutSecs, &out);

  ASSERT_TRUE(r.measured) << r.FirstError();
  EXPECT_EQ(r.verdict_name, plan.verdict) << r.verdict_reason << "\n" << out.str();
  EXPECT_EQ(r.mechanism, TaskMechanismName(plan.mechanism)) << r.verdict_reason;
  EXPECT_FALSE(r.task_still_running);
  EXPECT_TRUE(r.cleaned_up) << r.FirstError();
  // The kickoff: bearer, our own messageId and contextId, no X-Workspace-ID (section 4).
  int kickoffs = 0;
  for (const RecordedRequest& request : fake_->server().requests()) {
    if (request.method != "POST" || request.path != "/workspaces/" + r.pm_id + "/a2a") {
      continue;
    }
    ++kickoffs;
    const auto auth = request.headers.find("Authorization");
    ASSERT_NE(auth, request.headers.end());
    EXPECT_EQ(auth->second, std::string("Bearer ") + kAdminToken);
    EXPECT_EQ(request.headers.count("X-Workspace-ID"), 0u);
    EXPECT_NE(request.body.find("\"messageId\":\"taskbounds-"), std::string::npos);
    EXPECT_NE(request.body.find("\"contextId\":\"taskbounds-"), std::string::npos);
  }
  EXPECT_EQ(kickoffs, 1);  // never sent twice, whatever the platform re-dispatched
  RecordProperty("task_secs", std::to_string(r.task_secs));
  RecordProperty("truth_secs", std::to_string(plan.end_secs));
}

// Issue 19.5: the runtime's completion idle cap (here 100 s, so depth 8's 320 s synthesis
// runs into it at 220 s) is the agent's cap on the gap between its messages: bounded_by_agent,
// agent_idle_cap; the degraded status the PM shows afterwards is no platform intervention.
TEST_F(FakePlatformTest, TheCompletionIdleCapIsTheAgentsCapOnSilence) {
  FakePlatformOptions options;
  options.time_scale = kTimeScale;
  options.platform_version = PlatformVersion::k2026_08;
  options.scenario = Scenario::kAgentIdleCap;
  options.durations.completion_idle_timeout_secs = 100;
  options.admin_token = kAdminToken;
  ASSERT_NO_FATAL_FAILURE(Start(options, HarnessServerOptions()));
  const TaskPlan2026_08 plan = PlanTask2026_08(options.scenario, options.durations, 8, 0);
  ASSERT_EQ(plan.mechanism, TaskMechanism::kAgentIdleCap);

  std::ostringstream out;
  const RunReport r = RunOnce(fake_->url(), kTimeScale, 8, kA2ATimeoutSecs, &out);

  ASSERT_TRUE(r.measured) << r.FirstError();
  EXPECT_EQ(r.verdict_name, "bounded_by_agent") << r.verdict_reason;
  EXPECT_EQ(r.mechanism, "agent_idle_cap") << r.verdict_reason;
  EXPECT_NE(r.verdict_reason.find("not on the turn's length"), std::string::npos)
      << r.verdict_reason;
  EXPECT_TRUE(r.cleaned_up) << r.FirstError();
}

// A2A_TIMEOUT after the queued acknowledgement but before the task's end: the run ends at
// once with the task still running (cleanup waits for nothing) and says so.
TEST_F(FakePlatformTest, ATimeoutAfterTheAcknowledgementLeavesTheTaskRunning) {
  FakePlatformOptions options;
  options.time_scale = kTimeScale;
  options.platform_version = PlatformVersion::k2026_08;
  options.admin_token = kAdminToken;
  ASSERT_NO_FATAL_FAILURE(Start(options, HarnessServerOptions()));
  const TaskPlan2026_08 plan = PlanTask2026_08(Scenario::kUnbounded, options.durations, 8, 0);
  const double timeout = options.durations.sync_budget_secs + 60;
  ASSERT_LT(timeout, plan.end_secs);

  std::ostringstream out;
  const RunReport r = RunOnce(fake_->url(), kTimeScale, 8, timeout, &out);

  ASSERT_TRUE(r.measured) << r.FirstError();
  EXPECT_EQ(r.verdict_name, "harness_timeout") << r.verdict_reason;
  EXPECT_TRUE(r.call_deferred);
  EXPECT_TRUE(r.task_still_running);
  EXPECT_NE(r.verdict_reason.find("still running"), std::string::npos) << r.verdict_reason;
  EXPECT_NE(out.str().find(R"("still_running":true)"), std::string::npos);
  EXPECT_TRUE(r.cleaned_up) << r.FirstError();
}

std::string CaseName(const testing::TestParamInfo<Case>& info) {
  std::string name = ScenarioName(std::get<0>(info.param));
  std::string camel;
  bool upper = true;
  for (char c : name) {
    if (c == '_') {
      upper = true;
      continue;
    }
    camel.push_back(upper ? static_cast<char>(c - 'a' + 'A') : c);
    upper = false;
  }
  return camel + "Depth" + std::to_string(std::get<1>(info.param));
}

INSTANTIATE_TEST_SUITE_P(Fake2026_08, TaskVerdictTest,
                         testing::Combine(testing::ValuesIn(AllScenarios()),
                                          testing::Values(1, 3, 8)),
                         CaseName);

}  // namespace
}  // namespace taskbounds
