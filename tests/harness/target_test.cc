// OpenTarget and the configuration it takes from the client: the embedded fake's names as
// the client lists them (client/config.h, which may not depend on //mocks) equal the fake's
// own, and what LoadRunConfig accepted picks the fake's profile.
#include "fixtures/run/target.h"

#include <string>
#include <vector>

#include "client/config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mocks/fake_platform_options.h"
#include "mocks/platform/coordinator_model.h"

namespace taskbounds {
namespace {

TEST(TargetNamesTest, ClientScenarioNamesAreTheFakesInOrder) {
  std::vector<std::string> fake_names;
  for (const Scenario scenario : AllScenarios()) {
    fake_names.push_back(ScenarioName(scenario));
  }
  EXPECT_EQ(FakeScenarioNames(), fake_names)
      << "update FakeScenarioNames() in client/config.cc with the fake's AllScenarios()";
}

TEST(TargetNamesTest, ClientPlatformVersionNamesAreTheFakesAndEachParses) {
  std::vector<std::string> fake_names;
  for (const PlatformVersion version : AllPlatformVersions()) {
    fake_names.push_back(PlatformVersionName(version));
  }
  EXPECT_EQ(FakePlatformVersionNames(), fake_names)
      << "update FakePlatformVersionNames() in client/config.cc with AllPlatformVersions()";
  for (const std::string& name : FakePlatformVersionNames()) {
    EXPECT_TRUE(ParsePlatformVersion(name).has_value()) << name;
  }
}

// The mechanism times the client names (VisibleMechanisms, for the warning on A2A_TIMEOUT)
// are the fake's default durations, scenario by scenario and profile by profile.
TEST(TargetNamesTest, ClientMechanismTimesAreTheFakesDefaults) {
  const SimulatedDurations d;
  const auto times = [](const std::string& scenario, const std::string& version) {
    RunConfig config;
    config.fake_scenario = scenario;
    config.fake_platform_version = version;
    std::vector<double> at;
    for (const ModelledMechanism& m : VisibleMechanisms(config)) {
      at.push_back(m.at_secs);
    }
    return at;
  };
  using ::testing::ElementsAre;
  using ::testing::IsEmpty;
  double probe = -1;
  double restart = -1;
  for (const TaskAction& action : PlanTask2026_08(Scenario::kStallWatchdog, d, 3, 0).actions) {
    if (action.kind == TaskActionKind::kWatchdogProbe) {
      probe = action.at_secs;
    } else if (action.kind == TaskActionKind::kWatchdogRestart) {
      restart = action.at_secs;
    }
  }
  EXPECT_EQ(PlatformVersionName(kDefaultPlatformVersion), std::string("2026-08"))
      << "VisibleMechanisms takes an unset FAKE_PLATFORM_VERSION for 2026-08";
  for (const std::string today : {"", "2026-08"}) {
    EXPECT_THAT(times("idle_timeout", today), ElementsAre(d.idle_timeout_2026_08_secs));
    EXPECT_THAT(times("stall_watchdog", today), ElementsAre(probe, restart));
    EXPECT_THAT(times("container_restart", today), ElementsAre(d.liveness_ttl_secs));
    EXPECT_THAT(times("header_timeout", today), ElementsAre(d.response_header_timeout_secs));
    EXPECT_THAT(times("agent_idle_cap", today), ElementsAre(d.completion_idle_timeout_secs));
    EXPECT_THAT(times("agent_ceiling", today), ElementsAre(d.agent_task_ceiling_secs));
    EXPECT_THAT(times("platform_ceiling", today), ElementsAre(d.platform_ceiling_secs));
    EXPECT_THAT(times("unbounded", today), IsEmpty());
    EXPECT_THAT(times("agent_failure", today), IsEmpty());
  }
  EXPECT_THAT(times("idle_timeout", "2026-04"), ElementsAre(d.idle_timeout_secs));
  EXPECT_THAT(times("agent_ceiling", "2026-04"), ElementsAre(d.agent_task_ceiling_secs));
  EXPECT_THAT(times("stall_watchdog", "2026-04"), IsEmpty()) << "2026-04 runs it like unbounded";
}

TEST(OpenTargetTest, ConfiguredPlatformVersionPicksTheFakesProfile) {
  for (const PlatformVersion version : AllPlatformVersions()) {
    RunConfig config;
    config.fake_platform_version = PlatformVersionName(version);
    const TargetResult opened = OpenTarget(config);
    ASSERT_TRUE(opened.ok()) << opened.error;
    ASSERT_NE(opened.target->fake(), nullptr);
    EXPECT_EQ(EffectivePlatformVersion(opened.target->fake()->options()), version)
        << opened.target->Describe();
  }
}

TEST(OpenTargetTest, AHandBuiltUnknownPlatformVersionIsOneLineWithoutStartingTheFake) {
  RunConfig config;
  config.fake_platform_version = "2026-13";
  const TargetResult opened = OpenTarget(config);
  EXPECT_FALSE(opened.ok());
  EXPECT_EQ(opened.error,
            "FAKE_PLATFORM_VERSION=2026-13 is not a platform version: use 2026-04 or 2026-08");
}

TEST(OpenTargetTest, AHandBuiltUnknownScenarioNamesEveryScenarioOfTheFake) {
  RunConfig config;
  config.fake_scenario = "bogus";
  const TargetResult opened = OpenTarget(config);
  EXPECT_FALSE(opened.ok());
  EXPECT_THAT(opened.error, ::testing::StartsWith("FAKE_SCENARIO=bogus is not one of "));
  for (const Scenario scenario : AllScenarios()) {
    EXPECT_THAT(opened.error, ::testing::HasSubstr(ScenarioName(scenario)));
  }
}

}  // namespace
}  // namespace taskbounds
