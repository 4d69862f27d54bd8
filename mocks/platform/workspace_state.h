// A workspace's status as a function of time (platform-api.md 3.1-3.4): the provisioning,
// failed and degraded windows recorded on its record decide "provisioning", "online",
// "degraded", "failed" or "removed" at any instant, so nothing needs a timer thread: GET
// computes the status at "now" and /heartbeat-history replays the same function. Also the
// events that open and close those windows (create, secret restart, the registry routes)
// and GET's view of a record. Not thread-safe: the facade's mutex guards the records.
#ifndef MOCKS_PLATFORM_WORKSPACE_STATE_H_
#define MOCKS_PLATFORM_WORKSPACE_STATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mocks/fake_platform_options.h"
#include "mocks/platform/json_util.h"
#include "mocks/platform/sim_clock.h"
#include "mocks/platform/validation.h"
#include "mocks/platform/workspace_record.h"

namespace taskbounds {

// The agent (re)registered at `t`: windows open at `t` end there.
void EndWindowsAt(std::vector<Window>& windows, TimePoint t);
// End of the provisioning window that most recently closed at or before `t`.
std::optional<TimePoint> LastReadyAt(const Workspace& ws, TimePoint t);
// A task's synthesis is starving the agent's heartbeats at `t` (idle_timeout).
bool HeartbeatsStarvedAt(const Workspace& ws, TimePoint t);
// Tasks running at `t` (GET's active_tasks).
std::int64_t ActiveTasksAt(const Workspace& ws, TimePoint t);
// Inside a restart's provisioning window (not the first one) at `t`: the URL is cleared.
bool InRestartAt(const Workspace& ws, TimePoint t);

// The phantom-busy sweeper (FakePlatformOptions::phantom_busy_reset): whether it runs, and
// the instant its ticks count from (the fake's start; the first tick is one
// phantom_busy_interval_secs later).
struct PhantomBusySweeper {
  bool enabled = false;
  TimePoint origin;
};

class WorkspaceLifecycle {
 public:
  // Durations in platform seconds (SimulatedDurations), converted through `clock`.
  WorkspaceLifecycle(SimClock clock, SimulatedDurations durations,
                     PhantomBusySweeper phantom_busy = {})
      : clock_(clock), durations_(durations), phantom_busy_(phantom_busy) {}

  // "provisioning", "online", "degraded", "failed" or "removed".
  std::string StatusAt(const Workspace& ws, TimePoint t) const;
  // Inserted as provisioning; online once the simulated agent registers
  // (registration_secs later).
  void Created(Workspace* ws, TimePoint now) const;
  // A secret write's asynchronous restart (workspace_restart.go), a no-op once removed.
  void RestartForSecret(Workspace* ws, TimePoint now) const;
  // POST /registry/register: any non-removed workspace goes online with its URL, reviving
  // failed ones (registry.go:264-285).
  void Registered(Workspace* ws, TimePoint now, RegistrationFields registration) const;
  // POST /registry/heartbeat: one transition per heartbeat, chosen by the status before it
  // (registry.go:510-585). A removed workspace is left alone.
  // `revives_failed`: a heartbeat turns failed back into online (2026-08 section 1,
  // H/registry.go:3256-3267).
  void Heartbeat(Workspace* ws, TimePoint now, const HeartbeatFields& heartbeat,
                 bool revives_failed = false) const;
  // GET /workspaces/{id}'s body at `now` (platform-api.md 3.1); `liveness_fields` adds
  // 2026-08's kind, last_heartbeat_at, wedged and last_sample_error
  // (platform-api-2026-08.md 3; kind: H/workspace.go:1663-1681).
  std::string WorkspaceJson(const Workspace& ws, TimePoint now, bool liveness_fields = false) const;
  // The agent's last heartbeat at or before `now`: the simulated agent beats every
  // heartbeat_interval_secs from its registration, except while a task starves it; a
  // POST /registry/heartbeat counts too. nullopt: none yet.
  std::optional<TimePoint> LastHeartbeatAt(const Workspace& ws, TimePoint now) const;
  // active_tasks as the platform reports it at `t` (GET, the list, DELETE's refusal): the
  // tasks running (ActiveTasksAt), or 0 while the phantom-busy sweeper's reset holds: a tick
  // since the counter was last restored (the agent's last heartbeat, or a task's start) found
  // a task running and no activity row in the phantom_busy_quiet_secs before it.
  std::int64_t ReportedActiveTasksAt(const Workspace& ws, TimePoint t) const;

 private:
  // Whether the workspace wrote an activity row, or started a task, in
  // (tick - phantom_busy_quiet_secs, tick].
  bool ActiveBefore(const Workspace& ws, TimePoint tick) const;

  void WriteLivenessFields(JsonWriter& w, const Workspace& ws, std::int64_t active_tasks,
                           const std::optional<TimePoint>& last_heartbeat, TimePoint now) const;

  SimClock clock_;
  SimulatedDurations durations_;
  PhantomBusySweeper phantom_busy_;
};

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_WORKSPACE_STATE_H_
