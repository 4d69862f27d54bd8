// fake_platform: the fake Molecule platform as a standalone server, for running the
// reference shell harness or the measure tool against it by hand. See --help.
#include <pthread.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mocks/embedded_fake_platform.h"
#include "mocks/fault_spec.h"
#include "mocks/routes.h"

namespace taskbounds {
namespace {

constexpr char kUsage[] = R"(usage: fake_platform [flags]

Serves a fake Molecule platform on 127.0.0.1 (platform-api.md section 9) until SIGINT or
SIGTERM. The first line of stdout is "listening on http://127.0.0.1:PORT".

  --port=N                      port to bind; 0 (default) picks a free one
  --scenario=NAME               what bounds a coordinator task: unbounded (default),
                                idle_timeout, agent_ceiling, platform_ceiling; 2026-08's
                                mechanisms: stall_watchdog, container_restart,
                                header_timeout, agent_failure, agent_idle_cap
                                (unbounded on 2026-04)
  --platform-version=V          platform release to model: 2026-08 (default) or 2026-04
  --time-scale=X                wall seconds per platform second (default 1; e.g. 0.001)
  --admin-token=TOKEN           enforce AdminAuth/WorkspaceAuth with this bearer (default:
                                none: 2026-04's dev mode opens every route; 2026-08 fails
                                closed, only the auth_token of a created workspace passes)
  --approval-gate=on|off        2026-08: secret writes by the admin token answer 202
                                pending_approval until POST .../approvals/{id}/decide
                                approves them (default off; the real platform gates always)
  --platform-root=on|off        2026-08: the org has its platform agent, a kind='platform'
                                root; creates without parent_id land under it, and it is
                                never counted as a leak (default on); off: they land under
                                the sole root workspace, if any
  --phantom-busy=on|off         the phantom-busy sweeper: every --phantom-busy-interval-secs
                                it sets active_tasks to 0 on a busy workspace with no activity
                                row for --phantom-busy-quiet-secs, until its next heartbeat
                                (2026-08's, default off; on 2026-04 too, as a test knob)
  --org-id=ID                   enforce X-Molecule-Org-Id tenancy (default: off)
  --rate-limit=N                requests per (platform) minute per client IP; 0 = off (default)
  --a2a-latency-ms=MS           every A2A call answers 200 after exactly MS wall ms (benchmarks);
                                negative (default) = simulate the coordinator
  --workers=N                   server worker threads (default 96)
  --sync-budget-disable         2026-08: A2A_CANVAS_SYNC_DISABLE, calls hold for the whole task
Platform durations in platform seconds (multiplied by --time-scale):
  --registration-secs=S         create -> online (default 5)
  --restart-secs=S              secret write -> provisioning -> online (default 5)
  --restart-wait-if-provisioning-secs=S
                                a secret written while still provisioning restarts the
                                workspace only after this wait (default 10)
  --delegation-round-secs=S     per depth unit (default 15)
  --synthesis-secs-per-depth=S  synthesis = depth x S (default 40)
  --heartbeat-interval-secs=S   (default 30)
  --idle-timeout-secs=S         proxy idle timer, idle_timeout scenario (default 300)
  --agent-task-ceiling-secs=S   agent_ceiling scenario (default 300)
  --platform-ceiling-secs=S     platform_ceiling scenario (default 300)
  --terminated-status-secs=S    how long a terminated PM shows "failed" (default 30)
  --provision-timeout-secs=S    stuck provisioning -> failed (default 600)
  --completion-idle-timeout-secs=S
                                agent_idle_cap scenario: the runtime's cap on a silent
                                completion (A2A_COMPLETION_IDLE_TIMEOUT_SECONDS, default 900)
  --degraded-after-error-secs=S how long the PM shows degraded after an agent error (300)
 2026-08 only (platform-api-2026-08.md sections 4-6):
  --sync-budget-secs=S          A2A_CANVAS_SYNC_BUDGET: then 200 queued push-async (default 90)
  --idle-timeout-2026-08-secs=S A2A_IDLE_TIMEOUT_SECONDS, idle_timeout scenario (default 1800)
  --stall-interval-secs=S       stall watchdog tick (default 180)
  --stall-stale-after-secs=S    silence while busy before the probe (default 720)
  --stall-probe-grace-secs=S    probe -> soft restart (default 300)
  --liveness-ttl-secs=S         container dead -> offline, container_restart (default 180)
  --response-header-timeout-secs=S
                                header_timeout scenario (default 1800)
  --queue-sweep-secs=S          queued item -> re-dispatched (default 10)
  --boot-turn-secs=S            boot turn holding the gate after online; 0 = none (default)
  --phantom-busy-interval-secs=S
                                PHANTOM_BUSY_SWEEPER_INTERVAL_S, with --phantom-busy=on
                                (default 300)
  --phantom-busy-quiet-secs=S   no activity row for this long: reset (default 600)
Fault injection (repeatable):
  --fault='ROUTE:SPEC[:SPEC...]'
      ROUTE is one of the route keys below, or "*" (every request).
)";

// The help text: the fixed part, then the fault syntax and the routes from mocks/routes.h.
std::string Usage() {
  std::string usage = kUsage;
  usage += FaultSpecHelp();
  usage += "  --help                        this text\n";
  usage += "Routes (the fake answers any other with Gin's 404):\n" + RouteHelp("  ");
  return usage;
}

struct Flags {
  FakePlatformOptions options;
  ServerOptions server;
  std::vector<FaultFlag> faults;
};

bool ParseDouble(const std::string& text, double* out) {
  if (text.empty()) {
    return false;
  }
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  if (errno != 0 || *end != '\0' || !std::isfinite(value)) {
    return false;
  }
  *out = value;
  return true;
}

bool ParseInt(const std::string& text, long min, long max, long* out) {
  if (text.empty()) {
    return false;
  }
  char* end = nullptr;
  errno = 0;
  const long value = std::strtol(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || value < min || value > max) {
    return false;
  }
  *out = value;
  return true;
}

// "--NAME must be RULE, got "VALUE"".
std::string BadValue(const std::string& name, const char* rule, const std::string& value) {
  std::string message = "--";
  message.append(name).append(" must be ").append(rule).append(", got \"");
  message.append(value).append("\"");
  return message;
}

// The duration flags, each naming its field of `d`.
std::map<std::string, double*> DurationFlags(SimulatedDurations& d) {
  return {
      {"registration-secs", &d.registration_secs},
      {"restart-secs", &d.restart_secs},
      {"restart-wait-if-provisioning-secs", &d.restart_wait_if_provisioning_secs},
      {"delegation-round-secs", &d.delegation_round_secs},
      {"synthesis-secs-per-depth", &d.synthesis_secs_per_depth},
      {"heartbeat-interval-secs", &d.heartbeat_interval_secs},
      {"idle-timeout-secs", &d.idle_timeout_secs},
      {"agent-task-ceiling-secs", &d.agent_task_ceiling_secs},
      {"completion-idle-timeout-secs", &d.completion_idle_timeout_secs},
      {"degraded-after-error-secs", &d.degraded_after_error_secs},
      {"platform-ceiling-secs", &d.platform_ceiling_secs},
      {"terminated-status-secs", &d.terminated_status_secs},
      {"provision-timeout-secs", &d.provision_timeout_secs},
      {"sync-budget-secs", &d.sync_budget_secs},
      {"idle-timeout-2026-08-secs", &d.idle_timeout_2026_08_secs},
      {"stall-interval-secs", &d.stall_interval_secs},
      {"stall-stale-after-secs", &d.stall_stale_after_secs},
      {"stall-probe-grace-secs", &d.stall_probe_grace_secs},
      {"liveness-ttl-secs", &d.liveness_ttl_secs},
      {"response-header-timeout-secs", &d.response_header_timeout_secs},
      {"queue-sweep-secs", &d.queue_sweep_secs},
      {"boot-turn-secs", &d.boot_turn_secs},
      {"phantom-busy-interval-secs", &d.phantom_busy_interval_secs},
      {"phantom-busy-quiet-secs", &d.phantom_busy_quiet_secs},
  };
}

// "unbounded, idle_timeout, ... or agent_failure".
std::string ScenarioChoices() {
  const std::vector<Scenario> all = AllScenarios();
  std::string choices;
  for (std::size_t i = 0; i < all.size(); ++i) {
    choices += i == 0 ? "" : (i + 1 == all.size() ? " or " : ", ");
    choices += ScenarioName(all[i]);
  }
  return choices;
}

std::string UnknownFlag(const std::string& name) {
  return "unknown flag --" + name + " (see --help)";
}

std::optional<std::string> ParseFlag(const std::string& name, const std::string& value,
                                     Flags* flags);

// Whether ParseFlag knows `name`: asked of ParseFlag itself (on scratch flags, the value
// irrelevant), so the parser stays the one list of flags. SplitFlag needs this to name an
// unknown flag as unknown even when it is last (it would otherwise "need a value").
bool IsKnownFlag(const std::string& name) {
  Flags scratch;
  const std::optional<std::string> error = ParseFlag(name, "", &scratch);
  return !error || *error != UnknownFlag(name);
}

// argv[*i] as a flag name and its value ("--name=value" or "--name value", advancing *i);
// a switch (a flag without a value) gets "true". An error is one line naming the flag.
std::optional<std::string> SplitFlag(int argc, char** argv, int* i, std::string* name,
                                     std::string* value) {
  const std::string arg = argv[*i];
  if (arg.rfind("--", 0) != 0) {
    return "unexpected argument \"" + arg + "\" (see --help)";
  }
  *name = arg.substr(2);
  const std::size_t eq = name->find('=');
  if (eq != std::string::npos) {
    *value = name->substr(eq + 1);
    name->resize(eq);
  }
  if (!IsKnownFlag(*name)) {
    return UnknownFlag(*name);
  }
  if (eq != std::string::npos) {
    return std::nullopt;
  }
  if (*name == "sync-budget-disable") {
    *value = "true";
  } else if (*i + 1 < argc) {
    *value = argv[++*i];
  } else {
    return "--" + *name + " needs a value";
  }
  return std::nullopt;
}

// Fills `flags`; an error is one line naming the flag.
// An on|off flag's value into `out`; the one-line error otherwise.
std::optional<std::string> ParseOnOff(const std::string& name, const std::string& value,
                                      bool* out) {
  if (value != "on" && value != "off") {
    return BadValue(name, "on or off", value);
  }
  *out = value == "on";
  return std::nullopt;
}

// One --name=value into `flags`; the one-line error otherwise.
std::optional<std::string> ParseFlag(const std::string& name, const std::string& value,
                                     Flags* flags) {
  const std::map<std::string, double*> durations = DurationFlags(flags->options.durations);
  long number = 0;
  double real = 0;
  if (auto it = durations.find(name); it != durations.end()) {
    if (!ParseDouble(value, &real) || real < 0) {
      return BadValue(name, "a number of seconds >= 0", value);
    }
    *it->second = real;
  } else if (name == "port") {
    if (!ParseInt(value, 0, 65535, &number)) {
      return "--port must be 0..65535, got \"" + value + "\"";
    }
    flags->server.port = static_cast<int>(number);
  } else if (name == "scenario") {
    auto scenario = ParseScenario(value);
    if (!scenario) {
      return BadValue(name, ScenarioChoices().c_str(), value);
    }
    flags->options.scenario = *scenario;
  } else if (name == "platform-version") {
    if (!(flags->options.platform_version = ParsePlatformVersion(value))) {
      return BadValue(name, PlatformVersionChoices().c_str(), value);
    }
  } else if (name == "time-scale") {
    if (!ParseDouble(value, &real) || real <= 0 || real > 1000) {
      return "--time-scale must be in (0, 1000], got \"" + value + "\"";
    }
    flags->options.time_scale = real;
  } else if (name == "admin-token") {
    flags->options.admin_token = value;
  } else if (name == "org-id") {
    flags->options.org_id = value;
  } else if (name == "approval-gate") {
    if (auto error = ParseOnOff(name, value, &flags->options.approval_gate)) {
      return error;
    }
  } else if (name == "platform-root") {
    if (auto error = ParseOnOff(name, value, &flags->options.platform_root)) {
      return error;
    }
  } else if (name == "phantom-busy") {
    if (auto error = ParseOnOff(name, value, &flags->options.phantom_busy_reset)) {
      return error;
    }
  } else if (name == "rate-limit") {
    if (!ParseInt(value, 0, 100000000, &number)) {
      return "--rate-limit must be a count >= 0, got \"" + value + "\"";
    }
    flags->options.rate_limit_per_minute = static_cast<int>(number);
  } else if (name == "a2a-latency-ms") {
    if (!ParseDouble(value, &real) || real > 3600000) {
      return "--a2a-latency-ms must be a number <= 3600000, got \"" + value + "\"";
    }
    flags->options.fixed_a2a_latency_ms = real < 0 ? -1 : real;
  } else if (name == "workers") {
    if (!ParseInt(value, 1, 4096, &number)) {
      return "--workers must be 1..4096, got \"" + value + "\"";
    }
    flags->server.worker_threads = static_cast<int>(number);
  } else if (name == "sync-budget-disable") {
    if (value != "true" && value != "false") {
      return BadValue(name, "true or false", value);
    }
    flags->options.sync_budget_disabled = value == "true";
  } else if (name == "fault") {
    FaultFlag fault;
    if (auto error = ParseFaultFlag(value, &fault)) {
      return "--fault: " + *error;
    }
    flags->faults.push_back(std::move(fault));
  } else {
    return UnknownFlag(name);
  }
  return std::nullopt;
}

std::optional<std::string> ParseFlags(int argc, char** argv, Flags* flags, bool* help) {
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      *help = true;
      return std::nullopt;
    }
    std::string name;
    std::string value;
    if (auto error = SplitFlag(argc, argv, &i, &name, &value)) {
      return error;
    }
    if (auto error = ParseFlag(name, value, flags)) {
      return error;
    }
  }
  return std::nullopt;
}

int Run(int argc, char** argv) {
  Flags flags;
  bool help = false;
  if (auto error = ParseFlags(argc, argv, &flags, &help)) {
    std::cerr << "fake_platform: " << *error << "\n";
    return 2;
  }
  if (help) {
    std::cout << Usage();
    return 0;
  }

  // Block the stop signals before any thread exists, so every server thread inherits the
  // mask and the signal can only be taken by sigwait below: no work in a signal handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  std::string error;
  auto fake = EmbeddedFakePlatform::Start(flags.options, &error, flags.server);
  if (!fake) {
    std::cerr << "fake_platform: " << error << "\n";
    return 1;
  }
  for (auto& fault : flags.faults) {
    if (!fake->server().InjectFault(fault.route, fault.fault, fault.count)) {
      std::cerr << "fake_platform: cannot inject fault on " << fault.route << "\n";
      return 2;
    }
  }
  std::cout << "listening on " << fake->url() << std::endl;  // flushed: parents wait for it
  std::cerr << "fake_platform: platform_version="
            << PlatformVersionName(fake->backend().profile().version())
            << " scenario=" << ScenarioName(flags.options.scenario)
            << " time_scale=" << flags.options.time_scale << " auth="
            << (!flags.options.admin_token.empty()             ? "on"
                : fake->backend().profile().DevModeOpensAuth() ? "off (dev mode)"
                                                               : "fail-closed (no admin token)")
            << " approval_gate=" << (flags.options.approval_gate ? "on" : "off")
            << " platform_root="
            << (fake->backend().profile().HasPlatformRoot() && flags.options.platform_root ? "on"
                                                                                           : "off")
            << " phantom_busy=" << (flags.options.phantom_busy_reset ? "on" : "off")
            << " tenancy=" << (flags.options.org_id.empty() ? "off" : "on")
            << " rate_limit=" << flags.options.rate_limit_per_minute
            << " faults=" << flags.faults.size() << std::endl;

  int signal_number = 0;
  while (sigwait(&stop_signals, &signal_number) != 0) {
  }
  std::cerr << "fake_platform: " << (signal_number == SIGINT ? "SIGINT" : "SIGTERM") << ", stopping"
            << std::endl;
  const std::size_t leaked = fake->backend().LiveWorkspaceIds().size();
  fake->Stop();
  std::cerr << "fake_platform: stopped; " << leaked << " workspace(s) were still live" << std::endl;
  return 0;
}

}  // namespace
}  // namespace taskbounds

int main(int argc, char** argv) { return taskbounds::Run(argc, argv); }
