// //tools:measure: one coordinator task-bounds measurement, like the reference shell
// harness, with its environment variables and event names.
//
//   stdout: one JSON object per line ({"ts","event","data"}), the reference's events plus
//           status_sample, pm_activity and verdict.
//   stderr: progress at least every 30 platform-seconds while waiting, then a summary with
//           the verdict and how to read it.
//   exit:   0 a measurement was taken (whatever the verdict) or DRY_RUN printed the plan;
//           1 the run failed before a measurement (provisioning, online timeout, ...);
//           2 bad configuration (also a create the platform refused with a 422 code naming
//           the variable to change); 3 a workspace may be left behind (a delete failed, or a
//           create gave no usable id), measured or not: the janitor named each on stderr
//           and in a cleanup_failed event.
//
// PLATFORM unset: an embedded fake platform is started in-process. FAKE_SCENARIO chooses
// what bounds its simulated coordinator; TIME_SCALE (default 0.001 with the fake) shrinks
// every platform duration and the harness's own timeouts alike.
#include <csignal>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>

#include "client/config.h"
#include "client/event_log.h"
#include "client/secrets.h"
#include "client/text.h"
#include "client/verdict.h"
#include "curl/curl.h"
#include "fixtures/run/coordinator_run.h"
#include "fixtures/run/run_artifacts.h"
#include "fixtures/run/target.h"
#include "fixtures/run/workspace_janitor.h"

namespace taskbounds {
namespace {

constexpr int kExitMeasured = 0;
constexpr int kExitRunFailed = 1;
constexpr int kExitBadConfig = 2;
constexpr int kExitLeaked = 3;

void PrintProgress(const RunProgress& p) {
  std::fprintf(stderr,
               "measure: waiting for the PM's answer: %.1f platform-s (%.2f s wall), "
               "PM status %s, %d status samples\n",
               p.platform_secs, p.elapsed_secs,
               p.pm_status.empty() ? "not sampled yet" : p.pm_status.c_str(), p.status_samples);
}

void PrintVerdictGuide();

void PrintSummary(const RunReport& r) {
  std::string transitions;
  for (const StatusTransition& t : r.status_transitions) {
    transitions +=
        "\n    " + FormatDecimal(t.at_platform_secs, 1) + " s: " + t.from + " -> " + t.to;
  }
  if (transitions.empty()) {
    transitions = " none observed";
  }
  // Built whole, then masked once: the report's remote text may echo a secret.
  std::ostringstream out;
  out << "=========================================\n"
      << "Measurement complete (" << r.backend << ", " << r.platform << ", build "
      << (r.platform_git_sha.empty() ? std::string("unknown: no GET /buildinfo")
                                     : SanitizeRemoteText(r.platform_git_sha, 64))
      << ").\n"
      << "Coordinator response time: " << FormatDecimal(r.elapsed_secs, 3)
      << " s wall = " << FormatDecimal(r.platform_secs, 1)
      << " s platform (TIME_SCALE=" << r.time_scale << ")\n"
      << "Response: "
      << (r.response_status == 0 ? std::string("none")
                                 : "HTTP " + std::to_string(r.response_status))
      << ", " << A2AOutcomeName(r.outcome) << ", " << r.response_chars << " chars\n"
      << "Task: " << FormatDecimal(r.task_secs, 1) << " s platform from the kickoff to "
      << (r.task_still_running
              ? std::string("A2A_TIMEOUT, STILL RUNNING when the run ended")
              : "its end, seen by " + (r.task_end_source.empty() ? std::string("the HTTP answer")
                                                                 : r.task_end_source))
      << "; the call " << FormatDecimal(r.call_secs, 1) << " s"
      << (r.call_deferred ? " (a queued acknowledgement, not the end)" : "")
      << (r.platform_task_secs >= 0
              ? "; the platform's duration_ms " + FormatDecimal(r.platform_task_secs, 1) + " s"
              : std::string())
      << (r.kickoff_dispatches > 1
              ? "; the PM received the kickoff " + std::to_string(r.kickoff_dispatches) + " times"
              : std::string())
      << "\n"
      << "VERDICT: " << r.verdict_name
      << (r.mechanism.empty() ? std::string() : " (mechanism: " + r.mechanism + ")") << "\n"
      << "  because " << r.verdict_reason << "\n"
      << "PM status samples: " << r.status_samples << "; transitions:" << transitions << "\n"
      << "Heartbeat history: "
      << (r.heartbeat_history_available
              ? std::to_string(r.heartbeat_entries.size()) + " entries"
              : std::string("not available (the platform has no such route)"))
      << "\n"
      << "PM activity rows: "
      << (r.activity_available ? std::to_string(r.activity.size()) : std::string("not readable"))
      << "\n"
      << "PM workspace: " << r.pm_id << "\nChild workspace: " << r.child_id << "\n"
      << "Cleanup: "
      << (r.cleanup.skipped ? std::string("skipped (KEEP_WORKSPACES=1): delete them by hand "
                                          "or with //tools:sweep --apply (a sweep never "
                                          "keeps them)")
                            : (r.cleanup.ok ? std::string("both deleted")
                                            : std::to_string(r.cleanup.failed.size()) +
                                                  " left behind (named above)"))
      << "\n"
      << "=========================================\n";
  std::cerr << MaskKnownSecrets(out.str());
  PrintVerdictGuide();
}

// The interpretation guide on stderr (README "Verdicts").
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
      << "                             platform_error (5xx), status_transition (any status\n"
      << "                             but online, wedged), task_ceiling (terminated).\n"
      << "  kickoff_refused            the kickoff was refused within 60 s (503 busy, waking,\n"
      << "                             warming or Retry-After): the task never started; retry.\n"
      << "  bounded_by_agent           the agent's own time limit ended the task (\"Agent\n"
      << "                             error: ...\", or \"Agent error (<Tag>)\" naming a "
         "timeout).\n"
      << "  agent_failed               the agent failed for another reason (provider,\n"
      << "                             credentials): nothing about bounds; fix and re-run.\n"
      << "  harness_timeout            A2A_TIMEOUT ran out with the task still running: raise\n"
      << "                             it, and look at the PM's status to tell hung from slow.\n"
      << "  inconclusive               the reason line says what is missing.\n";
}

constexpr char kUsage[] =
    "usage: measure [--results-dir=DIR]\n"
    "One measurement of a coordinator's task (README). Configuration comes from the\n"
    "environment (README \"Environment variables\"); events go to stdout, the summary to\n"
    "stderr. Exit 0 measured, 1 failed before measuring, 2 bad configuration, 3 a workspace\n"
    "may be left behind.\n"
    "  --results-dir=DIR  write events.jsonl and run.json under DIR/measure_DepthN\n"
    "                     (overrides RESULTS_DIR; relative to where bazel run was called)\n";

// -1: carry on with the run; otherwise the exit code (--help, or a bad argument).
int ParseArguments(int argc, char** argv, std::string* results_dir) {
  const std::string flag = "--results-dir";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return kExitMeasured;
    }
    if (arg.rfind(flag + "=", 0) == 0 && arg.size() > flag.size() + 1) {
      *results_dir = arg.substr(flag.size() + 1);
    } else if (arg == flag && i + 1 < argc) {
      *results_dir = argv[++i];
    } else {
      std::cerr << "measure: unknown or incomplete argument \"" << SanitizeRemoteText(arg, 80)
                << "\": the only flag is --results-dir=DIR (--help)\n";
      return kExitBadConfig;
    }
  }
  return -1;
}

int Main(const std::string& results_dir) {
  const EnvLookup env = ProcessEnv();
  ConfigResult loaded = LoadRunConfig(env);
  if (!loaded.ok()) {
    std::cerr << "measure: " << loaded.error << "\n";
    return kExitBadConfig;
  }
  for (const std::string& warning : loaded.warnings) {
    std::cerr << "measure: warning: " << warning << "\n";
  }
  // events.jsonl and run.json also land in $RESULTS_DIR/measure_DepthN (under bazel test:
  // TEST_UNDECLARED_OUTPUTS_DIR) when it is set: checked now, before the fake starts or any
  // request is sent, so a bad path is a configuration error rather than a warning mid-run.
  const std::string run_name = "measure/Depth" + std::to_string(loaded.config->synthesis_depth);
  const RunArtifacts::Location results = RunArtifacts::Locate(run_name, results_dir);
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
  const RunConfig& config = target.config();
  if (!target.live()) {
    std::cerr << "measure: PLATFORM is unset: using " << target.Describe() << "\n";
  }

  RunArtifacts artifacts(std::cout, results.dir, run_name);
  EventLog events(artifacts.stream());
  WorkspaceJanitor::InstallProcessCleanup();
  WorkspaceJanitor janitor(JanitorOptionsFor(config, target.url()), &events);
  RunOptions options;
  options.synthesis_depth = config.synthesis_depth;
  options.on_progress = PrintProgress;
  CoordinatorRun run(config, target.url(), events, janitor, options);
  const RunReport& report = run.Run();

  if (report.dry_run) {
    return report.errors.empty() ? kExitMeasured : kExitRunFailed;
  }
  if (report.measured) {
    PrintSummary(report);
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

}  // namespace
}  // namespace taskbounds

int main(int argc, char** argv) {
  // libcurl with CURLOPT_NOSIGNAL leaves SIGPIPE to the program; init before any thread.
  std::signal(SIGPIPE, SIG_IGN);
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    std::cerr << "measure: curl_global_init failed\n";
    return taskbounds::kExitRunFailed;
  }
  std::string results_dir;
  if (const int rc = taskbounds::ParseArguments(argc, argv, &results_dir); rc >= 0) {
    curl_global_cleanup();
    return rc;
  }
  const int rc = taskbounds::Main(results_dir);
  curl_global_cleanup();
  return rc;
}
