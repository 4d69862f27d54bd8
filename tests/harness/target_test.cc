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
