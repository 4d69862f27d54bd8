// The fake's coordinator model as a pure function (mocks/platform/coordinator_model.h):
// PossibleEndings covers every plan PlanCoordinatorTask gives over all heartbeat phases, and
// names both endings exactly when the idle timer's phase decides between them.
#include "mocks/platform/coordinator_model.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "mocks/fake_platform_options.h"

namespace taskbounds {
namespace {

constexpr Scenario kScenarios[] = {Scenario::kUnbounded, Scenario::kIdleTimeout,
                                   Scenario::kAgentCeiling, Scenario::kPlatformCeiling};

testing::AssertionResult CoveredBy(const CoordinatorPlan& plan,
                                   const std::vector<PossibleEnding>& endings) {
  for (const PossibleEnding& e : endings) {
    if (e.answer == plan.answer && e.bound == plan.bound &&
        plan.answer_after_secs >= e.earliest_secs - 1e-9 &&
        plan.answer_after_secs <= e.latest_secs + 1e-9) {
      return testing::AssertionSuccess();
    }
  }
  return testing::AssertionFailure() << "plan \"" << plan.bound << "\" answering after "
                                     << plan.answer_after_secs << " s is in no ending";
}

TEST(CoordinatorModelTest, PossibleEndingsCoverEveryHeartbeatPhase) {
  const SimulatedDurations d;
  for (Scenario scenario : kScenarios) {
    for (int depth : {1, 3, 6, 7, 8, 20}) {
      const std::vector<PossibleEnding> endings = PossibleEndings(scenario, d, depth);
      ASSERT_FALSE(endings.empty());
      for (double phase : {0.0, 0.5, 7.0, 15.0, 29.99, 30.0, 100.0}) {
        EXPECT_TRUE(CoveredBy(PlanCoordinatorTask(scenario, d, depth, phase), endings))
            << ScenarioName(scenario) << " depth " << depth << " phase " << phase;
      }
    }
  }
}

TEST(CoordinatorModelTest, IdleTimerEndingsDependOnWhetherItCanOutrunTheTask) {
  const SimulatedDurations d;  // 15 s rounds, 40 s synthesis per depth, 30 s beats, 300 s idle
  // Depth 8: delegation 120 s, natural 440 s; the timer fires 390..420 s: always first.
  std::vector<PossibleEnding> endings = PossibleEndings(Scenario::kIdleTimeout, d, 8);
  ASSERT_EQ(endings.size(), 1u);
  EXPECT_EQ(endings[0].answer, TaskAnswer::kQueued);
  EXPECT_DOUBLE_EQ(endings[0].earliest_secs, 390);
  EXPECT_DOUBLE_EQ(endings[0].latest_secs, 420);
  // Depth 6: natural 330 s < earliest firing 360 s: never.
  endings = PossibleEndings(Scenario::kIdleTimeout, d, 6);
  ASSERT_EQ(endings.size(), 1u);
  EXPECT_EQ(endings[0].answer, TaskAnswer::kResult);
  EXPECT_DOUBLE_EQ(endings[0].latest_secs, 330);
  // Depth 7: natural 385 s, firing 375..405 s: the phase decides, both are listed.
  endings = PossibleEndings(Scenario::kIdleTimeout, d, 7);
  ASSERT_EQ(endings.size(), 2u);
  EXPECT_EQ(endings[0].answer, TaskAnswer::kQueued);
  EXPECT_DOUBLE_EQ(endings[0].earliest_secs, 375);
  EXPECT_DOUBLE_EQ(endings[0].latest_secs, 385);
  EXPECT_EQ(endings[1].answer, TaskAnswer::kResult);
  EXPECT_DOUBLE_EQ(endings[1].earliest_secs, 385);
}

TEST(CoordinatorModelTest, CeilingsAnswerInBandOrTerminate) {
  const SimulatedDurations d;
  const CoordinatorPlan agent = PlanCoordinatorTask(Scenario::kAgentCeiling, d, 8, 0);
  EXPECT_EQ(agent.answer, TaskAnswer::kAgentError);
  EXPECT_DOUBLE_EQ(agent.answer_after_secs, d.agent_task_ceiling_secs);
  const CoordinatorPlan platform = PlanCoordinatorTask(Scenario::kPlatformCeiling, d, 8, 0);
  EXPECT_EQ(platform.answer, TaskAnswer::kPlatformTerminated);
  EXPECT_DOUBLE_EQ(platform.answer_after_secs, d.platform_ceiling_secs);
  EXPECT_EQ(PlanCoordinatorTask(Scenario::kPlatformCeiling, d, 3, 0).answer, TaskAnswer::kResult)
      << "165 s never reaches a 300 s ceiling";
}

}  // namespace
}  // namespace taskbounds

namespace taskbounds {
namespace {

struct Expected2026_08 {
  Scenario scenario;
  int depth;
  const char* verdict;
  const char* mechanism;
  double end_secs;
};

// Defaults: rounds 15 s, synthesis 40 s per depth (natural 55 / 165 / 440 s at depth
// 1 / 3 / 8), idle timer 1800 s, watchdog 720 s stale + 300 s grace on 180 s ticks,
// liveness TTL 180 s, header timeout 1800 s, agent ceiling 300 s, ceiling 300 s.
constexpr Expected2026_08 kTable[] = {
    {Scenario::kUnbounded, 1, "not_informative", "", 55},
    {Scenario::kUnbounded, 3, "within_delegation_timeout", "", 165},
    {Scenario::kUnbounded, 8, "unbounded", "", 440},
    // Phase 0: heartbeats at dispatch and every 30 s; the last one at or before the end of
    // delegation (0 / 30 / 120 s) starts the timer.
    {Scenario::kIdleTimeout, 1, "bounded_by_platform", "idle_timer", 1800},
    {Scenario::kIdleTimeout, 3, "bounded_by_platform", "idle_timer", 1830},
    {Scenario::kIdleTimeout, 8, "bounded_by_platform", "idle_timer", 1920},
    {Scenario::kStallWatchdog, 1, "bounded_by_platform", "stall_watchdog", 1080},
    {Scenario::kStallWatchdog, 8, "bounded_by_platform", "stall_watchdog", 1080},
    {Scenario::kContainerRestart, 1, "bounded_by_platform", "container_restart", 195},
    {Scenario::kContainerRestart, 3, "bounded_by_platform", "container_restart", 225},
    {Scenario::kContainerRestart, 8, "bounded_by_platform", "container_restart", 300},
    {Scenario::kHeaderTimeout, 3, "bounded_by_platform", "response_header_timeout", 1800},
    {Scenario::kAgentCeiling, 1, "not_informative", "", 55},
    {Scenario::kAgentCeiling, 3, "within_delegation_timeout", "", 165},
    {Scenario::kAgentCeiling, 8, "bounded_by_agent", "agent_time_limit", 300},
    {Scenario::kAgentFailure, 1, "agent_failed", "", 15},
    {Scenario::kAgentFailure, 8, "agent_failed", "", 120},
    {Scenario::kPlatformCeiling, 3, "within_delegation_timeout", "", 165},
    {Scenario::kPlatformCeiling, 8, "bounded_by_platform", "task_ceiling", 300},
    // The completion idle cap (900 s) only ends a synthesis longer than it: depth 25's
    // 1000 s, 375 s of delegation + 900 s.
    {Scenario::kAgentIdleCap, 8, "unbounded", "", 440},
    {Scenario::kAgentIdleCap, 25, "bounded_by_agent", "agent_idle_cap", 1275},
};

TEST(CoordinatorModel2026_08Test, EveryScenarioEndsWithItsVerdictMechanismAndTime) {
  const SimulatedDurations d;
  for (const Expected2026_08& e : kTable) {
    const TaskPlan2026_08 plan = PlanTask2026_08(e.scenario, d, e.depth, 0);
    const std::string label =
        std::string(ScenarioName(e.scenario)) + " depth " + std::to_string(e.depth);
    EXPECT_EQ(plan.verdict, e.verdict) << label;
    EXPECT_STREQ(TaskMechanismName(plan.mechanism), e.mechanism) << label;
    EXPECT_DOUBLE_EQ(plan.end_secs, e.end_secs) << label;
  }
}

TEST(CoordinatorModel2026_08Test, PlatformActionsComeInTimeOrderAndEndNoLaterThanTheRestart) {
  const SimulatedDurations d;
  for (Scenario scenario : AllScenarios()) {
    for (int depth : {1, 3, 8, 20}) {
      const TaskPlan2026_08 plan = PlanTask2026_08(scenario, d, depth, 7);
      for (std::size_t i = 1; i < plan.actions.size(); ++i) {
        EXPECT_LE(plan.actions[i - 1].at_secs, plan.actions[i].at_secs)
            << ScenarioName(scenario) << " depth " << depth << " action " << i;
      }
      EXPECT_GT(plan.end_secs, 0) << ScenarioName(scenario);
      EXPECT_EQ(plan.mechanism == TaskMechanism::kNone, plan.ending == TaskEnding::kCompleted)
          << ScenarioName(scenario) << " depth " << depth;
    }
  }
}

TEST(CoordinatorModel2026_08Test, PossibleEndsCoverEveryHeartbeatPhase) {
  const SimulatedDurations d;
  for (Scenario scenario : AllScenarios()) {
    for (int depth : {1, 3, 8}) {
      const TaskEndRange range = PossibleTaskEnds2026_08(scenario, d, depth);
      for (double phase : {0.0, 0.5, 7.0, 15.0, 29.99, 100.0}) {
        const double end = PlanTask2026_08(scenario, d, depth, phase).end_secs;
        EXPECT_GE(end, range.earliest_secs - 1e-9) << ScenarioName(scenario) << " " << depth;
        EXPECT_LE(end, range.latest_secs + 1e-9) << ScenarioName(scenario) << " " << depth;
      }
    }
  }
  const TaskEndRange idle = PossibleTaskEnds2026_08(Scenario::kIdleTimeout, d, 8);
  EXPECT_DOUBLE_EQ(idle.earliest_secs, 90 + 1800);
  EXPECT_DOUBLE_EQ(idle.latest_secs, 120 + 1800);
}

TEST(CoordinatorModel2026_08Test, IdleTimerRedispatchesTheSameBodyAfterTheSweep) {
  SimulatedDurations d;
  d.idle_timeout_2026_08_secs = 100;
  d.queue_sweep_secs = 10;
  const TaskPlan2026_08 plan = PlanTask2026_08(Scenario::kIdleTimeout, d, 2, 0);
  // Delegation 30 s with a heartbeat at 30 s, then silence: fires at 130 s.
  EXPECT_DOUBLE_EQ(plan.end_secs, 130);
  EXPECT_DOUBLE_EQ(plan.heartbeats_stop_secs, 30);
  ASSERT_EQ(plan.actions.size(), 3u);
  EXPECT_EQ(plan.actions[0].kind, TaskActionKind::kIdleCancel);
  EXPECT_EQ(plan.actions[1].kind, TaskActionKind::kRedispatch);
  EXPECT_DOUBLE_EQ(plan.actions[1].at_secs, 140);
  EXPECT_EQ(plan.actions[2].kind, TaskActionKind::kRedispatchDone);
  EXPECT_DOUBLE_EQ(plan.actions[2].at_secs, 140 + plan.natural_secs);
}

TEST(CoordinatorModel2026_08Test, EveryDurationIsAnOption) {
  SimulatedDurations d;
  d.stall_interval_secs = 60;
  d.stall_stale_after_secs = 100;
  d.stall_probe_grace_secs = 50;
  // Probe at the first 60 s tick >= 100 (120), restart at the first >= 170 (180).
  TaskPlan2026_08 plan = PlanTask2026_08(Scenario::kStallWatchdog, d, 3, 0);
  EXPECT_DOUBLE_EQ(plan.actions.at(0).at_secs, 120);
  EXPECT_DOUBLE_EQ(plan.end_secs, 180);
  d.liveness_ttl_secs = 10;
  EXPECT_DOUBLE_EQ(PlanTask2026_08(Scenario::kContainerRestart, d, 1, 0).end_secs, 25);
  d.response_header_timeout_secs = 42;
  EXPECT_DOUBLE_EQ(PlanTask2026_08(Scenario::kHeaderTimeout, d, 8, 0).end_secs, 42);
}

}  // namespace
}  // namespace taskbounds
