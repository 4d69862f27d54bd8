// CoordinatorRun (DESIGN.md "One run") against the embedded fake, in-process: the event
// stream the reference harness defined, DRY_RUN making no mutating request, a set-up that
// fails halfway, online timeouts, the harness timeout, KEEP_WORKSPACES, progress reports,
// and secrets never reaching the output.
#include "fixtures/run/coordinator_run.h"

#include <atomic>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "client/config.h"
#include "client/event_log.h"
#include "fixtures/run/run_tag.h"
#include "fixtures/run/status_sampler.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mocks/in_memory_platform.h"
#include "tests/support/assertions.h"
#include "tests/support/platform_fixture.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

// Run on the 2026-04 profile: its open auth and langgraph template are what these tests' fakes and
// clients assume.
constexpr PlatformVersion kProfile = PlatformVersion::k2026_04;

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kAdminToken[] = "adm-0123456789-SECRET-tail";  // masked: ***tail
constexpr char kLlmKey[] = "sk-or-v1-0123456789-SECRET-wxyz";

class CoordinatorRunTest : public FakePlatformTest {
 protected:
  void StartFakeWith(const FakePlatformOptions& options) {
    CheckLeaksAtTearDown();
    ASSERT_NO_FATAL_FAILURE(Start(options, HarnessServerOptions()));
  }

  // Runs all steps against the fake with `config`, events into out_. With `janitor`
  // null, a janitor for this run only.
  RunReport RunAll(const RunConfig& config, const RunOptions& options = {},
                   WorkspaceJanitor* janitor = nullptr) {
    std::unique_ptr<WorkspaceJanitor> own;
    if (janitor == nullptr) {
      own = std::make_unique<WorkspaceJanitor>(JanitorOptionsFor(config, fake_->url()), &events_);
      janitor = own.get();
    }
    RunOptions with_plan = options;
    with_plan.plan_out = &plan_;
    CoordinatorRun run(config, fake_->url(), events_, *janitor, with_plan);
    return run.Run();
  }

  std::vector<ParsedEvent> Events() const { return ParseEvents(out_.str()); }

  std::vector<std::string> Mutating() const {
    std::vector<std::string> found;
    for (const RecordedRequest& r : fake_->server().requests()) {
      if (r.method != "GET" && r.method != "HEAD") {
        found.push_back(r.method + " " + r.path);
      }
    }
    return found;
  }

  std::ostringstream out_;
  std::ostringstream plan_;
  EventLog events_{out_};
};

TEST_F(CoordinatorRunTest, FullRunEmitsTheReferenceEventsInOrder) {
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 0.001;
  StartFakeWith(options);
  RunOptions run_options;
  run_options.synthesis_depth = 3;
  const RunReport r = RunAll(FakeRunConfig(0.001, 3), run_options);
  ASSERT_TRUE(r.ok()) << r.FirstError();

  std::vector<std::string> names;
  for (const ParsedEvent& e : Events()) {
    if (e.event != "status_sample" && e.event != "status_change") {
      names.push_back(e.event);
    }
  }
  EXPECT_THAT(names,
              ElementsAre("run_started", "platform_build", "provisioning_pm", "pm_provisioned",
                          "provisioning_child", "child_provisioned", "online", "online",
                          "a2a_kickoff_sent", "a2a_response_observed", "task_followed",
                          "fetching_heartbeat_trace", "heartbeat_trace", "pm_activity", "verdict",
                          "run_completed", "cleanup_deleted", "cleanup_deleted"));

  const auto events = Events();
  const ParsedEvent& started = events[IndexOf(events, "run_started")];
  for (const char* key :
       {"platform", "tenant_id", "synthesis_depth", "a2a_timeout_secs", "dry_run"}) {
    EXPECT_TRUE(started.Has(key)) << key;
  }
  EXPECT_EQ(started.Str("platform"), fake_->url());
  const auto online = EventsNamed(events, "online");
  EXPECT_EQ(online[0].Str("workspace"), "PM");
  EXPECT_EQ(online[1].Str("workspace"), "child");
  EXPECT_TRUE(online[1].Has("after_polls"));
  const ParsedEvent& kickoff = events[IndexOf(events, "a2a_kickoff_sent")];
  EXPECT_EQ(kickoff.Str("to"), r.pm_id);
  EXPECT_EQ((*kickoff.data)["task_chars"].GetInt64(),
            static_cast<std::int64_t>(r.task_text.size()));
  const ParsedEvent& observed = events[IndexOf(events, "a2a_response_observed")];
  for (const char* key : {"elapsed_secs", "response_chars", "response_head"}) {
    EXPECT_TRUE(observed.Has(key)) << key;
  }
  // The real platform (and the faithful fake) has no heartbeat history: Gin's 404 body.
  EXPECT_EQ(events[IndexOf(events, "heartbeat_trace")].Str("raw"), "404 page not found");
  const ParsedEvent& completed = events[IndexOf(events, "run_completed")];
  EXPECT_EQ(completed.Str("pm_id"), r.pm_id);
  EXPECT_EQ(completed.Str("child_id"), r.child_id);
  EXPECT_TRUE(completed.Has("elapsed_secs"));
  EXPECT_EQ(events[IndexOf(events, "verdict")].Str("verdict"), r.verdict_name);

  EXPECT_THAT(r.task_text, testing::StartsWith("You are coordinating a research analysis. "
                                               "Delegate 3 separate sub-questions"));
  EXPECT_EQ(r.verdict, Verdict::kWithinDelegationTimeout) << r.verdict_reason;
  EXPECT_FALSE(r.heartbeat_history_available);
  EXPECT_TRUE(r.activity_available);
  EXPECT_GT(r.status_samples, 0);
  // The embedded fake bills its model: no secret is configured, so none is stored.
  EXPECT_EQ(fake_->backend().SecretOf(r.child_id, "OPENROUTER_API_KEY"), std::nullopt);
  // Names unique to the run, as persisted (read back for X-Confirm-Name).
  EXPECT_EQ(r.pm_name, SuiteWorkspaceName(r.run_tag, SuiteRole::kPm));
  EXPECT_EQ(r.child_name, SuiteWorkspaceName(r.run_tag, SuiteRole::kResearcher));
  const auto changes = EventsNamed(events, "status_change");
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes[0].Str("workspace"), "PM");
  EXPECT_EQ(changes[0].Str("from"), "");
  EXPECT_TRUE(changes[0].Has("poll"));
  EXPECT_TRUE(online[1].Has("after_secs"));
  EXPECT_EQ(fake_->backend().StatusOf(r.pm_id), "removed");
}

TEST_F(CoordinatorRunTest, DryRunPrintsThePlanAndMutatesNothing) {
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 0.001;
  options.admin_token = kAdminToken;
  StartFakeWith(options);
  RunConfig config = FakeRunConfig(0.001, 8);
  config.use_embedded_fake = false;  // as with PLATFORM=http://127.0.0.1:...
  config.dry_run = true;
  config.admin_token = kAdminToken;
  config.tenant_id = "tenant-42";
  config.llm_key = kLlmKey;
  config.llm_key_name = "OPENROUTER_API_KEY";
  RunOptions run_options;
  run_options.synthesis_depth = 8;
  const RunReport r = RunAll(config, run_options);

  EXPECT_TRUE(r.ok()) << r.FirstError();
  EXPECT_TRUE(r.dry_run);
  EXPECT_FALSE(r.measured);
  EXPECT_THAT(Mutating(), IsEmpty());
  EXPECT_THAT(fake_->server().requests(), IsEmpty()) << "a dry run needs no request at all";
  const std::string plan = plan_.str();
  EXPECT_THAT(plan, HasSubstr("DRY RUN"));
  EXPECT_THAT(plan, HasSubstr(fake_->url()));
  EXPECT_THAT(plan, HasSubstr("tenant-42"));
  EXPECT_THAT(plan, HasSubstr("Bearer ***tail"));
  EXPECT_THAT(plan, HasSubstr("OPENROUTER_API_KEY ***wxyz"));
  EXPECT_THAT(plan, HasSubstr("Synthesis depth(s): 8"));
  EXPECT_THAT(plan, HasSubstr("A2A timeout: 600 s"));
  EXPECT_THAT(plan, HasSubstr("(KEEP_WORKSPACES=1 keeps them); a sweep (//tools:sweep --apply) "
                              "never keeps them"));
  EXPECT_THAT(plan + out_.str(), Not(HasSubstr("SECRET")));
  const auto events = Events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].event, "run_started");
  EXPECT_TRUE((*events[0].data)["dry_run"].GetBool());
  EXPECT_EQ(IndexOf(events, "provisioning_pm"), events.size());
}

TEST_F(CoordinatorRunTest, SetUpFailingHalfwayDeletesWhatWasCreated) {
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 0.001;
  StartFakeWith(options);
  // The first create goes through; the second fails.
  ASSERT_TRUE(fake_->server().InjectFault("POST /workspaces",
                                          Fault::Delay(std::chrono::milliseconds(0)), 1));
  ASSERT_TRUE(fake_->server().InjectFault("POST /workspaces", Fault::Status(500), 1));
  const RunReport r = RunAll(FakeRunConfig(0.001));

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

TEST_F(CoordinatorRunTest, CreateAnswerWithABadBodyStillRegistersItsId) {
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 0.001;
  StartFakeWith(options);
  // A 201 whose "status" has the wrong type: the client rejects the body, but the id in it
  // names a workspace that may exist, so the janitor must still delete it.
  const std::string id = "0b6a1c5e-5f1e-4c55-9d7e-3f1a2b3c4d5e";
  ASSERT_TRUE(fake_->server().InjectFault(
      "POST /workspaces", Fault::Status(201, R"({"id":")" + id + R"(","status":42})"), 1));
  const RunReport r = RunAll(FakeRunConfig(0.001));

  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.FirstError(), HasSubstr("PM create failed"));
  const auto deleted = EventsNamed(Events(), "cleanup_deleted");
  ASSERT_EQ(deleted.size(), 1u);
  EXPECT_EQ(deleted[0].Str("workspace_id"), id);
}

TEST_F(CoordinatorRunTest, OnlineTimeoutIsReportedAndCleanedUp) {
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 0.001;
  options.durations.registration_secs = 1e6;  // never registers within the polls
  StartFakeWith(options);
  RunOptions run_options;
  run_options.wait_online_platform_secs = 20;  // 20 ms wall
  const RunReport r = RunAll(FakeRunConfig(0.001), run_options);

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

// A live-style run (PLATFORM set, a key configured) whose secret goes through the secrets
// route: the write restarts both workspaces (platform-api.md 3.4).
RunConfig RouteSecretConfig(double time_scale) {
  RunConfig config = FakeRunConfig(time_scale);
  config.use_embedded_fake = false;  // as with PLATFORM=http://127.0.0.1:...
  config.llm_key = kLlmKey;
  config.llm_key_name = "OPENROUTER_API_KEY";
  return config;
}

TEST_F(CoordinatorRunTest, ASecretWritesRestartIsWaitedForByItsEvidence) {
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 0.01;
  StartFakeWith(options);
  const RunConfig config = RouteSecretConfig(0.01);
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
  EXPECT_EQ(fake_->backend().SecretOf(run.report().child_id, "OPENROUTER_API_KEY"), kLlmKey);
  EXPECT_EQ(fake_->backend().SecretOf(run.report().pm_id, "OPENROUTER_API_KEY"), kLlmKey);
  const auto seeded = EventsNamed(Events(), "secrets_seeded");
  ASSERT_EQ(seeded.size(), 1u);
  EXPECT_EQ(seeded[0].Str("via"), "secrets_route");
  EXPECT_EQ(seeded[0].Str("key"), "OPENROUTER_API_KEY");
  EXPECT_THAT(out_.str(), Not(HasSubstr("SECRET")));
  ASSERT_TRUE(run.Cleanup());
}

TEST_F(CoordinatorRunTest, TodaysApprovalGateIsDecidedAndTheWriteRetried) {
  // 2026-08: an admin-token secret write answers 202 pending_approval and stores nothing
  // until its approval is decided (platform-api-2026-08.md section 2).
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 0.001;
  options.platform_version = PlatformVersion::k2026_08;
  options.admin_token = kAdminToken;
  options.approval_gate = true;
  StartFakeWith(options);
  RunConfig config = RouteSecretConfig(0.001);
  config.admin_token = kAdminToken;
  config.llm_key_name = "TASKBOUNDS_PROBE";  // not a vendor key: 2026-08 accepts it
  RunOptions run_options;
  run_options.secret_delivery = RunOptions::SecretDelivery::kSecretsRoute;
  const RunReport r = RunAll(config, run_options);
  ASSERT_TRUE(r.ok()) << r.FirstError();
  EXPECT_EQ(r.approvals_decided, 2);
  EXPECT_EQ(fake_->backend().SecretOf(r.child_id, "TASKBOUNDS_PROBE"), kLlmKey);
  EXPECT_EQ(fake_->backend().SecretOf(r.pm_id, "TASKBOUNDS_PROBE"), kLlmKey);
  const auto seeded = EventsNamed(Events(), "secrets_seeded");
  ASSERT_EQ(seeded.size(), 1u);
  EXPECT_EQ((*seeded[0].data)["approvals"].GetInt64(), 2);
  EXPECT_FALSE(r.platform_git_sha.empty()) << "2026-08 has GET /buildinfo";
  EXPECT_THAT(out_.str(), Not(HasSubstr("SECRET")));
}

TEST_F(CoordinatorRunTest, ACreates422NamesItsCodeAndTheVariable) {
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 0.001;
  options.platform_version = PlatformVersion::k2026_08;
  options.admin_token = kAdminToken;
  StartFakeWith(options);
  RunConfig config = FakeRunConfig(0.001);
  config.admin_token = kAdminToken;
  config.child_template = "langgraph";  // gone from today's platform
  const RunReport r = RunAll(config);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.config_error);
  EXPECT_THAT(r.FirstError(), HasSubstr("RUNTIME_UNRESOLVED"));
  EXPECT_THAT(r.FirstError(), HasSubstr("change CHILD_TEMPLATE"));
  EXPECT_EQ(EventsNamed(Events(), "cleanup_deleted").size(), 1u) << "the PM it made";
}

TEST_F(CoordinatorRunTest, AFailedRowLeftWithoutAnIdIsFoundByNameAndDeleted) {
  // seo-agent is private on today's platform: the create commits a `failed` row, then
  // answers 422 TEMPLATE_UNAVAILABLE without its id (platform-api-2026-08.md section 1).
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 0.001;
  options.platform_version = PlatformVersion::k2026_08;
  options.admin_token = kAdminToken;
  StartFakeWith(options);  // its TearDown checks that no workspace is left
  RunConfig config = FakeRunConfig(0.001);
  config.admin_token = kAdminToken;
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

TEST_F(CoordinatorRunTest, AHermesVariantWithItsOwnKeyProvisionsOnTodaysPlatform) {
  // hermes has no default model on 2026-08 and an openrouter/ model needs its BYOK key at
  // create time (MISSING_BYOK_CREDENTIAL otherwise): MODEL and the key both go in the create.
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 0.001;
  options.platform_version = PlatformVersion::k2026_08;
  options.admin_token = kAdminToken;
  StartFakeWith(options);
  RunConfig config = RouteSecretConfig(0.001);
  config.admin_token = kAdminToken;
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

TEST_F(CoordinatorRunTest, SecretsGoInTheCreatePayloadAndCauseNoRestart) {
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 0.001;
  StartFakeWith(options);
  const RunReport r = RunAll(RouteSecretConfig(0.001));
  ASSERT_TRUE(r.ok()) << r.FirstError();
  EXPECT_EQ(fake_->backend().SecretOf(r.child_id, "OPENROUTER_API_KEY"), kLlmKey);
  EXPECT_EQ(fake_->backend().SecretOf(r.pm_id, "OPENROUTER_API_KEY"), kLlmKey);
  for (const RecordedRequest& request : fake_->server().requests()) {
    EXPECT_EQ(request.path.find("/secrets"), std::string::npos)
        << "no secret write after the create: " << request.method << " " << request.path;
  }
  const auto seeded = EventsNamed(Events(), "secrets_seeded");
  ASSERT_EQ(seeded.size(), 1u);
  EXPECT_EQ(seeded[0].Str("via"), "create_payload");
}

TEST_F(CoordinatorRunTest, AFailedWorkspaceStopsTheWaitAtOnce) {
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 0.001;
  StartFakeWith(options);
  RunOptions run_options;
  run_options.wait_online_platform_secs = 1e9;  // only `failed` can end this wait
  const RunConfig config = FakeRunConfig(0.001);
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

TEST_F(CoordinatorRunTest, StaleOnlineRightAfterTheSecretWriteIsNotTrusted) {
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 0.001;
  options.durations.registration_secs = 1;
  options.durations.restart_secs = 20;
  StartFakeWith(options);
  const RunConfig config = RouteSecretConfig(0.001);
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

TEST_F(CoordinatorRunTest, HarnessTimeoutIsAVerdictNotAHang) {
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 0.001;
  StartFakeWith(options);
  RunConfig config = FakeRunConfig(0.001, 8);
  config.a2a_timeout_secs = 100;  // depth 8 needs 440 s
  RunOptions run_options;
  run_options.synthesis_depth = 8;
  const RunReport r = RunAll(config, run_options);
  ASSERT_TRUE(r.ok()) << r.FirstError();
  EXPECT_TRUE(r.harness_timed_out);
  EXPECT_EQ(r.outcome, A2AOutcome::kNoResponse);
  EXPECT_EQ(r.response_status, 0);
  EXPECT_EQ(r.verdict, Verdict::kHarnessTimeout) << r.verdict_reason;
  EXPECT_EQ(EventsNamed(Events(), "a2a_response_observed")[0].Str("response_head"),
            "<curl_failed_or_timed_out>");
}

TEST_F(CoordinatorRunTest, KeepWorkspacesLeavesThemAndSaysSo) {
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 0.001;
  StartFakeWith(options);
  RunConfig config = FakeRunConfig(0.001);
  config.keep_workspaces = true;
  const RunReport r = RunAll(config);
  ASSERT_TRUE(r.ok()) << r.FirstError();
  EXPECT_TRUE(r.cleanup.skipped);
  const auto skipped = EventsNamed(Events(), "cleanup_skipped");
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].Str("reason"), "KEEP_WORKSPACES=1");
  EXPECT_EQ(skipped[0].Str("pm_id"), r.pm_id);
  EXPECT_EQ(skipped[0].Str("child_id"), r.child_id);
  EXPECT_TRUE(EventsNamed(Events(), "cleanup_deleted").empty());
  EXPECT_EQ(fake_->backend().LiveWorkspaceIds().size(), 2u);

  WorkspaceJanitor cleaner(JanitorOptionsFor(FakeRunConfig(0.001), fake_->url()), nullptr);
  cleaner.Register(r.pm_id, WorkspaceKind::kParent, "PM");
  cleaner.Register(r.child_id, WorkspaceKind::kChild, "child");
  EXPECT_TRUE(cleaner.DeleteAll().ok);
}

TEST_F(CoordinatorRunTest, FailedCleanupFailsTheRun) {
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 0.001;
  StartFakeWith(options);
  ASSERT_TRUE(fake_->server().InjectFault(
      "DELETE /workspaces/{id}", Fault::Status(401, R"({"error":"invalid admin auth token"})")));
  const RunConfig config = FakeRunConfig(0.001);
  WorkspaceJanitor janitor(JanitorOptionsFor(config, fake_->url()), &events_);
  const RunReport r = RunAll(config, RunOptions(), &janitor);
  EXPECT_TRUE(r.measured);
  EXPECT_FALSE(r.cleaned_up);
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.FirstError(), HasSubstr("cleanup failed for 2 of 2"));
  EXPECT_EQ(EventsNamed(Events(), "cleanup_failed").size(), 2u);
  EXPECT_EQ(fake_->backend().LiveWorkspaceIds().size(), 2u);

  // The leaked ids stay with the janitor: once deletes work again, they go.
  fake_->server().ClearFaults();
  EXPECT_TRUE(janitor.DeleteAll().ok);
}

TEST_F(CoordinatorRunTest, ProgressIsReportedDuringTheWait) {
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 0.001;
  StartFakeWith(options);
  std::mutex mu;
  std::vector<RunProgress> seen;
  RunOptions run_options;
  run_options.synthesis_depth = 8;  // 440 s: at least 14 progress intervals of 30 s
  run_options.on_progress = [&](const RunProgress& p) {
    std::lock_guard<std::mutex> lock(mu);
    seen.push_back(p);
  };
  const RunReport r = RunAll(FakeRunConfig(0.001, 8), run_options);
  ASSERT_TRUE(r.ok()) << r.FirstError();
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_FALSE(seen.empty());
  for (std::size_t i = 1; i < seen.size(); ++i) {
    EXPECT_GE(seen[i].platform_secs, seen[i - 1].platform_secs);
  }
  EXPECT_LE(seen.back().platform_secs, r.platform_secs);
}

TEST_F(CoordinatorRunTest, SecretsNeverReachTheEvents) {
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 0.001;
  options.admin_token = kAdminToken;  // the fake enforces AdminAuth/WorkspaceAuth
  StartFakeWith(options);
  RunConfig config = FakeRunConfig(0.001);
  config.use_embedded_fake = false;
  config.admin_token = kAdminToken;
  config.llm_key = kLlmKey;
  config.llm_key_name = "OPENROUTER_API_KEY";
  const RunReport r = RunAll(config);
  ASSERT_TRUE(r.ok()) << r.FirstError();
  EXPECT_EQ(fake_->backend().SecretOf(r.child_id, "OPENROUTER_API_KEY"), kLlmKey);
  EXPECT_THAT(out_.str(), Not(HasSubstr("SECRET")));
}

TEST_F(CoordinatorRunTest, TheHarnesssOwnDeleteDuringTheTaskIsNotAPlatformBound) {
  // The 2026-04 platform keeps tombstones: after the harness's own DELETE (what a signal's
  // cleanup sends while the kickoff is in flight) the PM reads "removed".
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 0.001;
  StartFakeWith(options);
  const RunConfig config = FakeRunConfig(0.001, 8);
  RunOptions run_options;
  run_options.synthesis_depth = 8;  // 440 platform s: 0.44 s wall, sampled every 15 ms
  WorkspaceJanitor janitor(JanitorOptionsFor(config, fake_->url()), &events_);
  CoordinatorRun run(config, fake_->url(), events_, janitor, run_options);
  ASSERT_TRUE(run.Begin() && run.Provision() && run.WaitOnline()) << run.report().FirstError();
  std::thread teardown([&] {
    const auto kickoff = fake_->server().WaitForRequest(
        [](const RecordedRequest& r) { return r.route == "POST /workspaces/{id}/a2a"; },
        DefaultWait());
    EXPECT_TRUE(kickoff.has_value());
    EXPECT_EQ(WorkspaceJanitor::CleanupAllJanitors("test"), 0);
  });
  const bool measured = run.Measure().ok;
  teardown.join();
  ASSERT_TRUE(measured) << run.report().FirstError();
  const RunReport& r = run.report();
  EXPECT_THAT(FormatTransitions(r.status_transitions), Not(HasSubstr("removed")));
  EXPECT_NE(r.verdict, Verdict::kBoundedByPlatform) << r.verdict_reason;
  EXPECT_EQ(r.verdict, Verdict::kInconclusive) << r.verdict_reason;
  EXPECT_THAT(r.verdict_reason, HasSubstr("harness delete"));
  // The samples that saw "removed" say whose doing it was.
  bool attributed = false;
  for (const auto& e : EventsNamed(Events(), "status_sample")) {
    attributed |= e.Str("status") == "removed" && e.Str("harness_action") == "harness delete";
  }
  EXPECT_TRUE(attributed) << out_.str();
}

TEST(PublicUrlTest, DropsCredentialsQueryAndFragment) {
  EXPECT_EQ(PublicUrl("https://user:pw@host.example:8443/base?token=x#frag"),
            "https://host.example:8443/base");
  EXPECT_EQ(PublicUrl("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(PublicUrl("http://host/a@b"), "http://host/a@b");
}

TEST(KickoffTaskTest, CarriesTheDepthWhereTheFakeReadsIt) {
  for (int depth : {1, 3, 8, 64}) {
    EXPECT_EQ(ParseDelegationDepth(BuildKickoffTask(depth)), depth);
  }
}

}  // namespace
}  // namespace taskbounds
