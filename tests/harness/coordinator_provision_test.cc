// CoordinatorRun's set-up steps (Provision, WaitOnline) against the embedded fake,
// in-process: a set-up that fails halfway, online timeouts and `failed`, the secret's
// delivery (create payload, or the secrets route and the restart it causes), today's approval
// gate, 422 answers and the variants. The whole run is coordinator_run_test's.
#include <chrono>
#include <string>
#include <thread>

#include "client/config.h"
#include "fixtures/run/coordinator_run.h"
#include "fixtures/run/harness_actions.h"
#include "fixtures/run/workspace_janitor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mocks/in_memory_platform.h"
#include "tests/harness/coordinator_run_fixture.h"
#include "tests/support/assertions.h"
#include "tests/support/platform_fixture.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

TEST_P(EveryProfileRunTest, SetUpFailingHalfwayDeletesWhatWasCreated) {
  StartFakeWith(Options());
  // The first create goes through; the second fails.
  ASSERT_TRUE(fake_->server().InjectFault("POST /workspaces",
                                          Fault::Delay(std::chrono::milliseconds(0)), 1));
  ASSERT_TRUE(fake_->server().InjectFault("POST /workspaces", Fault::Status(500), 1));
  const RunReport r = RunAll(Config(0.001));

  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.provisioned);
  EXPECT_FALSE(r.pm_id.empty());
  EXPECT_TRUE(r.child_id.empty());
  EXPECT_THAT(r.FirstError(), HasSubstr("child create failed"));
  EXPECT_TRUE(r.cleaned_up);
  const auto events = Events();
  const auto failed = EventsNamed(events, "run_failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].Str("stage"), "provision_child");
  const auto deleted = EventsNamed(events, "cleanup_deleted");
  ASSERT_EQ(deleted.size(), 1u);
  EXPECT_EQ(deleted[0].Str("workspace_id"), r.pm_id);
  EXPECT_EQ(IndexOf(events, "a2a_kickoff_sent"), events.size());
}

TEST_P(EveryProfileRunTest, CreateAnswerWithABadBodyStillRegistersItsId) {
  StartFakeWith(Options());
  // A 201 whose "status" has the wrong type: the client rejects the body, but the id in it
  // names a workspace that may exist, so the janitor must still delete it.
  const std::string id = "0b6a1c5e-5f1e-4c55-9d7e-3f1a2b3c4d5e";
  ASSERT_TRUE(fake_->server().InjectFault(
      "POST /workspaces", Fault::Status(201, R"({"id":")" + id + R"(","status":42})"), 1));
  const RunReport r = RunAll(Config(0.001));

  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.FirstError(), HasSubstr("PM create failed"));
  const auto deleted = EventsNamed(Events(), "cleanup_deleted");
  ASSERT_EQ(deleted.size(), 1u);
  EXPECT_EQ(deleted[0].Str("workspace_id"), id);
}

TEST_P(EveryProfileRunTest, OnlineTimeoutIsReportedAndCleanedUp) {
  FakePlatformOptions options = Options();
  options.durations.registration_secs = 1e6;  // never registers within the polls
  StartFakeWith(options);
  RunOptions run_options;
  run_options.wait_online_platform_secs = 20;  // 20 ms wall
  const RunReport r = RunAll(Config(0.001), run_options);

  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.provisioned);
  EXPECT_FALSE(r.online);
  EXPECT_THAT(r.FirstError(), HasSubstr("not online within WAIT_ONLINE_SECS=20"));
  EXPECT_THAT(r.FirstError(), HasSubstr("provisioning"));
  const auto timeouts = EventsNamed(Events(), "online_timeout");
  ASSERT_EQ(timeouts.size(), 1u);
  EXPECT_EQ(timeouts[0].Str("workspace"), "PM");
  EXPECT_EQ(EventsNamed(Events(), "cleanup_deleted").size(), 2u);
}

// The secret through the secrets route: the write restarts both workspaces (platform-api.md
// 3.4; platform-api-2026-08.md section 2).
TEST_P(EveryProfileRunTest, ASecretWritesRestartIsWaitedForByItsEvidence) {
  FakePlatformOptions options = Options(0.01);
  StartFakeWith(options);
  const RunConfig config = SecretConfig(0.01);
  WorkspaceJanitor janitor(JanitorOptionsFor(config, fake_->url()), &events_);
  RunOptions run_options;
  run_options.secret_delivery = RunOptions::SecretDelivery::kSecretsRoute;
  // No grace to fall back on: online after the write can only come from the restart's
  // evidence (a status other than online, or an uptime that began after the write). Without
  // it the wait would end in online_timeout after DefaultWait().
  run_options.restart_grace_platform_secs = 1e9;
  run_options.wait_online_platform_secs =
      std::chrono::duration<double>(DefaultWait()).count() / options.time_scale;
  CoordinatorRun run(config, fake_->url(), events_, janitor, run_options);
  ASSERT_TRUE(run.Begin());
  ASSERT_TRUE(run.Provision()) << run.report().FirstError();
  const auto written = std::chrono::steady_clock::now();
  ASSERT_TRUE(run.WaitOnline()) << run.report().FirstError();
  // One-directional (a slow machine only makes it later): online again no earlier than the
  // fake's restart takes after the write.
  const double waited_platform_secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - written).count() /
      options.time_scale;
  EXPECT_GE(waited_platform_secs, options.durations.restart_secs);
  EXPECT_EQ(fake_->backend().SecretOf(run.report().child_id, kProbeSecretName), kLlmKey);
  EXPECT_EQ(fake_->backend().SecretOf(run.report().pm_id, kProbeSecretName), kLlmKey);
  const auto seeded = EventsNamed(Events(), "secrets_seeded");
  ASSERT_EQ(seeded.size(), 1u);
  EXPECT_EQ(seeded[0].Str("via"), "secrets_route");
  EXPECT_EQ(seeded[0].Str("key"), kProbeSecretName);
  EXPECT_THAT(out_.str(), Not(HasSubstr("SECRET")));
  ASSERT_TRUE(run.Cleanup());
}

// Rules of today's platform only (2026-08: the approval gate, the create's 422 codes,
// templates and models 2026-04 does not have), on that profile.
class TodaysPlatformRunTest : public CoordinatorRunTest {
 protected:
  // The fake on 2026-08 enforcing kAdminToken (a marked secret the outputs must not carry).
  void StartTodaysFake(bool approval_gate = false) {
    FakePlatformOptions options = HarnessOptions(PlatformVersion::k2026_08);
    options.admin_token = kAdminToken;
    options.approval_gate = approval_gate;
    StartFakeWith(options);
  }
  // A run config sending kAdminToken.
  static RunConfig TodaysConfig() {
    RunConfig config = FakeRunConfig(0.001);
    config.admin_token = kAdminToken;
    return config;
  }
  // A live-style run (PLATFORM set) with OPENROUTER_API_KEY configured.
  static RunConfig VendorKeyConfig() {
    RunConfig config = TodaysConfig();
    config.use_embedded_fake = false;  // as with PLATFORM=http://127.0.0.1:...
    config.llm_key = kLlmKey;
    config.llm_key_name = "OPENROUTER_API_KEY";
    return config;
  }
};

TEST_F(TodaysPlatformRunTest, TodaysApprovalGateIsDecidedAndTheWriteRetried) {
  // 2026-08: an admin-token secret write answers 202 pending_approval and stores nothing
  // until its approval is decided (platform-api-2026-08.md section 2).
  StartTodaysFake(/*approval_gate=*/true);
  RunConfig config = VendorKeyConfig();
  config.llm_key_name = kProbeSecretName;
  RunOptions run_options;
  run_options.secret_delivery = RunOptions::SecretDelivery::kSecretsRoute;
  const RunReport r = RunAll(config, run_options);
  ASSERT_TRUE(r.ok()) << r.FirstError();
  EXPECT_EQ(r.approvals_decided, 2);
  EXPECT_EQ(fake_->backend().SecretOf(r.child_id, kProbeSecretName), kLlmKey);
  EXPECT_EQ(fake_->backend().SecretOf(r.pm_id, kProbeSecretName), kLlmKey);
  const auto seeded = EventsNamed(Events(), "secrets_seeded");
  ASSERT_EQ(seeded.size(), 1u);
  EXPECT_EQ((*seeded[0].data)["approvals"].GetInt64(), 2);
  EXPECT_FALSE(r.platform_git_sha.empty()) << "2026-08 has GET /buildinfo";
  EXPECT_THAT(out_.str(), Not(HasSubstr("SECRET")));
}

TEST_F(TodaysPlatformRunTest, ACreates422NamesItsCodeAndTheVariable) {
  StartTodaysFake();
  RunConfig config = TodaysConfig();
  config.child_template = "langgraph";  // gone from today's platform
  const RunReport r = RunAll(config);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.config_error);
  EXPECT_THAT(r.FirstError(), HasSubstr("RUNTIME_UNRESOLVED"));
  EXPECT_THAT(r.FirstError(), HasSubstr("change CHILD_TEMPLATE"));
  EXPECT_EQ(EventsNamed(Events(), "cleanup_deleted").size(), 1u) << "the PM it made";
}

TEST_F(TodaysPlatformRunTest, AFailedRowLeftWithoutAnIdIsFoundByNameAndDeleted) {
  // seo-agent is private on today's platform: the create commits a `failed` row, then
  // answers 422 TEMPLATE_UNAVAILABLE without its id (platform-api-2026-08.md section 1).
  StartTodaysFake();  // its TearDown checks that no workspace is left
  RunConfig config = TodaysConfig();
  config.pm_template = "seo-agent";
  const RunReport r = RunAll(config);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.config_error);
  EXPECT_THAT(r.FirstError(), HasSubstr("TEMPLATE_UNAVAILABLE"));
  EXPECT_THAT(r.FirstError(), HasSubstr("change PM_TEMPLATE"));
  EXPECT_THAT(r.FirstError(), HasSubstr("the failed row it left is deleted at cleanup"));
  EXPECT_EQ(EventsNamed(Events(), "cleanup_deleted").size(), 1u);
  EXPECT_TRUE(r.cleanup.ok) << r.cleanup.summary;
}

TEST_F(TodaysPlatformRunTest, AHermesVariantWithItsOwnKeyProvisionsOnTodaysPlatform) {
  // hermes has no default model on 2026-08 and an openrouter/ model needs its BYOK key at
  // create time (MISSING_BYOK_CREDENTIAL otherwise): MODEL and the key both go in the create.
  StartTodaysFake();
  RunConfig config = VendorKeyConfig();
  config.pm_template = "hermes";
  config.child_template = "hermes";
  config.model = "openrouter/some-model";
  const RunReport r = RunAll(config);
  ASSERT_TRUE(r.ok()) << r.FirstError();
  EXPECT_EQ(fake_->backend().SecretOf(r.pm_id, "OPENROUTER_API_KEY"), kLlmKey);
  const auto model_set = EventsNamed(Events(), "model_set");
  ASSERT_EQ(model_set.size(), 1u);
  EXPECT_EQ(model_set[0].Str("model"), "openrouter/some-model");
  EXPECT_EQ(model_set[0].Str("via"), "create_payload");
  EXPECT_THAT(out_.str(), Not(HasSubstr("SECRET")));
  // Each DELETE carried the persisted name (X-Confirm-Name) at once: one request each, no
  // destructive_action_requires_confirmation round trip.
  int deletes = 0;
  for (const RecordedRequest& request : fake_->server().requests()) {
    deletes += request.method == "DELETE" ? 1 : 0;
  }
  EXPECT_EQ(deletes, 2);
}

TEST_P(EveryProfileRunTest, SecretsGoInTheCreatePayloadAndCauseNoRestart) {
  StartFakeWith(Options());
  const RunReport r = RunAll(SecretConfig(0.001));
  ASSERT_TRUE(r.ok()) << r.FirstError();
  EXPECT_EQ(fake_->backend().SecretOf(r.child_id, kProbeSecretName), kLlmKey);
  EXPECT_EQ(fake_->backend().SecretOf(r.pm_id, kProbeSecretName), kLlmKey);
  for (const RecordedRequest& request : fake_->server().requests()) {
    EXPECT_EQ(request.path.find("/secrets"), std::string::npos)
        << "no secret write after the create: " << request.method << " " << request.path;
  }
  const auto seeded = EventsNamed(Events(), "secrets_seeded");
  ASSERT_EQ(seeded.size(), 1u);
  EXPECT_EQ(seeded[0].Str("via"), "create_payload");
}

TEST_P(EveryProfileRunTest, AFailedWorkspaceStopsTheWaitAtOnce) {
  StartFakeWith(Options());
  RunOptions run_options;
  run_options.wait_online_platform_secs = 1e9;  // only `failed` can end this wait
  const RunConfig config = Config(0.001);
  WorkspaceJanitor janitor(JanitorOptionsFor(config, fake_->url()), &events_);
  CoordinatorRun run(config, fake_->url(), events_, janitor, run_options);
  ASSERT_TRUE(run.Begin());
  ASSERT_TRUE(run.Provision()) << run.report().FirstError();
  const std::string failed = R"({"id":")" + run.report().pm_id +
                             R"(","status":"failed","last_sample_error":"image pull failed"})";
  ASSERT_TRUE(fake_->server().InjectFault("GET /workspaces/{id}", Fault::Status(200, failed), 1));
  const StepResult online = run.WaitOnline();
  EXPECT_FALSE(online.ok);
  EXPECT_THAT(online.reason, HasSubstr("PM " + run.report().pm_id + " is failed"));
  EXPECT_THAT(online.reason, HasSubstr("image pull failed")) << "the platform's own reason";
  const auto events = EventsNamed(Events(), "failed");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].Str("workspace"), "PM");
  EXPECT_EQ((*events[0].data)["poll"].GetInt64(), 1);
  EXPECT_THAT(EventsNamed(Events(), "online_timeout"), IsEmpty());
  ASSERT_TRUE(run.Cleanup());
}

// A SIGTERM mid-wait: the emergency cleanup records its teardown (HarnessActions) and
// deletes; the wait then reads `removed`, which the reason must lay at the harness's door,
// not the platform's.
TEST_P(EveryProfileRunTest, ARemovalByTheHarnessItselfIsNotBlamedOnThePlatform) {
  FakePlatformOptions options = Options();
  options.durations.registration_secs = 1e6;  // never online: only `removed` ends the wait
  StartFakeWith(options);
  RunOptions run_options;
  run_options.wait_online_platform_secs = 1e9;
  const RunConfig config = Config(0.001);
  WorkspaceJanitor janitor(JanitorOptionsFor(config, fake_->url()), &events_);
  CoordinatorRun run(config, fake_->url(), events_, janitor, run_options);
  ASSERT_TRUE(run.Begin());
  ASSERT_TRUE(run.Provision()) << run.report().FirstError();
  const std::string removed = R"({"id":")" + run.report().pm_id + R"(","status":"removed"})";
  const std::size_t before = fake_->server().requests().size();
  testing::AssertionResult polled = testing::AssertionFailure();
  bool injected = false;
  std::thread teardown([&] {
    // Once the wait has polled (so it has begun), as the signal watcher does.
    polled = Eventually([&] { return fake_->server().requests().size() > before; }, DefaultWait(),
                        "the online wait's first poll");
    HarnessActions::Global().RecordTeardown("SIGTERM");
    injected = fake_->server().InjectFault("GET /workspaces/{id}", Fault::Status(200, removed), 1);
  });
  const StepResult online = run.WaitOnline();
  teardown.join();
  HarnessActions::Global().Clear();  // process wide: later tests start with none
  ASSERT_TRUE(polled);
  ASSERT_TRUE(injected);
  EXPECT_FALSE(online.ok);
  EXPECT_THAT(online.reason, HasSubstr("PM " + run.report().pm_id + " is removed"));
  EXPECT_THAT(
      online.reason,
      HasSubstr("caused by the harness itself (harness teardown (SIGTERM)), not the platform"));
  EXPECT_THAT(online.reason, Not(HasSubstr("gave up")));
  ASSERT_TRUE(run.Cleanup());
}

TEST_P(EveryProfileRunTest, StaleOnlineRightAfterTheSecretWriteIsNotTrusted) {
  FakePlatformOptions options = Options();
  options.durations.registration_secs = 1;
  options.durations.restart_secs = 20;
  StartFakeWith(options);
  const RunConfig config = SecretConfig(0.001);
  WorkspaceJanitor janitor(JanitorOptionsFor(config, fake_->url()), &events_);
  RunOptions run_options;
  run_options.secret_delivery = RunOptions::SecretDelivery::kSecretsRoute;
  run_options.restart_grace_platform_secs = 1000;  // 1 s wall
  // Room to outlast the grace even if the machine is slow: online then comes either from
  // the restart being seen or from the grace running out, never from a stale answer.
  run_options.wait_online_platform_secs = 100000;
  CoordinatorRun run(config, fake_->url(), events_, janitor, run_options);
  ASSERT_TRUE(run.Begin());
  ASSERT_TRUE(run.Provision()) << run.report().FirstError();
  // A platform may still show the old container right after the write. Play that: three
  // stale "online" answers with the old container's uptime (the PM's polls take them), then
  // the fake's real state (restarting).
  const std::string stale =
      R"({"id":")" + run.report().pm_id + R"(","status":"online","uptime_seconds":1000})";
  ASSERT_TRUE(fake_->server().InjectFault("GET /workspaces/{id}", Fault::Status(200, stale), 3));
  ASSERT_TRUE(run.WaitOnline()) << run.report().FirstError();
  // Two before the write (waited for before writing), two after it.
  const auto online = EventsNamed(Events(), "online");
  ASSERT_EQ(online.size(), 4u);
  EXPECT_EQ(online[2].Str("workspace"), "PM");
  // The stale answers were polled and rejected; online came from the fake's own state.
  EXPECT_GE((*online[2].data)["after_polls"].GetInt64(), 4);
  EXPECT_EQ(fake_->backend().StatusOf(run.report().pm_id), "online");
  ASSERT_TRUE(run.Cleanup()) << run.report().FirstError();
}

INSTANTIATE_TEST_SUITE_P(Profiles, EveryProfileRunTest, testing::ValuesIn(AllPlatformVersions()),
                         ProfileParamName);

}  // namespace
}  // namespace taskbounds
