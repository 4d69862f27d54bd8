// //tools:measure: one coordinator task-bounds measurement, like the reference shell
// harness, with its environment variables and event names.
//
//   stdout: one JSON object per line ({"ts","event","data"}), the reference's events plus
//           status_sample, pm_activity and verdict.
//   stderr: progress while waiting (every 30 platform seconds, at most one line per 5 wall
//           seconds plus one whenever the PM's state changes), then a summary with the
//           verdict and how to read it.
//   exit:   0 a measurement was taken (whatever the verdict) or DRY_RUN printed the plan;
//           1 the run failed before a measurement (provisioning, online timeout, ...);
//           2 bad configuration (also a create the platform refused with a 422 code naming
//           the variable to change, and the first admin request's 401/403 (ADMIN_TOKEN), empty
//           404 or 400 TENANT_ORG_HEADER_REQUIRED (TENANT_ID)); 3 a workspace may be left behind (a
//           delete failed, or a create gave no usable id), measured or not: the janitor named each
//           on stderr and in a cleanup_failed event; 4 measured, but the events could not all
//           be written to stdout (closed, or a write error such as ENOSPC: named on stderr,
//           events.jsonl under RESULTS_DIR still has them); 141 (128 + SIGPIPE, quietly) when the
//           reader of stdout went away (`measure | head -1`): the run still finishes and cleans up.
//
// PLATFORM unset: an embedded fake platform is started in-process. FAKE_SCENARIO chooses
// what bounds its simulated coordinator; TIME_SCALE (default 0.001 with the fake) shrinks
// every platform duration and the harness's own timeouts alike.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "client/config.h"
#include "client/event_log.h"
#include "client/secrets.h"
#include "client/text.h"
#include "client/url.h"
#include "client/verdict.h"
#include "curl/curl.h"
#include "fixtures/run/coordinator_run.h"
#include "fixtures/run/run_artifacts.h"
#include "fixtures/run/run_tag.h"
#include "fixtures/run/target.h"
#include "fixtures/run/workspace_janitor.h"

namespace taskbounds {
namespace {

constexpr int kExitMeasured = 0;
constexpr int kExitRunFailed = 1;
constexpr int kExitBadConfig = 2;
constexpr int kExitLeaked = 3;
constexpr int kExitStdoutFailed = 4;
// What a shell reports for a process SIGPIPE ended; measure ignores SIGPIPE (libcurl), so it
// exits with this status itself when the reader of stdout is gone.
constexpr int kExitReaderGone = 128 + SIGPIPE;

// What the sampler knows of the PM now: its status, or why it no longer knows it (the last
// good status would read as "still running" when the platform is gone).
std::string DescribePmNow(const RunProgress& p) {
  const LostSight& lost = p.lost_sight;
  if (lost.unreachable_from_secs >= 0) {
    return "PLATFORM UNREACHABLE since " + FormatDecimal(lost.unreachable_from_secs, 1) +
           " platform-s (last error: " + SanitizeRemoteText(lost.last_error, 160) +
           "; last status read: " + (p.pm_status.empty() ? "none" : p.pm_status) + ")";
  }
  if (lost.vanished_at_secs >= 0) {
    return "PM VANISHED: GET answered " + std::to_string(lost.vanished_http_status) + " at " +
           FormatDecimal(lost.vanished_at_secs, 1) + " platform-s";
  }
  return "PM status " + (p.pm_status.empty() ? std::string("not sampled yet") : p.pm_status);
}

// The summary's line on where the sampler lost sight of the PM; "" when it never did.
std::string DescribeLostSight(const LostSight& lost) {
  std::string out;
  if (lost.unreachable_from_secs >= 0) {
    out +=
        "Platform unreachable from " + FormatDecimal(lost.unreachable_from_secs, 1) +
        " s platform to the task's end (last error: " + SanitizeRemoteText(lost.last_error, 160) +
        ")\n";
  }
  if (lost.vanished_at_secs >= 0) {
    out += "PM vanished: GET answered " + std::to_string(lost.vanished_http_status) + " at " +
           FormatDecimal(lost.vanished_at_secs, 1) + " s platform\n";
  }
  return out;
}

// Progress is for people: the run reports every 30 platform seconds (30 ms of wall time at
// TIME_SCALE=0.001); ProgressPacer keeps a line per 5 wall seconds and one per change of the
// PM's state.
class ProgressPrinter {
 public:
  void Print(const RunProgress& p) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!pacer_.Take(p)) {
      return;
    }
    std::fprintf(stderr,
                 "measure: waiting for the PM's answer: %.1f platform-s (%.2f s wall), "
                 "%s, %d status samples\n",
                 p.platform_secs, p.elapsed_secs, MaskKnownSecrets(DescribePmNow(p)).c_str(),
                 p.status_samples);
  }

 private:
  std::mutex mu_;
  ProgressPacer pacer_;
};

void PrintVerdictGuide();

// Where the task was when the run ended: its end and who saw it, or A2A_TIMEOUT with the task
// still running, or unknown when the harness lost sight of the PM.
std::string DescribeTaskEnd(const RunReport& r) {
  if (!r.task_still_running) {
    return "its end, seen by " +
           (r.task_end_source.empty() ? std::string("the HTTP answer") : r.task_end_source);
  }
  if (r.lost_sight.lost()) {
    return "A2A_TIMEOUT (a lower bound), its state UNKNOWN: the harness lost sight of the PM "
           "(below)";
  }
  return "A2A_TIMEOUT (a lower bound), STILL RUNNING when the run ended";
}

// What to do about the workspaces KEEP_WORKSPACES=1 kept: a command that deletes them as
// printed. The sweep takes them by run tag, since their names' deadline keeps them from any
// age-based sweep until then; --include-busy when the task still ran (its PM reads busy).
std::string KeptWorkspacesHint(const RunReport& r) {
  if (r.backend == "embedded_fake") {
    return "they lived in the embedded fake platform, which ended with this run: nothing is "
           "left to delete";
  }
  return "delete them with PLATFORM=" + r.platform +
         " bazel run //tools:sweep -- --run-tag=" + r.run_tag +
         (r.task_still_running ? " --include-busy" : "") +
         " --apply (ADMIN_TOKEN and TENANT_ID as for this run), or by hand";
}

// `unseen`: UnseenMechanismsWarning of the run's configuration ("" when none).
void PrintSummary(const RunReport& r, const std::string& unseen) {
  // Status changes and the marks that leave the task running (wedged, degraded), in one list
  // so the lines never contradict the verdict's reason.
  std::string transitions;
  for (const StatusTransition& t : r.status_transitions) {
    transitions += "\n    " + FormatDecimal(t.at_platform_secs, 1) + " s: " + t.from + " -> " +
                   t.to + (IsMarkStatus(t.to) ? " (a mark, not a bound)" : "");
  }
  if (r.wedged_at_secs >= 0) {
    transitions +=
        "\n    " + FormatDecimal(r.wedged_at_secs, 1) + " s: wedged flag set (a mark, not a bound)";
  }
  if (transitions.empty()) {
    transitions = " none observed";
  }
  // Built whole, then masked once: the report's remote text may echo a secret.
  std::ostringstream out;
  out << "=========================================\n"
      << "Measurement complete ("
      << (r.backend == "embedded_fake" ? "the embedded fake platform at " : "the platform at ")
      << r.platform << ", build "
      << (r.platform_git_sha.empty() ? std::string("unknown: no GET /buildinfo")
                                     : SanitizeRemoteText(r.platform_git_sha, 64))
      << ").\n"
      << "Task time: " << FormatDecimal(r.task_secs, 1) << " s platform ("
      << FormatDecimal(r.elapsed_secs, 3) << " s wall at TIME_SCALE=" << r.time_scale
      << ") from the kickoff to " << DescribeTaskEnd(r) << "\n"
      << "Kickoff call: " << FormatDecimal(r.call_secs, 1)
      << " s platform from the kickoff to its HTTP answer"
      << (r.call_deferred          ? " (a queued acknowledgement, not the task's end)"
          : r.response_status == 0 ? " (none came)"
                                   : "")
      << "\n"
      << "Kickoff answer: "
      << (r.response_status == 0 ? std::string("none")
                                 : "HTTP " + std::to_string(r.response_status))
      << ", " << A2AOutcomeName(r.outcome) << ", " << r.response_chars << " chars\n"
      << (r.platform_task_secs >= 0 ? "Task time as the platform reports it (duration_ms): " +
                                          FormatDecimal(r.platform_task_secs, 1) + " s\n"
                                    : std::string())
      << (r.kickoff_dispatches > 1 ? "Kickoff dispatches: the PM received the kickoff " +
                                         std::to_string(r.kickoff_dispatches) + " times\n"
                                   : std::string())
      << "VERDICT: " << r.verdict_name
      << (r.mechanism.empty() ? std::string() : " (mechanism: " + r.mechanism + ")") << "\n"
      << "  because " << r.verdict_reason << "\n"
      << (unseen.empty() ? std::string() : "WARNING: " + unseen + "\n")
      << "PM status samples: " << r.status_samples << "; transitions and marks:" << transitions
      << "\n"
      << DescribeLostSight(r.lost_sight) << "Heartbeat history: "
      << (r.heartbeat_history_available
              ? std::to_string(r.heartbeat_entries.size()) + " entries"
              : std::string("not available (the platform has no such route)"))
      << "\n"
      << "PM activity rows: "
      << (r.activity_available ? std::to_string(r.activity.size()) : std::string("not readable"))
      << "\n"
      << "PM workspace: " << r.pm_id << "\nChild workspace: " << r.child_id << "\n"
      << "Cleanup: "
      << (r.cleanup.skipped ? "skipped (KEEP_WORKSPACES=1): " + KeptWorkspacesHint(r)
                            : (r.cleanup.ok ? std::string("both deleted")
                                            : std::to_string(r.cleanup.failed.size()) +
                                                  " left behind (named above)"))
      << "\n"
      << "=========================================\n";
  std::cerr << MaskKnownSecrets(out.str());
  PrintVerdictGuide();
}

// The interpretation guide on stderr (docs/verdicts.md).
void PrintVerdictGuide() {
  std::cerr
      << "How to read the verdict:\n"
      << "Verdicts are about the TASK: a queued acknowledgement (200 \"queued\", the\n"
      << "sync budget) is followed to the task's end through the PM's event stream and\n"
      << "its message-keyed activity row; it is never a bound.\n"
      << "  not_informative            the task completed in under 60 s: the model was just\n"
      << "                             fast. Re-run with SYNTHESIS_DEPTH=8.\n"
      << "  within_delegation_timeout  completed in 60-300 s: DELEGATION_TIMEOUT alone would\n"
      << "                             have been enough; neither proves nor refutes a bound.\n"
      << "  unbounded                  completed after 300 s or more while the PM's status\n"
      << "                             stayed healthy: nothing on the platform bounded the\n"
      << "                             task (the gap MAX_TASK_EXECUTION_SECS would close).\n"
      << "  bounded_by_platform        a platform mechanism ended or interrupted the task;\n"
      << "                             the mechanism names it: idle_timer (202 queued, a\n"
      << "                             '(queued: target busy)' row), stall_watchdog,\n"
      << "                             container_restart, response_header_timeout,\n"
      << "                             platform_error (5xx), status_transition (a status\n"
      << "                             that stops the task), task_ceiling (terminated).\n"
      << "                             Marks that leave the task running (the wedged\n"
      << "                             flag, degraded) are evidence, never a bound.\n"
      << "  kickoff_refused            the kickoff was refused within 60 s (503 busy, waking,\n"
      << "                             warming or Retry-After): the task never started; retry.\n"
      << "  bounded_by_agent           the agent's own time limit ended the task (\"Agent\n"
      << "                             error: ...\", or \"Agent error (<Tag>)\" naming a "
         "timeout); agent_idle_cap: the\n"
      << "                             runtime's cap on the gap between its messages\n"
      << "                             (\"completion stalled\"), not the turn's length.\n"
      << "  agent_failed               the agent failed for another reason (provider,\n"
      << "                             credentials): nothing about bounds; fix and re-run.\n"
      << "  harness_timeout            A2A_TIMEOUT ran out with the task still running: raise\n"
      << "                             it, and look at the PM's status to tell hung from slow.\n"
      << "  inconclusive               the reason line says what is missing.\n";
}

constexpr char kUsage[] =
    "usage: measure [--results-dir=DIR] [--check-config] [--live-sweep[=SECS]]\n"
    "One measurement of a coordinator's task (README). Configuration comes from the\n"
    "environment (README \"Environment variables\"); events go to stdout, the summary to\n"
    "stderr. Exit 0 measured, 1 failed before measuring, 2 bad configuration, 3 a workspace\n"
    "may be left behind, 4 measured but the events could not be written to stdout (closed,\n"
    "or a write error, named on stderr), 141 quietly when the reader of stdout went away\n"
    "(measure | head -1): the run still finishes and deletes its workspaces.\n"
    "  --results-dir=DIR  write events.jsonl and run.json under DIR/measure_DepthN_<run tag>\n"
    "                     (a new folder per run, e.g. measure_Depth3_20261130t071500z-a1b2c3;\n"
    "                     overrides RESULTS_DIR; relative to where bazel run was called)\n"
    "  --check-config     only validate the configuration, sweep variables included\n"
    "                     (REPEAT, SYNTHESIS_DEPTHS, VARIANTS): exit 0, or 2 with one line;\n"
    "                     no request is sent\n"
    "  --live-sweep[=SECS] as the nightly job's //tests:live runs: A2A_TIMEOUT defaults to\n"
    "                     2700 s, and --check-config refuses a sweep whose shards cannot\n"
    "                     finish within the Bazel test timeout (SECS, default 3600: the\n"
    "                     target's \"eternal\")\n";

struct Arguments {
  std::string results_dir;
  bool check_config = false;
  bool live_sweep = false;
  double test_timeout_secs = kLiveTestTimeoutSecs;  // --live-sweep=SECS
};

// --live-sweep=SECS: a Bazel test timeout in seconds, as --test_timeout takes it.
bool ParseTestTimeout(const std::string& value, double* secs) {
  int whole = 0;
  if (!ParseIntInRange(value, 1, 1000000, &whole)) {
    return false;
  }
  *secs = whole;
  return true;
}

// -1: carry on with the run; otherwise the exit code (--help, or a bad argument).
int ParseArguments(int argc, char** argv, Arguments* parsed) {
  const std::string flag = "--results-dir";
  std::string* results_dir = &parsed->results_dir;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return kExitMeasured;
    }
    const std::string live = "--live-sweep";
    if (arg == "--check-config") {
      parsed->check_config = true;
    } else if (arg == live) {
      parsed->live_sweep = true;
    } else if (arg.rfind(live + "=", 0) == 0) {
      parsed->live_sweep = true;
      if (!ParseTestTimeout(arg.substr(live.size() + 1), &parsed->test_timeout_secs)) {
        std::cerr << "measure: " << SanitizeRemoteText(arg, 80)
                  << " is not a Bazel test timeout: give whole seconds, e.g. --live-sweep=3600\n";
        return kExitBadConfig;
      }
    } else if (arg.rfind(flag + "=", 0) == 0 && arg.size() > flag.size() + 1) {
      *results_dir = arg.substr(flag.size() + 1);
    } else if (arg == flag && i + 1 < argc) {
      *results_dir = argv[++i];
    } else {
      std::cerr << "measure: unknown or incomplete argument \"" << SanitizeRemoteText(arg, 80)
                << "\": the flags are --results-dir=DIR, --check-config and --live-sweep[=SECS] "
                   "(--help)\n";
      return kExitBadConfig;
    }
  }
  return -1;
}

// The configuration as every entry point loads it (LoadRunConfig: the sweeps read the same
// variables), checked without a request: run_live_nightly.sh asks before its sweep, with
// --live-sweep (the live target's A2A_TIMEOUT default, and its Bazel timeout as a limit).
int CheckConfigOnly(const Arguments& arguments) {
  ConfigResult loaded = LoadRunConfig(ProcessEnv());
  if (!loaded.ok()) {
    std::cerr << "measure: " << loaded.error << "\n";
    return kExitBadConfig;
  }
  if (arguments.live_sweep) {
    ApplyLiveSweepDefaults(&*loaded.config);
    if (const std::string error = CheckLiveSweepFits(*loaded.config, arguments.test_timeout_secs);
        !error.empty()) {
      std::cerr << "measure: " << error << "\n";
      return kExitBadConfig;
    }
    // The nightly job repeats it after the verdicts.
    loaded.warnings.push_back(UnseenMechanismsWarning(*loaded.config));
  }
  for (const std::string& warning : loaded.warnings) {
    if (!warning.empty()) {
      std::cerr << "measure: warning: " << warning << "\n";
    }
  }
  return kExitMeasured;
}

// The variables only the sweeps read (//tests:coordinator_task_bounds_test, //tests:live): their
// axes. One measurement takes none of them: "" when none is set, else one line naming each
// set and what measure runs instead.
std::string IgnoredSweepAxes(const EnvLookup& env, const RunConfig& config) {
  std::vector<std::string> named;
  for (const char* name : {"VARIANTS", "REPEAT", "SYNTHESIS_DEPTHS"}) {
    if (!env(name).value_or("").empty()) {
      named.emplace_back(name);
    }
  }
  if (named.empty()) {
    return "";
  }
  std::string list;
  for (std::size_t i = 0; i < named.size(); ++i) {
    list += (i == 0 ? "" : i + 1 == named.size() ? " and " : ", ") + named[i];
  }
  const bool depths = named.back() == "SYNTHESIS_DEPTHS";
  return list + " ignored: " + (named.size() > 1 ? "they are sweep axes" : "it is a sweep axis") +
         " (bazel test //tests:live or //tests:coordinator_task_bounds_test); measure runs "
         "once with " +
         (depths ? "SYNTHESIS_DEPTH=" + std::to_string(config.synthesis_depth) + ", " : "") +
         "PM_TEMPLATE=" + config.pm_template + ", CHILD_TEMPLATE=" + config.child_template +
         ", MODEL=" + (config.model.empty() ? "<the templates' own>" : config.model);
}

// run.json's "identity": what makes two runs repeats of one measurement (docs/runs.md "Where
// results land"); no secret (the URL without credentials, no token or key).
void Identify(const Target& target, const std::string& run_tag, const std::string& variant,
              RunArtifacts* artifacts) {
  const RunConfig& config = target.config();
  artifacts->Identify("run_tag", run_tag);
  artifacts->Identify("backend", BackendName(config));
  artifacts->Identify("platform", PublicUrl(target.url()));
  if (!target.live()) {
    artifacts->Identify("scenario", config.fake_scenario);
    artifacts->Identify("profile",
                        PlatformVersionName(EffectivePlatformVersion(target.fake()->options())));
  }
  artifacts->Identify("pm_template", config.pm_template);
  artifacts->Identify("child_template", config.child_template);
  artifacts->Identify("model", config.model);
  artifacts->Identify("variant", variant);
  artifacts->Identify("synthesis_depth", config.synthesis_depth);
  artifacts->Identify("time_scale", config.time_scale);
}

// stdout for the events, written with write(2) a line at a time so the first error is known
// by its errno: EPIPE (the reader went away) is told apart from a full or closed file.
class StdoutLines : public std::streambuf {
 public:
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      pending_.push_back(traits_type::to_char_type(c));
      if (pending_.back() == '\n') {
        WritePending();
      }
    }
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    pending_.append(s, static_cast<std::size_t>(n));
    if (!pending_.empty() && pending_.back() == '\n') {
      WritePending();
    }
    return n;
  }
  int sync() override {
    WritePending();
    return 0;  // a failure is reported once, at exit (StdoutVerdict), not on every flush
  }

 private:
  void WritePending() {
    if (error_ == 0) {
      error_ = WriteFully(STDOUT_FILENO, pending_);
    }
    pending_.clear();
  }

  std::string pending_;
  int error_ = 0;
};

// The exit code once stdout's fate is known: `rc` unless the run measured (0) and stdout
// failed: kExitReaderGone quietly for EPIPE, else kExitStdoutFailed with one line.
int StdoutVerdict(int rc, int error, const std::string& events_dir) {
  if (error == 0) {
    return rc;
  }
  if (error == EPIPE) {
    return rc == kExitMeasured ? kExitReaderGone : rc;
  }
  std::cerr << "measure: the events could not all be written to stdout (" << std::strerror(error)
            << "): "
            << (events_dir.empty() ? std::string("set RESULTS_DIR to keep them in a file")
                                   : "every one is in " + events_dir + "/events.jsonl")
            << "\n";
  return rc == kExitMeasured ? kExitStdoutFailed : rc;
}

// The run itself, its events to `out`; the exit code.
int Measure(const Target& target, const std::string& dir, const std::string& run_name,
            const std::string& run_tag, const EnvLookup& env, std::ostream& out) {
  const RunConfig& config = target.config();
  RunArtifacts artifacts(out, dir, run_name);
  // Without VARIANTS, LoadRunConfig names the one variant after PM_TEMPLATE and MODEL
  // ("ClaudeCodeDefault"); with it, measure ignores the sweep's names (IgnoredSweepAxes).
  const bool own_variant = env("VARIANTS").value_or("").empty() && !config.variants.empty();
  Identify(target, run_tag, own_variant ? config.variants.front().name : "", &artifacts);
  EventLog events(artifacts.stream());
  WorkspaceJanitor::InstallProcessCleanup();
  WorkspaceJanitor janitor(JanitorOptionsFor(config, target.url()), &events);
  RunOptions options;
  options.synthesis_depth = config.synthesis_depth;
  options.run_tag = run_tag;
  auto progress = std::make_shared<ProgressPrinter>();
  options.on_progress = [progress](const RunProgress& p) { progress->Print(p); };
  CoordinatorRun run(config, target.url(), events, janitor, options);
  const RunReport& report = run.Run();

  if (report.dry_run) {
    return report.errors.empty() ? kExitMeasured : kExitRunFailed;
  }
  if (report.measured) {
    PrintSummary(report, UnseenMechanismsWarning(config));
  }
  if (report.measured && !artifacts.dir().empty()) {
    // Where this run's files are: a results folder holds one folder per run. (A refused run
    // keeps its one-line error.)
    std::cerr << "measure: events.jsonl and run.json of this run are in " << artifacts.dir()
              << "\n";
  }
  // The janitor has already named each workspace left behind ("janitor: LEFT BEHIND"
  // lines): here only the count, so each id appears once on stderr.
  const std::string left_behind = std::to_string(report.cleanup.failed.size()) +
                                  " workspace(s) may be left behind (named above)";
  if (!report.measured) {
    std::cerr << "measure: no measurement taken: " << MaskKnownSecrets(report.FirstError()) << "\n";
    if (!report.cleanup.ok) {
      std::cerr << "measure: and " << left_behind << "\n";
      return kExitLeaked;
    }
    // The platform named a configuration problem (a create's 422 code): like a bad variable.
    return report.config_error ? kExitBadConfig : kExitRunFailed;
  }
  if (!report.cleanup.ok) {
    std::cerr << "measure: measured, but " << left_behind << "\n";
    return kExitLeaked;
  }
  return kExitMeasured;
}

int Main(const Arguments& arguments) {
  const std::string& results_dir = arguments.results_dir;
  const EnvLookup env = ProcessEnv();
  ConfigResult loaded = LoadRunConfig(env);
  if (!loaded.ok()) {
    std::cerr << "measure: " << loaded.error << "\n";
    return kExitBadConfig;
  }
  if (arguments.live_sweep) {
    ApplyLiveSweepDefaults(&*loaded.config);
  }
  loaded.warnings.push_back(IgnoredSweepAxes(env, *loaded.config));
  for (const std::string& warning : loaded.warnings) {
    if (!warning.empty()) {
      std::cerr << "measure: warning: " << warning << "\n";
    }
  }
  // events.jsonl and run.json also land in $RESULTS_DIR/measure_DepthN_<run tag> (under bazel
  // test: TEST_UNDECLARED_OUTPUTS_DIR) when it is set: a new folder per run, so a re-run never
  // overwrites an earlier one, named by the tag the workspaces carry. Checked now, before the
  // fake starts or any request is sent: a bad path is a configuration error, not a mid-run
  // warning.
  const std::string run_name = "measure/Depth" + std::to_string(loaded.config->synthesis_depth);
  const std::string run_tag = NewRunTag();
  const RunArtifacts::Location results =
      RunArtifacts::Locate(run_name + "_" + run_tag, results_dir);
  if (const std::string error = RunArtifacts::CheckWritable(results); !error.empty()) {
    std::cerr << "measure: " << error << "\n";
    return kExitBadConfig;
  }
  // Fake or live, and the defaults that follow, are decided in OpenTarget only.
  const TargetResult opened = OpenTarget(*loaded.config);
  if (!opened.ok()) {
    std::cerr << "measure: " << opened.error << "\n";
    return kExitRunFailed;
  }
  const Target& target = *opened.target;
  if (!target.live()) {
    std::cerr << "measure: PLATFORM is unset: using " << target.Describe() << "\n";
  }

  StdoutLines stdout_lines;
  std::ostream out(&stdout_lines);
  const int rc = Measure(target, results.dir, run_name, run_tag, env, out);
  out.flush();
  return StdoutVerdict(rc, stdout_lines.error(), results.dir);
}

}  // namespace
}  // namespace taskbounds

int main(int argc, char** argv) {
  // A closed stdout (`measure >&-`) would lose every event, and the first file or socket the
  // run opens would take descriptor 1: refuse before anything starts.
  if (::fcntl(STDOUT_FILENO, F_GETFD) < 0 && errno == EBADF) {
    std::cerr << "measure: stdout is closed: the events go there; run with stdout open "
                 "(>/dev/null keeps only RESULTS_DIR's events.jsonl)\n";
    return taskbounds::kExitStdoutFailed;
  }
  // libcurl with CURLOPT_NOSIGNAL leaves SIGPIPE to the program; init before any thread.
  std::signal(SIGPIPE, SIG_IGN);
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    std::cerr << "measure: curl_global_init failed\n";
    return taskbounds::kExitRunFailed;
  }
  taskbounds::Arguments arguments;
  if (const int rc = taskbounds::ParseArguments(argc, argv, &arguments); rc >= 0) {
    curl_global_cleanup();
    return rc;
  }
  const int rc =
      arguments.check_config ? taskbounds::CheckConfigOnly(arguments) : taskbounds::Main(arguments);
  curl_global_cleanup();
  return rc;
}
