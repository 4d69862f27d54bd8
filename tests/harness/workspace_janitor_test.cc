// WorkspaceJanitor in-process against the embedded fake, on each profile: deletion order and
// X-Confirm-Name, the reference's cleanup events, gone answers (each profile's), failed and
// hanging deletes reported (and retried), KEEP_WORKSPACES, and the unwinding / all-janitors
// paths. Signals, exit() and std::terminate need a process of
// their own: janitor_process_test.cc.
#include "fixtures/run/workspace_janitor.h"

#include <chrono>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "client/event_log.h"
#include "client/platform_client.h"
#include "fixtures/run/run_tag.h"
#include "fixtures/run/workspace_deleter.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/assertions.h"
#include "tests/support/platform_fixture.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// The janitor's behaviour is the harness's: every test runs on each fake profile (the
// parameter), against a fake that enforces kHarnessAdminToken. Where the platform's answer
// differs by profile, a test states each profile's expectation.
class WorkspaceJanitorTest : public FakePlatformTest,
                             public testing::WithParamInterface<PlatformVersion> {
 protected:
  // Whatever a test leaves behind is counted (the suite's leak measure) and then removed,
  // so one failing test does not leak into the next.
  void SetUp() override {
    CheckLeaksAtTearDown();
    ASSERT_NO_FATAL_FAILURE(Start(HarnessOptions(GetParam()), HarnessServerOptions()));
    client_ = std::make_unique<PlatformClient>(ClientFor(*fake_, kHarnessAdminToken));
    ASSERT_TRUE(CreateLinkedPair(*client_, &pm_, &child_));
  }

  bool On2026_08() const { return GetParam() == PlatformVersion::k2026_08; }

  // SetUp's fake and pair again, on an org without a platform root (the sole-root rule).
  void RestartWithoutPlatformRoot() {
    FakePlatformOptions options = HarnessOptions(GetParam());
    options.platform_root = false;
    ASSERT_NO_FATAL_FAILURE(Start(options, HarnessServerOptions()));
    client_ = std::make_unique<PlatformClient>(ClientFor(*fake_, kHarnessAdminToken));
    ASSERT_TRUE(CreateLinkedPair(*client_, &pm_, &child_));
  }

  JanitorOptions Options(bool keep = false) {
    JanitorOptions options;
    options.client.base_url = fake_->url();
    options.client.admin_token = kHarnessAdminToken;
    options.keep_workspaces = keep;
    return options;
  }

  // Registers the pair with the names CreateLinkedPair gave them, as the run does after
  // reading them back, so each DELETE carries X-Confirm-Name from the start.
  void RegisterPair(WorkspaceJanitor& janitor) {
    janitor.Register(pm_, WorkspaceKind::kParent, "PM");
    janitor.RecordPersistedName(pm_, "PM");
    janitor.Register(child_, WorkspaceKind::kChild, "child");
    janitor.RecordPersistedName(child_, "Researcher");
  }

  std::vector<RecordedRequest> Deletes() {
    std::vector<RecordedRequest> deletes;
    for (const RecordedRequest& r : fake_->server().requests()) {
      if (r.method == "DELETE") {
        deletes.push_back(r);
      }
    }
    return deletes;
  }

  // Each DELETE as "<status answered> <X-Confirm-Name sent>", e.g. "200 PM".
  std::vector<std::string> DeleteAnswersAndNames() {
    std::vector<std::string> sent;
    for (const RecordedRequest& r : Deletes()) {
      sent.push_back(std::to_string(r.status) + " " + r.Header("X-Confirm-Name"));
    }
    return sent;
  }

  std::string pm_;
  std::string child_;
  std::ostringstream out_;
  EventLog events_{out_};
};

TEST_P(WorkspaceJanitorTest, DeletesChildFirstThenParentEachConfirmedByName) {
  WorkspaceJanitor janitor(Options(), &events_);
  RegisterPair(janitor);  // PM registered first, deleted last
  const CleanupResult result = janitor.DeleteAll();
  EXPECT_TRUE(result.ok) << result.summary;
  EXPECT_THAT(result.deleted, ElementsAre(child_, pm_));

  const auto deletes = Deletes();
  ASSERT_EQ(deletes.size(), 2u);
  EXPECT_EQ(deletes[0].path, "/workspaces/" + child_);
  EXPECT_EQ(deletes[0].query.count("confirm"), 0u);
  EXPECT_EQ(deletes[0].Header("X-Confirm-Name"), "Researcher");
  EXPECT_EQ(deletes[1].path, "/workspaces/" + pm_);
  // Its child went first: nothing to cascade, so no ?confirm=true (which would also remove
  // workspaces this run did not create, see NeverCascadesAWorkspaceThisRunDidNotCreate).
  EXPECT_EQ(deletes[1].query.count("confirm"), 0u);
  EXPECT_EQ(deletes[1].Header("X-Confirm-Name"), "PM");

  const auto events = EventsNamed(ParseEvents(out_.str()), "cleanup_deleted");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].Str("workspace_id"), child_);
  EXPECT_EQ(events[0].Str("http_code"), "200");
  EXPECT_EQ(events[1].Str("workspace_id"), pm_);
  EXPECT_THAT(janitor.Registered(), IsEmpty());
  EXPECT_THAT(janitor.Leaked(), IsEmpty());
}

TEST_P(WorkspaceJanitorTest, NotFoundCountsAsDeleted) {
  WorkspaceJanitor janitor(Options(), &events_);
  RegisterPair(janitor);
  // Someone else deleted (and purged) them first: 404 means the post-condition holds.
  ASSERT_TRUE(fake_->server().InjectFault("DELETE /workspaces/{id}",
                                          Fault::Status(404, R"({"error":"not found"})"), 2));
  const CleanupResult result = janitor.DeleteAll();
  EXPECT_TRUE(result.ok) << result.summary;
  const auto events = EventsNamed(ParseEvents(out_.str()), "cleanup_deleted");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].Str("http_code"), "404");
  // The injected 404s did not really delete: remove them for the leak count.
  ASSERT_TRUE(client_->DeleteWorkspace(pm_, true).ok());
}

TEST_P(WorkspaceJanitorTest, UnauthorizedDeleteIsReportedKeptAndRetried) {
  WorkspaceJanitor janitor(Options(), &events_);
  RegisterPair(janitor);
  ASSERT_TRUE(fake_->server().InjectFault(
      "DELETE /workspaces/{id}", Fault::Status(401, R"({"error":"invalid admin auth token"})")));
  const CleanupResult failed = janitor.DeleteAll();
  EXPECT_FALSE(failed.ok);
  EXPECT_THAT(failed.failed, ElementsAre(child_, pm_));
  EXPECT_THAT(failed.summary, ::testing::HasSubstr("401"));
  EXPECT_THAT(janitor.Leaked(), UnorderedElementsAre(pm_, child_));
  const auto events = EventsNamed(ParseEvents(out_.str()), "cleanup_failed");
  ASSERT_EQ(events.size(), 2u);
  for (const auto& e : events) {
    EXPECT_EQ(e.Str("http_code"), "401");
    EXPECT_THAT(e.Str("hint"), ::testing::HasSubstr("leaked"));
    // A command to paste: the sweep needs PLATFORM, and a fresh leftover is under its 2h.
    EXPECT_THAT(e.Str("hint"), ::testing::HasSubstr("PLATFORM=" + fake_->url() +
                                                    " bazel run //tools:sweep -- "
                                                    "--older-than=0 --apply"));
  }
  EXPECT_EQ(fake_->backend().LiveWorkspaceIds().size(), 2u);

  // Credentials fixed: the leaked ids are still registered and go on the next pass.
  fake_->server().ClearFaults();
  const CleanupResult retried = janitor.DeleteAll();
  EXPECT_TRUE(retried.ok) << retried.summary;
  EXPECT_THAT(janitor.Leaked(), IsEmpty());
}

// A workspace named by a run (with its deadline) is named for the sweep by its run tag: the
// deadline keeps it from --older-than=0 until then, and the tag takes no other run's.
TEST_P(WorkspaceJanitorTest, ALeftoverOfARunIsSweptByItsRunTag) {
  WorkspaceJanitor janitor(Options(), &events_);
  const std::string tag = MakeRunTag(std::chrono::system_clock::now(), "7a9b00");
  const auto until = std::chrono::system_clock::now() + std::chrono::hours(1);
  janitor.Register(pm_, WorkspaceKind::kParent, "PM");
  janitor.RecordPersistedName(pm_, SuiteWorkspaceName(tag, SuiteRole::kPm, until));
  janitor.Register(child_, WorkspaceKind::kChild, "child");
  janitor.RecordPersistedName(child_, SuiteWorkspaceName(tag, SuiteRole::kResearcher, until));
  ASSERT_TRUE(fake_->server().InjectFault(
      "DELETE /workspaces/{id}", Fault::Status(401, R"({"error":"invalid admin auth token"})")));
  const CleanupResult failed = janitor.DeleteAll();
  EXPECT_FALSE(failed.ok);
  const auto events = EventsNamed(ParseEvents(out_.str()), "cleanup_failed");
  ASSERT_EQ(events.size(), 2u) << out_.str();
  for (const auto& e : events) {
    EXPECT_THAT(e.Str("hint"),
                ::testing::HasSubstr("or, with PLATFORM=" + fake_->url() +
                                     " bazel run //tools:sweep -- --run-tag=" + tag + " --apply"));
    EXPECT_THAT(e.Str("hint"), ::testing::Not(::testing::HasSubstr("--older-than")));
  }
  fake_->server().ClearFaults();
  // The fake persisted CreateLinkedPair's names: the retry learns them from its 400.
  const CleanupResult retried = janitor.DeleteAll();
  EXPECT_TRUE(retried.ok) << retried.summary;
}

TEST_P(WorkspaceJanitorTest, ServerErrorOnTheChildIsRetriedWithinItsSlice) {
  WorkspaceJanitor janitor(Options(), &events_);
  RegisterPair(janitor);
  ASSERT_TRUE(fake_->server().InjectFault("DELETE /workspaces/{id}", Fault::Status(500), 1));
  const CleanupResult result = janitor.DeleteAll();
  // A 5xx is retryable: the second DELETE of the child succeeds, then the PM goes.
  EXPECT_TRUE(result.ok) << result.summary;
  EXPECT_THAT(result.deleted, ElementsAre(child_, pm_));
  EXPECT_THAT(EventsNamed(ParseEvents(out_.str()), "cleanup_failed"), IsEmpty());
  EXPECT_EQ(Deletes().size(), 3u);
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), IsEmpty());
}

TEST_P(WorkspaceJanitorTest, HangingDeleteIsBoundedAndReported) {
  JanitorOptions options = Options();
  options.delete_timeout = std::chrono::milliseconds(200);
  WorkspaceJanitor janitor(options, &events_);
  RegisterPair(janitor);
  ASSERT_TRUE(fake_->server().InjectFault("DELETE /workspaces/{id}", Fault::Hang()));
  const CleanupResult result = janitor.DeleteAll();
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.failed, ElementsAre(child_, pm_));
  const auto failed = EventsNamed(ParseEvents(out_.str()), "cleanup_failed");
  ASSERT_EQ(failed.size(), 2u);
  EXPECT_EQ(failed[0].Str("http_code"), "curl_err");
  EXPECT_THAT(failed[0].Str("error"), ::testing::HasSubstr("imeout"));

  fake_->server().ClearFaults();
  EXPECT_TRUE(janitor.DeleteAll().ok);
}

TEST_P(WorkspaceJanitorTest, KeepWorkspacesSkipsDeletionAndSaysSo) {
  {
    WorkspaceJanitor janitor(Options(/*keep=*/true), &events_);
    RegisterPair(janitor);
    const CleanupResult result = janitor.DeleteAll();
    EXPECT_TRUE(result.ok);
    EXPECT_TRUE(result.skipped);
    EXPECT_TRUE(janitor.DeleteAll().skipped);  // reported once
  }                                            // nor does the destructor delete
  EXPECT_THAT(Deletes(), IsEmpty());
  EXPECT_EQ(fake_->backend().LiveWorkspaceIds().size(), 2u);
  const auto skipped = EventsNamed(ParseEvents(out_.str()), "cleanup_skipped");
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].Str("reason"), "KEEP_WORKSPACES=1");
  EXPECT_EQ(skipped[0].Str("pm_id"), pm_);
  EXPECT_EQ(skipped[0].Str("child_id"), child_);

  WorkspaceJanitor cleaner(Options(), nullptr);
  RegisterPair(cleaner);
  EXPECT_TRUE(cleaner.DeleteAll().ok);
}

TEST_P(WorkspaceJanitorTest, DestructorDeletesWhenAnExceptionUnwinds) {
  try {
    WorkspaceJanitor janitor(Options(), &events_);
    RegisterPair(janitor);
    throw std::runtime_error("a test step failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), IsEmpty());
  EXPECT_EQ(EventsNamed(ParseEvents(out_.str()), "cleanup_deleted").size(), 2u);
}

TEST_P(WorkspaceJanitorTest, EmergencyCleanupReachesEveryLiveJanitor) {
  WorkspaceJanitor first(Options(), &events_);
  WorkspaceJanitor second(Options(), &events_);
  first.Register(pm_, WorkspaceKind::kParent, "PM");
  second.Register(child_, WorkspaceKind::kChild, "child");
  // What a signal, exit() or std::terminate runs (without dying afterwards).
  EXPECT_EQ(WorkspaceJanitor::CleanupAllJanitors("test"), 0);
  EXPECT_THAT(first.Registered(), IsEmpty());
  EXPECT_THAT(second.Registered(), IsEmpty());
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), IsEmpty());
}

TEST_P(WorkspaceJanitorTest, EmergencyCleanupKeepsToItsBudget) {
  JanitorOptions options = Options();
  options.emergency_budget = std::chrono::milliseconds(300);
  WorkspaceJanitor janitor(options, &events_);
  RegisterPair(janitor);
  ASSERT_TRUE(fake_->server().InjectFault("DELETE /workspaces/{id}", Fault::Hang()));
  // Hanging deletes use up the budget; what is left is reported, not waited for.
  EXPECT_EQ(WorkspaceJanitor::CleanupAllJanitors("test"), 2);
  EXPECT_THAT(janitor.Leaked(), UnorderedElementsAre(pm_, child_));
  fake_->server().ClearFaults();
  EXPECT_TRUE(janitor.DeleteAll().ok);
}

TEST_P(WorkspaceJanitorTest, RateLimitedDeleteWaitsForRetryAfterThenDeletes) {
  WorkspaceJanitor janitor(Options(), &events_);
  RegisterPair(janitor);
  ASSERT_TRUE(fake_->server().InjectFault(
      "DELETE /workspaces/{id}",
      Fault::Status(429, R"({"error":"rate limit exceeded","retry_after":1})"), 1));
  const CleanupResult result = janitor.DeleteAll();
  EXPECT_TRUE(result.ok) << result.summary;
  const auto deletes = Deletes();
  ASSERT_EQ(deletes.size(), 3u);
  // The retry came no earlier than the platform asked.
  EXPECT_GE(deletes[1].received_steady - deletes[0].answered_steady, std::chrono::seconds(1));
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), IsEmpty());
}

TEST_P(WorkspaceJanitorTest, RetryAfterBeyondTheSliceIsNamedNotWaitedFor) {
  JanitorOptions options = Options();
  options.delete_timeout = std::chrono::milliseconds(500);
  WorkspaceJanitor janitor(options, &events_);
  RegisterPair(janitor);
  ASSERT_TRUE(fake_->server().InjectFault(
      "DELETE /workspaces/{id}",
      Fault::Status(429, R"({"error":"rate limit exceeded","retry_after":3600})")));
  const CleanupResult result = janitor.DeleteAll();
  EXPECT_FALSE(result.ok);
  const auto failed = EventsNamed(ParseEvents(out_.str()), "cleanup_failed");
  ASSERT_EQ(failed.size(), 2u);
  for (const auto& e : failed) {
    EXPECT_EQ(e.Str("http_code"), "429");
    EXPECT_THAT(e.Str("error"), ::testing::HasSubstr("Retry-After 3600 s does not fit"));
  }
  fake_->server().ClearFaults();
  EXPECT_TRUE(janitor.DeleteAll().ok);
}

TEST_P(WorkspaceJanitorTest, ResetConnectionIsRetried) {
  WorkspaceJanitor janitor(Options(), &events_);
  RegisterPair(janitor);
  ASSERT_TRUE(fake_->server().InjectFault("DELETE /workspaces/{id}", Fault::DropConnection(), 1));
  const CleanupResult result = janitor.DeleteAll();
  EXPECT_TRUE(result.ok) << result.summary;
  EXPECT_THAT(result.deleted, ElementsAre(child_, pm_));
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), IsEmpty());
}

TEST_P(WorkspaceJanitorTest, AGetThatShowsTheTombstoneCountsAsDeleted) {
  WorkspaceJanitor janitor(Options(), &events_);
  RegisterPair(janitor);
  // Someone else removed them (tombstones stay), and every DELETE now fails.
  ASSERT_TRUE(client_->DeleteWorkspace(pm_, /*confirm=*/true).ok());
  ASSERT_TRUE(fake_->server().InjectFault("DELETE /workspaces/{id}",
                                          Fault::Status(403, R"({"error":"forbidden"})")));
  const CleanupResult result = janitor.DeleteAll();
  EXPECT_TRUE(result.ok) << result.summary;
  const auto deleted = EventsNamed(ParseEvents(out_.str()), "cleanup_deleted");
  ASSERT_EQ(deleted.size(), 2u);
  EXPECT_EQ(deleted[0].Str("http_code"), "403");
  // The tombstone's GET: 2026-04 answers 200 status "removed" (platform-api.md section 3.2),
  // 2026-08 answers 410 (platform-api-2026-08.md section 3).
  EXPECT_EQ(deleted[0].Str("verified_by"), On2026_08() ? "GET 410" : "GET 200 status removed");
}

TEST_P(WorkspaceJanitorTest, ADeleteOfAnAlreadyRemovedWorkspaceCountsAsDeleted) {
  WorkspaceJanitor janitor(Options(), &events_);
  RegisterPair(janitor);
  // Someone else removed both (the PM's cascade took the child).
  ASSERT_TRUE(client_->DeleteWorkspace(pm_, /*confirm=*/true).ok());
  const CleanupResult result = janitor.DeleteAll();
  EXPECT_TRUE(result.ok) << result.summary;
  EXPECT_THAT(result.deleted, ElementsAre(child_, pm_));
  const auto deleted = EventsNamed(ParseEvents(out_.str()), "cleanup_deleted");
  ASSERT_EQ(deleted.size(), 2u);
  // A repeated DELETE: 2026-04 answers 200 (platform-api.md section 3.7), 2026-08 410
  // (platform-api-2026-08.md section 7); either is gone, no GET needed.
  for (const auto& e : deleted) {
    EXPECT_EQ(e.Str("http_code"), On2026_08() ? "410" : "200");
    EXPECT_EQ(e.Str("verified_by"), "");
  }
  EXPECT_THAT(EventsNamed(ParseEvents(out_.str()), "cleanup_failed"), IsEmpty());
}

TEST_P(WorkspaceJanitorTest, AnUnknownWorkspaceCountsAsDeleted) {
  WorkspaceJanitor janitor(Options(), &events_);
  const std::string unknown = "00000000-0000-4000-8000-000000000000";
  janitor.Register(unknown, WorkspaceKind::kChild, "child");
  janitor.RecordPersistedName(unknown, "Researcher");
  const CleanupResult result = janitor.DeleteAll();
  EXPECT_TRUE(result.ok) << result.summary;
  const auto deleted = EventsNamed(ParseEvents(out_.str()), "cleanup_deleted");
  ASSERT_EQ(deleted.size(), 1u);
  // 2026-04 answers 200 cascade_deleted 0 (platform-api.md section 3.7), 2026-08 a JSON 404
  // (platform-api-2026-08.md section 7).
  EXPECT_EQ(deleted[0].Str("http_code"), On2026_08() ? "404" : "200");
  const auto deletes = Deletes();
  ASSERT_EQ(deletes.size(), 1u);
  EXPECT_EQ(deletes[0].status, On2026_08() ? 404 : 200);
  // The pair SetUp made is not this janitor's.
  ASSERT_TRUE(client_->DeleteWorkspace(pm_, /*confirm=*/true).ok());
}

TEST_P(WorkspaceJanitorTest, WithoutAPersistedNameTheReportedNameConfirmsOnce) {
  WorkspaceJanitor janitor(Options(), &events_);
  janitor.Register(pm_, WorkspaceKind::kParent, "PM");
  janitor.Register(child_, WorkspaceKind::kChild, "child");
  const CleanupResult result = janitor.DeleteAll();
  EXPECT_TRUE(result.ok) << result.summary;
  EXPECT_THAT(result.deleted, ElementsAre(child_, pm_));
  const std::vector<std::string> sent = DeleteAnswersAndNames();
  if (On2026_08()) {
    // 2026-08 refuses a DELETE without X-Confirm-Name with 400
    // destructive_action_requires_confirmation naming the workspace (platform-api-2026-08.md
    // section 7): answered once with that name.
    EXPECT_THAT(sent, ElementsAre("400 ", "200 Researcher", "400 ", "200 PM"));
  } else {
    // 2026-04 needs no name (platform-api.md section 3.7).
    EXPECT_THAT(sent, ElementsAre("200 ", "200 "));
  }
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), IsEmpty());
}

TEST_P(WorkspaceJanitorTest, AStalePersistedNameIsCorrectedOnceByTheReportedName) {
  WorkspaceJanitor janitor(Options(), &events_);
  janitor.Register(child_, WorkspaceKind::kChild, "child");
  janitor.RecordPersistedName(child_, "Researcher (2)");  // e.g. read before a rename
  const CleanupResult result = janitor.DeleteAll();
  EXPECT_TRUE(result.ok) << result.summary;
  const std::vector<std::string> sent = DeleteAnswersAndNames();
  if (On2026_08()) {
    // The name must match exactly; the 400 names the persisted one (platform-api-2026-08.md
    // section 7), and the janitor answers it once.
    EXPECT_THAT(sent, ElementsAre("400 Researcher (2)", "200 Researcher"));
  } else {
    EXPECT_THAT(sent, ElementsAre("200 Researcher (2)"));  // 2026-04 reads no header
  }
  ASSERT_TRUE(client_->DeleteWorkspace(pm_, /*confirm=*/true).ok());
}

TEST_P(WorkspaceJanitorTest, AnEmptyNotFoundIsTheTenantGuardNotGone) {
  FakePlatformOptions options = HarnessOptions(GetParam());
  options.org_id = "org-a";
  ASSERT_NO_FATAL_FAILURE(Start(options, HarnessServerOptions()));
  client_ = std::make_unique<PlatformClient>(ClientFor(*fake_, kHarnessAdminToken, "org-a"));
  ASSERT_TRUE(CreateLinkedPair(*client_, &pm_, &child_));
  JanitorOptions other_org = Options();
  other_org.client.tenant_id = "org-b";
  WorkspaceJanitor janitor(other_org, &events_);
  RegisterPair(janitor);
  // Another org's header: both profiles answer an empty 404 (the tenant guard,
  // platform-api.md section 2.3, platform-api-2026-08.md section 7), to the DELETE and to
  // the settling GET alike. That is not "no such workspace".
  const CleanupResult result = janitor.DeleteAll();
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.failed, ElementsAre(child_, pm_));
  const auto failed = EventsNamed(ParseEvents(out_.str()), "cleanup_failed");
  ASSERT_EQ(failed.size(), 2u) << out_.str();
  for (const auto& e : failed) {
    EXPECT_EQ(e.Str("http_code"), "404");
  }
  EXPECT_THAT(EventsNamed(ParseEvents(out_.str()), "cleanup_deleted"), IsEmpty());
  EXPECT_EQ(fake_->backend().LiveWorkspaceIds().size(), 2u);

  JanitorOptions own_org = Options();
  own_org.client.tenant_id = "org-a";
  WorkspaceJanitor cleaner(own_org, nullptr);
  RegisterPair(cleaner);
  EXPECT_TRUE(cleaner.DeleteAll().ok);
}

TEST_P(WorkspaceJanitorTest, NeverCascadesAWorkspaceThisRunDidNotCreate) {
  // Another run's PM, made while ours is the only root of an org without a platform root:
  // 2026-08 puts it under ours by itself (an omitted parent_id defaults to the sole root
  // workspace, platform-api-2026-08.md section 1); on 2026-04 it takes a PATCH.
  ASSERT_NO_FATAL_FAILURE(RestartWithoutPlatformRoot());
  const auto other =
      client_->CreateWorkspace({"Other run", "Coordinator", 2, kTemplateOnEveryProfile});
  ASSERT_TRUE(other.ok()) << other.error;
  const std::string foreign = other.value->id;
  if (!On2026_08()) {
    ASSERT_TRUE(client_->PatchParent(foreign, pm_).ok());
  }
  const auto placed = client_->GetWorkspace(foreign);
  ASSERT_TRUE(placed.ok()) << placed.error;
  ASSERT_EQ(placed.value->parent_id, pm_);

  WorkspaceJanitor janitor(Options(), &events_);
  RegisterPair(janitor);
  const CleanupResult result = janitor.DeleteAll();
  // Our PM stays (named as left behind) rather than taking the other run's workspace with
  // it in a cascade.
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.deleted, ElementsAre(child_));
  EXPECT_THAT(result.failed, ElementsAre(pm_));
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), UnorderedElementsAre(pm_, foreign));
  const auto failed = EventsNamed(ParseEvents(out_.str()), "cleanup_failed");
  ASSERT_EQ(failed.size(), 1u) << out_.str();
  EXPECT_EQ(failed[0].Str("workspace_id"), pm_);
  EXPECT_EQ(failed[0].Str("http_code"), "409");
  EXPECT_THAT(failed[0].Str("error"), ::testing::HasSubstr(foreign));

  // Once the other run's workspace is gone, the next pass deletes ours.
  ASSERT_TRUE(client_->DeleteWorkspace(foreign, /*confirm=*/false).ok());
  const CleanupResult retried = janitor.DeleteAll();
  EXPECT_TRUE(retried.ok) << retried.summary;
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), IsEmpty());
}

TEST_P(WorkspaceJanitorTest, ACreateInFlightIsWaitedForThenDeleted) {
  WorkspaceJanitor janitor(Options(), &events_);
  janitor.Register(pm_, WorkspaceKind::kParent, "PM");
  const CreateTicket ticket = janitor.BeginCreate(WorkspaceKind::kChild, "child", "Researcher");
  // The create's answer arrives while the cleanup already runs.
  std::thread answer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    janitor.CreateSucceeded(ticket, child_);
  });
  const CleanupResult result = janitor.DeleteAll();
  answer.join();
  EXPECT_TRUE(result.ok) << result.summary;
  EXPECT_THAT(result.deleted, ElementsAre(child_, pm_));
}

TEST_P(WorkspaceJanitorTest, ACreateWithoutAUsableIdIsNamedOnce) {
  WorkspaceJanitor janitor(Options(), &events_);
  RegisterPair(janitor);
  const CreateTicket ticket = janitor.BeginCreate(WorkspaceKind::kChild, "child", "Researcher");
  janitor.CreateUnusable(ticket, R"(HTTP 201 {"id": 4242})");
  const CleanupResult first = janitor.DeleteAll();
  EXPECT_FALSE(first.ok);
  EXPECT_THAT(first.deleted, UnorderedElementsAre(pm_, child_));
  ASSERT_EQ(first.failed.size(), 1u);
  EXPECT_THAT(first.failed[0], ::testing::HasSubstr("Researcher"));
  EXPECT_FALSE(janitor.DeleteAll().ok);  // still not deletable, but not named again
  const auto failed = EventsNamed(ParseEvents(out_.str()), "cleanup_failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].Str("workspace_id"), "");
  EXPECT_EQ(failed[0].Str("workspace_name"), "Researcher");
  EXPECT_THAT(failed[0].Str("error"), ::testing::HasSubstr(R"({"id": 4242})"));
}

TEST_P(WorkspaceJanitorTest, EmergencyCleanupDoesNotWaitForAHangingCleanup) {
  JanitorOptions options = Options();
  options.delete_timeout = std::chrono::milliseconds(2000);
  WorkspaceJanitor janitor(options, &events_);
  RegisterPair(janitor);
  ASSERT_TRUE(fake_->server().InjectFault("DELETE /workspaces/{id}", Fault::Hang(), 1));
  std::thread stuck([&] { (void)janitor.DeleteAll(); });
  ASSERT_TRUE(fake_->server().WaitForRequest(
      [](const RecordedRequest& r) { return r.method == "DELETE"; }, DefaultWait()));
  // What a signal does while the run's own cleanup hangs: its own deletes go through.
  EXPECT_EQ(WorkspaceJanitor::CleanupAllJanitors("test"), 0);
  stuck.join();
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), IsEmpty());
  const auto events = ParseEvents(out_.str());
  EXPECT_EQ(EventsNamed(events, "cleanup_deleted").size(), 2u) << out_.str();
  EXPECT_THAT(EventsNamed(events, "cleanup_failed"), IsEmpty()) << out_.str();
}

TEST_P(WorkspaceJanitorTest, AChildWhoseDeleteHangsGoesWithTheParentsCascade) {
  JanitorOptions options = Options();
  options.emergency_budget = std::chrono::milliseconds(2000);
  WorkspaceJanitor janitor(options, &events_);
  RegisterPair(janitor);
  ASSERT_TRUE(fake_->server().InjectFault("DELETE /workspaces/{id}", Fault::Hang(), 1));
  // The child's own DELETE hangs through its slice; the PM's ?confirm=true removes both,
  // and a GET settles the child instead of naming it as left behind.
  EXPECT_EQ(WorkspaceJanitor::CleanupAllJanitors("test"), 0);
  const auto events = ParseEvents(out_.str());
  EXPECT_THAT(EventsNamed(events, "cleanup_failed"), IsEmpty()) << out_.str();
  const auto deleted = EventsNamed(events, "cleanup_deleted");
  ASSERT_EQ(deleted.size(), 2u) << out_.str();
  EXPECT_EQ(deleted[1].Str("workspace_id"), child_);
  EXPECT_THAT(deleted[1].Str("verified_by"), ::testing::HasSubstr("cascading delete"));
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), IsEmpty());
}

TEST_P(WorkspaceJanitorTest, AnImplausibleIdIsNeverSentNorPrintedRaw) {
  WorkspaceJanitor janitor(Options(), &events_);
  RegisterPair(janitor);
  const std::string hostile = "../x?\x1b[2J";
  janitor.Register(hostile, WorkspaceKind::kChild, "child");
  testing::internal::CaptureStderr();
  const CleanupResult result = janitor.DeleteAll();
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.failed, ElementsAre(hostile));
  EXPECT_EQ(Deletes().size(), 2u);  // only the pair's
  EXPECT_THAT(err, ::testing::Not(::testing::HasSubstr("\x1b")));
  EXPECT_THAT(err, ::testing::HasSubstr("unprintable characters"));
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(EveryProfile, WorkspaceJanitorTest,
                         testing::ValuesIn(AllPlatformVersions()), ProfileParamName);

TEST(ChildIdsOfConflictTest, ReadsTheChildrenIdsAndSurvivesHostileBodies) {
  // platform-api.md section 3.7's 409 body.
  EXPECT_THAT(
      ChildIdsOfConflict(R"({"status":"confirmation_required","children":[{"id":"c-1","name":"R"},)"
                         R"({"id":"c-2","name":"S"}],"children_count":2})"),
      ElementsAre("c-1", "c-2"));
  EXPECT_THAT(ChildIdsOfConflict(R"({"children":[{"id":7},"c-3",{"name":"x"},{"id":"c-4"}]})"),
              ElementsAre("c-4"));
  EXPECT_THAT(ChildIdsOfConflict(R"({"children":{"id":"c-5"}})"), IsEmpty());
  EXPECT_THAT(ChildIdsOfConflict(""), IsEmpty());
  EXPECT_THAT(ChildIdsOfConflict(std::string(std::size_t{100} * 1024, '[')), IsEmpty());
}

TEST(RetryAfterSecsTest, ReadsTheBodyFieldAndSurvivesHostileBodies) {
  EXPECT_EQ(RetryAfterSecs(R"({"error":"rate limit exceeded","retry_after":7})"), 7);
  EXPECT_EQ(RetryAfterSecs(R"({"retry_after":"7"})"), -1);
  EXPECT_EQ(RetryAfterSecs(R"({"retry_after":-3})"), -1);
  EXPECT_EQ(RetryAfterSecs(""), -1);
  // Too large to be a status reply: not parsed at all.
  EXPECT_EQ(RetryAfterSecs(std::string(std::size_t{100} * 1024, '[')), -1);
  // Deep nesting within the size cap: the iterative parser fails cleanly.
  EXPECT_EQ(RetryAfterSecs(std::string(std::size_t{60} * 1024, '[')), -1);
}

}  // namespace
}  // namespace taskbounds
