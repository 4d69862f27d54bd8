// Options of the fake platform: which bound the simulated coordinator meets (scenario),
// how long each simulated phase lasts (platform seconds), and the time-scale factor that
// multiplies every one of them into wall time.
#ifndef MOCKS_FAKE_PLATFORM_OPTIONS_H_
#define MOCKS_FAKE_PLATFORM_OPTIONS_H_

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "mocks/platform/sim_clock.h"  // kEmbeddedFakeDefaultTimeScale

namespace taskbounds {

enum class Scenario {
  kUnbounded,        // the kickoff completes however long it takes
  kIdleTimeout,      // the proxy's idle timer (no heartbeats during synthesis) -> 202 queued
  kAgentCeiling,     // the agent's own task limit -> 200 "Agent error: ..."
  kPlatformCeiling,  // hypothetical MAX_TASK_EXECUTION_SECS: task terminated, status
                     // transition, /heartbeat-history exists and shows it
  // 2026-08 mechanisms (platform-api-2026-08.md section 6). The 2026-04 model knows none of
  // them: there these four run like kUnbounded.
  kStallWatchdog,     // the PM goes silent while busy: probe, grace, soft restart
  kContainerRestart,  // the PM's container dies: liveness lost, offline, restart
  kHeaderTimeout,     // the agent never sends response headers: the proxy's 30-min timeout
  kAgentFailure,      // the agent fails for a reason other than time (provider credentials)
  kAgentIdleCap,      // the runtime's completion idle cap: no SDK message for the cap's length
};

// "unbounded", "idle_timeout", "agent_ceiling", "platform_ceiling", "stall_watchdog",
// "container_restart", "header_timeout", "agent_failure", "agent_idle_cap".
const char* ScenarioName(Scenario scenario);
std::optional<Scenario> ParseScenario(std::string_view name);
// Every scenario, in the order above.
std::vector<Scenario> AllScenarios();

// Platform seconds; each is multiplied by FakePlatformOptions::time_scale.
struct SimulatedDurations {
  double registration_secs = 5;  // create -> online (agent registers)
  double restart_secs = 5;       // secret write -> provisioning -> online again
  // A secret written while the workspace is still provisioning restarts it only after
  // this wait (RestartByID, platform-api.md 3.4).
  double restart_wait_if_provisioning_secs = 10;
  double delegation_round_secs = 15;     // per depth unit, heartbeats keep flowing
  double synthesis_secs_per_depth = 40;  // synthesis = depth * this
  double heartbeat_interval_secs = 30;
  double idle_timeout_secs = 300;        // proxy idle timer (kIdleTimeout)
  double agent_task_ceiling_secs = 300;  // agent's max_task_duration_seconds (kAgentCeiling)
  double platform_ceiling_secs = 300;    // MAX_TASK_EXECUTION_SECS (kPlatformCeiling)
  double terminated_status_secs = 30;    // how long the PM shows "failed" after termination
  double provision_timeout_secs = 600;   // stuck provisioning -> "failed" (provisiontimeout.go)
  // claude-code's A2A_COMPLETION_IDLE_TIMEOUT_SECONDS: a turn with no streamed SDK message for
  // this long (a silent synthesis) ends "Agent error (TimeoutError): completion stalled"
  // (kAgentIdleCap); the workspace then shows "degraded" for degraded_after_error_secs.
  double completion_idle_timeout_secs = 900;
  double degraded_after_error_secs = 300;  // a register/error failure in the last 5 min

  // 2026-08 only (platform-api-2026-08.md sections 4-6; env names of the real platform).
  double sync_budget_secs = 90;  // A2A_CANVAS_SYNC_BUDGET: a canvas-class call answers queued
  double idle_timeout_2026_08_secs = 1800;     // A2A_IDLE_TIMEOUT_SECONDS (2026-04: 300)
  double stall_interval_secs = 180;            // STALL_WATCHDOG_INTERVAL_S
  double stall_stale_after_secs = 720;         // STALL_WATCHDOG_STALE_AFTER_S
  double stall_probe_grace_secs = 300;         // STALL_WATCHDOG_PROBE_GRACE_S
  double liveness_ttl_secs = 180;              // the Redis liveness key's TTL
  double response_header_timeout_secs = 1800;  // A2A_PROXY_RESPONSE_HEADER_TIMEOUT
  double queue_sweep_secs = 10;                // the queue sweeper re-dispatches a queued item
  // The platform's boot turn (first-boot greeting, restart context) holding the gate after
  // each online; a kickoff meanwhile is queued (200 queued with queue_id). The platform's
  // greeting takes up to 90 s; 0 (the default) leaves it out, so a task's timeline starts at
  // its kickoff.
  double boot_turn_secs = 0;

  // The phantom-busy sweeper (FakePlatformOptions::phantom_busy_reset;
  // external-workspaces-2026-08.md section 0 b): its tick, PHANTOM_BUSY_SWEEPER_INTERVAL_S,
  // and the silence it looks for, no activity row for this long.
  double phantom_busy_interval_secs = 300;
  double phantom_busy_quiet_secs = 600;
};

// The platform releases the fake can model: 2026-04 is platform-api.md, 2026-08 is
// platform-api-2026-08.md. Each has a profile (mocks/platform/profile_*) holding the
// answers that differ between them.
enum class PlatformVersion { k2026_04, k2026_08 };

// An unset version means today's platform, 2026-08.
inline constexpr PlatformVersion kDefaultPlatformVersion = PlatformVersion::k2026_08;

// "2026-04", "2026-08".
const char* PlatformVersionName(PlatformVersion version);
std::optional<PlatformVersion> ParsePlatformVersion(std::string_view name);
// Every version, oldest first (for tests that run against each profile).
std::vector<PlatformVersion> AllPlatformVersions();
// "2026-04 or 2026-08", for error messages.
std::string PlatformVersionChoices();

struct FakePlatformOptions {
  // Which platform release to model; unset: FAKE_PLATFORM_VERSION for the embedded fake,
  // else kDefaultPlatformVersion (see EffectivePlatformVersion).
  std::optional<PlatformVersion> platform_version;
  Scenario scenario = Scenario::kUnbounded;
  double time_scale = 1.0;
  SimulatedDurations durations;
  // When >= 0, every A2A message/send answers 200 after exactly this many wall
  // milliseconds, ignoring the coordinator model and time_scale (timing benchmarks).
  double fixed_a2a_latency_ms = -1;
  std::string admin_token;        // non-empty: AdminAuth/WorkspaceAuth enforced
  std::string org_id;             // non-empty: X-Molecule-Org-Id tenancy enforced
  int rate_limit_per_minute = 0;  // 0: no limit; else 429 after this many per minute
  // 2026-08: A2A_CANVAS_SYNC_DISABLE; canvas-class calls hold for the whole task.
  bool sync_budget_disabled = false;
  // 2026-08 only: the secrets route's approval gate for admin-token callers
  // (platform-api-2026-08.md section 2: 202 pending_approval, decide, retry). The real
  // platform gates them always; the fake lets a test choose, off by default.
  bool approval_gate = false;
  // 2026-08 only (ignored on 2026-04): the org has its platform agent, the one
  // kind='platform' root the platform installs (H/platform_agent.go:1-22), from the fake's
  // start. Creates without parent_id land under it; off: under the sole root workspace, if
  // any (H/platform_agent.go:73-108). On by default, as in a SaaS org.
  bool platform_root = true;
  // 2026-08's phantom-busy sweeper (external-workspaces-2026-08.md section 0 b, core@aeec8e47
  // H/phantom_busy_sweeper.go): every phantom_busy_interval_secs it sets active_tasks to 0 on
  // any workspace with active_tasks > 0 and no activity row for phantom_busy_quiet_secs; it
  // restarts nothing, and the agent's next heartbeat restores the counter. So a coordinator's
  // quiet synthesis without heartbeats reads active_tasks 0 while its task runs. Off by
  // default (the real platform runs it unless PHANTOM_BUSY_SWEEPER_DISABLED=true). The
  // 2026-04 platform has no such sweeper; the flag applies there too, as the way a test
  // makes a running task read active_tasks 0 on either profile (a task's start counts as
  // activity there, as 2026-08's ingest row at receipt does).
  bool phantom_busy_reset = false;
};

// options.platform_version, or kDefaultPlatformVersion when unset.
PlatformVersion EffectivePlatformVersion(const FakePlatformOptions& options);

// One line naming the profile, scenario, time scale and what is enforced, e.g.
// "platform 2026-04, scenario unbounded, time_scale 0.001, auth off, tenancy off,
// rate_limit 0". gtest prints options with it (PrintTo), so a test parameterised over
// options names the profile it ran against.
std::string DescribeOptions(const FakePlatformOptions& options);
void PrintTo(const FakePlatformOptions& options, std::ostream* os);

}  // namespace taskbounds

#endif  // MOCKS_FAKE_PLATFORM_OPTIONS_H_
