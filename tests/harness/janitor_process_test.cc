// The janitor when a run's process goes wrong: each test runs a scenario of the helper
// binary (janitor_scenarios.cc) in a subprocess against a fake platform owned here, then
// checks through the fake itself (LiveWorkspaceIds) that nothing was left behind, and how
// the process ended.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "fixtures/run/run_tag.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mocks/request_log_matchers.h"
#include "tests/support/assertions.h"
#include "tests/support/platform_fixture.h"
#include "tests/support/subprocess.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

using std::chrono::milliseconds;
using ::testing::IsEmpty;

using EnvChanges = std::map<std::string, std::optional<std::string>>;

// The run variables a subprocess run gets against a harness fake at `platform_url`: the
// same on every profile (no version switch in the harness), and nothing else of this
// process's. The admin token (2026-08 fails closed without one, platform-api-2026-08.md
// section 1), a template every profile maintains (2026-08 dropped langgraph), and a secret
// that is not a vendor key (2026-08 refuses one for a platform-billed model, section 2).
EnvChanges RunEnvironment(const std::string& platform_url) {
  return {
      {"PLATFORM", platform_url},
      {"ADMIN_TOKEN", kHarnessAdminToken},
      {"PM_TEMPLATE", kTemplateOnEveryProfile},
      {"CHILD_TEMPLATE", kTemplateOnEveryProfile},
      {"SECRET_NAME", "TASKBOUNDS_PROBE"},
      {"SECRET_VALUE", "placeholder-not-an-llm-key"},
      {"TIME_SCALE", "0.001"},
      {"SYNTHESIS_DEPTH", "1"},
      {"TENANT_ID", std::nullopt},
      {"OPENROUTER_API_KEY", std::nullopt},
      {"OPENAI_API_KEY", std::nullopt},
      {"MODEL", std::nullopt},
      {"VARIANTS", std::nullopt},
      {"SYNTHESIS_DEPTHS", std::nullopt},
      {"REPEAT", std::nullopt},
      {"A2A_TIMEOUT", std::nullopt},
      {"WAIT_ONLINE_SECS", std::nullopt},
      {"DRY_RUN", std::nullopt},
      {"KEEP_WORKSPACES", std::nullopt},
      {"FAKE_SCENARIO", std::nullopt},
      {"FAKE_PLATFORM_VERSION", std::nullopt},
      {"ORG_ID", std::nullopt},
      {"ORG_SLUG", std::nullopt},
      {"TENANT_ADMIN_TOKEN", std::nullopt},
      {"CP_ADMIN_API_TOKEN", std::nullopt},
      {"CP_API_URL", std::nullopt},
  };
}

// A name of the run-tag scheme (fixtures/run/run_tag.h) for `role`.
bool IsSuiteName(const std::string& name, SuiteRole role) {
  const std::optional<ParsedSuiteName> parsed = ParseSuiteWorkspaceName(name);
  return parsed && parsed->role == role;
}

// A subprocess test on one fake profile: Profile() is the profile parameter of the suite.
class JanitorProcessFixture : public FakePlatformTest {
 protected:
  virtual PlatformVersion Profile() const = 0;

  void SetUp() override {
    CheckLeaksAtTearDown();
    ASSERT_NO_FATAL_FAILURE(Start(HarnessOptions(Profile()), HarnessServerOptions()));
  }

  void TearDown() override {
    FakePlatformTest::TearDown();
    if (fake_) {
      fake_->Stop();  // wakes an A2A call the killed helper left in flight
    }
  }

  // Starts JanitorScenario.<scenario> of the helper against this test's fake.
  std::unique_ptr<Subprocess> Launch(const std::string& scenario,
                                     const std::vector<std::string>& extra_args = {},
                                     const EnvChanges& extra_env = {}) {
    EnvChanges env = RunEnvironment(fake_->url());
    // Bazel's test protocol belongs to this process: the helper must not write this test's
    // XML, premature-exit marker or shard status, nor take its filter.
    for (const char* name :
         {"XML_OUTPUT_FILE", "GTEST_OUTPUT", "TEST_PREMATURE_EXIT_FILE", "TESTBRIDGE_TEST_ONLY",
          "GTEST_FILTER", "GTEST_TOTAL_SHARDS", "GTEST_SHARD_INDEX", "TEST_TOTAL_SHARDS",
          "TEST_SHARD_INDEX", "GTEST_SHARD_STATUS_FILE", "TEST_SHARD_STATUS_FILE"}) {
      env[name] = std::nullopt;
    }
    for (auto& [name, value] : extra_env) {
      env[name] = value;
    }
    std::vector<std::string> argv = {RunfilePath("tests/harness/janitor_scenarios"),
                                     "--gtest_filter=JanitorScenario." + scenario};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    if (merge_stderr_) {
      // Through /bin/sh so stderr joins the captured stdout (the janitor names leftovers
      // there); exec keeps the pid, so signals reach the helper itself.
      argv.insert(argv.begin(), {"/bin/sh", "-c", "exec \"$0\" \"$@\" 2>&1"});
    }
    std::string error;
    auto process = Subprocess::Spawn(argv, EnvironmentWith(env), &error);
    if (!process) {
      ADD_FAILURE() << error;
    }
    return process;
  }

  // The helper's events say which ids it created and which it deleted; the fake says
  // whether they are really gone.
  void ExpectProvisionedPairDeleted(const std::string& output) {
    const auto events = ParseEvents(output);
    const auto pm = EventsNamed(events, "pm_provisioned");
    const auto child = EventsNamed(events, "child_provisioned");
    ASSERT_EQ(pm.size(), 1u) << output;
    ASSERT_EQ(child.size(), 1u) << output;
    std::vector<std::string> deleted;
    for (const auto& e : EventsNamed(events, "cleanup_deleted")) {
      deleted.push_back(e.Str("workspace_id"));
    }
    EXPECT_THAT(deleted,
                ::testing::ElementsAre(child[0].Str("workspace_id"), pm[0].Str("workspace_id")))
        << output;
    EXPECT_THAT(EventsNamed(events, "cleanup_failed"), IsEmpty()) << output;
    EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), IsEmpty());
    ExpectEachDeleteConfirmedAtOnce();
  }

  // The janitor names each workspace in X-Confirm-Name (its persisted name) on its first
  // DELETE, so no profile answers 400 destructive_action_requires_confirmation: one DELETE
  // per workspace, child then PM, each answered 200.
  void ExpectEachDeleteConfirmedAtOnce() {
    std::vector<std::string> confirmed;
    for (const RecordedRequest& r : fake_->server().requests()) {
      if (r.method == "DELETE") {
        EXPECT_EQ(r.status, 200) << r.target << " " << r.Header("X-Confirm-Name");
        confirmed.push_back(r.Header("X-Confirm-Name"));
      }
    }
    ASSERT_EQ(confirmed.size(), 2u);
    EXPECT_TRUE(IsSuiteName(confirmed[0], SuiteRole::kResearcher)) << confirmed[0];
    EXPECT_TRUE(IsSuiteName(confirmed[1], SuiteRole::kPm)) << confirmed[1];
  }

  // Runs the SetUpFailsHalfway helper with `extra_env` and checks that it failed (exit 1)
  // without reaching the test body. `output`: what it printed.
  testing::AssertionResult RunSetUpThatFails(const EnvChanges& extra_env, std::string* output) {
    auto helper = Launch("SetUpFailsHalfway", {}, extra_env);
    if (!helper) {
      return testing::AssertionFailure() << "the helper did not start";
    }
    int status = 0;
    testing::AssertionResult exited = helper->WaitForExit(DefaultWait(), &status);
    *output = helper->output();
    if (!exited) {
      return exited;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 1) {
      return testing::AssertionFailure()
             << "the helper " << DescribeWaitStatus(status) << ", not exit 1\n"
             << *output;
    }
    if (output->find("not reached") != std::string::npos) {
      return testing::AssertionFailure() << "the test body ran after SetUp failed\n" << *output;
    }
    return testing::AssertionSuccess();
  }

  // The PM was provisioned, the child was not, and the PM alone was deleted, confirmed by
  // name at once.
  void ExpectOnlyThePmProvisionedAndDeleted(const std::string& output) {
    const auto events = ParseEvents(output);
    const auto pm = EventsNamed(events, "pm_provisioned");
    ASSERT_EQ(pm.size(), 1u) << output;
    EXPECT_THAT(EventsNamed(events, "child_provisioned"), IsEmpty());
    const auto deleted = EventsNamed(events, "cleanup_deleted");
    ASSERT_EQ(deleted.size(), 1u) << output;
    EXPECT_EQ(deleted[0].Str("workspace_id"), pm[0].Str("workspace_id"));
    EXPECT_THAT(EventsNamed(events, "cleanup_failed"), IsEmpty()) << output;
    EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), IsEmpty());
  }

  // Starts a run (the MeasureUntilSignalled helper) that stays in its A2A wait: depth 64
  // keeps the fake's coordinator busy for 3520 platform seconds (3.5 s wall). Returns once
  // its kickoff is in flight at the platform; `pm_id`: the PM it went to.
  testing::AssertionResult StartRunInItsA2AWait(std::unique_ptr<Subprocess>* helper,
                                                std::string* pm_id) {
    *helper =
        Launch("MeasureUntilSignalled", {}, {{"SYNTHESIS_DEPTH", "64"}, {"A2A_TIMEOUT", "86400"}});
    if (!*helper) {
      return testing::AssertionFailure() << "the helper did not start";
    }
    std::string kickoff;
    testing::AssertionResult sent_line = (*helper)->WaitForLine(
        [](const std::string& line) {
          return line.find("\"event\":\"a2a_kickoff_sent\"") != std::string::npos;
        },
        DefaultWait(), &kickoff);
    if (!sent_line) {
      return sent_line;
    }
    const auto sent = ParseEvents(kickoff);
    if (sent.size() != 1u) {
      return testing::AssertionFailure() << "not one kickoff event in: " << kickoff;
    }
    *pm_id = sent[0].Str("to");
    return WaitForRequest(fake_->server(), IsRequest("POST", "/workspaces/" + *pm_id + "/a2a"),
                          DefaultWait());
  }

  // Runs the MeasureUntilSignalled helper (stderr merged), sends SIGTERM once the fake has
  // seen a request matching `when`, and checks that the helper died of it. `output`: all
  // the helper printed.
  testing::AssertionResult SigtermWhen(const DescribedPredicate& when, std::string* output) {
    merge_stderr_ = true;
    auto helper = Launch("MeasureUntilSignalled");
    if (!helper) {
      return testing::AssertionFailure() << "the helper did not start";
    }
    testing::AssertionResult seen = WaitForRequest(fake_->server(), when, DefaultWait());
    if (!seen) {
      return seen;
    }
    if (!helper->Signal(SIGTERM)) {
      return testing::AssertionFailure() << "could not signal the helper";
    }
    int status = 0;
    testing::AssertionResult exited = helper->WaitForExit(DefaultWait(), &status);
    *output = helper->output();
    if (!exited) {
      return exited;
    }
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGTERM) {
      return testing::AssertionFailure()
             << "the helper " << DescribeWaitStatus(status) << ", not of SIGTERM\n"
             << *output;
    }
    return testing::AssertionSuccess();
  }

  // The PM's create goes through; the child's gets `fault`.
  testing::AssertionResult FaultOnTheChildCreate(Fault fault) {
    if (!fake_->server().InjectFault("POST /workspaces", Fault::Delay(milliseconds(0)), 1) ||
        !fake_->server().InjectFault("POST /workspaces", std::move(fault), 1)) {
      return testing::AssertionFailure() << "could not inject the create faults";
    }
    return testing::AssertionSuccess();
  }

  // Each of `ids` is on exactly one "janitor: LEFT BEHIND" line of `output`.
  static void ExpectEachNamedOnceOnStderr(const std::vector<std::string>& ids,
                                          const std::string& output) {
    const std::string line = "janitor: LEFT BEHIND: ";
    for (const std::string& id : ids) {
      std::size_t count = 0;
      for (std::size_t at = output.find(line); at != std::string::npos;
           at = output.find(line, at + 1)) {
        const std::size_t eol = output.find('\n', at);
        count += output.substr(at, eol - at).find(id) != std::string::npos;
      }
      EXPECT_EQ(count, 1u) << id << " on stderr\n" << output;
    }
  }

  // Deletes what a test left on purpose, past any injected fault, so teardown finds none.
  void DeleteLeftovers(const std::vector<std::string>& ids) {
    fake_->server().ClearFaults();
    PlatformClient client(ClientFor(*fake_, kHarnessAdminToken));
    for (const std::string& id : ids) {
      EXPECT_TRUE(client.DeleteWorkspace(id, /*confirm=*/true).ok()) << id;
    }
  }

  bool merge_stderr_ = false;  // Launch() captures stderr with stdout
};

// The janitor's behaviour under test is the harness's: it holds on every fake profile.
// Two runs on one org, each in its A2A wait: A started (and provisioned) first.
struct TwoRuns {
  std::unique_ptr<Subprocess> run_a;
  std::string pm_a;
  std::unique_ptr<Subprocess> run_b;
  std::string pm_b;
};

class JanitorProcessTest : public JanitorProcessFixture,
                           public testing::WithParamInterface<PlatformVersion> {
 protected:
  PlatformVersion Profile() const override { return GetParam(); }

  // Starts run A, then run B once A waits for its kickoff's answer.
  testing::AssertionResult StartTwoRuns(TwoRuns* runs) {
    testing::AssertionResult a = StartRunInItsA2AWait(&runs->run_a, &runs->pm_a);
    return a ? StartRunInItsA2AWait(&runs->run_b, &runs->pm_b) : a;
  }
};

INSTANTIATE_TEST_SUITE_P(EveryProfile, JanitorProcessTest, testing::ValuesIn(AllPlatformVersions()),
                         ProfileParamName);

// The request is the create of the run's workspace in `role`.
DescribedPredicate IsCreateOf(SuiteRole role) {
  const std::string suffix = role == SuiteRole::kPm ? "-pm\"" : "-researcher\"";
  return Matching(
      "POST /workspaces named taskbounds-<tag>" + suffix, [suffix](const RecordedRequest& r) {
        return r.method == "POST" && r.path == "/workspaces" &&
               r.body.find("\"name\":\"" + std::string(kSuiteNamePrefix)) != std::string::npos &&
               r.body.find(suffix) != std::string::npos;
      });
}

TEST_P(JanitorProcessTest, AssertionFailureInTheBodyStillDeletes) {
  auto helper = Launch("AssertionFailsInTheBody");
  ASSERT_TRUE(helper);
  int status = 0;
  ASSERT_TRUE(helper->WaitForExit(DefaultWait(), &status));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << DescribeWaitStatus(status);
  EXPECT_THAT(helper->output(), ::testing::HasSubstr("deliberate failure"));
  ExpectProvisionedPairDeleted(helper->output());
}

TEST_P(JanitorProcessTest, ExceptionCaughtByGtestStillDeletes) {
  auto helper = Launch("ExceptionEscapesTheBody");
  ASSERT_TRUE(helper);
  int status = 0;
  ASSERT_TRUE(helper->WaitForExit(DefaultWait(), &status));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << DescribeWaitStatus(status);
  ExpectProvisionedPairDeleted(helper->output());
}

TEST_P(JanitorProcessTest, UncaughtExceptionDeletesBeforeTheAbort) {
  auto helper = Launch("ExceptionEscapesTheBody", {"--gtest_catch_exceptions=0"});
  ASSERT_TRUE(helper);
  int status = 0;
  ASSERT_TRUE(helper->WaitForExit(DefaultWait(), &status));
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT) << DescribeWaitStatus(status);
  ExpectProvisionedPairDeleted(helper->output());
}

TEST_P(JanitorProcessTest, ExitMidTestDeletesAtExit) {
  // exit() mid-test leaves gtest's objects allocated by design: no leak report for it.
  const char* asan = std::getenv("ASAN_OPTIONS");
  auto helper = Launch("ExitInTheBody", {},
                       {{"ASAN_OPTIONS", std::string(asan ? asan : "") + ":detect_leaks=0"}});
  ASSERT_TRUE(helper);
  int status = 0;
  ASSERT_TRUE(helper->WaitForExit(DefaultWait(), &status));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 7) << DescribeWaitStatus(status);
  ExpectProvisionedPairDeleted(helper->output());
}

TEST_P(JanitorProcessTest, SetUpFailingHalfwayDeletesThePm) {
  ASSERT_TRUE(fake_->server().InjectFault("POST /workspaces", Fault::Delay(milliseconds(0)), 1));
  ASSERT_TRUE(fake_->server().InjectFault("POST /workspaces", Fault::Status(500), 1));
  std::string output;
  ASSERT_TRUE(RunSetUpThatFails({}, &output));
  ExpectOnlyThePmProvisionedAndDeleted(output);
}

// 2026-08's create refuses what it does not maintain with a 422 and, for a private template,
// commits a failed row whose id it does not answer (platform-api-2026-08.md section 1):
// 2026-04 has langgraph and no such rows, so these hold on 2026-08 only.
class JanitorProcessOn2026_08Test : public JanitorProcessFixture {
 protected:
  PlatformVersion Profile() const override { return PlatformVersion::k2026_08; }
};

TEST_F(JanitorProcessOn2026_08Test, AChildTemplateRefusedWith422DeletesThePm) {
  // The issue's measured leak: the child's create answers 422 RUNTIME_UNRESOLVED, and the
  // PM made before it must still go (with its X-Confirm-Name).
  std::string output;
  ASSERT_TRUE(RunSetUpThatFails({{"CHILD_TEMPLATE", "langgraph"}}, &output));
  EXPECT_THAT(output, ::testing::HasSubstr("RUNTIME_UNRESOLVED"));
  EXPECT_THAT(output, ::testing::HasSubstr("CHILD_TEMPLATE"));
  ExpectOnlyThePmProvisionedAndDeleted(output);
}

TEST_F(JanitorProcessOn2026_08Test, AFailedRowLeftWithoutAnIdIsFoundAndDeleted) {
  // seo-agent is private: the PM's create leaves a failed row and answers 422
  // TEMPLATE_UNAVAILABLE without its id; the janitor finds the row by its name.
  std::string output;
  ASSERT_TRUE(RunSetUpThatFails({{"PM_TEMPLATE", "seo-agent"}}, &output));
  EXPECT_THAT(output, ::testing::HasSubstr("TEMPLATE_UNAVAILABLE"));
  const auto events = ParseEvents(output);
  EXPECT_THAT(EventsNamed(events, "pm_provisioned"), IsEmpty()) << output;
  EXPECT_THAT(EventsNamed(events, "cleanup_deleted"), ::testing::SizeIs(1)) << output;
  EXPECT_THAT(EventsNamed(events, "cleanup_failed"), IsEmpty()) << output;
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), IsEmpty());
}

TEST_P(JanitorProcessTest, SigtermDuringTheChildCreateStillDeletesTheChild) {
  // The child's create takes 1.5 s at the platform, which then creates it anyway.
  ASSERT_TRUE(FaultOnTheChildCreate(Fault::Delay(milliseconds(1500))));
  std::string output;
  ASSERT_TRUE(SigtermWhen(IsCreateOf(SuiteRole::kResearcher), &output));
  // Both creates reached the platform; the janitor waited for the child's id and
  // deleted it, then the PM.
  EXPECT_EQ(fake_->backend().LiveWorkspaceIds().size(), 0u)
      << Describe(fake_->backend().LiveWorkspaceIds()) << "\n"
      << output;
  const auto events = ParseEvents(output);
  EXPECT_EQ(EventsNamed(events, "cleanup_deleted").size(), 2u) << output;
  EXPECT_THAT(EventsNamed(events, "cleanup_failed"), IsEmpty()) << output;
}

TEST_P(JanitorProcessTest, SigtermDuringAChildCreateThatNeverAnswersNamesIt) {
  // The child's create never answers: the janitor waits for it within its slice, deletes
  // the PM, and names the create it could not resolve (by the name it sent).
  ASSERT_TRUE(FaultOnTheChildCreate(Fault::Hang()));
  std::string output;
  ASSERT_TRUE(SigtermWhen(IsCreateOf(SuiteRole::kResearcher), &output));
  const auto events = ParseEvents(output);
  const auto pm = EventsNamed(events, "pm_provisioned");
  ASSERT_EQ(pm.size(), 1u) << output;
  const auto deleted = EventsNamed(events, "cleanup_deleted");
  ASSERT_EQ(deleted.size(), 1u) << output;
  EXPECT_EQ(deleted[0].Str("workspace_id"), pm[0].Str("workspace_id"));
  const auto failed = EventsNamed(events, "cleanup_failed");
  ASSERT_EQ(failed.size(), 1u) << output;
  EXPECT_TRUE(IsSuiteName(failed[0].Str("workspace_name"), SuiteRole::kResearcher))
      << failed[0].Str("workspace_name");
  EXPECT_THAT(failed[0].Str("error"), ::testing::HasSubstr("still unanswered"));
  EXPECT_THAT(output, ::testing::HasSubstr("LEFT BEHIND: child named '" +
                                           failed[0].Str("workspace_name") + "', no usable id"));
}

TEST_P(JanitorProcessTest, SigtermWhileTheRunsCleanupHangsNamesEachIdOnce) {
  // The run's own cleanup hangs on the child's DELETE; every later DELETE is refused (a
  // 403 is not retryable), so the signal's cleanup can only name what is left.
  ASSERT_TRUE(fake_->server().InjectFault("DELETE /workspaces/{id}", Fault::Hang(), 1));
  ASSERT_TRUE(fake_->server().InjectFault("DELETE /workspaces/{id}",
                                          Fault::Status(403, R"({"error":"forbidden"})")));
  std::string output;
  ASSERT_TRUE(SigtermWhen(
      Matching("a DELETE", [](const RecordedRequest& r) { return r.method == "DELETE"; }),
      &output));

  const std::vector<std::string> left = fake_->backend().LiveWorkspaceIds();
  ASSERT_EQ(left.size(), 2u) << output;
  const auto failed = EventsNamed(ParseEvents(output), "cleanup_failed");
  std::vector<std::string> named;
  named.reserve(failed.size());
  for (const auto& e : failed) {
    named.push_back(e.Str("workspace_id"));
  }
  EXPECT_THAT(named, ::testing::UnorderedElementsAreArray(left)) << output;
  ExpectEachNamedOnceOnStderr(left, output);
  DeleteLeftovers(left);
}

TEST_P(JanitorProcessTest, SigtermDuringThePmCreateSendsNoChildCreateAndDeletesThePm) {
  // The PM's create is held at the platform until the signal's cleanup has begun; once it
  // answers, the run would go on to create the child. No create may be sent after the
  // cleanup took its list: the PM alone is waited for and deleted, and nothing is named.
  ASSERT_TRUE(fake_->server().HoldNext("POST /workspaces"));
  merge_stderr_ = true;
  auto helper = Launch("MeasureUntilSignalled");
  ASSERT_TRUE(helper);
  RecordedRequest pm_create;
  ASSERT_TRUE(WaitUntilHeld(fake_->server(), "POST /workspaces", DefaultWait(), &pm_create));
  ASSERT_TRUE(IsCreateOf(SuiteRole::kPm).predicate(pm_create)) << pm_create.body;
  ASSERT_TRUE(helper->Signal(SIGTERM));
  ASSERT_TRUE(helper->WaitForLine(
      [](const std::string& line) {
        return line.find("janitor: SIGTERM received") != std::string::npos;
      },
      DefaultWait()));
  ASSERT_TRUE(Release(fake_->server(), pm_create));
  int status = 0;
  ASSERT_TRUE(helper->WaitForExit(DefaultWait(), &status));
  const std::string& output = helper->output();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM)
      << DescribeWaitStatus(status) << "\n"
      << output;
  for (const RecordedRequest& r : fake_->server().requests()) {
    EXPECT_FALSE(IsCreateOf(SuiteRole::kResearcher).predicate(r)) << "sent after the signal\n"
                                                                  << output;
  }
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), IsEmpty()) << output;
  ExpectOnlyThePmProvisionedAndDeleted(output);
  EXPECT_THAT(output, ::testing::Not(::testing::HasSubstr("named above")));
}

// The ids of a run's events named `event` (e.g. "cleanup_deleted"), in order.
std::vector<std::string> IdsOf(const std::string& output, const std::string& event) {
  std::vector<std::string> ids;
  for (const auto& e : EventsNamed(ParseEvents(output), event)) {
    ids.push_back(e.Str("workspace_id"));
  }
  return ids;
}

TEST_P(JanitorProcessTest, TwoRunsOnOneOrgNeverDeleteEachOthersWorkspaces) {
  // An org without a platform root. On 2026-08 an omitted parent_id defaults to the sole
  // root workspace (platform-api-2026-08.md section 1): run A's PM, were it a root, would
  // become the parent of B's. Each run puts its PM under the shared anchor instead
  // (fixtures/run/pm_parent.h), deleted by the last run under it; on 2026-04 (no default
  // parent) each PM is a root.
  FakePlatformOptions options = HarnessOptions(GetParam());
  options.platform_root = false;
  ASSERT_NO_FATAL_FAILURE(Start(options, HarnessServerOptions()));
  const bool anchored = GetParam() == PlatformVersion::k2026_08;
  TwoRuns runs;
  ASSERT_TRUE(StartTwoRuns(&runs));
  auto& [run_a, pm_a, run_b, pm_b] = runs;
  const auto placed_a = client_->GetWorkspace(pm_a);
  const auto placed_b = client_->GetWorkspace(pm_b);
  ASSERT_TRUE(placed_a.ok() && placed_b.ok()) << placed_a.error << placed_b.error;
  const std::string parent_a = placed_a.value->parent_id.value_or("<root>");
  const std::string parent_b = placed_b.value->parent_id.value_or("<root>");
  EXPECT_NE(parent_b, pm_a) << "B's PM is not A's child";
  EXPECT_NE(parent_a, pm_b);
  EXPECT_EQ(parent_a, parent_b) << "siblings";
  EXPECT_EQ(parent_a == "<root>", !anchored) << parent_a;
  const std::vector<std::string> child_b = IdsOf(run_b->output(), "child_provisioned");
  ASSERT_EQ(child_b.size(), 1u) << run_b->output();

  // A is stopped first: its cleanup takes its own child and PM, nothing of B's.
  int status = 0;
  ASSERT_TRUE(run_a->Signal(SIGTERM));
  ASSERT_TRUE(run_a->WaitForExit(DefaultWait(), &status));
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << DescribeWaitStatus(status);
  const std::vector<std::string> child_a = IdsOf(run_a->output(), "child_provisioned");
  ASSERT_EQ(child_a.size(), 1u) << run_a->output();
  const auto live = fake_->backend().LiveWorkspaceIds();
  EXPECT_THAT(live, ::testing::Contains(pm_b));
  EXPECT_THAT(live, ::testing::Contains(child_b[0]));
  EXPECT_THAT(IdsOf(run_a->output(), "cleanup_deleted"), ::testing::ElementsAre(child_a[0], pm_a));
  EXPECT_THAT(IdsOf(run_a->output(), "cleanup_failed"), IsEmpty());

  // B's run was not disturbed; its own cleanup deletes both of its workspaces, and, the last
  // run under it, the anchor.
  ASSERT_TRUE(run_b->Signal(SIGTERM));
  ASSERT_TRUE(run_b->WaitForExit(DefaultWait(), &status));
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << DescribeWaitStatus(status);
  EXPECT_THAT(IdsOf(run_b->output(), "cleanup_deleted"), ::testing::ElementsAre(child_b[0], pm_b));
  EXPECT_THAT(IdsOf(run_b->output(), "cleanup_failed"), IsEmpty());
  if (anchored) {
    const auto kept = EventsNamed(ParseEvents(run_a->output()), "anchor_released");
    const auto deleted = EventsNamed(ParseEvents(run_b->output()), "anchor_released");
    ASSERT_EQ(kept.size(), 1u) << run_a->output();
    ASSERT_EQ(deleted.size(), 1u) << run_b->output();
    EXPECT_EQ(kept[0].Str("workspace_id"), parent_a);
    EXPECT_EQ(kept[0].Str("outcome"), "kept") << "B's PM was under it";
    EXPECT_EQ(deleted[0].Str("workspace_id"), parent_a);
    EXPECT_EQ(deleted[0].Str("outcome"), "deleted");
  }
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), IsEmpty());
}

// The org's platform root (the fake's default on 2026-08; 2026-04 has none): both runs'
// PMs land under it as siblings, so each run's cleanup deletes everything it made and the
// org ends with no client workspace left, its platform root untouched.
TEST_P(JanitorProcessTest, TwoRunsUnderThePlatformRootEachDeleteAllTheirOwn) {
  TwoRuns runs;
  ASSERT_TRUE(StartTwoRuns(&runs));
  auto& [run_a, pm_a, run_b, pm_b] = runs;
  const auto placed_a = client_->GetWorkspace(pm_a);
  const auto placed_b = client_->GetWorkspace(pm_b);
  ASSERT_TRUE(placed_a.ok() && placed_b.ok()) << placed_a.error << placed_b.error;
  const std::string parent = placed_a.value->parent_id.value_or("<root>");
  EXPECT_EQ(placed_b.value->parent_id.value_or("<root>"), parent) << "siblings";
  if (GetParam() == PlatformVersion::k2026_08) {
    EXPECT_NE(parent, "<root>") << "under the platform root";
    EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), ::testing::Not(::testing::Contains(parent)))
        << "the platform root is not counted as a client's workspace";
  }

  for (Subprocess* run : {run_a.get(), run_b.get()}) {
    int status = 0;
    ASSERT_TRUE(run->Signal(SIGTERM));
    ASSERT_TRUE(run->WaitForExit(DefaultWait(), &status));
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << DescribeWaitStatus(status);
    const std::vector<std::string> child = IdsOf(run->output(), "child_provisioned");
    ASSERT_EQ(child.size(), 1u) << run->output();
    EXPECT_THAT(IdsOf(run->output(), "cleanup_deleted"),
                ::testing::ElementsAre(child[0], run == run_a.get() ? pm_a : pm_b));
    EXPECT_THAT(IdsOf(run->output(), "cleanup_failed"), IsEmpty());
  }
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), IsEmpty());
  if (GetParam() == PlatformVersion::k2026_08) {
    const auto root = client_->GetWorkspace(parent);
    ASSERT_TRUE(root.ok()) << root.error;
    EXPECT_EQ(root.value->status, "online") << "neither run touched the platform root";
  }
}

// //tools:measure against this test's fake, stderr merged into the output.
std::unique_ptr<Subprocess> LaunchMeasure(const std::string& platform_url) {
  std::string error;
  auto process =
      Subprocess::Spawn({"/bin/sh", "-c", "exec \"$0\" 2>&1", RunfilePath("tools/measure")},
                        EnvironmentWith(RunEnvironment(platform_url)), &error);
  if (!process) {
    ADD_FAILURE() << error;
  }
  return process;
}

// A create's 2xx body without a usable id, on a profile.
class UnusableCreateIdTest
    : public JanitorProcessFixture,
      public testing::WithParamInterface<std::tuple<PlatformVersion, const char*>> {
 protected:
  PlatformVersion Profile() const override { return std::get<0>(GetParam()); }
  const char* Body() const { return std::get<1>(GetParam()); }
};

TEST_P(UnusableCreateIdTest, IsARunFailureThatNamesWhatCameBackAndExitsThree) {
  // A 2xx create whose id cannot be used: the workspace may exist, and no id can delete it.
  ASSERT_TRUE(fake_->server().InjectFault("POST /workspaces", Fault::Status(201, Body()), 1));
  auto measure = LaunchMeasure(fake_->url());
  ASSERT_TRUE(measure);
  int status = 0;
  ASSERT_TRUE(measure->WaitForExit(DefaultWait(), &status));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 3) << DescribeWaitStatus(status) << "\n"
                                                             << measure->output();
  const auto events = ParseEvents(measure->output());
  const auto failed = EventsNamed(events, "cleanup_failed");
  ASSERT_EQ(failed.size(), 1u) << measure->output();
  EXPECT_TRUE(IsSuiteName(failed[0].Str("workspace_name"), SuiteRole::kPm))
      << failed[0].Str("workspace_name");
  EXPECT_THAT(failed[0].Str("error"), ::testing::HasSubstr(Body()));
  EXPECT_THAT(measure->output(), ::testing::HasSubstr("LEFT BEHIND: PM named '" +
                                                      failed[0].Str("workspace_name") + "'"));
  EXPECT_THAT(EventsNamed(events, "run_failed"), ::testing::SizeIs(1));
  EXPECT_THAT(EventsNamed(events, "pm_provisioned"), IsEmpty());
}

// 2xx create bodies without a usable id.
constexpr const char* kUnusableCreateBodies[] = {R"({"id": 4242})",  R"({"status":"provisioning"})",
                                                 R"({"id": null})",  R"({"id": ""})",
                                                 R"({"id": ["x"]})", "not json at all"};

INSTANTIATE_TEST_SUITE_P(Bodies, UnusableCreateIdTest,
                         testing::Combine(testing::ValuesIn(AllPlatformVersions()),
                                          testing::ValuesIn(kUnusableCreateBodies)),
                         [](const testing::TestParamInfo<UnusableCreateIdTest::ParamType>& info) {
                           return ProfileParamName({std::get<0>(info.param), info.index}) +
                                  "_Body" +
                                  std::to_string(info.index % std::size(kUnusableCreateBodies));
                         });

// No task_followed before the first cleanup event (the teardown's first delete), and at
// least one cleanup event.
testing::AssertionResult NoTaskEndBeforeTheTeardown(const std::vector<ParsedEvent>& events) {
  for (const ParsedEvent& e : events) {
    if (e.event.rfind("cleanup_", 0) == 0) {
      return testing::AssertionSuccess();
    }
    if (e.event == "task_followed") {
      return testing::AssertionFailure() << "task_followed before any cleanup event: " << e.line;
    }
  }
  return testing::AssertionFailure() << "no cleanup event";
}

// A signal during the A2A wait, on a profile.
class JanitorSignalTest : public JanitorProcessFixture,
                          public testing::WithParamInterface<std::tuple<PlatformVersion, int>> {
 protected:
  PlatformVersion Profile() const override { return std::get<0>(GetParam()); }
  int Signal() const { return std::get<1>(GetParam()); }
};

TEST_P(JanitorSignalTest, SignalDuringTheA2AWaitDeletesThenDiesOfIt) {
  std::unique_ptr<Subprocess> helper;
  std::string pm;
  ASSERT_TRUE(StartRunInItsA2AWait(&helper, &pm));
  ASSERT_TRUE(helper->Signal(Signal()));
  int status = 0;
  ASSERT_TRUE(helper->WaitForExit(DefaultWait(), &status));
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == Signal()) << DescribeWaitStatus(status);
  ExpectProvisionedPairDeleted(helper->output());
  // The task's end, not the call's answer: on 2026-08 the call answers queued after 90
  // platform seconds (90 ms wall here), which a loaded machine may let pass before the kill.
  // No task end before the teardown's first delete: the task was still running when the
  // signal came. The delete itself stops the task (the platform answers the held call with
  // the dead-container 503), so the dying run may still record that end after it.
  EXPECT_TRUE(NoTaskEndBeforeTheTeardown(ParseEvents(helper->output())))
      << "the helper was to be killed while the task was still running\n"
      << helper->output();
}

// Every catchable signal whose default action ends the process goes through the janitor:
// Bazel's timeout (SIGTERM), Ctrl-C (SIGINT), a closed terminal or dropped ssh (SIGHUP),
// Ctrl-\ (SIGQUIT), job-control and resource limits, timers, and a real-time signal.
INSTANTIATE_TEST_SUITE_P(Signals, JanitorSignalTest,
                         testing::Combine(testing::ValuesIn(AllPlatformVersions()),
                                          testing::Values(SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1,
                                                          SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF,
                                                          SIGXCPU, SIGXFSZ, SIGRTMIN + 2)),
                         [](const testing::TestParamInfo<JanitorSignalTest::ParamType>& info) {
                           const int signal = std::get<1>(info.param);
                           const char* name = sigabbrev_np(signal);
                           return ProfileParamName({std::get<0>(info.param), info.index}) + "_" +
                                  (name != nullptr ? name : "Unnamed") + std::to_string(signal);
                         });

// A second signal while the signal's cleanup hangs, on a profile: (first, second).
class JanitorSecondSignalTest
    : public JanitorProcessFixture,
      public testing::WithParamInterface<std::tuple<PlatformVersion, std::pair<int, int>>> {
 protected:
  PlatformVersion Profile() const override { return std::get<0>(GetParam()); }
  int First() const { return std::get<1>(GetParam()).first; }
  int Second() const { return std::get<1>(GetParam()).second; }
};

TEST_P(JanitorSecondSignalTest, NamesEveryWorkspaceNotYetDeletedThenDiesOfTheSecond) {
  // Every DELETE hangs, so the first signal's cleanup is stuck on the child's; the second
  // signal means "stop now": both workspaces are named once, and the process dies of it.
  merge_stderr_ = true;
  std::unique_ptr<Subprocess> helper;
  std::string pm;
  ASSERT_TRUE(StartRunInItsA2AWait(&helper, &pm));
  ASSERT_TRUE(fake_->server().InjectFault("DELETE /workspaces/{id}", Fault::Hang()));
  ASSERT_TRUE(helper->Signal(First()));
  ASSERT_TRUE(WaitForRequest(
      fake_->server(),
      Matching("a DELETE", [](const RecordedRequest& r) { return r.method == "DELETE"; }),
      DefaultWait()));
  ASSERT_TRUE(helper->Signal(Second()));
  int status = 0;
  ASSERT_TRUE(helper->WaitForExit(DefaultWait(), &status));
  const std::string& output = helper->output();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == Second())
      << DescribeWaitStatus(status) << "\n"
      << output;

  const std::vector<std::string> left = fake_->backend().LiveWorkspaceIds();
  ASSERT_EQ(left.size(), 2u) << output;
  EXPECT_THAT(left, ::testing::Contains(pm));
  const auto events = ParseEvents(output);
  EXPECT_THAT(EventsNamed(events, "cleanup_deleted"), IsEmpty()) << output;
  std::vector<std::string> named;
  for (const auto& e : EventsNamed(events, "cleanup_failed")) {
    named.push_back(e.Str("workspace_id"));
    EXPECT_THAT(e.Str("error"), ::testing::HasSubstr("second signal")) << output;
  }
  EXPECT_THAT(named, ::testing::UnorderedElementsAreArray(left)) << output;
  ExpectEachNamedOnceOnStderr(left, output);
  EXPECT_THAT(output, ::testing::HasSubstr("2 workspace(s) not confirmed deleted, named above"));
  DeleteLeftovers(left);
}

// Bazel's timeout twice, Ctrl-C twice, and a Ctrl-C during a timeout's cleanup.
INSTANTIATE_TEST_SUITE_P(
    SignalPairs, JanitorSecondSignalTest,
    testing::Combine(testing::ValuesIn(AllPlatformVersions()),
                     testing::Values(std::make_pair(SIGTERM, SIGTERM),
                                     std::make_pair(SIGINT, SIGINT),
                                     std::make_pair(SIGTERM, SIGINT))),
    [](const testing::TestParamInfo<JanitorSecondSignalTest::ParamType>& info) {
      // No comma outside parentheses here: it would split the macro's arguments.
      const auto& pair = std::get<1>(info.param);
      return ProfileParamName({std::get<0>(info.param), info.index}) + "_" +
             sigabbrev_np(pair.first) + "Then" + sigabbrev_np(pair.second);
    });

}  // namespace
}  // namespace taskbounds
