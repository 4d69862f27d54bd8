// Choosing the fake's platform profile: by FakePlatformOptions::platform_version, by
// FAKE_PLATFORM_VERSION for the embedded fake (the --platform-version flag of the binary is
// tested in fake_platform_binary_test), and a kickoff round trip against every profile.
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "client/platform_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mocks/embedded_fake_platform.h"
#include "mocks/fake_platform_options.h"
#include "mocks/in_memory_platform.h"
#include "tests/support/platform_fixture.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

using ::testing::HasSubstr;

// Sets FAKE_PLATFORM_VERSION for one scope and restores what was there. Only for tests that
// start no threads while it is set (setenv is not thread-safe against getenv).
class ScopedVersionEnv {
 public:
  explicit ScopedVersionEnv(const char* value) {
    if (const char* old = std::getenv(kPlatformVersionEnv)) {
      saved_ = old;
    }
    setenv(kPlatformVersionEnv, value, /*overwrite=*/1);
  }
  ~ScopedVersionEnv() {
    if (saved_) {
      setenv(kPlatformVersionEnv, saved_->c_str(), 1);
    } else {
      unsetenv(kPlatformVersionEnv);
    }
  }
  ScopedVersionEnv(const ScopedVersionEnv&) = delete;
  ScopedVersionEnv& operator=(const ScopedVersionEnv&) = delete;

 private:
  std::optional<std::string> saved_;
};

TEST(PlatformVersionTest, NamesParseBackAndUnknownNamesDoNot) {
  for (PlatformVersion version : AllPlatformVersions()) {
    EXPECT_EQ(ParsePlatformVersion(PlatformVersionName(version)), version);
  }
  EXPECT_EQ(ParsePlatformVersion("2026-13"), std::nullopt);
  EXPECT_EQ(ParsePlatformVersion(""), std::nullopt);
  EXPECT_EQ(ParsePlatformVersion("2026-04 "), std::nullopt);
  EXPECT_EQ(PlatformVersionChoices(), "2026-04 or 2026-08");
}

TEST(PlatformVersionTest, OptionsChooseTheProfileAndUnsetMeansTodays2026_08) {
  FakePlatformOptions options;
  EXPECT_EQ(InMemoryPlatform(options).profile().version(), PlatformVersion::k2026_08);
  EXPECT_THAT(DescribeOptions(options), HasSubstr("platform 2026-08"));
  options.platform_version = PlatformVersion::k2026_04;
  EXPECT_EQ(InMemoryPlatform(options).profile().version(), PlatformVersion::k2026_04);
  EXPECT_THAT(DescribeOptions(options), HasSubstr("platform 2026-04"));
  options.platform_version = PlatformVersion::k2026_08;
  EXPECT_EQ(InMemoryPlatform(options).profile().version(), PlatformVersion::k2026_08);
}

TEST(PlatformVersionTest, EnvFillsAnUnsetVersionOnly) {
  FakePlatformOptions options;
  EXPECT_EQ(ApplyPlatformVersionEnv(nullptr, &options), std::nullopt);
  EXPECT_EQ(options.platform_version, std::nullopt) << "unset variable";
  EXPECT_EQ(ApplyPlatformVersionEnv("", &options), std::nullopt);
  EXPECT_EQ(options.platform_version, std::nullopt) << "empty variable = unset";
  EXPECT_EQ(ApplyPlatformVersionEnv("2026-08", &options), std::nullopt);
  EXPECT_EQ(options.platform_version, PlatformVersion::k2026_08);

  FakePlatformOptions explicit_options;
  explicit_options.platform_version = PlatformVersion::k2026_04;
  EXPECT_EQ(ApplyPlatformVersionEnv("2026-08", &explicit_options), std::nullopt);
  EXPECT_EQ(explicit_options.platform_version, PlatformVersion::k2026_04)
      << "an explicit option wins over the environment";
}

TEST(PlatformVersionTest, BadEnvValueIsOneLineNamingVariableValueAndChoices) {
  FakePlatformOptions options;
  const std::optional<std::string> error = ApplyPlatformVersionEnv("2026-13", &options);
  ASSERT_TRUE(error.has_value());
  EXPECT_THAT(*error, HasSubstr("FAKE_PLATFORM_VERSION=2026-13"));
  EXPECT_THAT(*error, HasSubstr("2026-04 or 2026-08"));
  EXPECT_EQ(error->find('\n'), std::string::npos) << *error;
  EXPECT_EQ(options.platform_version, std::nullopt);
}

TEST(PlatformVersionTest, EmbeddedFakeReadsTheEnvironment) {
  {
    ScopedVersionEnv env("2026-08");
    std::string error;
    auto fake = EmbeddedFakePlatform::Start(FakePlatformOptions{}, &error);
    ASSERT_NE(fake, nullptr) << error;
    EXPECT_EQ(fake->backend().profile().version(), PlatformVersion::k2026_08);
    EXPECT_EQ(fake->options().platform_version, PlatformVersion::k2026_08);
  }
  {
    ScopedVersionEnv env("latest");
    std::string error;
    auto fake = EmbeddedFakePlatform::Start(FakePlatformOptions{}, &error);
    EXPECT_EQ(fake, nullptr) << "a bad FAKE_PLATFORM_VERSION must stop the start";
    EXPECT_THAT(error, HasSubstr("FAKE_PLATFORM_VERSION=latest"));
    EXPECT_THAT(error, HasSubstr("2026-04 or 2026-08"));
  }
}

// The way to run a test against every profile: parameterise over AllPlatformVersions().
class EveryProfileTest : public testing::TestWithParam<PlatformVersion> {};

TEST_P(EveryProfileTest, KickoffRoundTripAnswersAResult) {
  FakePlatformOptions options = FastOptions();
  options.platform_version = GetParam();
  // What every release accepts: an admin bearer (2026-08 fails closed without one) and a
  // template both maintain (2026-08 dropped langgraph).
  options.admin_token = "profile-test-admin";
  auto fake = StartFake(options);
  ASSERT_NE(fake, nullptr);
  ASSERT_EQ(fake->backend().profile().version(), GetParam()) << DescribeOptions(fake->options());
  PlatformClient client(ClientFor(*fake, options.admin_token));
  auto created = client.CreateWorkspace({"PM", "Coordinator", 2, "claude-code-default"});
  ASSERT_TRUE(created.ok()) << created.error << " " << DescribeOptions(fake->options());
  const std::string pm = created.value->id;
  ASSERT_TRUE(WaitForStatus(client, pm, "online", DefaultWait()))
      << DescribeOptions(fake->options());
  auto reply = client.SendMessage(pm, KickoffText(1), DefaultWaitMs());
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.value->outcome, A2AOutcome::kResult) << DescribeOptions(fake->options());
}

INSTANTIATE_TEST_SUITE_P(Profiles, EveryProfileTest, testing::ValuesIn(AllPlatformVersions()),
                         ProfileParamName);

}  // namespace
}  // namespace taskbounds
