// A whole coordinator run (fixtures/coordinator_run) against the embedded fake platform
// whose A2A answer, and the PM's GET the status sampler polls, are ~100 KB of '['. Before
// the bounded parser this overflowed the stack (SIGSEGV, no cleanup, both workspaces
// left); now the run ends with a verdict that names the limit and deletes both.
#include <memory>
#include <sstream>
#include <string>

#include "client/config.h"
#include "client/event_log.h"
#include "fixtures/run/coordinator_run.h"
#include "fixtures/run/workspace_janitor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mocks/embedded_fake_platform.h"
#include "tests/support/platform_fixture.h"

namespace taskbounds {
namespace {

// Run on the 2026-04 profile: its open auth and langgraph template are what these tests' fakes and
// clients assume.
constexpr PlatformVersion kProfile = PlatformVersion::k2026_04;

using ::testing::HasSubstr;

TEST(HostileRunTest, DeeplyNestedAnswersEndTheRunWithAVerdictAndACleanup) {
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 0.001;
  const auto fake = StartFake(options);
  ASSERT_NE(fake, nullptr);
  RunConfig config;
  config.use_embedded_fake = true;
  config.time_scale = 0.001;
  config.synthesis_depth = 3;
  config.synthesis_depths = {3};
  std::ostringstream out;
  EventLog events(out);
  WorkspaceJanitor janitor(JanitorOptionsFor(config, fake->url()), &events);
  RunOptions run_options;
  run_options.synthesis_depth = 3;
  run_options.sample_interval_platform_secs = 1;  // the sampler polls during the wait
  CoordinatorRun run(config, fake->url(), events, janitor, run_options);
  ASSERT_TRUE(run.Begin());
  ASSERT_TRUE(run.Provision()) << run.report().FirstError();
  ASSERT_TRUE(run.WaitOnline()) << run.report().FirstError();

  const std::string deep(100 * 1024, '[');
  ASSERT_TRUE(fake->server().InjectFault("POST /workspaces/{id}/a2a", Fault::Status(200, deep)));
  ASSERT_TRUE(fake->server().InjectFault("GET /workspaces/{id}", Fault::Status(200, deep), 3));
  EXPECT_TRUE(run.Measure()) << run.report().FirstError();
  fake->server().ClearFaults();
  EXPECT_TRUE(run.Cleanup()) << run.report().FirstError();

  const RunReport& r = run.report();
  EXPECT_EQ(r.verdict, Verdict::kInconclusive) << r.verdict_reason;
  EXPECT_THAT(r.verdict_reason, HasSubstr("JSON nested deeper than 64 levels"));
  EXPECT_TRUE(r.cleaned_up);
  EXPECT_TRUE(fake->backend().LiveWorkspaceIds().empty());
}

}  // namespace
}  // namespace taskbounds
