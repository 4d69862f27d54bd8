// What the depth sweep expects of a run against the embedded fake, from the fake's own model
// (mocks/platform/coordinator_model.h), never from calling the classifier: 2026-04's
// PossibleEndings plus a table from bound to verdict with the 60/300 s thresholds, and
// 2026-08's PlanTask2026_08 (verdict and mechanism).
#ifndef TESTS_SWEEP_EXPECTATIONS_H_
#define TESTS_SWEEP_EXPECTATIONS_H_

#include "fixtures/run/coordinator_run.h"
#include "mocks/fake_platform_options.h"

namespace taskbounds {

// Wall seconds that must separate an expected answer from the next threshold above it, so
// loopback and scheduling overhead (which only ever adds time) cannot flip a verdict. The
// margin is this times SlowdownFactor() (tests/support/wait.h): 0.05 s flaked twice on a
// loaded machine; 0.15 s keeps a depth-8 case well under a second of wall time.
constexpr double kBaseWallMarginSecs = 0.15;

// Platform seconds between the answer the model expects for `scenario` at `depth` (default
// durations, the profile TodaysProfileChosen() names) and the nearest verdict threshold above
// it; infinity when a bound, not a threshold, decides the verdict.
double ModelMarginSecs(Scenario scenario, int depth, double a2a_timeout_secs);

// Records a gtest failure for each way `r` departs from what the fake's model implies for
// `scenario` at `depth` on the profile and durations of `fake`.
void ExpectVerdictFromTheModel(Scenario scenario, int depth, const FakePlatformOptions& fake,
                               const RunReport& r);

}  // namespace taskbounds

#endif  // TESTS_SWEEP_EXPECTATIONS_H_
