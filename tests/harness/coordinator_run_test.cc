// CoordinatorRun (DESIGN.md "One run") against the embedded fake, in-process, the whole run:
// the event stream the reference harness defined, DRY_RUN making no mutating request, the
// harness timeout, KEEP_WORKSPACES, a failed cleanup, progress reports, secrets never reaching
// the output and the harness's own delete during the task. Provisioning and the online wait
// are coordinator_provision_test's.
#include "fixtures/run/coordinator_run.h"

#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client/config.h"
#include "fixtures/run/run_tag.h"
#include "fixtures/run/status_sampler.h"
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

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// What differs between the profiles in a full run at depth 3: 2026-04 answers the kickoff
// with the task's result; 2026-08 acknowledges it as queued and the harness follows the task
// to its end (platform-api-2026-08.md section 4), and names its build (GET /buildinfo,
// section 8), which 2026-04 does not serve.
void ExpectEachProfilesAnswer(const RunReport& r, const std::vector<ParsedEvent>& events,
                              bool on_todays_profile) {
  const ParsedEvent& observed = events[IndexOf(events, "a2a_response_observed")];
  const ParsedEvent& followed = events[IndexOf(events, "task_followed")];
  const ParsedEvent& build = events[IndexOf(events, "platform_build")];
  if (on_todays_profile) {
    EXPECT_EQ(r.outcome, A2AOutcome::kDeferred) << r.response_head;
    EXPECT_EQ(observed.Str("outcome"), "deferred");
    EXPECT_TRUE(r.call_deferred);
    EXPECT_TRUE((*followed.data)["call_deferred"].GetBool());
    EXPECT_FALSE(r.task_end_source.empty()) << "the task's end was seen, not the call's";
    EXPECT_GE(r.task_secs, r.call_secs);
    EXPECT_FALSE(r.platform_git_sha.empty());
    EXPECT_EQ(build.Str("platform_git_sha"), r.platform_git_sha);
  } else {
    EXPECT_EQ(r.outcome, A2AOutcome::kResult) << r.response_head;
    EXPECT_EQ(observed.Str("outcome"), "result");
    EXPECT_FALSE(r.call_deferred);
    EXPECT_FALSE((*followed.data)["call_deferred"].GetBool());
    EXPECT_EQ(r.task_end_source, "") << "the HTTP answer is the end";
    EXPECT_EQ(r.task_secs, r.call_secs);
    EXPECT_EQ(r.platform_git_sha, "");
    EXPECT_EQ(build.Str("platform_git_sha"), "");
  }
}

// Both creates name a template every profile maintains, with the admin bearer 2026-08
// requires (platform-api-2026-08.md section 1).
void ExpectBothCreatesFitEveryProfile(const std::vector<RecordedRequest>& requests) {
  int creates = 0;
  for (const RecordedRequest& request : requests) {
    if (request.route == "POST /workspaces") {
      ++creates;
      EXPECT_THAT(request.body,
                  HasSubstr(std::string(R"("template":")") + kTemplateOnEveryProfile + "\""));
      const auto auth = request.headers.find("Authorization");
      ASSERT_NE(auth, request.headers.end());
      EXPECT_EQ(auth->second, std::string("Bearer ") + kHarnessAdminToken);
    }
  }
  EXPECT_EQ(creates, 2);
}

TEST_P(EveryProfileRunTest, FullRunEmitsTheReferenceEventsInOrder) {
  StartFakeWith(Options());
  RunOptions run_options;
  run_options.synthesis_depth = 3;
  const RunReport r = RunAll(Config(0.001, 3), run_options);
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
  // Names unique to the run, as persisted (read back for X-Confirm-Name), each with the run's
  // deadline for a sweep (issue 19 item 4), which the whole run, cleanup included, kept.
  for (const auto& [name, role] : {std::pair<std::string, SuiteRole>{r.pm_name, SuiteRole::kPm},
                                   {r.child_name, SuiteRole::kResearcher}}) {
    const std::optional<ParsedSuiteName> parsed = ParseSuiteWorkspaceName(name);
    ASSERT_TRUE(parsed.has_value()) << name;
    ASSERT_TRUE(parsed->in_use_until.has_value()) << name;
    EXPECT_EQ(name, SuiteWorkspaceName(r.run_tag, role, *parsed->in_use_until));
    EXPECT_EQ(FormatUtcSecond(*parsed->in_use_until), r.workspaces_in_use_until);
    EXPECT_GT(*parsed->in_use_until, std::chrono::system_clock::now()) << name;
  }
  const auto changes = EventsNamed(events, "status_change");
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes[0].Str("workspace"), "PM");
  EXPECT_EQ(changes[0].Str("from"), "");
  EXPECT_TRUE(changes[0].Has("poll"));
  EXPECT_TRUE(online[1].Has("after_secs"));
  EXPECT_EQ(fake_->backend().StatusOf(r.pm_id), "removed");
  ExpectBothCreatesFitEveryProfile(fake_->server().requests());
  ExpectEachProfilesAnswer(r, events, OnTodaysProfile());
}

TEST_P(EveryProfileRunTest, DryRunPrintsThePlanAndMutatesNothing) {
  FakePlatformOptions options = Options();
  options.admin_token = kAdminToken;
  StartFakeWith(options);
  RunConfig config = Config(0.001, 8);
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
  EXPECT_THAT(plan, HasSubstr("(KEEP_WORKSPACES=1 keeps them); kept ones are deleted by the "
                              "//tools:sweep command the summary prints"));
  EXPECT_THAT(plan + out_.str(), Not(HasSubstr("SECRET")));
  const auto events = Events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].event, "run_started");
  EXPECT_TRUE((*events[0].data)["dry_run"].GetBool());
  EXPECT_EQ(IndexOf(events, "provisioning_pm"), events.size());
}

TEST_P(EveryProfileRunTest, HarnessTimeoutIsAVerdictNotAHang) {
  StartFakeWith(Options());
  RunConfig config = Config(0.001, 8);
  config.a2a_timeout_secs = 100;  // depth 8 needs 440 s
  RunOptions run_options;
  run_options.synthesis_depth = 8;
  const RunReport r = RunAll(config, run_options);
  ASSERT_TRUE(r.ok()) << r.FirstError();
  EXPECT_EQ(r.verdict, Verdict::kHarnessTimeout) << r.verdict_reason;
  EXPECT_TRUE(r.task_still_running);
  const auto followed = EventsNamed(Events(), "task_followed");
  ASSERT_EQ(followed.size(), 1u);
  EXPECT_TRUE((*followed[0].data)["still_running"].GetBool());
  const std::string head = EventsNamed(Events(), "a2a_response_observed")[0].Str("response_head");
  if (OnTodaysProfile()) {
    // The call itself is answered at once (queued); A2A_TIMEOUT runs out while the harness
    // follows the task (platform-api-2026-08.md section 4).
    EXPECT_FALSE(r.harness_timed_out) << "the call was answered";
    EXPECT_TRUE(r.call_deferred);
    EXPECT_EQ(r.outcome, A2AOutcome::kDeferred);
    EXPECT_EQ(r.response_status, 200);
    EXPECT_THAT(head, HasSubstr(R"("status":"queued")"));
    EXPECT_THAT(r.verdict_reason, HasSubstr("acknowledged as queued"));
  } else {
    // 2026-04 holds the call until the task ends: A2A_TIMEOUT ends the call itself.
    EXPECT_TRUE(r.harness_timed_out);
    EXPECT_FALSE(r.call_deferred);
    EXPECT_EQ(r.outcome, A2AOutcome::kNoResponse);
    EXPECT_EQ(r.response_status, 0);
    EXPECT_EQ(head, "<curl_failed_or_timed_out>");
  }
}

TEST_P(EveryProfileRunTest, KeepWorkspacesLeavesThemAndSaysSo) {
  StartFakeWith(Options());
  RunConfig config = Config(0.001);
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

  WorkspaceJanitor cleaner(JanitorOptionsFor(Config(0.001), fake_->url()), nullptr);
  cleaner.Register(r.pm_id, WorkspaceKind::kParent, "PM");
  cleaner.Register(r.child_id, WorkspaceKind::kChild, "child");
  EXPECT_TRUE(cleaner.DeleteAll().ok);
}

TEST_P(EveryProfileRunTest, FailedCleanupFailsTheRun) {
  StartFakeWith(Options());
  ASSERT_TRUE(fake_->server().InjectFault(
      "DELETE /workspaces/{id}", Fault::Status(401, R"({"error":"invalid admin auth token"})")));
  const RunConfig config = Config(0.001);
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

TEST_P(EveryProfileRunTest, ProgressIsReportedDuringTheWait) {
  StartFakeWith(Options());
  std::mutex mu;
  std::vector<RunProgress> seen;
  RunOptions run_options;
  run_options.synthesis_depth = 8;  // 440 s: at least 14 progress intervals of 30 s
  run_options.on_progress = [&](const RunProgress& p) {
    std::lock_guard<std::mutex> lock(mu);
    seen.push_back(p);
  };
  const RunReport r = RunAll(Config(0.001, 8), run_options);
  ASSERT_TRUE(r.ok()) << r.FirstError();
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_FALSE(seen.empty());
  for (std::size_t i = 1; i < seen.size(); ++i) {
    EXPECT_GE(seen[i].platform_secs, seen[i - 1].platform_secs);
  }
  EXPECT_LE(seen.back().platform_secs, r.platform_secs);
}

// Issue 18.4b: progress is for people. At TIME_SCALE=0.001 the run reports every 30 ms of
// wall time; the pacer shows the first report, one per 5 wall seconds, and one whenever what
// a line says about the PM changes.
TEST(ProgressPacerTest, ShowsAChangeAtOnceAndTheSameStateAtMostOncePerPace) {
  const auto at = [](double wall_secs, const std::string& status) {
    RunProgress p;
    p.elapsed_secs = wall_secs;
    p.platform_secs = wall_secs / 0.001;
    p.pm_status = status;
    return p;
  };
  ProgressPacer pacer(5);
  EXPECT_TRUE(pacer.Take(at(0.03, ""))) << "the first report";
  EXPECT_TRUE(pacer.Take(at(0.06, "online"))) << "sampled: a change";
  EXPECT_FALSE(pacer.Take(at(0.09, "online")));
  EXPECT_FALSE(pacer.Take(at(5.05, "online"))) << "4.99 s after the last line shown";
  EXPECT_TRUE(pacer.Take(at(5.07, "online"))) << "5 s after it";
  EXPECT_TRUE(pacer.Take(at(5.10, "degraded")));
  EXPECT_TRUE(pacer.Take(at(5.13, "online")));
  RunProgress lost = at(5.16, "online");
  lost.lost_sight.unreachable_from_secs = 5100;
  EXPECT_TRUE(pacer.Take(lost)) << "the platform unreachable is a change";
  lost.elapsed_secs = 5.19;
  lost.lost_sight.unreachable_from_secs = 5150;
  EXPECT_FALSE(pacer.Take(lost)) << "still unreachable";
  RunProgress vanished = at(5.22, "online");
  vanished.lost_sight.vanished_at_secs = 5200;
  vanished.lost_sight.vanished_http_status = 404;
  EXPECT_TRUE(pacer.Take(vanished));
}

TEST_P(EveryProfileRunTest, SecretsNeverReachTheEvents) {
  FakePlatformOptions options = Options();
  options.admin_token = kAdminToken;  // the fake enforces AdminAuth/WorkspaceAuth
  StartFakeWith(options);
  RunConfig config = Config(0.001);
  config.use_embedded_fake = false;
  config.admin_token = kAdminToken;
  config.llm_key = kLlmKey;
  config.llm_key_name = kProbeSecretName;
  const RunReport r = RunAll(config);
  ASSERT_TRUE(r.ok()) << r.FirstError();
  EXPECT_EQ(fake_->backend().SecretOf(r.child_id, kProbeSecretName), kLlmKey);
  EXPECT_THAT(out_.str(), Not(HasSubstr("SECRET")));
}

TEST_P(EveryProfileRunTest, TheHarnesssOwnDeleteDuringTheTaskIsNotAPlatformBound) {
  // After the harness's own DELETE (what a signal's cleanup sends while the kickoff is in
  // flight) the PM reads "removed": a 2026-04 tombstone, a 2026-08 410 (section 3).
  StartFakeWith(Options());
  const RunConfig config = Config(0.001, 8);
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

// Issue 19.3: a platform whose clock runs at 0.01 while the harness's TIME_SCALE says 0.1.
// 2026-08's row carries duration_ms (165 platform s for depth 3), which the harness's 16.5 s
// contradicts; 2026-04 reports no duration of its own, so nothing there can tell.
TEST_P(EveryProfileRunTest, ATimeScaleThatDoesNotMatchThePlatformsIsInconclusive) {
  StartFakeWith(Options(0.01));
  RunConfig config = Config(0.1, 3);
  RunOptions run_options;
  run_options.synthesis_depth = 3;
  const RunReport r = RunAll(config, run_options);
  ASSERT_TRUE(r.ok()) << r.FirstError();
  if (OnTodaysProfile()) {
    EXPECT_EQ(r.verdict, Verdict::kInconclusive) << r.verdict_reason;
    EXPECT_THAT(r.verdict_reason, HasSubstr("TIME_SCALE=0.1"));
    EXPECT_THAT(r.verdict_reason, HasSubstr("disagree by a factor of"));
  } else {
    EXPECT_NE(r.verdict, Verdict::kInconclusive) << r.verdict_reason;
  }
}

INSTANTIATE_TEST_SUITE_P(Profiles, EveryProfileRunTest, testing::ValuesIn(AllPlatformVersions()),
                         ProfileParamName);

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
