// Where a run puts its PM (fixtures/run/pm_parent.h, issue 19 item 7), against the embedded
// fake's 2026-08 profile, the only one with a default parent (2026-04 leaves an omitted
// parent_id a root; the run reads no list there): the org's platform agent when it has one,
// else the shared anchor, found or created, deleted by the last run under it and never with
// anything under it; two runs creating the anchor at once; an anchor deleted between the
// choice and the PM's create.
#include "fixtures/run/pm_parent.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "client/event_log.h"
#include "client/platform_client.h"
#include "fixtures/run/coordinator_run.h"
#include "fixtures/run/workspace_janitor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mocks/request_log_matchers.h"
#include "tests/harness/coordinator_run_fixture.h"
#include "tests/support/assertions.h"
#include "tests/support/platform_fixture.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr PlatformVersion kProfile = PlatformVersion::k2026_08;  // parents default there

FakePlatformOptions OrgOptions(bool platform_root) {
  FakePlatformOptions options = HarnessOptions(kProfile);
  options.platform_root = platform_root;
  return options;
}

class PmParentTest : public FakePlatformTest {
 protected:
  void StartOrg(bool platform_root) {
    CheckLeaksAtTearDown();
    ASSERT_NO_FATAL_FAILURE(Start(OrgOptions(platform_root), HarnessServerOptions()));
    client_ = std::make_unique<PlatformClient>(ClientFor(*fake_, kHarnessAdminToken));
  }

  JanitorOptions Options() const {
    JanitorOptions options;
    options.client = ClientFor(*fake_, kHarnessAdminToken);
    return options;
  }

  // A run's PM under `parent`, as the run creates it; registered with `janitor`.
  std::string CreatePmUnder(const std::string& parent, const std::string& name,
                            WorkspaceJanitor& janitor) {
    WorkspaceSpec spec(name, "Coordinator", 2, kTemplateOnEveryProfile);
    spec.parent_id = parent;
    const auto created = client_->CreateWorkspace(spec);
    EXPECT_TRUE(created.ok()) << created.error;
    if (!created.ok()) {
      return "";
    }
    janitor.Register(created.value->id, WorkspaceKind::kParent, "PM");
    janitor.RecordPersistedName(created.value->id, name);
    return created.value->id;
  }

  std::optional<WorkspaceInfo> Read(const std::string& id) {
    const auto info = client_->GetWorkspace(id);
    EXPECT_TRUE(info.ok()) << info.error;
    return info.ok() ? std::optional<WorkspaceInfo>(*info.value) : std::nullopt;
  }

  std::vector<ParsedEvent> Released(const std::ostringstream& out) const {
    return EventsNamed(ParseEvents(out.str()), "anchor_released");
  }
};

TEST_F(PmParentTest, WithItsPlatformAgentThePlatformsDefaultStandsAndNothingIsCreated) {
  ASSERT_NO_FATAL_FAILURE(StartOrg(/*platform_root=*/true));
  WorkspaceJanitor janitor(Options(), nullptr);
  const PmParent parent = ChoosePmParent(*client_, janitor);
  EXPECT_EQ(parent.source, "platform_root");
  EXPECT_EQ(parent.parent_id, "") << "the platform's default: its platform agent";
  EXPECT_THAT(janitor.Registered(), IsEmpty());
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), IsEmpty());
}

TEST_F(PmParentTest, WithoutOneTheFirstRunCreatesTheAnchorAndTheNextFindsIt) {
  ASSERT_NO_FATAL_FAILURE(StartOrg(/*platform_root=*/false));
  std::ostringstream out_a;
  EventLog events_a(out_a);
  WorkspaceJanitor janitor_a(Options(), &events_a);
  const PmParent a = ChoosePmParent(*client_, janitor_a);
  ASSERT_EQ(a.source, "anchor_created") << a.reason;
  EXPECT_EQ(a.anchor_name, kAnchorName);
  EXPECT_THAT(janitor_a.Registered(), ElementsAre(a.parent_id));
  RecordedRequest create;
  ASSERT_TRUE(
      WaitForRequest(fake_->server(), IsRequest("POST", "/workspaces"), DefaultWait(), &create));
  EXPECT_THAT(create.body, ::testing::HasSubstr(R"("runtime":"external")"));
  EXPECT_THAT(create.body, ::testing::HasSubstr(R"("external":true)"));
  EXPECT_THAT(create.body, ::testing::Not(::testing::HasSubstr("parent_id")));
  const auto anchor = Read(a.parent_id);
  ASSERT_TRUE(anchor);
  EXPECT_EQ(anchor->parent_id, std::nullopt) << "the org's first root";

  std::ostringstream out_b;
  EventLog events_b(out_b);
  WorkspaceJanitor janitor_b(Options(), &events_b);
  const PmParent b = ChoosePmParent(*client_, janitor_b);
  EXPECT_EQ(b.source, "anchor_found");
  EXPECT_EQ(b.parent_id, a.parent_id);
  EXPECT_THAT(janitor_b.Registered(), ElementsAre(a.parent_id));

  // Both runs' PMs under it, siblings: neither is the other's parent.
  const std::string pm_a = CreatePmUnder(a.parent_id, "taskbounds-a-pm", janitor_a);
  const std::string pm_b = CreatePmUnder(b.parent_id, "taskbounds-b-pm", janitor_b);
  EXPECT_EQ(Read(pm_a)->parent_id, a.parent_id);
  EXPECT_EQ(Read(pm_b)->parent_id, a.parent_id);

  // A ends first: its PM goes, the anchor stays (B's PM is under it), and A reports no
  // failure for it.
  const CleanupResult ended_a = janitor_a.DeleteAll();
  EXPECT_TRUE(ended_a.ok) << ended_a.summary;
  EXPECT_THAT(ended_a.deleted, ElementsAre(pm_a));
  EXPECT_THAT(janitor_a.Leaked(), IsEmpty());
  ASSERT_EQ(Released(out_a).size(), 1u) << out_a.str();
  EXPECT_EQ(Released(out_a)[0].Str("outcome"), "kept");
  EXPECT_EQ(Released(out_a)[0].Str("http_code"), "409");
  EXPECT_THAT(Released(out_a)[0].Str("reason"), ::testing::HasSubstr(pm_b));
  EXPECT_THAT(EventsNamed(ParseEvents(out_a.str()), "cleanup_failed"), IsEmpty());
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), UnorderedElementsAre(a.parent_id, pm_b));

  // B, the last under it, deletes it.
  const CleanupResult ended_b = janitor_b.DeleteAll();
  EXPECT_TRUE(ended_b.ok) << ended_b.summary;
  EXPECT_THAT(ended_b.deleted, ElementsAre(pm_b)) << "the anchor is no workspace of the run";
  ASSERT_EQ(Released(out_b).size(), 1u) << out_b.str();
  EXPECT_EQ(Released(out_b)[0].Str("outcome"), "deleted");
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), IsEmpty());
  // Every DELETE of the anchor was without ?confirm=true and named it.
  for (const RecordedRequest& r : fake_->server().requests()) {
    if (r.method == "DELETE" && r.path == "/workspaces/" + a.parent_id) {
      EXPECT_EQ(r.target.find("confirm"), std::string::npos) << r.target;
      EXPECT_EQ(r.Header("X-Confirm-Name"), kAnchorName);
    }
  }
}

// The anchor never takes what is under it: not on the emergency path either (a signal's
// cleanup), and not when what is under it is no run's at all.
TEST_F(PmParentTest, TheAnchorIsKeptWhileAnythingIsUnderItAndIsNoLeak) {
  ASSERT_NO_FATAL_FAILURE(StartOrg(/*platform_root=*/false));
  std::ostringstream out;
  EventLog events(out);
  WorkspaceJanitor janitor(Options(), &events);
  const PmParent parent = ChoosePmParent(*client_, janitor);
  ASSERT_EQ(parent.source, "anchor_created") << parent.reason;
  WorkspaceSpec someone("someone's workspace", "", 2, kTemplateOnEveryProfile);
  someone.parent_id = parent.parent_id;
  const auto other = client_->CreateWorkspace(someone);
  ASSERT_TRUE(other.ok()) << other.error;

  EXPECT_EQ(WorkspaceJanitor::CleanupAllJanitors("test"), 0) << out.str();
  EXPECT_THAT(janitor.Registered(), IsEmpty()) << "settled: kept, not pending";
  EXPECT_THAT(janitor.Leaked(), IsEmpty());
  ASSERT_EQ(Released(out).size(), 1u) << out.str();
  EXPECT_EQ(Released(out)[0].Str("outcome"), "kept");
  EXPECT_THAT(EventsNamed(ParseEvents(out.str()), "cleanup_failed"), IsEmpty());
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(),
              UnorderedElementsAre(parent.parent_id, other.value->id));

  ASSERT_TRUE(client_->DeleteWorkspace(other.value->id, /*confirm=*/false).ok());
  WorkspaceJanitor next(Options(), nullptr);
  const PmParent again = ChoosePmParent(*client_, next);
  EXPECT_EQ(again.source, "anchor_found") << "a kept anchor is reused";
  EXPECT_TRUE(next.DeleteAll().ok);
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), IsEmpty());
}

// Two runs read the list before either creates (both creates are held until both are sent,
// so each list was answered before either create ran): both create an anchor. The platform puts the
// second under the first (then the org's sole root); each run uses its own, the inner one's
// run also registers the outer one, and whichever ends last leaves nothing.
TEST_F(PmParentTest, TwoRunsCreatingTheAnchorAtOnceEachUseTheirOwnAndLeaveNothing) {
  ASSERT_NO_FATAL_FAILURE(StartOrg(/*platform_root=*/false));
  ASSERT_TRUE(fake_->server().HoldNext("POST /workspaces", 2));
  std::ostringstream out_a;
  std::ostringstream out_b;
  EventLog events_a(out_a);
  EventLog events_b(out_b);
  WorkspaceJanitor janitor_a(Options(), &events_a);
  WorkspaceJanitor janitor_b(Options(), &events_b);
  PlatformClient client_a(ClientFor(*fake_, kHarnessAdminToken));
  PlatformClient client_b(ClientFor(*fake_, kHarnessAdminToken));
  PmParent a;
  PmParent b;
  std::thread run_a([&] { a = ChoosePmParent(client_a, janitor_a); });
  std::thread run_b([&] { b = ChoosePmParent(client_b, janitor_b); });
  const bool both_held = Eventually([&] { return fake_->server().HeldRequests().size() == 2; },
                                    DefaultWait(), "both runs' anchor creates held");
  EXPECT_EQ(fake_->server().ReleaseAll("POST /workspaces"), both_held ? 2u : 0u);
  if (!both_held) {
    fake_->server().ReleaseAll();
  }
  run_a.join();
  run_b.join();
  ASSERT_TRUE(both_held);
  ASSERT_EQ(a.source, "anchor_created") << a.reason;
  ASSERT_EQ(b.source, "anchor_created") << b.reason;
  ASSERT_NE(a.parent_id, b.parent_id);
  const auto anchor_a = Read(a.parent_id);
  const auto anchor_b = Read(b.parent_id);
  ASSERT_TRUE(anchor_a && anchor_b);
  const bool a_outer = !anchor_a->parent_id.has_value();
  const std::string outer = a_outer ? a.parent_id : b.parent_id;
  const std::string inner = a_outer ? b.parent_id : a.parent_id;
  EXPECT_EQ(Read(inner)->parent_id, outer) << "the sole-root rule put it under the first";
  WorkspaceJanitor& inner_janitor = a_outer ? janitor_b : janitor_a;
  WorkspaceJanitor& outer_janitor = a_outer ? janitor_a : janitor_b;
  EXPECT_THAT(inner_janitor.Registered(), ElementsAre(inner, outer)) << "innermost first";
  EXPECT_THAT(outer_janitor.Registered(), ElementsAre(outer));

  const std::string pm_outer = CreatePmUnder(outer, "taskbounds-outer-pm", outer_janitor);
  const std::string pm_inner = CreatePmUnder(inner, "taskbounds-inner-pm", inner_janitor);
  // The run under the outer anchor ends first: it cannot delete its anchor (the inner one is
  // under it); the other run, ending last, deletes both.
  EXPECT_TRUE(outer_janitor.DeleteAll().ok);
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), UnorderedElementsAre(outer, inner, pm_inner));
  EXPECT_TRUE(inner_janitor.DeleteAll().ok);
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), IsEmpty());
  EXPECT_FALSE(pm_outer.empty());
}

// The whole run: the anchor it found is deleted (by the last run under it) between its
// choice and its PM's create; the create's 422 PARENT_NOT_FOUND makes it choose again
// instead of failing, and it ends with nothing left.
class PmParentRunTest : public CoordinatorRunTest {};

TEST_F(PmParentRunTest, AnAnchorDeletedBeforeThePmsCreateIsChosenAgain) {
  StartFakeWith(OrgOptions(/*platform_root=*/false));
  client_ = std::make_unique<PlatformClient>(ClientFor(*fake_, kHarnessAdminToken));
  WorkspaceSpec spec(kAnchorName, "", 2, "");
  spec.runtime = "external";
  spec.external = true;
  const auto stale = client_->CreateWorkspace(spec);
  ASSERT_TRUE(stale.ok()) << stale.error;
  ASSERT_TRUE(fake_->server().HoldNext("POST /workspaces"));

  RunConfig config = FakeRunConfig(0.001, 1);
  config.admin_token = kHarnessAdminToken;
  RunReport report;
  std::thread run([&] { report = RunAll(config); });
  RecordedRequest pm_create;
  const testing::AssertionResult held =
      WaitUntilHeld(fake_->server(), "POST /workspaces", DefaultWait(), &pm_create);
  if (held) {
    EXPECT_THAT(pm_create.body, ::testing::HasSubstr(stale.value->id));
    EXPECT_TRUE(client_->DeleteWorkspace(stale.value->id, /*confirm=*/false).ok());
    EXPECT_TRUE(Release(fake_->server(), pm_create));
  } else {
    fake_->server().ReleaseAll();
  }
  run.join();
  ASSERT_TRUE(held);
  EXPECT_TRUE(report.ok()) << report.FirstError() << "\n" << out_.str();
  const auto chose = EventsNamed(Events(), "pm_parent");
  ASSERT_EQ(chose.size(), 2u) << out_.str();
  EXPECT_EQ(chose[0].Str("source"), "anchor_found");
  EXPECT_EQ(chose[0].Str("parent_id"), stale.value->id);
  EXPECT_EQ(chose[1].Str("source"), "anchor_created");
  EXPECT_THAT(EventsNamed(Events(), "run_failed"), IsEmpty());
  // Both anchors it chose are settled: the stale one already gone (410), its own deleted.
  const auto released = EventsNamed(Events(), "anchor_released");
  ASSERT_EQ(released.size(), 2u) << out_.str();
  EXPECT_EQ(released[0].Str("workspace_id"), stale.value->id);
  EXPECT_EQ(released[0].Str("outcome"), "deleted");
  EXPECT_EQ(released[0].Str("http_code"), "410");
  EXPECT_EQ(released[1].Str("workspace_id"), chose[1].Str("parent_id"));
  EXPECT_EQ(released[1].Str("outcome"), "deleted");
  EXPECT_EQ(released[1].Str("http_code"), "200");
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), IsEmpty());
}

}  // namespace
}  // namespace taskbounds
