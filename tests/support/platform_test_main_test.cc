// //tests/support:platform_test_main, through a probe binary run as a subprocess: it installs
// the PlatformEnvironment, --platform_target=live refuses the embedded fake (a failure, never
// a skip), and a misspelt target stops the binary before any test.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/subprocess.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Runs the probe with `flags`, PLATFORM unset (and nothing else of a run's variables), to
// its end.
testing::AssertionResult RunProbe(const std::vector<std::string>& flags, CompletedProcess* run) {
  std::vector<std::string> argv = {RunfilePath("tests/support/platform_main_probe")};
  argv.insert(argv.end(), flags.begin(), flags.end());
  const std::map<std::string, std::optional<std::string>> env = {
      {"PLATFORM", std::nullopt},    {"ADMIN_TOKEN", std::nullopt},
      {"TENANT_ID", std::nullopt},   {"TIME_SCALE", std::nullopt},
      {"DRY_RUN", std::nullopt},     {"FAKE_SCENARIO", std::nullopt},
      {"A2A_TIMEOUT", std::nullopt}, {"SYNTHESIS_DEPTHS", std::nullopt},
  };
  return RunToCompletion(argv, EnvironmentWith(env), DefaultWait(), Subprocess::Stderr::kCapture,
                         run);
}

TEST(PlatformTestMainTest, WithoutTheFlagPlatformUnsetMeansTheEmbeddedFake) {
  CompletedProcess run;
  ASSERT_TRUE(RunProbe({}, &run));
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("probe: backend=embedded_fake"));
}

TEST(PlatformTestMainTest, AnyKeepsTheDefaultAndGoogleTestFlagsStillApply) {
  CompletedProcess run;
  ASSERT_TRUE(RunProbe({"--platform_target=any", "--gtest_filter=PlatformMainProbe.*"}, &run));
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("probe: backend=embedded_fake"));
  EXPECT_THAT(run.out, HasSubstr("1 test"));
}

TEST(PlatformTestMainTest, LiveWithoutPlatformFailsEveryTestInsteadOfSkipping) {
  CompletedProcess run;
  ASSERT_TRUE(RunProbe({"--platform_target=live"}, &run));
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("PLATFORM is unset"));
  EXPECT_THAT(run.out, HasSubstr("[  FAILED  ] PlatformMainProbe.EnvironmentIsInstalledByMain"));
  EXPECT_THAT(run.out, Not(HasSubstr("SKIPPED")));
  EXPECT_THAT(run.out, Not(HasSubstr("probe: backend=")));
}

// The hint names what today's platform needs: no vendor key (it refuses one for the
// default template's platform-billed model), a SECRET_NAME/SECRET_VALUE only for a model
// that needs one (platform-api-2026-08.md section 2).
TEST(PlatformTestMainTest, LiveWithoutPlatformHintNamesTodaysVariables) {
  CompletedProcess run;
  ASSERT_TRUE(RunProbe({"--platform_target=live"}, &run));
  EXPECT_THAT(run.out,
              HasSubstr("PLATFORM is unset: forward PLATFORM, ADMIN_TOKEN and TENANT_ID with "
                        "--test_env (bazel test --config=live //tests:live), and "
                        "SECRET_NAME/SECRET_VALUE only for a model that needs a key"));
  EXPECT_THAT(run.out, Not(HasSubstr("OPENROUTER_API_KEY")));
}

TEST(PlatformTestMainTest, AnUnknownTargetStopsTheBinaryWithOneLine) {
  CompletedProcess run;
  ASSERT_TRUE(RunProbe({"--platform_target=staging"}, &run));
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_EQ(run.err,
            "platform_test_main: --platform_target=staging is not a target: use live or any\n");
  EXPECT_THAT(run.out, Not(HasSubstr("probe:")));
}

}  // namespace
}  // namespace taskbounds
