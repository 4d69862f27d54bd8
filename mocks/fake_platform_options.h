// Options of the fake platform: which bound the simulated coordinator meets (scenario),
// how long each simulated phase lasts (platform seconds), and the time-scale factor that
// multiplies every one of them into wall time.
#ifndef MOCKS_FAKE_PLATFORM_OPTIONS_H_
#define MOCKS_FAKE_PLATFORM_OPTIONS_H_

#include <optional>
#include <string>
#include <string_view>

#include "mocks/platform/sim_clock.h"  // kEmbeddedFakeDefaultTimeScale

namespace taskbounds {

enum class Scenario {
  kUnbounded,        // the kickoff completes however long it takes
  kIdleTimeout,      // the proxy's idle timer (no heartbeats during synthesis) -> 202 queued
  kAgentCeiling,     // the agent's own task limit -> 200 "Agent error: ..."
  kPlatformCeiling,  // hypothetical MAX_TASK_EXECUTION_SECS: task terminated, status
                     // transition, /heartbeat-history exists and shows it
};

// "unbounded", "idle_timeout", "agent_ceiling", "platform_ceiling".
const char* ScenarioName(Scenario scenario);
std::optional<Scenario> ParseScenario(std::string_view name);

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
};

struct FakePlatformOptions {
  Scenario scenario = Scenario::kUnbounded;
  double time_scale = 1.0;
  SimulatedDurations durations;
  // When >= 0, every A2A message/send answers 200 after exactly this many wall
  // milliseconds, ignoring the coordinator model and time_scale (timing benchmarks).
  double fixed_a2a_latency_ms = -1;
  std::string admin_token;        // non-empty: AdminAuth/WorkspaceAuth enforced
  std::string org_id;             // non-empty: X-Molecule-Org-Id tenancy enforced
  int rate_limit_per_minute = 0;  // 0: no limit; else 429 after this many per minute
};

}  // namespace taskbounds

#endif  // MOCKS_FAKE_PLATFORM_OPTIONS_H_
