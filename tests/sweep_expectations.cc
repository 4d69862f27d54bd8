#include "tests/sweep_expectations.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "client/text.h"
#include "client/verdict.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mocks/platform/coordinator_model.h"
#include "tests/sweep_cases.h"

namespace taskbounds {
namespace {

using ::testing::Contains;

// One way the fake can answer: an outcome, its bound ("" = none), some time in
// [earliest, latest] platform seconds.
struct ModelAnswer {
  A2AOutcome outcome;
  std::string bound;
  double earliest = 0;
  double latest = 0;
};

struct Expectation {
  std::vector<ModelAnswer> answers;
  std::set<std::string> outcomes;
  std::set<std::string> verdicts;
  double margin_secs = std::numeric_limits<double>::infinity();  // platform seconds
  std::string why;
};

// How each of the model's answers reaches the harness.
A2AOutcome OutcomeOf(TaskAnswer answer) {
  switch (answer) {
    case TaskAnswer::kResult:
      return A2AOutcome::kResult;
    case TaskAnswer::kQueued:
      return A2AOutcome::kQueued;
    case TaskAnswer::kAgentError:
      return A2AOutcome::kAgentError;
    case TaskAnswer::kPlatformTerminated:
      return A2AOutcome::kPlatformError;  // 503 terminated
  }
  return A2AOutcome::kNoResponse;
}

// The verdict each bound of the model implies (docs/verdicts.md). An answer with no bound
// is classified by when it came (VerdictForUnboundedAnswer).
const std::map<std::string, Verdict>& VerdictOfBound() {
  static const std::map<std::string, Verdict> kTable = {
      {"idle_timeout", Verdict::kBoundedByPlatform},      // 202 queued
      {"platform_ceiling", Verdict::kBoundedByPlatform},  // 503 + failed status
      {"agent_ceiling", Verdict::kBoundedByAgent},        // 200 "Agent error: ..."
  };
  return kTable;
}

Verdict VerdictForUnboundedAnswer(double answered_secs, const VerdictThresholds& thresholds) {
  if (answered_secs < thresholds.informative_secs) {
    return Verdict::kNotInformative;
  }
  if (answered_secs < thresholds.delegation_timeout_secs) {
    return Verdict::kWithinDelegationTimeout;
  }
  return Verdict::kUnbounded;
}

std::string DescribeModel(Scenario scenario, int depth, const SimulatedDurations& d,
                          const std::vector<ModelAnswer>& answers) {
  const CoordinatorPlan natural = PlanCoordinatorTask(Scenario::kUnbounded, d, depth, 0);
  std::string why = std::string(ScenarioName(scenario)) + " at depth " + std::to_string(depth) +
                    ": " + std::to_string(natural.delegation_secs) + " s delegation + " +
                    std::to_string(natural.synthesis_secs) +
                    " s synthesis = " + std::to_string(natural.natural_secs) + " s";
  for (const ModelAnswer& a : answers) {
    if (!a.bound.empty()) {
      why += "; " + a.bound + " answers between " + std::to_string(a.earliest) + " and " +
             std::to_string(a.latest) + " s";
    }
  }
  return why;
}

// What the fake's model implies for `scenario` at `depth` under durations `d`.
Expectation ExpectFromModel(Scenario scenario, int depth, const SimulatedDurations& d,
                            const VerdictThresholds& thresholds, double a2a_timeout_secs) {
  Expectation e;
  for (const PossibleEnding& ending : PossibleEndings(scenario, d, depth)) {
    e.answers.push_back(
        {OutcomeOf(ending.answer), ending.bound, ending.earliest_secs, ending.latest_secs});
  }
  e.why = DescribeModel(scenario, depth, d, e.answers);
  for (const ModelAnswer& a : e.answers) {
    if (a.latest >= a2a_timeout_secs) {
      e.verdicts.insert(VerdictName(Verdict::kHarnessTimeout));
      e.outcomes.insert(A2AOutcomeName(A2AOutcome::kNoResponse));
      if (a.earliest >= a2a_timeout_secs) {
        continue;
      }
    }
    e.outcomes.insert(A2AOutcomeName(a.outcome));
    e.margin_secs = std::min(e.margin_secs, a2a_timeout_secs - a.latest);
    if (a.bound.empty()) {
      for (double threshold : {thresholds.informative_secs, thresholds.delegation_timeout_secs}) {
        if (threshold > a.latest) {
          e.margin_secs = std::min(e.margin_secs, threshold - a.latest);
        }
      }
      e.verdicts.insert(VerdictName(VerdictForUnboundedAnswer(a.latest, thresholds)));
    } else if (auto it = VerdictOfBound().find(a.bound); it != VerdictOfBound().end()) {
      e.verdicts.insert(VerdictName(it->second));
    } else {
      ADD_FAILURE() << "the model's bound \"" << a.bound << "\" has no verdict in the table";
    }
  }
  return e;
}

bool OnTodaysProfile(const FakePlatformOptions& fake) {
  return EffectivePlatformVersion(fake) == PlatformVersion::k2026_08;
}

// 2026-08: platform seconds between a completed task's end and the nearest verdict threshold
// above it; infinity when a mechanism, not a threshold, decides the verdict.
double TodaysMargin(Scenario scenario, int depth, const SimulatedDurations& d) {
  const TaskPlan2026_08 plan = PlanTask2026_08(scenario, d, depth, 0);
  const TaskEndRange range = PossibleTaskEnds2026_08(scenario, d, depth);
  double margin = std::numeric_limits<double>::infinity();
  if (plan.mechanism == TaskMechanism::kNone) {
    for (double threshold :
         {VerdictThresholds{}.informative_secs, VerdictThresholds{}.delegation_timeout_secs}) {
      if (threshold > range.latest_secs) {
        margin = std::min(margin, threshold - range.latest_secs);
      }
    }
  }
  return margin;
}

// 2026-08: the verdict and mechanism come from the fake's own plan for the task
// (PlanTask2026_08, over every heartbeat phase); a task that cannot end before A2A_TIMEOUT
// is a harness_timeout with the task still running.
void ExpectTodaysPlan(Scenario scenario, int depth, const FakePlatformOptions& fake,
                      const RunReport& r) {
  const TaskPlan2026_08 plan = PlanTask2026_08(scenario, fake.durations, depth, 0);
  const TaskEndRange range = PossibleTaskEnds2026_08(scenario, fake.durations, depth);
  const std::string why = std::string(ScenarioName(scenario)) + " at depth " +
                          std::to_string(depth) + " on 2026-08 ends between " +
                          FormatDecimal(range.earliest_secs, 1) + " and " +
                          FormatDecimal(range.latest_secs, 1) + " s (" + plan.verdict + ", " +
                          TaskMechanismName(plan.mechanism) + "); classifier: " + r.verdict_name +
                          ": " + r.verdict_reason;
  if (range.earliest_secs >= r.a2a_timeout_secs) {
    EXPECT_EQ(r.verdict_name, VerdictName(Verdict::kHarnessTimeout)) << why;
    EXPECT_TRUE(r.task_still_running) << why;
    return;
  }
  ASSERT_LT(range.latest_secs, r.a2a_timeout_secs) << "raise A2A_TIMEOUT: " << why;
  EXPECT_EQ(r.verdict_name, plan.verdict) << why;
  EXPECT_EQ(r.mechanism, TaskMechanismName(plan.mechanism)) << why;
  EXPECT_FALSE(r.task_still_running) << why;
  // The harness clock encloses the task: it never ends before the plan says.
  EXPECT_GE(r.task_secs + 1e-6, range.earliest_secs) << why;
}

std::string Join(const std::set<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    out += (out.empty() ? "" : " or ") + item;
  }
  return out;
}

// 2026-04: the answer's outcome and verdict are among those the model allows, no earlier than
// it allows.
void ExpectAprilModel(Scenario scenario, int depth, const FakePlatformOptions& fake,
                      const RunReport& r) {
  const Expectation expected =
      ExpectFromModel(scenario, depth, fake.durations, VerdictThresholds{}, r.a2a_timeout_secs);
  EXPECT_THAT(expected.outcomes, Contains(A2AOutcomeName(r.outcome)))
      << expected.why << "\nresponse: HTTP " << r.response_status << " " << r.response_head;
  EXPECT_THAT(expected.verdicts, Contains(r.verdict_name))
      << expected.why << "\nexpected " << Join(expected.verdicts) << ", classifier said "
      << r.verdict_name << ": " << r.verdict_reason;
  // The clock encloses the request, and the fake answers no earlier than its model says.
  double earliest = std::numeric_limits<double>::infinity();
  for (const ModelAnswer& a : expected.answers) {
    earliest = std::min(earliest, a.earliest);
  }
  EXPECT_GE(r.platform_secs + 1e-6, std::min(earliest, r.a2a_timeout_secs)) << expected.why;
  // /heartbeat-history exists only in the hypothetical platform-ceiling scenario.
  EXPECT_EQ(r.heartbeat_history_available, scenario == Scenario::kPlatformCeiling);
}

}  // namespace

double ModelMarginSecs(Scenario scenario, int depth, double a2a_timeout_secs) {
  return TodaysProfileChosen() ? TodaysMargin(scenario, depth, SimulatedDurations{})
                               : ExpectFromModel(scenario, depth, SimulatedDurations{},
                                                 VerdictThresholds{}, a2a_timeout_secs)
                                     .margin_secs;
}

void ExpectVerdictFromTheModel(Scenario scenario, int depth, const FakePlatformOptions& fake,
                               const RunReport& r) {
  if (OnTodaysProfile(fake)) {
    ExpectTodaysPlan(scenario, depth, fake, r);
  } else {
    ExpectAprilModel(scenario, depth, fake, r);
  }
}

}  // namespace taskbounds
