// //tools:sweep: finds this suite's leftover workspaces on a platform (what SIGKILL left,
// creates that failed without an id) and, with --apply, deletes them the way the janitor
// does (children first, then parents, cascading only over children it registered; retries
// within a slice, a GET that shows a workspace gone counts). docs/runs.md "Sweeping leftovers".
//
//   bazel run //tools:sweep -- [--older-than=AGE] [--legacy-names] [--include-busy] [--apply]
//   bazel run //tools:sweep -- --run-tag=TAG [--include-busy] [--apply]
//
// AGE: "90s", "30m", "2h" (default), "7d" or seconds; 0 takes every age. A workspace whose
// name carries its run's deadline is kept before it ("in use by a run until <time>") unless
// --include-busy. TAG: one run's tag (e.g. 20261130t071500z-a1b2c3, what measure prints):
// that run's workspaces whatever their age and deadline. Environment:
// PLATFORM (required), ADMIN_TOKEN and TENANT_ID, validated exactly as //tools:measure
// does (a non-local PLATFORM needs both); DRY_RUN=1 forbids --apply. No LLM key is needed.
//
//   stdout: JSON lines: sweep_listed {platform, listed, unreadable_entries},
//           sweep_candidate {workspace_id, name, status, age_secs, age_source,
//           in_use_until, selected, reason} for each of this suite's workspaces, the janitor's
//           cleanup_deleted / cleanup_failed with --apply, then sweep_done {selected, deleted,
//           failed, applied}.
//   stderr: a summary (ids only: names are remote text and stay in the JSON).
//   exit:   0 listed (dry run) or every selected workspace deleted; 1 the list could not
//           be read; 2 bad arguments or configuration (also the list refused with 401/403,
//           the tenant guard's empty 404 or 400 TENANT_ORG_HEADER_REQUIRED: one line naming
//           ADMIN_TOKEN or TENANT_ID, as //tools:measure says it); 3 a selected workspace is
//           left (named by the janitor).
#include <csignal>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "client/config.h"
#include "client/event_log.h"
#include "client/platform_client.h"
#include "client/text.h"
#include "client/wire.h"
#include "curl/curl.h"
#include "fixtures/run/access_problem.h"
#include "fixtures/run/coordinator_run.h"
#include "fixtures/run/run_tag.h"
#include "fixtures/run/workspace_janitor.h"
#include "tools/sweep.h"

namespace taskbounds {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitListFailed = 1;
constexpr int kExitBadConfig = 2;
constexpr int kExitLeft = 3;

constexpr char kUsage[] =
    "usage: sweep [--older-than=AGE] [--legacy-names] [--include-busy] [--apply]\n"
    "       sweep --run-tag=TAG [--include-busy] [--apply]\n"
    "  Lists this suite's workspaces (named taskbounds-<run tag>[-until-<deadline>]-pm|\n"
    "  researcher) older than AGE (default 2h; 90s, 30m, 2h, 7d; 0 = any age) on $PLATFORM;\n"
    "  --apply deletes them.\n"
    "  One whose name carries its run's deadline is kept until then, whatever AGE: a run is\n"
    "  still using it. A busy workspace (active_tasks > 0 on it, on a child under it, or on\n"
    "  its parent) is kept too. --include-busy deletes both anyway.\n"
    "  --run-tag=TAG takes only the workspaces of that run (e.g. 20261130t071500z-a1b2c3),\n"
    "  whatever their age and deadline: naming it says the run has ended.\n"
    "  --legacy-names also matches workspaces named exactly PM or Researcher (runs from\n"
    "  before the run-tag names; their age is only known from uptime_seconds).\n";

// An argument quoted for the one error line: controls escaped, cut near 80 bytes.
std::string QuotedArgument(const std::string& arg) {
  constexpr std::size_t kQuotedBytes = 83;  // 80 bytes and "..."
  return "\"" + SanitizeRemoteText(arg, kQuotedBytes) + "\"";
}

// Parses argv into `options`; false with a one-line `error` on anything unknown.
bool ParseArgs(int argc, char** argv, SweepOptions* options, std::string* error) {
  bool older_than_given = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--apply") {
      options->apply = true;
    } else if (arg == "--legacy-names") {
      options->legacy_names = true;
    } else if (arg == "--include-busy") {
      options->include_busy = true;
    } else if (arg.rfind("--older-than=", 0) == 0) {
      const std::string value = arg.substr(std::strlen("--older-than="));
      const auto age = ParseAge(value);
      if (!age) {
        *error = "--older-than=" + QuotedArgument(value) +
                 " is not an age like 90s, 30m, 2h, 7d or seconds, up to 3650d";
        return false;
      }
      options->older_than_secs = *age;
      older_than_given = true;
    } else if (arg.rfind("--run-tag=", 0) == 0) {
      options->run_tag = arg.substr(std::strlen("--run-tag="));
      if (!IsRunTag(options->run_tag)) {
        *error = "--run-tag=" + QuotedArgument(options->run_tag) +
                 " is not a run tag like 20261130t071500z-a1b2c3 (what follows taskbounds- in "
                 "a workspace's name)";
        return false;
      }
    } else {
      *error = "unknown argument " + QuotedArgument(arg) + " (see --help)";
      return false;
    }
  }
  if (!options->run_tag.empty() && (older_than_given || options->legacy_names)) {
    *error = std::string("--run-tag takes one run's workspaces whatever their age: drop ") +
             (older_than_given ? "--older-than" : "--legacy-names") + ", or --run-tag";
    return false;
  }
  return true;
}

// The run's configuration rules, without the LLM key or secret a sweep never sends (their
// variables, even half set, are none of its business).
ConfigResult LoadSweepConfig() {
  const EnvLookup process = ProcessEnv();
  return LoadRunConfig([process](const std::string& name) -> std::optional<std::string> {
    if (name == "OPENROUTER_API_KEY") {
      return std::string("unused-by-the-sweep");
    }
    const bool secret = name == "OPENAI_API_KEY" || name == "SECRET_NAME" || name == "SECRET_VALUE";
    return secret ? std::nullopt : process(name);
  });
}

void EmitCandidate(EventLog& events, const SweepCandidate& c) {
  events.Emit("sweep_candidate",
              EventData()
                  .Str("workspace_id", c.workspace.id)
                  .Str("name", c.workspace.name)
                  .Str("status", c.workspace.status)
                  .Num("age_secs", c.age_secs)
                  .Str("age_source", c.age_source)
                  .Str("in_use_until", c.in_use_until ? FormatUtcSecond(*c.in_use_until) : "")
                  .Bool("selected", c.selected)
                  .Str("reason", c.reason));
}

// Reads the list into `listed`. On failure returns the exit code, having said on stderr
// what failed: a refusal of the credentials or org (the sweep's first admin request) is a
// configuration error naming the variable, worded as //tools:measure words it.
std::optional<int> ReadList(PlatformClient& client, const RunConfig& config,
                            std::vector<ListedWorkspace>* listed, int* unreadable) {
  const HttpExchange listing = client.Send("GET", "/workspaces", "");
  const std::string where = "sweep: GET /workspaces on " + PublicUrl(config.platform_url);
  std::string error;
  if (!listing.transport_ok()) {
    error = listing.curl_error;
  } else if (listing.http_status != 200) {
    const std::string problem = AccessProblem(ReadPlatformError(listing), config);
    if (!problem.empty()) {
      std::cerr << where << " refused: " << problem << "\n";
      return kExitBadConfig;
    }
    error = "HTTP " + std::to_string(listing.http_status) + " " + listing.BodyExcerpt();
  } else {
    ParseWorkspaceList(listing.body, listed, unreadable, &error);
  }
  if (!error.empty()) {
    std::cerr << where << " failed: " << error
              << " (the sweep needs the platform's admin list route and ADMIN_TOKEN)\n";
    return kExitListFailed;
  }
  return std::nullopt;
}

// Lists, selects, and (with --apply) deletes. Returns the exit code.
int Sweep(const RunConfig& config, const SweepOptions& options, EventLog& events) {
  PlatformClient client(config.ToClientOptions());
  std::vector<ListedWorkspace> listed;
  int unreadable = 0;
  if (const std::optional<int> failed = ReadList(client, config, &listed, &unreadable)) {
    return *failed;
  }
  events.Emit("sweep_listed", EventData()
                                  .Str("platform", PublicUrl(config.platform_url))
                                  .Int("listed", static_cast<std::int64_t>(listed.size()))
                                  .Int("unreadable_entries", unreadable));
  const auto candidates = SelectLeftovers(listed, options, std::chrono::system_clock::now());
  WorkspaceJanitor::InstallProcessCleanup();
  JanitorOptions janitor_options = JanitorOptionsFor(config, config.platform_url);
  janitor_options.keep_workspaces = false;  // KEEP_WORKSPACES is about runs, not sweeps
  janitor_options.for_sweep = true;
  WorkspaceJanitor janitor(janitor_options, &events);
  int selected = 0;
  for (const SweepCandidate& c : candidates) {
    EmitCandidate(events, c);
    if (!c.selected &&
        (c.reason.rfind("busy:", 0) == 0 || c.reason.rfind("in use by a run", 0) == 0)) {
      std::cerr << "sweep: keeping " << c.workspace.id << " (" << c.reason << ")\n";
    }
    if (c.selected) {
      ++selected;
      std::cerr << "sweep: " << (options.apply ? "deleting " : "would delete ") << c.workspace.id
                << " (" << c.reason << ")\n";
      if (options.apply) {
        janitor.Register(c.workspace.id, c.parent ? WorkspaceKind::kParent : WorkspaceKind::kChild,
                         c.parent ? "PM" : "child");
        // The listed name as persisted: today's DELETE wants it as X-Confirm-Name.
        janitor.RecordPersistedName(c.workspace.id, c.workspace.name);
      }
    }
  }
  CleanupResult result;
  if (options.apply) {
    result = janitor.DeleteAll();
  }
  events.Emit("sweep_done", EventData()
                                .Int("selected", selected)
                                .Int("deleted", static_cast<std::int64_t>(result.deleted.size()))
                                .Int("failed", static_cast<std::int64_t>(result.failed.size()))
                                .Bool("applied", options.apply));
  if (!options.run_tag.empty() && candidates.empty()) {
    std::cerr << "sweep: no workspace of run " << options.run_tag
              << " is listed: nothing to delete (already deleted, or on another platform or "
                 "org)\n";
  }
  std::cerr << "sweep: " << candidates.size() << " of this suite's workspaces listed, " << selected
            << (options.apply ? " selected, " + std::to_string(result.deleted.size()) + " deleted"
                              : " would be deleted (dry run: re-run with --apply)")
            << "\n";
  return result.ok ? kExitOk : kExitLeft;
}

int Main(int argc, char** argv) {
  SweepOptions options;
  std::string error;
  if (argc == 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::cout << kUsage;
    return kExitOk;
  }
  if (!ParseArgs(argc, argv, &options, &error)) {
    std::cerr << "sweep: " << error << "\n" << kUsage;
    return kExitBadConfig;
  }
  const ConfigResult loaded = LoadSweepConfig();
  if (!loaded.ok()) {
    std::cerr << "sweep: " << loaded.error << "\n";
    return kExitBadConfig;
  }
  for (const std::string& warning : loaded.warnings) {
    std::cerr << "sweep: warning: " << warning << "\n";
  }
  if (loaded.config->use_embedded_fake) {
    std::cerr << "sweep: set PLATFORM to the platform to sweep, e.g. "
                 "PLATFORM=https://staging.example ADMIN_TOKEN=... TENANT_ID=... bazel run "
                 "//tools:sweep -- --older-than=2h (an embedded fake lives only as long as one "
                 "run: it has nothing to sweep)\n";
    return kExitBadConfig;
  }
  if (options.apply && loaded.config->dry_run) {
    std::cerr << "sweep: DRY_RUN=1 and --apply contradict each other: drop one\n";
    return kExitBadConfig;
  }
  EventLog events(std::cout);
  return Sweep(*loaded.config, options, events);
}

}  // namespace
}  // namespace taskbounds

int main(int argc, char** argv) {
  // libcurl with CURLOPT_NOSIGNAL leaves SIGPIPE to the program; init before any thread.
  std::signal(SIGPIPE, SIG_IGN);
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    std::cerr << "sweep: curl_global_init failed\n";
    return 1;
  }
  const int rc = taskbounds::Main(argc, argv);
  curl_global_cleanup();
  return rc;
}
