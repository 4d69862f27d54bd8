// The depth sweep: does anything on the platform bound a coordinator's task, and what?
//
// Against the embedded fake (PLATFORM unset) every scenario runs at every depth of
// SYNTHESIS_DEPTHS, and the verdict must be the one the fake's own model implies
// (tests/sweep_expectations: 2026-04's PossibleEndings plus a table from bound to verdict,
// 2026-08's PlanTask2026_08 with the mechanism), never what calling the classifier says.
// The cases and their names come from tests/sweep_cases.
//
// Against a live platform (PLATFORM set) the same body checks only harness health
// (provisioned, online, answered or timed out, cleaned up): the verdict is the
// measurement, recorded as a property, never asserted.
//
// Names: Fake/CoordinatorTaskBoundsTest.Kickoff/IdleTimeoutDepth8,
//        Live/CoordinatorTaskBoundsTest.Kickoff/Depth3; with VARIANTS set, each variant's
//        name before the depth: Fake/.../UnboundedHermesDepth3, Live/.../HermesDepth3.
#include <algorithm>
#include <cmath>

#include "fixtures/coordinator_fixture.h"
#include "fixtures/platform_environment.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/wait.h"
#include "tests/sweep_cases.h"
#include "tests/sweep_expectations.h"

namespace taskbounds {
namespace {

class CoordinatorTaskBoundsTest : public CoordinatorFixture,
                                  public testing::WithParamInterface<SweepCase> {
 protected:
  testing::AssertionResult ChooseTarget(PlatformEnvironment::Target* target) override {
    testing::AssertionResult chosen = ChooseBackend(target);
    if (chosen && GetParam().variant) {
      target->config.pm_template = GetParam().variant->template_name;
      target->config.child_template = GetParam().variant->template_name;
      target->config.model = GetParam().variant->model;
    }
    return chosen;
  }

  testing::AssertionResult ChooseBackend(PlatformEnvironment::Target* target) {
    PlatformEnvironment* env = PlatformEnvironment::Get();
    if (!GetParam().scenario) {
      return env->DefaultTarget(target);
    }
    double scale = env->config().time_scale;
    if (!env->time_scale_from_env()) {
      // Slow the fake down just enough that the nearest threshold is the wall margin away
      // from the expected answer.
      const double margin =
          ModelMarginSecs(*GetParam().scenario, GetParam().depth, env->config().a2a_timeout_secs);
      if (margin > 0 && std::isfinite(margin)) {
        scale = std::max(scale, kBaseWallMarginSecs * SlowdownFactor() / margin);
      }
    }
    return env->TargetFor(*GetParam().scenario, scale, target);
  }

  int Depth() const override { return GetParam().depth; }
};

TEST_P(CoordinatorTaskBoundsTest, Kickoff) {
  if (dry_run()) {
    RecordProperty("verdict", "dry_run");
    if (!live()) {
      for (const RecordedRequest& request : target().fake->server().requests()) {
        EXPECT_THAT(request.method, testing::AnyOf("GET", "HEAD", "OPTIONS"))
            << "DRY_RUN made a mutating request: " << request.method << " " << request.path;
      }
    }
    return;
  }

  ASSERT_TRUE(run().Measure()) << report().FirstError();
  const RunReport& r = report();
  RecordReportProperties(r);

  // Harness health, on every backend.
  EXPECT_FALSE(r.pm_id.empty());
  EXPECT_FALSE(r.child_id.empty());
  EXPECT_TRUE(r.online);
  EXPECT_TRUE(r.response_status != 0 || r.harness_timed_out)
      << "neither an HTTP answer nor the harness timeout: " << r.response_text;

  if (live()) {
    return;  // the live verdict is the measurement, not an assertion
  }

  const SweepCase& c = GetParam();
  EXPECT_GT(r.status_samples, 0) << "the status sampler never got an answer";
  ExpectVerdictFromTheModel(*c.scenario, c.depth, target().fake->options(), r);
}

INSTANTIATE_TEST_SUITE_P(Fake, CoordinatorTaskBoundsTest, testing::ValuesIn(FakeCases()),
                         SweepCaseName);
INSTANTIATE_TEST_SUITE_P(Live, CoordinatorTaskBoundsTest, testing::ValuesIn(LiveCases()),
                         SweepCaseName);

}  // namespace
}  // namespace taskbounds
