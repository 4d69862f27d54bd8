// Choosing the fake's platform profile: by FakePlatformOptions::platform_version, by
// FAKE_PLATFORM_VERSION for the embedded fake (the --platform-version flag of the binary is
// tested in fake_platform_binary_test), and a kickoff round trip against every profile.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "client/platform_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mocks/embedded_fake_platform.h"
#include "mocks/fake_platform_options.h"
#include "mocks/in_memory_platform.h"
#include "mocks/platform/coordinator_model.h"
#include "tests/support/platform_fixture.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

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

// A workspace deleted while its task runs: the delete stops its container (platform-api.md
// section 3.7; platform-api-2026-08.md section 7), so the task ends there. The held call
// (2026-04's synchronous proxy, 2026-08 within the sync budget) is answered at once with the
// dead-container 503, and once the planned end has passed there is still no result: no
// active task, no a2a_receive row with the synthesis.
TEST_P(EveryProfileTest, AWorkspaceDeletedMidTaskStopsItsTask) {
  FakePlatformOptions options = FastOptions();
  options.platform_version = GetParam();
  options.admin_token = "profile-test-admin";
  options.durations.sync_budget_secs = 100000;  // 2026-08 holds the call the whole turn
  constexpr int kDepth = 16;
  auto fake = StartFake(options);
  ASSERT_NE(fake, nullptr);
  PlatformClient client(ClientFor(*fake, options.admin_token));
  auto created = client.CreateWorkspace({"PM", "Coordinator", 2, "claude-code-default"});
  ASSERT_TRUE(created.ok()) << created.error;
  const std::string pm = created.value->id;
  ASSERT_TRUE(WaitForStatus(client, pm, "online", DefaultWait()));
  const auto kicked_off = std::chrono::steady_clock::now();
  std::future<HttpExchange> held = std::async(std::launch::async, [&] {
    PlatformClient caller(ClientFor(*fake, options.admin_token));
    return caller.Send(
        "POST", "/workspaces/" + pm + "/a2a",
        R"({"jsonrpc":"2.0","id":"k1","method":"message/send","params":{"message":{"role":"user","messageId":"stopped-1","parts":[{"kind":"text","text":")" +
            KickoffText(kDepth) + R"("}]}}})",
        DefaultWaitMs());
  });
  ASSERT_TRUE(Eventually(
      [&] {
        return client.Send("GET", "/workspaces/" + pm, "").body.find(R"("active_tasks":1)") !=
               std::string::npos;
      },
      DefaultWait(), "the PM's task to start"));
  const HttpExchange deleted =
      client.Send("DELETE", "/workspaces/" + pm, "", 0, {"X-Confirm-Name: PM"});
  ASSERT_EQ(deleted.http_status, 200) << deleted.body;

  ASSERT_EQ(held.wait_for(DefaultWait()), std::future_status::ready) << "the held call never ended";
  const HttpExchange answer = held.get();
  EXPECT_EQ(answer.http_status, 503) << answer.body;
  EXPECT_THAT(answer.body, HasSubstr(R"("restarting":true)"));
  EXPECT_THAT(answer.body, HasSubstr("workspace agent unreachable"));

  // Past the planned end (twice the longest plan, phase aside), nothing of the task shows.
  const double planned_secs =
      std::max(
          PlanCoordinatorTask(options.scenario, options.durations, kDepth, 0).answer_after_secs,
          PlanTask2026_08(options.scenario, options.durations, kDepth, 0).end_secs) +
      options.durations.heartbeat_interval_secs;
  std::this_thread::sleep_until(
      kicked_off + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                       std::chrono::duration<double>(2 * planned_secs * options.time_scale)));
  const HttpExchange after = client.Send("GET", "/workspaces/" + pm + "?include_removed=true", "");
  EXPECT_THAT(after.body, HasSubstr(R"("active_tasks":0)"));
  EXPECT_THAT(after.body, HasSubstr(R"("status":"removed")"));
  const HttpExchange rows =
      client.Send("GET", "/workspaces/" + pm + "/activity?type=a2a_receive", "");
  EXPECT_EQ(rows.http_status, 200) << rows.body;
  EXPECT_THAT(rows.body, Not(HasSubstr("Synthesis report")));
}

INSTANTIATE_TEST_SUITE_P(Profiles, EveryProfileTest, testing::ValuesIn(AllPlatformVersions()),
                         ProfileParamName);

}  // namespace
}  // namespace taskbounds
