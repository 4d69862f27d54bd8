// //tools:measure as a user runs it: a subprocess with a chosen environment, its stdout read
// as JSON lines, its exit status checked.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/support/assertions.h"
#include "tests/support/platform_fixture.h"
#include "tests/support/subprocess.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

struct MeasureRun {
  int exit_code = -1;
  std::string out;  // stdout (plus stderr when merged)
};

// Every variable the tool reads is removed first, so the developer's shell cannot leak in.
std::map<std::string, std::optional<std::string>> CleanEnv(
    const std::map<std::string, std::optional<std::string>>& overrides) {
  std::map<std::string, std::optional<std::string>> env = {
      {"PLATFORM", std::nullopt},
      {"ADMIN_TOKEN", std::nullopt},
      {"TENANT_ID", std::nullopt},
      {"OPENROUTER_API_KEY", std::nullopt},
      {"OPENAI_API_KEY", std::nullopt},
      {"SYNTHESIS_DEPTH", std::nullopt},
      {"SYNTHESIS_DEPTHS", std::nullopt},
      {"A2A_TIMEOUT", std::nullopt},
      {"TIME_SCALE", std::nullopt},
      {"DRY_RUN", std::nullopt},
      {"KEEP_WORKSPACES", std::nullopt},
      {"FAKE_SCENARIO", std::nullopt},
      {"VARIANTS", std::nullopt},
      {"REPEAT", std::nullopt},
      {"MODEL", std::nullopt},
      {"PM_TEMPLATE", std::nullopt},
  };
  // The target's FAKE_PLATFORM_VERSION picks the embedded fake's profile: a run against
  // PLATFORM does not get it (the tool would warn that it is ignored).
  if (const auto platform = overrides.find("PLATFORM");
      platform != overrides.end() && platform->second) {
    env["FAKE_PLATFORM_VERSION"] = std::nullopt;
  }
  for (const auto& [name, value] : overrides) {
    env[name] = value;
  }
  return env;
}

// Runs the tool to completion. `merge_stderr` routes stderr into the captured output
// (through /bin/sh), for checks on the human summary.
testing::AssertionResult RunMeasure(const std::map<std::string, std::optional<std::string>>& env,
                                    bool merge_stderr, MeasureRun* run,
                                    const std::vector<std::string>& args = {}) {
  const std::string tool = RunfilePath("tools/measure");
  std::vector<std::string> argv = {tool};
  if (merge_stderr) {
    argv = {"/bin/sh", "-c", "exec \"$0\" \"$@\" 2>&1", tool};
  }
  argv.insert(argv.end(), args.begin(), args.end());
  CompletedProcess completed;
  testing::AssertionResult ran =
      RunToCompletion(argv, EnvironmentWith(CleanEnv(env)), DefaultWait(),
                      Subprocess::Stderr::kInherit, &completed);
  run->out = completed.out;
  run->exit_code = completed.exit_code;
  return ran;
}

// Parses stdout as the reference's JSON lines; the event names in order.
testing::AssertionResult ReadEvents(const std::string& out, std::vector<std::string>* names,
                                    std::map<std::string, std::string>* last_line_of) {
  std::vector<ParsedEvent> events;
  testing::AssertionResult parsed = ParseEventLines(out, &events);
  *names = EventNames(events);
  for (const ParsedEvent& event : events) {
    (*last_line_of)[event.event] = event.line;
  }
  return parsed;
}

// The human lines of a merged run (everything but the JSON events), one per element.
std::vector<std::string> HumanLines(const std::string& out) {
  std::vector<std::string> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '{') {
      lines.push_back(line);
    }
  }
  return lines;
}

TEST(MeasureToolTest, EmbeddedFakeRunEmitsTheReferenceEventsAndAVerdict) {
  MeasureRun run;
  ASSERT_TRUE(RunMeasure({{"SYNTHESIS_DEPTH", "3"}}, /*merge_stderr=*/false, &run));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  std::vector<std::string> names;
  std::map<std::string, std::string> line_of;
  ASSERT_TRUE(ReadEvents(run.out, &names, &line_of));
  const std::set<std::string> seen(names.begin(), names.end());
  for (const char* event :
       {"run_started", "provisioning_pm", "pm_provisioned", "provisioning_child",
        "child_provisioned", "online", "a2a_kickoff_sent", "a2a_response_observed", "task_followed",
        "fetching_heartbeat_trace", "heartbeat_trace", "run_completed", "cleanup_deleted",
        "status_sample", "verdict"}) {
    EXPECT_EQ(seen.count(event), 1u) << "missing event " << event << "\n" << run.out;
  }
  EXPECT_EQ(names.front(), "run_started");
  EXPECT_THAT(line_of["verdict"], HasSubstr("\"verdict\":\"within_delegation_timeout\""));
  EXPECT_THAT(line_of["heartbeat_trace"], HasSubstr("\"raw\":\"404 page not found\""));
}

TEST(MeasureToolTest, FakeScenarioComesFromTheEnvironment) {
  MeasureRun run;
  ASSERT_TRUE(RunMeasure({{"SYNTHESIS_DEPTH", "8"}, {"FAKE_SCENARIO", "agent_ceiling"}},
                         /*merge_stderr=*/false, &run));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_THAT(run.out, HasSubstr("\"verdict\":\"bounded_by_agent\""));
}

// Issue 19.1, the README's example without A2A_TIMEOUT: measure's 600 s end before the idle
// timer; the wedged mark at about 420 s is listed with the transitions, and is no bound.
TEST(MeasureToolTest, AWedgedMarkIsEvidenceBesideAHarnessTimeout) {
  MeasureRun run;
  ASSERT_TRUE(RunMeasure({{"SYNTHESIS_DEPTH", "8"}, {"FAKE_SCENARIO", "idle_timeout"}},
                         /*merge_stderr=*/true, &run));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_THAT(run.out, HasSubstr("VERDICT: harness_timeout\n"));
  EXPECT_THAT(run.out, HasSubstr("marks leave the task running"));
  EXPECT_THAT(run.out, HasSubstr("s: wedged flag set (a mark, not a bound)"));
  EXPECT_THAT(run.out, Not(HasSubstr("none observed")));
}

// Issue 18.2: the summary names each mechanism the run could see but A2A_TIMEOUT ends it
// before (here the idle_timeout scenario's idle timer at 1800 s, measure's 600 s default).
TEST(MeasureToolTest, TheSummaryNamesWhatA2ATimeoutEndsTheRunBefore) {
  MeasureRun run;
  ASSERT_TRUE(RunMeasure({{"SYNTHESIS_DEPTH", "8"}, {"FAKE_SCENARIO", "idle_timeout"}},
                         /*merge_stderr=*/true, &run));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_THAT(run.out,
              HasSubstr("\nWARNING: A2A_TIMEOUT=600 s stops following the task before these can "
                        "act (platform seconds after the kickoff, the embedded fake's idle_timeout "
                        "scenario): idle timer (1800 s); a task still running at A2A_TIMEOUT is "
                        "reported harness_timeout: set A2A_TIMEOUT above 1800 (e.g. 3600) to see "
                        "them\n"));
  ASSERT_TRUE(RunMeasure(
      {{"SYNTHESIS_DEPTH", "8"}, {"FAKE_SCENARIO", "idle_timeout"}, {"A2A_TIMEOUT", "3600"}},
      /*merge_stderr=*/true, &run));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_THAT(run.out, HasSubstr("VERDICT: bounded_by_platform (mechanism: idle_timer)"));
  EXPECT_THAT(run.out, Not(HasSubstr("WARNING")));
}

// "%.1f", as the summary prints platform seconds.
std::string OneDecimal(double value) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f", value);
  return buf;
}

// Issue 18.4a: each figure of the summary is named for what it measures. A queued kickoff
// (2026-08 answers after its 90 s sync budget) followed to the task's end at about 2365 s:
// the task's time and the call's are two lines with the task_followed event's figures, and
// no line calls the task's time a "response time".
TEST(MeasureToolTest, TheSummaryNamesTheTasksTimeAndTheCallsApart) {
  MeasureRun run;
  ASSERT_TRUE(RunMeasure(
      {{"SYNTHESIS_DEPTH", "8"}, {"FAKE_SCENARIO", "idle_timeout"}, {"A2A_TIMEOUT", "3600"}},
      /*merge_stderr=*/true, &run));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  const std::vector<ParsedEvent> followed = EventsNamed(ParseEvents(run.out), "task_followed");
  ASSERT_EQ(followed.size(), 1u) << run.out;
  const rapidjson::Document& data = *followed[0].data;
  const double task_secs = data["task_secs"].GetDouble();
  const double call_secs = data["call_secs"].GetDouble();
  ASSERT_TRUE(data["call_deferred"].GetBool()) << followed[0].line;
  ASSERT_GT(task_secs, call_secs) << followed[0].line;
  const std::vector<std::string> lines = HumanLines(run.out);
  EXPECT_THAT(lines, Contains(StartsWith("Task time: " + OneDecimal(task_secs) + " s platform (")))
      << run.out;
  EXPECT_THAT(lines, Contains(AllOf(HasSubstr(" s wall at TIME_SCALE=0.001) from the kickoff to "
                                              "its end, seen by "),
                                    StartsWith("Task time: "))));
  EXPECT_THAT(lines, Contains("Kickoff call: " + OneDecimal(call_secs) +
                              " s platform from the kickoff to its HTTP answer (a queued "
                              "acknowledgement, not the task's end)"));
  EXPECT_THAT(lines, Contains(StartsWith("Kickoff answer: HTTP 200, ")));
  EXPECT_THAT(lines, Contains("Kickoff dispatches: the PM received the kickoff 2 times"));
  EXPECT_THAT(run.out, Not(HasSubstr("response time")));
}

// Issue 18.4b: a 2.4 s run at TIME_SCALE=0.001 (the idle timer's task, 2365 platform s)
// printed 78 progress lines. Lines that say the same about the PM are now at least 5 wall
// seconds apart (the first line always comes); the wall seconds are each line's own figure.
TEST(MeasureToolTest, ProgressIsPacedByWallTime) {
  MeasureRun run;
  ASSERT_TRUE(RunMeasure(
      {{"SYNTHESIS_DEPTH", "8"}, {"FAKE_SCENARIO", "idle_timeout"}, {"A2A_TIMEOUT", "3600"}},
      /*merge_stderr=*/true, &run));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  const std::string prefix = "measure: waiting for the PM's answer: ";
  int shown = 0;
  double last_wall = -1;
  std::string last_state;
  for (const std::string& line : HumanLines(run.out)) {
    if (line.rfind(prefix, 0) != 0) {
      continue;
    }
    ++shown;
    // "<platform> platform-s (<wall> s wall), <state>, <n> status samples"
    const std::size_t open = line.find(" platform-s (");
    const std::size_t wall_end = line.find(" s wall), ");
    const std::size_t samples = line.rfind(", ");
    ASSERT_TRUE(open != std::string::npos && wall_end != std::string::npos) << line;
    const double wall = std::stod(line.substr(open + 13, wall_end - open - 13));
    const std::string state = line.substr(wall_end + 10, samples - wall_end - 10);
    if (state == last_state) {
      EXPECT_GE(wall - last_wall, 4.99)
          << "two lines saying \"" << state << "\" " << wall - last_wall << " wall seconds apart:\n"
          << run.out;
    }
    last_wall = wall;
    last_state = state;
  }
  EXPECT_GE(shown, 1) << "no progress line at all:\n" << run.out;
}

TEST(MeasureToolTest, SummaryAndProgressGoToStderr) {
  MeasureRun run;
  ASSERT_TRUE(RunMeasure({{"SYNTHESIS_DEPTH", "8"}, {"TIME_SCALE", "0.005"}},
                         /*merge_stderr=*/true, &run));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_THAT(run.out, HasSubstr("measure: waiting for the PM's answer:"));
  EXPECT_THAT(run.out, HasSubstr("VERDICT: unbounded"));
  EXPECT_THAT(run.out, HasSubstr("How to read the verdict:"));
}

// On the embedded fake the kept workspaces end with the process: no sweep can reach them (it
// refuses an embedded fake), so none is suggested. Against a platform the hint is a command
// that works as printed (sweep_tool_test KeptWorkspacesHintTest).
TEST(MeasureToolTest, KeptWorkspacesOnTheEmbeddedFakeEndWithIt) {
  MeasureRun run;
  ASSERT_TRUE(RunMeasure({{"KEEP_WORKSPACES", "1"}}, /*merge_stderr=*/true, &run));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_THAT(run.out, HasSubstr("Cleanup: skipped (KEEP_WORKSPACES=1): they lived in the "
                                 "embedded fake platform, which ended with this run: nothing is "
                                 "left to delete\n"));
  EXPECT_THAT(run.out, Not(HasSubstr("//tools:sweep")));
}

TEST(MeasureToolTest, BadConfigurationExitsTwoWithTheVariableNamed) {
  MeasureRun run;
  ASSERT_TRUE(RunMeasure({{"SYNTHESIS_DEPTH", "abc"}}, /*merge_stderr=*/true, &run));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.out, HasSubstr("SYNTHESIS_DEPTH"));
  EXPECT_THAT(run.out, Not(HasSubstr("run_started")));
}

// Found by a new-user trial: the fake refused it only when starting, exit 1, with a doubled
// "could not start the embedded fake platform: fake platform:" prefix.
TEST(MeasureToolTest, BadFakePlatformVersionIsOneConfigurationLineExitTwo) {
  MeasureRun run;
  ASSERT_TRUE(RunMeasure({{"FAKE_PLATFORM_VERSION", "2026-13"}}, /*merge_stderr=*/true, &run));
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_EQ(run.out,
            "measure: FAKE_PLATFORM_VERSION=\"2026-13\" is not one of 2026-04|2026-08 (unset: the "
            "fake's default)\n");
}

// Found by a new-user trial: an unwritable results folder was only a warning once the run had
// started its requests. Now one line naming the flag or variable and the path, exit 2, and
// nothing else (no fake started, no event).
TEST(MeasureToolTest, UnwritableResultsDirIsOneConfigurationLineExitTwo) {
  MeasureRun run;
  ASSERT_TRUE(RunMeasure({}, /*merge_stderr=*/true, &run, {"--results-dir=/proc/nope"}));
  EXPECT_EQ(run.exit_code, 2) << run.out;
  // One folder per run: measure_Depth<N>_<run tag> (docs/runs.md "Where results land").
  EXPECT_THAT(run.out, ::testing::StartsWith("measure: --results-dir=/proc/nope is not writable: "
                                             "cannot create /proc/nope/measure_Depth3_"));
  EXPECT_THAT(run.out, HasSubstr(" (No such file or directory): choose a directory"));
  EXPECT_EQ(run.out.find('\n'), run.out.size() - 1) << "one line: " << run.out;
  ASSERT_TRUE(RunMeasure({{"RESULTS_DIR", "/proc/nope"}, {"SYNTHESIS_DEPTH", "8"}},
                         /*merge_stderr=*/true, &run));
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_THAT(run.out, ::testing::StartsWith("measure: RESULTS_DIR=/proc/nope is not writable: "
                                             "cannot create /proc/nope/measure_Depth8_"));
  EXPECT_EQ(run.out.find('\n'), run.out.size() - 1) << "one line: " << run.out;
}

// `shell` runs the tool as "$0" through /bin/sh, stderr captured: for stdout's redirections.
testing::AssertionResult RunMeasureInShell(const std::string& shell, CompletedProcess* completed) {
  return RunToCompletion({"/bin/sh", "-c", shell, RunfilePath("tools/measure")},
                         EnvironmentWith(CleanEnv({})), DefaultWait(), Subprocess::Stderr::kCapture,
                         completed);
}

TEST(MeasureToolTest, AFullStdoutIsNamedOnStderrExitFour) {
  CompletedProcess completed;
  ASSERT_TRUE(RunMeasureInShell("exec \"$0\" >/dev/full", &completed));
  EXPECT_EQ(completed.exit_code, 4) << completed.err;
  EXPECT_THAT(completed.err, HasSubstr("Measurement complete")) << "the run went ahead";
  // Bazel's TEST_UNDECLARED_OUTPUTS_DIR reaches the tool: the events are in its folder.
  EXPECT_THAT(completed.err, HasSubstr("measure: the events could not all be written to stdout "
                                       "(No space left on device): every one is in "));
  EXPECT_THAT(completed.err, ::testing::EndsWith("/events.jsonl\n"));
}

TEST(MeasureToolTest, AClosedStdoutIsRefusedBeforeTheRunExitFour) {
  CompletedProcess completed;
  ASSERT_TRUE(RunMeasureInShell("exec \"$0\" >&-", &completed));
  EXPECT_EQ(completed.exit_code, 4) << completed.err;
  EXPECT_EQ(completed.err,
            "measure: stdout is closed: the events go there; run with stdout open (>/dev/null "
            "keeps only RESULTS_DIR's events.jsonl)\n");
}

// `measure | head -1`: the reader leaves after one byte; measure (which ignores SIGPIPE for
// libcurl) finishes the run, deletes its workspaces and exits 141 like a process SIGPIPE ended,
// without an error line.
TEST(MeasureToolTest, AReaderThatGoesAwayEndsTheRunQuietlyWith141) {
  CompletedProcess completed;
  ASSERT_TRUE(RunMeasureInShell("{ \"$0\"; echo \"measure exit $?\" >&2; } | head -c 1 >/dev/null",
                                &completed));
  EXPECT_THAT(completed.err, HasSubstr("measure exit 141\n"));
  EXPECT_THAT(completed.err, HasSubstr("Cleanup: both deleted"));
  EXPECT_THAT(completed.err, Not(HasSubstr("could not all be written")));
}

// Issue 18.4d: with PLATFORM set the embedded fake's variables are ignored, but checked like
// every value: a misspelt FAKE_SCENARIO stops the run (exit 2) with one line that says it
// would be ignored and what to do; a valid one only warns. A non-routable platform, a dry run.
TEST(MeasureToolTest, AMisspeltFakeScenarioWithPlatformSetSaysItIsCheckedThoughIgnored) {
  const std::map<std::string, std::optional<std::string>> platform = {
      {"PLATFORM", "https://staging.invalid"},
      {"ADMIN_TOKEN", "admin-token-SECRET-9f3a"},
      {"TENANT_ID", "tenant-42"},
      {"DRY_RUN", "1"}};
  std::map<std::string, std::optional<std::string>> env = platform;
  env["FAKE_SCENARIO"] = "idle_timout";
  MeasureRun run;
  ASSERT_TRUE(RunMeasure(env, /*merge_stderr=*/true, &run));
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_EQ(run.out,
            "measure: FAKE_SCENARIO=\"idle_timout\" is not one of "
            "unbounded|idle_timeout|agent_ceiling|platform_ceiling|stall_watchdog|"
            "container_restart|header_timeout|agent_failure|agent_idle_cap (PLATFORM is set, so "
            "it would be ignored, but every value is checked: unset FAKE_SCENARIO or correct "
            "it)\n");
  env["FAKE_SCENARIO"] = "idle_timeout";
  ASSERT_TRUE(RunMeasure(env, /*merge_stderr=*/true, &run));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_THAT(HumanLines(run.out),
              Contains("measure: warning: FAKE_SCENARIO is ignored: PLATFORM is set (it "
                       "configures the embedded fake only)"));
}

TEST(MeasureToolTest, NonLocalPlatformWithoutCredentialsIsRefusedBeforeAnyRequest) {
  MeasureRun run;
  ASSERT_TRUE(RunMeasure(
      {{"PLATFORM", "https://staging.invalid"}, {"OPENROUTER_API_KEY", "sk-or-not-a-real-key"}},
      /*merge_stderr=*/true, &run));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.out, HasSubstr("set both ADMIN_TOKEN and TENANT_ID"));
  EXPECT_THAT(run.out, Not(HasSubstr("provisioning_pm")));
}

TEST(MeasureToolTest, DryRunChangesNothingAndNeverPrintsSecrets) {
  const std::string token = "admin-token-SECRET-9f3a";
  const std::string key = "sk-or-v1-SECRET-LLM-KEY-77aa";
  MeasureRun run;
  // A non-routable address: a dry run must not even try it.
  ASSERT_TRUE(RunMeasure({{"PLATFORM", "https://staging.invalid"},
                          {"ADMIN_TOKEN", token},
                          {"TENANT_ID", "tenant-42"},
                          {"OPENROUTER_API_KEY", key},
                          {"DRY_RUN", "1"}},
                         /*merge_stderr=*/true, &run));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_THAT(run.out, HasSubstr("\"dry_run\":true"));
  EXPECT_THAT(run.out, HasSubstr("***9f3a"));
  EXPECT_THAT(run.out, Not(HasSubstr("SECRET")));
  EXPECT_THAT(run.out, Not(HasSubstr("provisioning_pm")));
}

// MODE=saas with ORG_SLUG: the plan says the bearer will come from the control plane (the
// CP token masked), and asks nothing of it (CP_API_URL is not routable).
TEST(MeasureToolTest, SaasDryRunSaysTheTokenWillBeResolvedFromTheControlPlane) {
  MeasureRun run;
  ASSERT_TRUE(RunMeasure({{"MODE", "saas"},
                          {"PLATFORM", "https://tenant.invalid"},
                          {"ORG_ID", "0b6e2c4a-1f3d-4e5a-9b7c-8d9e0f1a2b3c"},
                          {"ORG_SLUG", "good-slug"},
                          {"CP_ADMIN_API_TOKEN", "cp-admin-SECRET-token-77aa"},
                          {"CP_API_URL", "https://cp.invalid"},
                          {"DRY_RUN", "1"}},
                         /*merge_stderr=*/true, &run));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_THAT(run.out, HasSubstr("Auth:     Bearer resolved at run time from the control plane: "
                                 "GET https://cp.invalid/cp/admin/orgs/good-slug/admin-token "
                                 "with CP_ADMIN_API_TOKEN ***77aa\n"));
  EXPECT_THAT(run.out, Not(HasSubstr("<none: local dev>")));
  EXPECT_THAT(run.out, Not(HasSubstr("SECRET")));
}

// VARIANTS and REPEAT are sweep axes: measure names them once as ignored, with what it uses.
TEST(MeasureToolTest, SweepAxesAreNamedAsIgnoredInOneWarning) {
  MeasureRun run;
  ASSERT_TRUE(RunMeasure({{"SYNTHESIS_DEPTH", "1"},
                          {"VARIANTS", "claude-code-default,hermes"},
                          {"REPEAT", "2"},
                          {"MODEL", "minimax/MiniMax-M2.7"}},
                         /*merge_stderr=*/true, &run));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  const std::vector<std::string> lines = HumanLines(run.out);
  EXPECT_THAT(lines, ::testing::Contains(
                         "measure: warning: VARIANTS and REPEAT ignored: they are sweep axes "
                         "(bazel test //tests:live or //tests:coordinator_task_bounds_test); "
                         "measure runs once with PM_TEMPLATE=claude-code-default, "
                         "CHILD_TEMPLATE=claude-code-default, MODEL=minimax/MiniMax-M2.7"));
  EXPECT_EQ(std::count_if(lines.begin(), lines.end(),
                          [](const std::string& l) { return l.find("ignored") != l.npos; }),
            1);
  const std::string started = "\"event\":\"run_started\"";
  EXPECT_EQ(run.out.find(started), run.out.rfind(started)) << "one run, not a sweep";
  EXPECT_NE(run.out.find(started), std::string::npos) << run.out;

  ASSERT_TRUE(RunMeasure({{"SYNTHESIS_DEPTH", "1"}, {"REPEAT", "3"}}, /*merge_stderr=*/true, &run));
  EXPECT_THAT(run.out, HasSubstr("measure: warning: REPEAT ignored: it is a sweep axis ("));
  EXPECT_THAT(run.out, HasSubstr("MODEL=<the templates' own>\n"));
  ASSERT_TRUE(RunMeasure({{"SYNTHESIS_DEPTH", "1"}}, /*merge_stderr=*/true, &run));
  EXPECT_THAT(run.out, Not(HasSubstr("ignored")));
}

// Issue 18.4c: SYNTHESIS_DEPTHS, the sweep's depth axis, was silently ignored: every
// sweep-only variable is named, with the depth measure runs at instead.
TEST(MeasureToolTest, EverySweepOnlyVariableIsNamedAsIgnored) {
  MeasureRun run;
  ASSERT_TRUE(RunMeasure({{"SYNTHESIS_DEPTHS", "2,5"}, {"SYNTHESIS_DEPTH", "1"}},
                         /*merge_stderr=*/true, &run));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_THAT(HumanLines(run.out),
              Contains("measure: warning: SYNTHESIS_DEPTHS ignored: it is a sweep axis (bazel "
                       "test //tests:live or //tests:coordinator_task_bounds_test); measure runs "
                       "once with SYNTHESIS_DEPTH=1, PM_TEMPLATE=claude-code-default, "
                       "CHILD_TEMPLATE=claude-code-default, MODEL=<the templates' own>"))
      << run.out;
  EXPECT_THAT(run.out, HasSubstr("\"synthesis_depth\":1")) << "one run at SYNTHESIS_DEPTH";

  ASSERT_TRUE(RunMeasure({{"SYNTHESIS_DEPTHS", "2,5"},
                          {"SYNTHESIS_DEPTH", "1"},
                          {"VARIANTS", "claude-code-default,hermes"},
                          {"REPEAT", "2"}},
                         /*merge_stderr=*/true, &run));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  const std::vector<std::string> lines = HumanLines(run.out);
  EXPECT_THAT(lines, Contains(StartsWith("measure: warning: VARIANTS, REPEAT and SYNTHESIS_DEPTHS "
                                         "ignored: they are sweep axes (bazel test ")));
  EXPECT_EQ(std::count_if(lines.begin(), lines.end(),
                          [](const std::string& l) { return l.find("ignored") != l.npos; }),
            1);
}

// --check-config: the loader every entry point uses, sweep variables included, and no
// request (the nightly job asks it before starting 27 shards).
TEST(MeasureToolTest, CheckConfigIsOneLineExitTwoOrSilentExitZero) {
  MeasureRun run;
  for (const auto& [name, value, line] : std::vector<std::array<std::string, 3>>{
           {"REPEAT", "abc", "REPEAT=\"abc\" is not an integer in 1..9"},
           {"SYNTHESIS_DEPTHS", "1,x", "SYNTHESIS_DEPTHS=\"1,x\" is not a comma list"},
           {"A2A_TIMEOUT", "-5", "A2A_TIMEOUT=\"-5\" is not a number of seconds"},
           {"VARIANTS", "bad item!", "VARIANTS"}}) {
    ASSERT_TRUE(RunMeasure({{name, value}}, /*merge_stderr=*/true, &run, {"--check-config"}));
    EXPECT_EQ(run.exit_code, 2) << name << ": " << run.out;
    EXPECT_THAT(run.out, ::testing::StartsWith("measure: " + line)) << name;
    EXPECT_EQ(run.out.find('\n'), run.out.size() - 1) << "one line: " << run.out;
  }
  // A non-routable platform: any request would fail; a valid configuration says nothing.
  ASSERT_TRUE(RunMeasure({{"PLATFORM", "https://staging.invalid"},
                          {"ADMIN_TOKEN", "admin-token-SECRET-9f3a"},
                          {"TENANT_ID", "tenant-42"},
                          {"REPEAT", "2"},
                          {"SYNTHESIS_DEPTHS", "1,3"},
                          {"VARIANTS", "claude-code-default,hermes"}},
                         /*merge_stderr=*/true, &run, {"--check-config"}));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(run.out, "");
}

// Issue 18.4e: a platform on localhost (here the fake in this process, as the standalone
// fake would be) is a platform at its URL, not "live": the summary says so, and the run's
// events and run.json record the backend "platform".
TEST(MeasureToolTest, APlatformOnLocalhostIsNamedByWhatItIs) {
  std::unique_ptr<EmbeddedFakePlatform> fake = StartFake(HarnessOptions(PlatformVersion::k2026_08));
  ASSERT_NE(fake, nullptr);
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string results = std::string(tmp != nullptr ? tmp : "/tmp") + "/localhost_platform";
  ASSERT_EQ(std::system(("rm -rf '" + results + "' && mkdir -p '" + results + "'").c_str()), 0);
  MeasureRun run;
  ASSERT_TRUE(RunMeasure({{"PLATFORM", fake->url()},
                          {"ADMIN_TOKEN", kHarnessAdminToken},
                          {"TIME_SCALE", "0.001"},
                          {"RESULTS_DIR", results}},
                         /*merge_stderr=*/true, &run));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_THAT(HumanLines(run.out), Contains(StartsWith("Measurement complete (the platform at " +
                                                       fake->url() + ", build ")))
      << run.out;
  const std::vector<ParsedEvent> started = EventsNamed(ParseEvents(run.out), "run_started");
  ASSERT_EQ(started.size(), 1u) << run.out;
  EXPECT_EQ(started[0].Str("backend"), "platform") << started[0].line;
  CompletedProcess found;
  ASSERT_TRUE(RunToCompletion({"/usr/bin/find", results, "-name", "run.json"}, EnvironmentWith({}),
                              DefaultWait(), Subprocess::Stderr::kCapture, &found));
  ASSERT_FALSE(found.out.empty()) << "no run.json under " << results;
  std::ifstream file(found.out.substr(0, found.out.find('\n')));
  std::ostringstream text;
  text << file.rdbuf();
  rapidjson::Document doc;
  doc.Parse(text.str().c_str());
  ASSERT_TRUE(doc.IsObject() && doc.HasMember("identity")) << text.str();
  EXPECT_STREQ(doc["identity"]["backend"].GetString(), "platform") << text.str();
  EXPECT_THAT(run.out, Not(HasSubstr("\"live\""))) << "no \"live\" label anywhere";
  // The run's own folder is named, so a user finds it among earlier runs' folders.
  EXPECT_THAT(run.out, HasSubstr("measure: events.jsonl and run.json of this run are in " +
                                 results + "/measure_Depth3_"));
  ExpectNoWorkspacesLeft(*fake);
}

// The platform reveals a configuration problem on the run's first admin request (the PM's
// create): one line naming the variable, exit 2, like a bad variable. The fake runs in this
// process with the rule set; the tool is a subprocess pointed at it.
class MeasureToolAccessTest : public testing::TestWithParam<PlatformVersion> {
 protected:
  // Starts the fake (admin token kHarnessAdminToken, and `org_id` when not empty), runs the
  // tool against it with `env` added and expects exit 2 with `refusal` as the one line; the
  // fake must be left with no workspace.
  void ExpectRefusedAsConfig(const std::string& org_id,
                             std::map<std::string, std::optional<std::string>> env,
                             const std::string& refusal) {
    FakePlatformOptions options = HarnessOptions(GetParam());
    options.org_id = org_id;
    std::unique_ptr<EmbeddedFakePlatform> fake = StartFake(options);
    ASSERT_NE(fake, nullptr);
    env["PLATFORM"] = fake->url();
    ASSERT_TRUE(RunMeasure(env, /*merge_stderr=*/true, &run_));
    EXPECT_EQ(run_.exit_code, 2) << run_.out;
    EXPECT_THAT(
        HumanLines(run_.out),
        ::testing::ElementsAre("measure: no measurement taken: PM create refused: " + refusal));
    ExpectNoWorkspacesLeft(*fake);
  }

  MeasureRun run_;
};

TEST_P(MeasureToolAccessTest, MissingAdminTokenIsOneLineNamingItExitTwo) {
  ExpectRefusedAsConfig("", {},
                        "HTTP 401 (admin auth required): ADMIN_TOKEN is unset and the platform's "
                        "admin routes need it: set ADMIN_TOKEN to the platform's admin token");
}

TEST_P(MeasureToolAccessTest, WrongAdminTokenIsOneLineNamingItExitTwo) {
  ExpectRefusedAsConfig("", {{"ADMIN_TOKEN", "wrong-admin-token-7c1d"}},
                        "HTTP 401 (invalid admin auth token): the platform refused the "
                        "ADMIN_TOKEN bearer: set ADMIN_TOKEN to the platform's admin token");
  EXPECT_THAT(run_.out, Not(HasSubstr("wrong-admin-token")));
}

TEST_P(MeasureToolAccessTest, WrongTenantIsOneLineNamingTenantIdExitTwo) {
  ExpectRefusedAsConfig("org-a", {{"ADMIN_TOKEN", kHarnessAdminToken}, {"TENANT_ID", "org-b"}},
                        "HTTP 404 with an empty body (the tenant guard): TENANT_ID=\"org-b\" is "
                        "not the org this platform serves: set TENANT_ID to the platform's org id");
}

// 2026-08 asks for the org header (400 TENANT_ORG_HEADER_REQUIRED, platform-api-2026-08.md
// section 7); 2026-04 answers a missing one with the tenant guard's empty 404.
TEST_P(MeasureToolAccessTest, MissingTenantIsOneLineNamingTenantIdExitTwo) {
  ExpectRefusedAsConfig(
      "org-a", {{"ADMIN_TOKEN", kHarnessAdminToken}},
      GetParam() == PlatformVersion::k2026_08
          ? "HTTP 400 TENANT_ORG_HEADER_REQUIRED: the platform requires an org: set TENANT_ID"
          : "HTTP 404 with an empty body (the tenant guard): TENANT_ID is unset and the "
            "platform is tenant-scoped: set TENANT_ID to the platform's org id");
}

INSTANTIATE_TEST_SUITE_P(Profiles, MeasureToolAccessTest, testing::ValuesIn(AllPlatformVersions()),
                         ProfileParamName);

}  // namespace
}  // namespace taskbounds
