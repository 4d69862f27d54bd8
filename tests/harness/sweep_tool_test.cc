// //tools:sweep as a user runs it, against a scripted platform on loopback: it lists only
// this suite's workspaces, picks those old enough, deletes nothing without --apply, deletes
// children first and then parents (the janitor's ?confirm=true only over children it
// registered), and refuses bad configuration before any request. Against the embedded fake
// (both profiles): a run's workspaces mid-task are kept unless --include-busy, also when the
// platform says the PM is idle (the deadline in their names), and the hint measure prints
// after KEEP_WORKSPACES=1 deletes them as printed.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fixtures/run/run_tag.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/support/assertions.h"
#include "tests/support/platform_fixture.h"
#include "tests/support/scripted_http_server.h"
#include "tests/support/subprocess.h"
#include "tests/support/wait.h"
#include "tools/sweep.h"

namespace taskbounds {
namespace {

using ::testing::Contains;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;
using testing_support::ScriptedHttpServer;
using testing_support::ScriptedResponse;
using Clock = std::chrono::system_clock;

constexpr char kOldPm[] = "0b1e0000-0000-4000-8000-000000000001";
constexpr char kOldChild[] = "0b1e0000-0000-4000-8000-000000000002";
constexpr char kYoungPm[] = "0b1e0000-0000-4000-8000-000000000003";
constexpr char kLegacyPm[] = "0b1e0000-0000-4000-8000-000000000004";
constexpr char kForeign[] = "0b1e0000-0000-4000-8000-000000000005";
constexpr char kLegacyStopped[] = "0b1e0000-0000-4000-8000-000000000006";
// An id no platform makes: it would leave the path and reach the terminal.
constexpr char kHostileId[] = "../x?\\u001b[31m";

std::string Row(const std::string& id, const std::string& name, const std::string& parent,
                int uptime) {
  return R"({"id":")" + id + R"(","name":")" + name + R"(","status":"online","parent_id":)" +
         (parent.empty() ? "null" : "\"" + parent + "\"") + R"(,"uptime_seconds":)" +
         std::to_string(uptime) + "}";
}

// The list a platform with leftovers of two runs, a legacy run and a stranger answers.
std::string Listing() {
  const std::string old_tag = MakeRunTag(Clock::now() - std::chrono::hours(3), "0a1b2c");
  const std::string young_tag = MakeRunTag(Clock::now() - std::chrono::minutes(1), "3d4e5f");
  return "[" + Row(kOldPm, SuiteWorkspaceName(old_tag, SuiteRole::kPm), "", 0) + "," +
         Row(kOldChild, SuiteWorkspaceName(old_tag, SuiteRole::kResearcher), kOldPm, 0) + "," +
         Row(kYoungPm, SuiteWorkspaceName(young_tag, SuiteRole::kPm), "", 60) + "," +
         Row(kLegacyPm, "PM", "", 7200) + "," + Row(kForeign, "customer-prod-agent", "", 99999) +
         "," + Row(kLegacyStopped, "Researcher", "", 0) + "," + R"({"id":42,"name":"odd row"})" +
         "," + Row(kHostileId, SuiteWorkspaceName(old_tag, SuiteRole::kPm), "", 0) + "]";
}

// Runs the tool against `platform` to completion with `args`; stderr merged into `output`.
// Credentials and run switches are unset unless `env_changes` sets them.
testing::AssertionResult RunSweepAt(
    const std::string& platform, const std::vector<std::string>& args,
    const std::map<std::string, std::optional<std::string>>& env_changes, int* exit_code,
    std::string* output) {
  std::map<std::string, std::optional<std::string>> env = {{"PLATFORM", platform},
                                                           {"ADMIN_TOKEN", std::nullopt},
                                                           {"TENANT_ID", std::nullopt},
                                                           {"DRY_RUN", std::nullopt},
                                                           {"KEEP_WORKSPACES", std::nullopt}};
  for (const auto& [name, value] : env_changes) {
    env[name] = value;
  }
  std::vector<std::string> argv = {"/bin/sh", "-c", "exec \"$0\" \"$@\" 2>&1",
                                   RunfilePath("tools/sweep")};
  argv.insert(argv.end(), args.begin(), args.end());
  CompletedProcess run;
  testing::AssertionResult ran = RunToCompletion(argv, EnvironmentWith(env), DefaultWait(),
                                                 Subprocess::Stderr::kInherit, &run);
  *output = run.out;
  *exit_code = run.exit_code;
  return ran;
}

// Ids of the sweep_candidate events in `output` with selected == `selected`.
std::vector<std::string> Candidates(const std::string& output, bool selected) {
  std::vector<std::string> ids;
  for (const auto& e : EventsNamed(ParseEvents(output), "sweep_candidate")) {
    if (e.data && (*e.data)["selected"].GetBool() == selected) {
      ids.push_back(e.Str("workspace_id"));
    }
  }
  return ids;
}

class SweepToolTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start());
    ScriptedResponse list;
    list.body = Listing();
    server_.Script("GET", "/workspaces", list);
    for (const char* id : {kOldPm, kOldChild, kYoungPm, kLegacyPm, kForeign, kLegacyStopped}) {
      ScriptedResponse removed;
      removed.body = R"({"status":"removed","cascade_deleted":0})";
      server_.Script("DELETE", std::string("/workspaces/") + id, removed);
    }
  }

  // Runs the tool to completion with `args`; stderr merged into the output.
  testing::AssertionResult RunSweep(
      const std::vector<std::string>& args, int* exit_code,
      const std::map<std::string, std::optional<std::string>>& env_changes = {}) {
    return RunSweepAt(server_.base_url(), args, env_changes, exit_code, &output_);
  }

  std::vector<std::string> Deletes() const {
    std::vector<std::string> found;
    for (const auto& r : server_.requests()) {
      if (r.method == "DELETE") {
        found.push_back(r.target);
      }
    }
    return found;
  }

  // Ids of the sweep_candidate events with selected == `selected`.
  std::vector<std::string> Candidates(bool selected) const {
    return taskbounds::Candidates(output_, selected);
  }

  ScriptedHttpServer server_;
  std::string output_;
};

TEST_F(SweepToolTest, DryRunListsThisSuitesOldWorkspacesAndDeletesNothing) {
  int exit_code = -1;
  ASSERT_TRUE(RunSweep({"--older-than=1h"}, &exit_code));
  EXPECT_EQ(exit_code, 0) << output_;
  EXPECT_THAT(Candidates(true), ElementsAre(kOldPm, kOldChild)) << output_;
  EXPECT_THAT(Candidates(false), ElementsAre(kYoungPm, "../x?\x1b[31m")) << output_;
  EXPECT_THAT(output_, Not(HasSubstr(kForeign)));
  EXPECT_THAT(output_, Not(HasSubstr("\x1b")));
  EXPECT_THAT(output_, HasSubstr("would be deleted (dry run: re-run with --apply)"));
  EXPECT_THAT(Deletes(), IsEmpty());
}

TEST_F(SweepToolTest, ApplyDeletesChildrenFirstThenParents) {
  int exit_code = -1;
  ASSERT_TRUE(RunSweep({"--older-than=1h", "--apply"}, &exit_code));
  EXPECT_EQ(exit_code, 0) << output_;
  // The PM's child is gone first: no cascade (?confirm=true) is needed, nor sent.
  EXPECT_THAT(Deletes(), ElementsAre(std::string("/workspaces/") + kOldChild,
                                     std::string("/workspaces/") + kOldPm));
  const auto deleted = EventsNamed(ParseEvents(output_), "cleanup_deleted");
  ASSERT_EQ(deleted.size(), 2u) << output_;
}

TEST_F(SweepToolTest, LegacyNamesOnlyWhenAskedAndOnlyWithAKnownAge) {
  int exit_code = -1;
  ASSERT_TRUE(RunSweep({"--older-than=1h", "--legacy-names", "--apply"}, &exit_code));
  EXPECT_EQ(exit_code, 0) << output_;
  EXPECT_THAT(Candidates(true), ElementsAre(kOldPm, kOldChild, kLegacyPm)) << output_;
  EXPECT_THAT(Candidates(false), ElementsAre(kYoungPm, kLegacyStopped, "../x?\x1b[31m")) << output_;
  EXPECT_EQ(Deletes().size(), 3u) << output_;
  for (const std::string& target : Deletes()) {
    EXPECT_THAT(target, Not(HasSubstr(kLegacyStopped)));
    EXPECT_THAT(target, Not(HasSubstr(kForeign)));
  }
}

TEST_F(SweepToolTest, AFailedDeleteIsNamedAndExitsThree) {
  ScriptedResponse refused;
  refused.status = 403;
  refused.body = R"({"error":"forbidden"})";
  server_.Script("DELETE", std::string("/workspaces/") + kOldChild, refused);
  int exit_code = -1;
  ASSERT_TRUE(RunSweep({"--older-than=1h", "--apply"}, &exit_code));
  EXPECT_EQ(exit_code, 3) << output_;
  const auto failed = EventsNamed(ParseEvents(output_), "cleanup_failed");
  ASSERT_EQ(failed.size(), 1u) << output_;
  EXPECT_EQ(failed[0].Str("workspace_id"), kOldChild);
  EXPECT_THAT(output_, HasSubstr(std::string("LEFT BEHIND: child ") + kOldChild));
}

TEST_F(SweepToolTest, NonLocalPlatformWithoutCredentialsIsRefusedBeforeAnyRequest) {
  int exit_code = -1;
  ASSERT_TRUE(RunSweep({"--apply"}, &exit_code, {{"PLATFORM", "https://staging.invalid"}}));
  EXPECT_EQ(exit_code, 2) << output_;
  EXPECT_THAT(output_, HasSubstr("set both ADMIN_TOKEN and TENANT_ID"));
}

TEST_F(SweepToolTest, BadArgumentsAndAMissingPlatformExitTwo) {
  int exit_code = -1;
  ASSERT_TRUE(RunSweep({"--older-than=soon"}, &exit_code));
  EXPECT_EQ(exit_code, 2) << output_;
  ASSERT_TRUE(RunSweep({}, &exit_code, {{"PLATFORM", std::nullopt}}));
  EXPECT_EQ(exit_code, 2) << output_;
  EXPECT_THAT(output_, HasSubstr("set PLATFORM to the platform to sweep, e.g. PLATFORM=https://"));
  ASSERT_TRUE(RunSweep({"--apply"}, &exit_code, {{"DRY_RUN", "1"}}));
  EXPECT_EQ(exit_code, 2) << output_;
  ASSERT_TRUE(RunSweep({}, &exit_code, {{"FAKE_PLATFORM_VERSION", "2026-13"}}));
  EXPECT_EQ(exit_code, 2) << output_;  // checked like FAKE_SCENARIO, before any request
  EXPECT_THAT(output_, HasSubstr("sweep: FAKE_PLATFORM_VERSION=\"2026-13\" is not one of"));
  EXPECT_TRUE(server_.requests().empty());
}

// A sweep sends no secret: the run's secret variables, even half set, do not stop it.
TEST_F(SweepToolTest, SecretVariablesAreNoneOfTheSweepsBusiness) {
  int exit_code = -1;
  ASSERT_TRUE(RunSweep({}, &exit_code, {{"SECRET_VALUE", "sk-unused"}, {"SECRET_NAME", {}}}));
  EXPECT_EQ(exit_code, 0) << output_;
  ASSERT_TRUE(RunSweep({}, &exit_code, {{"SECRET_NAME", "UNSET_VAR"}, {"SECRET_VALUE", {}}}));
  EXPECT_EQ(exit_code, 0) << output_;
}

// A bad argument is named in the one error line (then the usage), before any request.
TEST_F(SweepToolTest, ABadArgumentIsNamedAndExitsTwo) {
  int exit_code = -1;
  ASSERT_TRUE(RunSweep({"--bogus"}, &exit_code));
  EXPECT_EQ(exit_code, 2) << output_;
  EXPECT_THAT(output_, StartsWith("sweep: unknown argument \"--bogus\" (see --help)\n"));
  ASSERT_TRUE(RunSweep({"--older-than=99999999999d"}, &exit_code));
  EXPECT_EQ(exit_code, 2) << output_;
  EXPECT_THAT(output_, StartsWith("sweep: --older-than=\"99999999999d\" is not an age like 90s, "
                                  "30m, 2h, 7d or seconds, up to 3650d\n"));
  ASSERT_TRUE(RunSweep({"--run-tag=taskbounds-20261130t071500z-a1b2c3-pm"}, &exit_code));
  EXPECT_EQ(exit_code, 2) << output_;
  EXPECT_THAT(output_, StartsWith("sweep: --run-tag=\"taskbounds-20261130t071500z-a1b2c3-pm\" "
                                  "is not a run tag like 20261130t071500z-a1b2c3 (what follows "
                                  "taskbounds- in a workspace's name)\n"));
  ASSERT_TRUE(RunSweep({"--run-tag=20261130t071500z-a1b2c3", "--older-than=0"}, &exit_code));
  EXPECT_EQ(exit_code, 2) << output_;
  EXPECT_THAT(output_, StartsWith("sweep: --run-tag takes one run's workspaces whatever their "
                                  "age: drop --older-than, or --run-tag\n"));
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(SweepToolTest, AnUnreadableListFailsClearlyWithoutDeleting) {
  for (const std::string& body : {std::string("404 page not found"), std::string(100000, '[')}) {
    ScriptedResponse list;
    list.status = body[0] == '4' ? 404 : 200;
    list.content_type = "text/plain";
    list.body = body;
    server_.Script("GET", "/workspaces", list);
    int exit_code = -1;
    ASSERT_TRUE(RunSweep({"--apply", "--older-than=0"}, &exit_code));
    EXPECT_EQ(exit_code, 1) << output_;
    EXPECT_THAT(output_, HasSubstr("GET /workspaces"));
  }
  EXPECT_THAT(Deletes(), IsEmpty());
}

// A run's workspaces mid-task, on the embedded fake of each profile: a sweep that takes
// every age keeps the busy PM and its child (a run longer than --older-than is still using
// them) and says why, still deletes an idle leftover, and --include-busy deletes them too.
class SweepBusyTest : public testing::TestWithParam<PlatformVersion> {
 protected:
  void SetUp() override {
    // 0.01: a depth-64 task lasts about 35 wall seconds, far longer than the test.
    fake_ = StartHarnessFake(HarnessOptions(GetParam(), 0.01));
    ASSERT_NE(fake_, nullptr);
    client_ = std::make_unique<PlatformClient>(ClientFor(*fake_, kHarnessAdminToken));
    const std::string tag = MakeRunTag(Clock::now() - std::chrono::minutes(5), "b0550e");
    ASSERT_TRUE(CreateSuiteWorkspace(SuiteWorkspaceName(tag, SuiteRole::kPm), &pm_));
    ASSERT_TRUE(CreateSuiteWorkspace(SuiteWorkspaceName(tag, SuiteRole::kResearcher), &child_));
    ASSERT_TRUE(client_->PatchParent(child_, pm_).ok());
    const std::string idle_tag = MakeRunTag(Clock::now() - std::chrono::hours(3), "1d1e00");
    ASSERT_TRUE(CreateSuiteWorkspace(SuiteWorkspaceName(idle_tag, SuiteRole::kPm), &idle_));
    ASSERT_TRUE(WaitForStatus(*client_, pm_, "online", DefaultWait()));
    kickoff_ = std::thread([this] {
      PlatformClient caller(ClientFor(*fake_, kHarnessAdminToken));
      const std::string body =
          R"({"jsonrpc":"2.0","id":"k1","method":"message/send","params":{"message":{"role":"user","messageId":"busy-1","parts":[{"kind":"text","text":")" +
          KickoffText(64) + R"("}]}}})";
      (void)caller.Send("POST", "/workspaces/" + pm_ + "/a2a", body, DefaultWaitMs());
    });
  }
  void TearDown() override {
    if (fake_) {
      fake_->Stop();  // wakes the held kickoff
    }
    if (kickoff_.joinable()) {
      kickoff_.join();
    }
  }

  testing::AssertionResult CreateSuiteWorkspace(const std::string& name, std::string* id) {
    const auto created =
        client_->CreateWorkspace({name, "Coordinator", 2, kTemplateOnEveryProfile});
    if (!created.ok()) {
      return testing::AssertionFailure() << "create " << name << ": " << created.error;
    }
    *id = created.value->id;
    return testing::AssertionSuccess();
  }

  // The workspace's status; 2026-08 shows a tombstone only with include_removed (2026-04
  // shows it always and ignores the query).
  std::string StatusOf(const std::string& id) {
    rapidjson::Document doc;
    doc.Parse(client_->Send("GET", "/workspaces/" + id + "?include_removed=true", "").body.c_str());
    return doc.IsObject() && doc.HasMember("status") && doc["status"].IsString()
               ? doc["status"].GetString()
               : "";
  }

  std::int64_t ActiveTasksOf(const std::string& id) {
    rapidjson::Document doc;
    doc.Parse(client_->Send("GET", "/workspaces/" + id, "").body.c_str());
    return doc.IsObject() && doc.HasMember("active_tasks") && doc["active_tasks"].IsInt64()
               ? doc["active_tasks"].GetInt64()
               : 0;
  }

  testing::AssertionResult Sweep(const std::vector<std::string>& args, int* exit_code) {
    return RunSweepAt(fake_->url(), args, {{"ADMIN_TOKEN", kHarnessAdminToken}}, exit_code,
                      &output_);
  }

  std::unique_ptr<EmbeddedFakePlatform> fake_;
  std::unique_ptr<PlatformClient> client_;
  std::thread kickoff_;
  std::string pm_, child_, idle_;
  std::string output_;
};

TEST_P(SweepBusyTest, AWorkspaceMidTaskIsKeptUnlessIncludeBusy) {
  ASSERT_TRUE(Eventually([this] { return ActiveTasksOf(pm_) > 0; }, DefaultWait(),
                         "the PM's task to start"));
  int exit_code = -1;
  ASSERT_TRUE(Sweep({"--older-than=0", "--apply"}, &exit_code));
  EXPECT_EQ(exit_code, 0) << output_;
  EXPECT_THAT(Candidates(output_, true), ElementsAre(idle_)) << output_;
  EXPECT_THAT(Candidates(output_, false), testing::UnorderedElementsAre(pm_, child_)) << output_;
  EXPECT_THAT(output_, HasSubstr("sweep: keeping " + pm_ + " (busy: active_tasks "));
  EXPECT_THAT(output_, HasSubstr(" \u2014 a run may still be using it; --include-busy deletes it "
                                 "anyway)"));
  EXPECT_EQ(StatusOf(pm_), "online");
  EXPECT_NE(StatusOf(child_), "removed");
  EXPECT_EQ(StatusOf(idle_), "removed");

  ASSERT_TRUE(Sweep({"--older-than=0", "--apply", "--include-busy"}, &exit_code));
  EXPECT_EQ(exit_code, 0) << output_;
  EXPECT_THAT(Candidates(output_, true), testing::UnorderedElementsAre(pm_, child_)) << output_;
  EXPECT_EQ(StatusOf(pm_), "removed");
  EXPECT_EQ(StatusOf(child_), "removed");
}

INSTANTIATE_TEST_SUITE_P(Profiles, SweepBusyTest, testing::ValuesIn(AllPlatformVersions()),
                         ProfileParamName);

// The variables of a //tools:measure run against a fake at `platform_url` (kHarnessAdminToken,
// a template every profile maintains, no secret), and nothing else of this process's.
std::map<std::string, std::optional<std::string>> MeasureEnvironment(
    const std::string& platform_url) {
  std::map<std::string, std::optional<std::string>> env = {
      {"PLATFORM", platform_url},
      {"ADMIN_TOKEN", kHarnessAdminToken},
      {"PM_TEMPLATE", kTemplateOnEveryProfile},
      {"CHILD_TEMPLATE", kTemplateOnEveryProfile},
  };
  for (const char* name : {"TENANT_ID",
                           "OPENROUTER_API_KEY",
                           "OPENAI_API_KEY",
                           "SECRET_NAME",
                           "SECRET_VALUE",
                           "MODEL",
                           "VARIANTS",
                           "SYNTHESIS_DEPTHS",
                           "REPEAT",
                           "A2A_TIMEOUT",
                           "WAIT_ONLINE_SECS",
                           "DRY_RUN",
                           "KEEP_WORKSPACES",
                           "FAKE_SCENARIO",
                           "FAKE_PLATFORM_VERSION",
                           "RESULTS_DIR",
                           "MODE",
                           "ORG_ID",
                           "ORG_SLUG",
                           "TENANT_ADMIN_TOKEN",
                           "CP_ADMIN_API_TOKEN",
                           "CP_API_URL"}) {
    env[name] = std::nullopt;
  }
  return env;
}

// The id in the first `event` of `output`'s events ("workspace_id"); "" when none.
std::string IdOfEvent(const std::string& output, const std::string& event) {
  const auto found = EventsNamed(ParseEvents(output), event);
  return found.empty() ? "" : found[0].Str("workspace_id");
}

// Issue 19 item 4, reproduced: a measurement runs (//tools:measure, a subprocess) against a
// fake whose phantom-busy sweeper zeroes the PM's active_tasks during its quiet task (the
// simulated agent sends no heartbeat). A sweep that takes every age must keep both of the
// run's workspaces until the run's own deadline, which the run wrote into their names, and say
// so; --include-busy still deletes them. It once deleted both: active_tasks was its only sign.
class SweepRunningRunTest : public testing::TestWithParam<PlatformVersion> {
 protected:
  void SetUp() override {
    // 0.01: the depth-64 task lasts about 35 wall seconds, beyond the test, which ends the
    // run with SIGTERM. The sweeper ticks every 5 wall seconds (the run's task starts well
    // before its first tick); a PM without a row for half a second is reset.
    FakePlatformOptions options = HarnessOptions(GetParam(), 0.01);
    options.phantom_busy_reset = true;
    options.durations.phantom_busy_interval_secs = 500;
    options.durations.phantom_busy_quiet_secs = 50;
    options.durations.heartbeat_interval_secs = 0;  // a quiet agent: nothing restores it
    fake_ = StartHarnessFake(options);
    ASSERT_NE(fake_, nullptr);
    client_ = std::make_unique<PlatformClient>(ClientFor(*fake_, kHarnessAdminToken));
    auto env = MeasureEnvironment(fake_->url());
    env["TIME_SCALE"] = "0.01";
    env["SYNTHESIS_DEPTH"] = "64";
    env["A2A_TIMEOUT"] = "3600";
    std::string error;
    measure_ = Subprocess::Spawn({RunfilePath("tools/measure")}, EnvironmentWith(env), &error,
                                 Subprocess::Stderr::kCapture);
    ASSERT_NE(measure_, nullptr) << error;
    ASSERT_TRUE(measure_->WaitForLine(
        [](const std::string& line) { return line.find("\"a2a_kickoff_sent\"") != line.npos; },
        DefaultWait()))
        << measure_->output() << measure_->error_output();
    pm_ = IdOfEvent(measure_->output(), "pm_provisioned");
    child_ = IdOfEvent(measure_->output(), "child_provisioned");
    ASSERT_FALSE(pm_.empty() || child_.empty()) << measure_->output();
  }
  void TearDown() override {
    if (measure_) {
      // The run's own teardown on a signal deletes whatever is left of its workspaces.
      int status = 0;
      EXPECT_TRUE(measure_->Signal(SIGTERM));
      EXPECT_TRUE(measure_->WaitForExit(2 * DefaultWait(), &status)) << measure_->error_output();
    }
    if (fake_) {
      EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), IsEmpty());
      fake_->Stop();
    }
  }

  // The PM's active_tasks as the list shows it; -1 when it is not listed.
  std::int64_t ListedActiveTasksOfPm() {
    std::vector<ListedWorkspace> listed;
    int skipped = 0;
    std::string error;
    if (!ParseWorkspaceList(client_->Send("GET", "/workspaces", "").body, &listed, &skipped,
                            &error)) {
      return -1;
    }
    for (const ListedWorkspace& ws : listed) {
      if (ws.id == pm_) {
        return ws.active_tasks;
      }
    }
    return -1;
  }

  std::string StatusOf(const std::string& id) {
    return fake_->backend().StatusOf(id).value_or("(unknown)");
  }

  testing::AssertionResult Sweep(const std::vector<std::string>& args, int* exit_code) {
    return RunSweepAt(fake_->url(), args, {{"ADMIN_TOKEN", kHarnessAdminToken}}, exit_code,
                      &output_);
  }

  std::unique_ptr<EmbeddedFakePlatform> fake_;
  std::unique_ptr<PlatformClient> client_;
  std::unique_ptr<Subprocess> measure_;
  std::string pm_, child_;
  std::string output_;
};

TEST_P(SweepRunningRunTest, APmReadingIdleMidTaskIsKeptUntilTheRunsDeadline) {
  ASSERT_TRUE(Eventually([this] { return ListedActiveTasksOfPm() == 1; }, DefaultWait(),
                         "the PM's task to start, before the sweeper's first tick"));
  ASSERT_TRUE(Eventually([this] { return ListedActiveTasksOfPm() == 0; }, DefaultWait(),
                         "the phantom-busy reset of the running PM's active_tasks"));
  int exit_code = -1;
  ASSERT_TRUE(Sweep({"--older-than=0", "--apply"}, &exit_code));
  EXPECT_EQ(exit_code, 0) << output_;
  EXPECT_THAT(Candidates(output_, true), IsEmpty()) << output_;
  EXPECT_THAT(Candidates(output_, false), testing::UnorderedElementsAre(pm_, child_)) << output_;
  for (const auto& e : EventsNamed(ParseEvents(output_), "sweep_candidate")) {
    EXPECT_THAT(e.Str("reason"), StartsWith("in use by a run until 20")) << e.line;
    EXPECT_THAT(e.Str("reason"), HasSubstr("--include-busy deletes it anyway")) << e.line;
    EXPECT_THAT(e.Str("in_use_until"), testing::MatchesRegex("20[0-9-]+T[0-9:]+Z")) << e.line;
  }
  EXPECT_THAT(output_, HasSubstr("sweep: keeping " + pm_ + " (in use by a run until "));
  EXPECT_THAT(output_, HasSubstr("sweep: keeping " + child_ + " (in use by a run until "));
  EXPECT_EQ(StatusOf(pm_), "online");
  EXPECT_EQ(StatusOf(child_), "online");
  EXPECT_EQ(ListedActiveTasksOfPm(), 0) << "still idle by the platform's word: no second signal";

  ASSERT_TRUE(Sweep({"--older-than=0", "--apply", "--include-busy"}, &exit_code));
  EXPECT_EQ(exit_code, 0) << output_;
  EXPECT_THAT(Candidates(output_, true), testing::UnorderedElementsAre(pm_, child_)) << output_;
  EXPECT_EQ(StatusOf(pm_), "removed");
  EXPECT_EQ(StatusOf(child_), "removed");
}

INSTANTIATE_TEST_SUITE_P(Profiles, SweepRunningRunTest, testing::ValuesIn(AllPlatformVersions()),
                         ProfileParamName);

// After KEEP_WORKSPACES=1, measure names the command that deletes the kept workspaces; run as
// printed (bazel run replaced by the binary it runs), it deletes both, on each profile. It
// once said "with //tools:sweep --apply", which found them "too young" and deleted nothing.
class KeptWorkspacesHintTest : public testing::TestWithParam<PlatformVersion> {};

TEST_P(KeptWorkspacesHintTest, TheHintDeletesThemAsPrinted) {
  auto fake = StartHarnessFake(HarnessOptions(GetParam(), 0.001));
  ASSERT_NE(fake, nullptr);
  auto env = MeasureEnvironment(fake->url());
  env["KEEP_WORKSPACES"] = "1";
  env["TIME_SCALE"] = "0.001";
  CompletedProcess run;
  ASSERT_TRUE(
      RunToCompletion({"/bin/sh", "-c", "exec \"$0\" \"$@\" 2>&1", RunfilePath("tools/measure")},
                      EnvironmentWith(env), DefaultWait(), Subprocess::Stderr::kInherit, &run));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  ASSERT_EQ(fake->backend().LiveWorkspaceIds().size(), 2u) << run.out;
  // "Cleanup: skipped (KEEP_WORKSPACES=1): delete them with PLATFORM=<url> bazel run
  // //tools:sweep -- <args>" and more words after the command.
  const std::string prefix = "PLATFORM=" + fake->url() + " bazel run //tools:sweep -- ";
  const std::size_t at = run.out.find(prefix);
  ASSERT_NE(at, std::string::npos) << "no sweep command with PLATFORM in:\n" << run.out;
  const std::size_t args_at = at + prefix.size();
  const std::string line = run.out.substr(args_at, run.out.find('\n', args_at) - args_at);
  std::vector<std::string> args;
  for (std::size_t pos = 0; pos < line.size();) {
    const std::size_t end = std::min(line.find(' ', pos), line.size());
    const std::string word = line.substr(pos, end - pos);
    if (word.rfind("--", 0) != 0) {
      break;  // the command ends where the prose resumes
    }
    args.push_back(word);
    pos = end + 1;
  }
  ASSERT_FALSE(args.empty()) << line;
  EXPECT_EQ(args.back(), "--apply") << line;
  int exit_code = -1;
  std::string output;
  ASSERT_TRUE(
      RunSweepAt(fake->url(), args, {{"ADMIN_TOKEN", kHarnessAdminToken}}, &exit_code, &output));
  EXPECT_EQ(exit_code, 0) << output;
  EXPECT_THAT(output, HasSubstr("2 selected, 2 deleted")) << output;
  EXPECT_THAT(fake->backend().LiveWorkspaceIds(), IsEmpty()) << output;
  fake->Stop();
}

INSTANTIATE_TEST_SUITE_P(Profiles, KeptWorkspacesHintTest, testing::ValuesIn(AllPlatformVersions()),
                         ProfileParamName);

// The list is the sweep's first admin request: its refusal of the credentials or the org is a
// configuration error (exit 2) in one line naming the variable, as //tools:measure says it;
// the token itself is never printed. Nothing is deleted.
TEST_F(SweepToolTest, ARefusedListNamesTheVariableAndExitsTwo) {
  struct Case {
    int status;
    std::string body;
    std::map<std::string, std::optional<std::string>> env;
    std::string says;
  };
  const std::vector<Case> cases = {
      {401,
       R"({"error":"admin auth required"})",
       {},
       "sweep: GET /workspaces on " + server_.base_url() +
           " refused: HTTP 401 (admin auth required): ADMIN_TOKEN is unset and the platform's "
           "admin routes need it: set ADMIN_TOKEN to the platform's admin token\n"},
      {403,
       R"({"error":"invalid admin token"})",
       {{"ADMIN_TOKEN", "wrong-token-abcd"}},
       "refused: HTTP 403 (invalid admin token): the platform refused the ADMIN_TOKEN bearer: set "
       "ADMIN_TOKEN to the platform's admin token\n"},
      {404,
       "",
       {},
       "refused: HTTP 404 with an empty body (the tenant guard): TENANT_ID is unset and the "
       "platform is tenant-scoped: set TENANT_ID to the platform's org id\n"},
      {400,
       R"({"error":"org header required","code":"TENANT_ORG_HEADER_REQUIRED"})",
       {},
       "refused: HTTP 400 TENANT_ORG_HEADER_REQUIRED: the platform requires an org: set "
       "TENANT_ID\n"},
  };
  for (const Case& c : cases) {
    ScriptedResponse refusal;
    refusal.status = c.status;
    refusal.body = c.body;
    server_.Script("GET", "/workspaces", refusal);
    int exit_code = -1;
    ASSERT_TRUE(RunSweep({"--apply", "--older-than=0"}, &exit_code, c.env));
    EXPECT_EQ(exit_code, 2) << output_;
    EXPECT_THAT(output_, testing::EndsWith(c.says));
    EXPECT_EQ(std::count(output_.begin(), output_.end(), '\n'), 1) << output_;
    EXPECT_THAT(output_, Not(HasSubstr("wrong-token")));
  }
  EXPECT_THAT(Deletes(), IsEmpty());
}

// A PM whose 409 lists a child the sweep did not select is kept (no cascade over it), and the
// LEFT BEHIND line says what to do, not "re-run this sweep" nor anything about a run: wait for
// the owner to delete what sits under it, or delete it by hand accepting the cascade, with
// the credentials named.
TEST_F(SweepToolTest, AParentWithAForeignChildSaysWhatToDoInsteadOfRerunningTheSweep) {
  ScriptedResponse conflict;
  conflict.status = 409;
  conflict.body = std::string(R"({"error":"workspace has children","children":[{"id":")") +
                  kForeign + R"("}]})";
  server_.Script("DELETE", std::string("/workspaces/") + kOldPm, conflict);
  int exit_code = -1;
  ASSERT_TRUE(RunSweep({"--older-than=1h", "--apply"}, &exit_code));
  EXPECT_EQ(exit_code, 3) << output_;
  // The janitor tries the PM again as it goes away; never with the cascade.
  EXPECT_THAT(Deletes(), Contains(std::string("/workspaces/") + kOldPm));
  EXPECT_THAT(Deletes(), Each(Not(HasSubstr("confirm=true"))));
  EXPECT_THAT(output_, HasSubstr(std::string("janitor: LEFT BEHIND: PM ") + kOldPm +
                                 " (1 workspace(s) this sweep did not select sit under it (" +
                                 kForeign + "): not deleted with ?confirm=true"));
  EXPECT_THAT(output_, HasSubstr("wait until the workspaces under it are deleted by whoever made "
                                 "them, then re-run the sweep"));
  EXPECT_THAT(output_, HasSubstr("or delete it by hand: DELETE /workspaces/<id>?confirm=true"));
  EXPECT_THAT(output_, HasSubstr("ADMIN_TOKEN"));
  EXPECT_THAT(output_, HasSubstr("accepting that the cascade deletes every workspace under it"));
  EXPECT_THAT(output_, Not(HasSubstr("this run")));
  EXPECT_THAT(output_, Not(HasSubstr("bazel run //tools:sweep")));
}

TEST(RunTagTest, NamesRoundTripAndStrangersAreNotOurs) {
  const auto at = Clock::from_time_t(1796022900);  // 2026-11-30 07:15:00 UTC
  const std::string tag = MakeRunTag(at, "a1b2c3");
  EXPECT_EQ(tag, "20261130t071500z-a1b2c3");
  const auto parsed = ParseSuiteWorkspaceName(SuiteWorkspaceName(tag, SuiteRole::kResearcher));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->run_tag, tag);
  EXPECT_EQ(parsed->role, SuiteRole::kResearcher);
  EXPECT_TRUE(parsed->created == at);
  for (const char* stranger :
       {"PM", "taskbounds-", "taskbounds-x-pm", "taskbounds-20261130t071500z-pm",
        "taskbounds-20261130t071500z-A1B2-pm", "taskbounds-20261399t071500z-a1-pm",
        "taskbounds-20261130t071500z-a1-boss", "my-taskbounds-20261130t071500z-a1-pm"}) {
    EXPECT_FALSE(ParseSuiteWorkspaceName(stranger).has_value()) << stranger;
  }
  const std::string fresh = NewRunTag();
  EXPECT_TRUE(ParseSuiteWorkspaceName(SuiteWorkspaceName(fresh, SuiteRole::kPm)).has_value())
      << fresh;
  EXPECT_FALSE(parsed->in_use_until.has_value()) << "an older name has no deadline";
}

// A run writes its deadline into the name (rounded up to the second); the name stays within
// the platform's rules (at most 255 bytes, none of {}[]|>*&!: lowercase, digits and '-'), the
// run tag is the same as without it, and a deadline that is no stamp or precedes the run's
// start makes the name a stranger's.
TEST(RunTagTest, TheDeadlineRoundTripsAndKeepsTheNameValid) {
  const auto at = Clock::from_time_t(1796022900);  // 2026-11-30 07:15:00 UTC
  const std::string tag = MakeRunTag(at, "a1b2c3");
  const auto until = at + std::chrono::minutes(22) + std::chrono::milliseconds(1);
  const std::string name = SuiteWorkspaceName(tag, SuiteRole::kResearcher, until);
  EXPECT_EQ(name, "taskbounds-20261130t071500z-a1b2c3-until-20261130t073701z-researcher");
  EXPECT_LE(name.size(), 255u);
  EXPECT_EQ(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-"), std::string::npos);
  const auto parsed = ParseSuiteWorkspaceName(name);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->run_tag, tag);
  EXPECT_EQ(parsed->role, SuiteRole::kResearcher);
  EXPECT_TRUE(parsed->created == at);
  ASSERT_TRUE(parsed->in_use_until.has_value());
  EXPECT_EQ(FormatUtcSecond(*parsed->in_use_until), "2026-11-30T07:37:01Z");
  EXPECT_TRUE(IsRunTag(tag));
  for (const char* stranger : {"taskbounds-20261130t071500z-a1b2c3-until-pm",
                               "taskbounds-20261130t071500z-a1b2c3-until-20261130t0715-pm",
                               "taskbounds-20261130t071500z-a1b2c3-until-20261130t071459z-pm",
                               "taskbounds-20261130t071500z-until-20261130t073700z-pm"}) {
    EXPECT_FALSE(ParseSuiteWorkspaceName(stranger).has_value()) << stranger;
  }
  for (const char* not_a_tag : {"", "20261130t071500z", "20261130t071500z-A1", "x-a1",
                                "20261130t071500z-a1b2c3-until-20261130t073700z"}) {
    EXPECT_FALSE(IsRunTag(not_a_tag)) << not_a_tag;
  }
}

TEST(SweepAgeTest, ParsesUnitsAndRejectsTheRest) {
  EXPECT_EQ(ParseAge("90s"), 90);
  EXPECT_EQ(ParseAge("30m"), 1800);
  EXPECT_EQ(ParseAge("2h"), 7200);
  EXPECT_EQ(ParseAge("7d"), 7 * 86400);
  EXPECT_EQ(ParseAge("0"), 0);
  EXPECT_EQ(ParseAge("3650d"), 3650 * 86400);
  for (const char* bad : {"", "h", "-1h", "2w", "inf", "nan", "2hh", "3651d", "99999999999d"}) {
    EXPECT_FALSE(ParseAge(bad).has_value()) << bad;
  }
}

// The org's platform agent (2026-08's kind='platform' root) is never a candidate, even
// under a name the sweep would otherwise pick, at any age, with legacy names on; the same
// rows without that kind are.
TEST(SweepSelectTest, ThePlatformRootIsNeverACandidateWhateverItsName) {
  const std::string old_tag = MakeRunTag(Clock::now() - std::chrono::hours(3), "0a1b2c");
  const std::string suite_pm = SuiteWorkspaceName(old_tag, SuiteRole::kPm);
  for (const std::string& kind : {std::string("platform"), std::string("workspace")}) {
    const std::string body = R"([{"id":")" + std::string(kOldPm) + R"(","name":")" + suite_pm +
                             R"(","kind":")" + kind + R"(","parent_id":null},{"id":")" + kLegacyPm +
                             R"(","name":"PM","kind":")" + kind + R"(","uptime_seconds":7200}])";
    std::vector<ListedWorkspace> listed;
    int skipped = 0;
    std::string error;
    ASSERT_TRUE(ParseWorkspaceList(body, &listed, &skipped, &error)) << error;
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_EQ(listed[0].kind, kind);
    SweepOptions options;
    options.older_than_secs = 0;
    options.legacy_names = true;
    const std::vector<SweepCandidate> found = SelectLeftovers(listed, options, Clock::now());
    if (kind == "platform") {
      EXPECT_THAT(found, IsEmpty()) << "neither row is a candidate";
    } else {
      ASSERT_EQ(found.size(), 2u);
      EXPECT_TRUE(found[0].selected && found[1].selected) << found[0].reason;
    }
  }
}

// A name's deadline after now keeps the workspace whatever its age and --older-than, even at
// active_tasks 0 (the phantom-busy reset; a run longer than --older-than), with the reason
// "in use by a run until <time>"; --include-busy takes it anyway and says so. Once the deadline
// has passed, the age and active_tasks rules apply as to a name without one.
TEST(SweepSelectTest, ANameWithADeadlineAheadIsKeptUntilThen) {
  const auto now = Clock::now();
  const std::string tag = MakeRunTag(now - std::chrono::hours(3), "0a1b2c");
  const auto ahead = now + std::chrono::hours(20);
  const std::vector<ListedWorkspace> listed = {
      {kOldPm, SuiteWorkspaceName(tag, SuiteRole::kPm, ahead), "online", "", 0, "", 0},
      {kOldChild, SuiteWorkspaceName(tag, SuiteRole::kResearcher, ahead), "online", kOldPm, 0, "",
       0}};
  for (const double older_than : {0.0, 7200.0}) {
    SweepOptions options;
    options.older_than_secs = older_than;
    const std::vector<SweepCandidate> found = SelectLeftovers(listed, options, now);
    ASSERT_EQ(found.size(), 2u);
    for (const SweepCandidate& c : found) {
      EXPECT_FALSE(c.selected) << c.reason;
      EXPECT_EQ(c.reason, "in use by a run until " + FormatUtcSecond(*c.in_use_until) +
                              " (the deadline its run wrote into its name) \u2014 "
                              "--include-busy deletes it anyway");
      EXPECT_GE(*c.in_use_until, ahead - std::chrono::seconds(1));
    }
    options.include_busy = true;
    for (const SweepCandidate& c : SelectLeftovers(listed, options, now)) {
      EXPECT_TRUE(c.selected) << c.reason;
      EXPECT_THAT(c.reason, HasSubstr("(in use by a run until " + FormatUtcSecond(*c.in_use_until) +
                                      "; deleted anyway: --include-busy)"));
    }
  }
  // Past the deadline: today's rules (age; active_tasks as a second sign).
  const auto passed = now - std::chrono::minutes(1);
  std::vector<ListedWorkspace> ended = {
      {kOldPm, SuiteWorkspaceName(tag, SuiteRole::kPm, passed), "online", "", 0, "", 0}};
  SweepOptions options;
  options.older_than_secs = 7200;
  std::vector<SweepCandidate> found = SelectLeftovers(ended, options, now);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(found[0].selected) << found[0].reason;
  EXPECT_THAT(found[0].reason, StartsWith("age "));
  ended[0].active_tasks = 1;
  found = SelectLeftovers(ended, options, now);
  EXPECT_FALSE(found[0].selected);
  EXPECT_THAT(found[0].reason, StartsWith("busy: active_tasks 1"));
}

// --run-tag takes that run's workspaces only, whatever their age and deadline (naming the run
// says it has ended); active_tasks still keeps one unless --include-busy.
TEST(SweepSelectTest, ARunTagTakesThatRunOnlyWhateverItsAgeAndDeadline) {
  const auto now = Clock::now();
  const std::string mine = MakeRunTag(now - std::chrono::seconds(5), "0a1b2c");
  const std::string other = MakeRunTag(now - std::chrono::hours(3), "3d4e5f");
  const auto ahead = now + std::chrono::hours(1);
  std::vector<ListedWorkspace> listed = {
      {kOldPm, SuiteWorkspaceName(mine, SuiteRole::kPm, ahead), "online", "", 0, "", 0},
      {kOldChild, SuiteWorkspaceName(mine, SuiteRole::kResearcher, ahead), "online", kOldPm, 0, "",
       0},
      {kYoungPm, SuiteWorkspaceName(other, SuiteRole::kPm), "online", "", 0, "", 0},
      {kLegacyPm, "PM", "online", "", 7200, "", 0}};
  SweepOptions options;
  options.run_tag = mine;
  std::vector<SweepCandidate> found = SelectLeftovers(listed, options, now);
  ASSERT_EQ(found.size(), 2u);
  for (const SweepCandidate& c : found) {
    EXPECT_TRUE(c.selected) << c.reason;
    EXPECT_EQ(c.reason, "of run " + mine + " (--run-tag): any age, its deadline " +
                            FormatUtcSecond(*c.in_use_until) + " not applied");
  }
  listed[0].active_tasks = 1;
  found = SelectLeftovers(listed, options, now);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_FALSE(found[0].selected || found[1].selected);
  EXPECT_THAT(found[0].reason, StartsWith("busy: active_tasks 1"));
  options.include_busy = true;
  found = SelectLeftovers(listed, options, now);
  EXPECT_TRUE(found[0].selected && found[1].selected);
}

// A run tag dated after now (a skewed clock, or a name that only looks like ours) has no
// age: never selected, whatever --older-than, and said to be in the future. Year 2999 is
// beyond what system_clock holds in nanoseconds (it once wrapped to a huge age).
TEST(SweepSelectTest, ARunTagDatedInTheFutureIsNeverSelected) {
  const std::string far = "taskbounds-29990101t000000z-a1b2c3-pm";
  const std::string near = SuiteWorkspaceName(
      MakeRunTag(Clock::now() + std::chrono::hours(1), "0a1b2c"), SuiteRole::kPm);
  for (const std::string& name : {far, near}) {
    const std::vector<ListedWorkspace> listed = {{kOldPm, name, "online", "", 0, ""}};
    for (const double older_than : {0.0, 7200.0}) {
      SweepOptions options;
      options.older_than_secs = older_than;
      const std::vector<SweepCandidate> found = SelectLeftovers(listed, options, Clock::now());
      ASSERT_EQ(found.size(), 1u) << name;
      EXPECT_FALSE(found[0].selected) << name << " --older-than=" << older_than;
      EXPECT_THAT(found[0].reason, StartsWith("dated in the future")) << name;
      EXPECT_EQ(found[0].age_source, "run tag (dated in the future)");
    }
  }
}

}  // namespace
}  // namespace taskbounds
