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
