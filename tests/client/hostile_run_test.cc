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

using ::testing::HasSubstr;

// On every fake profile: the parser's bound is the harness's, whatever the platform version.
class HostileRunTest : public testing::TestWithParam<PlatformVersion> {};

TEST_P(HostileRunTest, DeeplyNestedAnswersEndTheRunWithAVerdictAndACleanup) {
  const auto fake = StartFake(HarnessOptions(GetParam()));
  ASSERT_NE(fake, nullptr);
  RunConfig config = FakeRunConfig(0.001, 3);
  config.admin_token = kHarnessAdminToken;
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

INSTANTIATE_TEST_SUITE_P(Profiles, HostileRunTest, testing::ValuesIn(AllPlatformVersions()),
                         ProfileParamName);

}  // namespace
}  // namespace taskbounds
