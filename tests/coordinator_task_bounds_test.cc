// The depth sweep: does anything on the platform bound a coordinator's task, and what?
//
// Against the embedded fake (PLATFORM unset) every scenario runs at every depth of
// SYNTHESIS_DEPTHS, and the verdict must be the one the fake's model implies. The expected
// verdict comes from the fake's own coordinator model (PossibleEndings in
// mocks/platform/coordinator_model.h, the pure function the fake runs for every kickoff)
// plus the table below from bound to verdict, with the 60/300 s thresholds for an
// unbounded answer; not from calling the classifier.
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
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "client/config.h"
#include "client/text.h"
#include "client/verdict.h"
#include "fixtures/coordinator_fixture.h"
#include "fixtures/platform_environment.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mocks/embedded_fake_platform.h"  // kPlatformVersionEnv
#include "mocks/fake_platform_options.h"
#include "mocks/platform/coordinator_model.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

using ::testing::Contains;

// Wall seconds that must separate an expected answer from the next threshold above it, so
// loopback and scheduling overhead (which only ever adds time) cannot flip a verdict. The
// margin is this times SlowdownFactor() (tests/support/wait.h): 0.05 s flaked twice on a
// loaded machine; 0.15 s keeps a depth-8 case well under a second of wall time.
constexpr double kBaseWallMarginSecs = 0.15;

struct SweepCase {
  std::optional<Scenario> scenario;  // fake only
  int depth = 0;
  // VARIANTS' template/model pair for both workspaces; unset when VARIANTS is not given
  // (the run then uses PM_TEMPLATE, CHILD_TEMPLATE and MODEL, and names stay as before).
  std::optional<Variant> variant;
  int run = 0;  // 1..REPEAT when REPEAT > 1, else 0 (and no "Run" suffix)
};

std::string CamelName(Scenario scenario) {
  switch (scenario) {
    case Scenario::kUnbounded:
      return "Unbounded";
    case Scenario::kIdleTimeout:
      return "IdleTimeout";
    case Scenario::kAgentCeiling:
      return "AgentCeiling";
    case Scenario::kPlatformCeiling:
      return "PlatformCeiling";
    case Scenario::kStallWatchdog:
      return "StallWatchdog";
    case Scenario::kContainerRestart:
      return "ContainerRestart";
    case Scenario::kHeaderTimeout:
      return "HeaderTimeout";
    case Scenario::kAgentFailure:
      return "AgentFailure";
  }
  return "Unknown";
}

std::string CaseName(const SweepCase& c) {
  return (c.scenario ? CamelName(*c.scenario) : "") + (c.variant ? c.variant->name : "") + "Depth" +
         std::to_string(c.depth) + (c.run > 0 ? "Run" + std::to_string(c.run) : "");
}

std::string SweepCaseName(const testing::TestParamInfo<SweepCase>& info) {
  return CaseName(info.param);
}

// gtest prints parameters of failed tests with this instead of raw bytes.
void PrintTo(const SweepCase& c, std::ostream* os) { *os << CaseName(c); }

// The sweep is built while gtest registers tests, before the environment's SetUp: read the
// same variables. A bad configuration falls back to defaults here and fails in SetUp.
RunConfig SweepConfig() {
  const ConfigResult loaded = LoadRunConfig(ProcessEnv());
  return loaded.ok() ? *loaded.config : RunConfig{};
}

// The second sweep axis: each VARIANTS item, or one unset variant when VARIANTS is not given.
std::vector<std::optional<Variant>> SweptVariants(const RunConfig& config) {
  const std::optional<std::string> given = ProcessEnv()("VARIANTS");
  if (!given || given->find_first_not_of(" \t") == std::string::npos) {
    return {std::nullopt};
  }
  return {config.variants.begin(), config.variants.end()};
}

// Every variant x depth of `config`, each REPEAT times, for `scenario` (unset: live).
void AppendCases(const RunConfig& config, std::optional<Scenario> scenario,
                 std::vector<SweepCase>* cases) {
  for (const std::optional<Variant>& variant : SweptVariants(config)) {
    for (int depth : config.synthesis_depths) {
      for (int run = 1; run <= config.repeat; ++run) {
        cases->push_back({scenario, depth, variant, config.repeat > 1 ? run : 0});
      }
    }
  }
}

// Whether the embedded fake runs the 2026-08 profile: FAKE_PLATFORM_VERSION as the fake
// itself reads it, else the fake's default.
bool TodaysProfileChosen() {
  const char* named = std::getenv(kPlatformVersionEnv);
  const std::optional<PlatformVersion> version =
      named != nullptr ? ParsePlatformVersion(named) : kDefaultPlatformVersion;
  return version == PlatformVersion::k2026_08;
}

std::vector<SweepCase> FakeCases() {
  const RunConfig config = SweepConfig();
  if (!config.use_embedded_fake) {
    return {};
  }
  // Today's profile models every mechanism of DESIGN.md; 2026-04 the four it had.
  std::vector<Scenario> scenarios =
      TodaysProfileChosen()
          ? AllScenarios()
          : std::vector<Scenario>{Scenario::kUnbounded, Scenario::kIdleTimeout,
                                  Scenario::kAgentCeiling, Scenario::kPlatformCeiling};
  if (const auto only = ProcessEnv()("FAKE_SCENARIO")) {
    if (const auto parsed = ParseScenario(*only)) {
      scenarios = {*parsed};
    }
  }
  std::vector<SweepCase> cases;
  for (Scenario s : scenarios) {
    AppendCases(config, s, &cases);
  }
  return cases;
}

std::vector<SweepCase> LiveCases() {
  const RunConfig config = SweepConfig();
  if (config.use_embedded_fake) {
    return {};
  }
  std::vector<SweepCase> cases;
  AppendCases(config, std::nullopt, &cases);
  return cases;
}

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

// The verdict each bound of the model implies (README "Verdicts"). An answer with no bound
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
          TodaysProfileChosen()
              ? TodaysMargin(*GetParam().scenario, GetParam().depth, SimulatedDurations{})
              : ExpectFromModel(*GetParam().scenario, GetParam().depth, SimulatedDurations{},
                                VerdictThresholds{}, env->config().a2a_timeout_secs)
                    .margin_secs;
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
  const FakePlatformOptions& fake = target().fake->options();
  EXPECT_GT(r.status_samples, 0) << "the status sampler never got an answer";
  if (OnTodaysProfile(fake)) {
    ExpectTodaysPlan(*c.scenario, c.depth, fake, r);
    return;
  }
  const Expectation expected = ExpectFromModel(*c.scenario, c.depth, fake.durations,
                                               VerdictThresholds{}, r.a2a_timeout_secs);
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
  EXPECT_EQ(r.heartbeat_history_available, *c.scenario == Scenario::kPlatformCeiling);
}

INSTANTIATE_TEST_SUITE_P(Fake, CoordinatorTaskBoundsTest, testing::ValuesIn(FakeCases()),
                         SweepCaseName);
INSTANTIATE_TEST_SUITE_P(Live, CoordinatorTaskBoundsTest, testing::ValuesIn(LiveCases()),
                         SweepCaseName);

}  // namespace
}  // namespace taskbounds
