// //tests/support:platform_test_main, through a probe binary run as a subprocess: it installs
// the PlatformEnvironment, --platform_target=live refuses the embedded fake (a failure, never
// a skip), and a misspelt target stops the binary before any test.
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
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

// Runs the probe with `flags`, PLATFORM unset (and nothing else of a run's variables) unless
// `overrides` sets them, to its end.
testing::AssertionResult RunProbe(
    const std::vector<std::string>& flags, CompletedProcess* run,
    const std::map<std::string, std::optional<std::string>>& overrides = {}) {
  std::vector<std::string> argv = {RunfilePath("tests/support/platform_main_probe")};
  argv.insert(argv.end(), flags.begin(), flags.end());
  std::map<std::string, std::optional<std::string>> env = {
      {"PLATFORM", std::nullopt},    {"ADMIN_TOKEN", std::nullopt},
      {"TENANT_ID", std::nullopt},   {"TIME_SCALE", std::nullopt},
      {"DRY_RUN", std::nullopt},     {"FAKE_SCENARIO", std::nullopt},
      {"A2A_TIMEOUT", std::nullopt}, {"SYNTHESIS_DEPTHS", std::nullopt},
  };
  for (const auto& [name, value] : overrides) {
    env[name] = value;
  }
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

// Issue 18.2: the live sweep follows a task past today's longest mechanisms (1800 s) unless
// A2A_TIMEOUT says otherwise, and names those a shorter A2A_TIMEOUT cannot see. A dry run
// against a loopback address that nothing serves: its plan says which timeout it would use.
TEST(PlatformTestMainTest, LiveDefaultsA2ATimeoutPastTodaysLongestMechanisms) {
  CompletedProcess run;
  const std::map<std::string, std::optional<std::string>> platform = {
      {"PLATFORM", "http://127.0.0.1:9"}, {"DRY_RUN", "1"}};
  ASSERT_TRUE(RunProbe({"--platform_target=live"}, &run, platform));
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_THAT(run.err, HasSubstr("A2A timeout: 2700 s platform time (2700 s wall"));
  EXPECT_THAT(run.err, Not(HasSubstr("WARNING")));

  std::map<std::string, std::optional<std::string>> shorter = platform;
  shorter["A2A_TIMEOUT"] = "1000";
  ASSERT_TRUE(RunProbe({"--platform_target=live"}, &run, shorter));
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_THAT(run.err, HasSubstr("A2A timeout: 1000 s platform time"));
  EXPECT_THAT(run.err, HasSubstr("PlatformEnvironment: warning: A2A_TIMEOUT=1000 s stops "
                                 "following the task before these can act"));
  EXPECT_THAT(run.err, HasSubstr("  WARNING: A2A_TIMEOUT=1000 s stops following the task before "
                                 "these can act (platform seconds after the kickoff, today's "
                                 "platform, its defaults): stall watchdog restart (1080 s), idle "
                                 "timer (1800 s), response-header timeout (1800 s);"));

  // Without --platform_target=live, PLATFORM set: the same binary keeps measure's 600 s.
  ASSERT_TRUE(RunProbe({}, &run, platform));
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_THAT(run.err, HasSubstr("A2A timeout: 600 s platform time"));
}

// Issue 18.4e: a platform on localhost is recorded as what it is, backend "platform" (the
// URL beside it), in the XML's root properties, never "live".
TEST(PlatformTestMainTest, APlatformOnLocalhostIsRecordedAsAPlatform) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string xml = std::string(tmp != nullptr ? tmp : "/tmp") + "/probe_platform.xml";
  CompletedProcess run;
  ASSERT_TRUE(RunProbe({"--platform_target=live", "--gtest_output=xml:" + xml}, &run,
                       {{"PLATFORM", "http://127.0.0.1:9"}, {"DRY_RUN", "1"}}));
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("probe: backend=platform\n"));
  std::ifstream file(xml);
  std::ostringstream text;
  text << file.rdbuf();
  EXPECT_THAT(text.str(), HasSubstr(" backend=\"platform\" ")) << xml << ":\n" << text.str();
  EXPECT_THAT(text.str(), HasSubstr(" platform=\"http://127.0.0.1:9\" ")) << text.str();
  EXPECT_THAT(text.str(), Not(HasSubstr("\"live\""))) << text.str();
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
