// The simulated coordinator agent, as a pure function (no clock, no state): a kickoff's
// delegation depth, the scenario and the simulated durations (platform seconds) decide the
// task's whole timeline before it starts: how long it would naturally take, which bound (if
// any) ends it first, when the call answers and with what. The fake runs this function for
// every kickoff; tests derive their expectations from the same function.
//
// The model (platform-api.md 6.3, DESIGN.md): a message/send whose text says "Delegate N
// separate sub-questions" takes N delegation rounds (delegation_round_secs each, heartbeats
// flowing) and then N x synthesis_secs_per_depth of synthesis, during which heartbeats stop.
#ifndef MOCKS_PLATFORM_COORDINATOR_MODEL_H_
#define MOCKS_PLATFORM_COORDINATOR_MODEL_H_

#include <string>
#include <vector>

#include "mocks/fake_platform_options.h"

namespace taskbounds {

// How the kickoff call answers.
enum class TaskAnswer {
  kResult,              // 200, the synthesis report
  kQueued,              // 202 {"queued":true,...}: the proxy's idle timer fired
  kAgentError,          // 200 whose text starts "Agent error:": the agent's own ceiling
  kPlatformTerminated,  // 503 {"terminated":true}: MAX_TASK_EXECUTION_SECS
};

// How one simulated coordinator task ends, decided when it starts.
struct CoordinatorPlan {
  int depth = 3;
  double delegation_secs = 0;  // platform seconds
  double synthesis_secs = 0;
  double natural_secs = 0;  // delegation + synthesis
  // Which bound ends it ("" = none, "idle_timeout", "agent_ceiling", "platform_ceiling")
  // and after how many platform seconds the call answers.
  std::string bound;
  double answer_after_secs = 0;
  TaskAnswer answer = TaskAnswer::kResult;
};

// "Delegate N separate sub-questions" -> N (1..1000); `fallback` when absent or out of range.
int ParseDelegationDepth(const std::string& task_text, int fallback = 3);

// The plan of a kickoff with `depth` delegations, with the workspace's heartbeats at phase
// `heartbeat_phase_secs` (platform seconds since the last heartbeat; 0 = one just happened).
CoordinatorPlan PlanCoordinatorTask(Scenario scenario, const SimulatedDurations& durations,
                                    int depth, double heartbeat_phase_secs);

// One way a kickoff can end whatever the heartbeat phase: the answer, its bound ("" =
// none) and the range of platform seconds after which the call answers.
struct PossibleEnding {
  TaskAnswer answer = TaskAnswer::kResult;
  std::string bound;
  double earliest_secs = 0;
  double latest_secs = 0;
};

// Every ending PlanCoordinatorTask can give for `depth` over all heartbeat phases. Only
// the idle timer depends on the phase; when it may fire either before or after the task
// would end, both endings are listed.
std::vector<PossibleEnding> PossibleEndings(Scenario scenario, const SimulatedDurations& durations,
                                            int depth);

// ---- 2026-08 (platform-api-2026-08.md sections 4-6) ----
//
// On 2026-08 the HTTP call is one piece of evidence: a canvas-class call answers
// {"status":"queued",...} after the sync budget and the task goes on detached. The plan
// below says when the task itself ends (platform seconds after it is dispatched to the
// agent), how, and which mechanism ended it, so a sweep can assert the harness's verdict
// and mechanism from the same function the fake runs.

// What ended the task: DESIGN.md's mechanisms, plus the agent's own two.
enum class TaskMechanism {
  kNone,                   // "": the task completed on its own
  kIdleTimer,              // "idle_timer": no event for A2A_IDLE_TIMEOUT_SECONDS
  kStallWatchdog,          // "stall_watchdog": probe, grace, soft restart
  kContainerRestart,       // "container_restart": liveness lost, offline, restart
  kResponseHeaderTimeout,  // "response_header_timeout": the proxy's transport timeout
  kTaskCeiling,            // "task_ceiling": hypothetical MAX_TASK_EXECUTION_SECS
  kAgentTimeLimit,         // "agent_time_limit": the agent's max_task_duration_seconds
  kAgentIdleCap,           // "agent_idle_cap": the runtime's completion idle cap
  kAgentFailure,           // "": provider or credential error (agent_failed, no bound)
};
// The mechanism the harness's classifier names for the task ("" when it names none:
// completions and agent_failed).
const char* TaskMechanismName(TaskMechanism mechanism);

// How the task's own turn ends, which decides what its a2a_receive row and the events say.
enum class TaskEnding {
  kCompleted,      // a result (row ok, response_body, duration_ms; A2A_RESPONSE)
  kAgentError,     // 200 whose text is "Agent error (<Tag>): ..." (row ok)
  kCancelled,      // the idle timer cancelled the forward; re-queued and re-dispatched
  kKilled,         // a restart killed the turn (row error, error_detail)
  kHeaderTimeout,  // 502 after the response-header timeout (row error)
  kTerminated,     // 503 terminated by the hypothetical ceiling (row error)
};

// A platform action during the task, at platform seconds after dispatch.
enum class TaskActionKind {
  kWatchdogProbe,    // stall_watchdog row, method "probe"
  kWatchdogRestart,  // stall_watchdog row, method "restart"; restart begins
  kOffline,          // liveness lost: status offline; restart begins
  kBackOnline,       // the restart finished: status online
  kIdleCancel,       // "(queued: target busy)" row; the item waits in the queue
  kRedispatch,       // the queue sweeper dispatches the same body again
  kRedispatchDone,   // the re-dispatched copy completed (row gets response_body)
};
struct TaskAction {
  double at_secs = 0;
  TaskActionKind kind = TaskActionKind::kWatchdogProbe;
};

struct TaskPlan2026_08 {
  int depth = 3;
  double delegation_secs = 0;  // platform seconds
  double synthesis_secs = 0;
  double natural_secs = 0;  // what the task would take if nothing ended it
  double end_secs = 0;      // when it ends (after dispatch)
  TaskMechanism mechanism = TaskMechanism::kNone;
  TaskEnding ending = TaskEnding::kCompleted;
  // The verdict DESIGN.md gives this task with the default thresholds (60 s, 300 s):
  // not_informative, within_delegation_timeout, unbounded, bounded_by_platform,
  // bounded_by_agent or agent_failed.
  std::string verdict;
  // When the agent's heartbeats stop (silence, dead container); infinity: never.
  double heartbeats_stop_secs = 0;
  std::vector<TaskAction> actions;  // in time order
};

// The 2026-08 plan of a task with `depth` delegations. `heartbeat_phase_secs` as for
// PlanCoordinatorTask (only the idle timer depends on it). Scenarios (section 6):
//   unbounded          completes after natural_secs.
//   idle_timeout       silent after delegating (no heartbeats, never finishes): the idle
//                      timer cancels it idle_timeout_2026_08_secs after the last heartbeat;
//                      the queue sweeper re-dispatches the same body, which then completes.
//   stall_watchdog     silent while busy, the probe stays undispatched: probe at the first
//                      watchdog tick >= stale_after, restart at the first tick >= probe+grace.
//   container_restart  the container dies after delegating: offline liveness_ttl_secs later,
//                      then a restart.
//   header_timeout     works on, sends no headers: 502 after response_header_timeout_secs.
//   agent_ceiling      the agent's own limit: "Agent error (TimeoutError)" when longer.
//   agent_failure      the provider rejects the credentials after delegating.
//   agent_idle_cap     a synthesis longer than completion_idle_timeout_secs streams no message:
//                      the runtime ends the turn that long after delegation ("Agent error
//                      (TimeoutError): completion stalled ..."), then the PM shows degraded.
//   platform_ceiling   hypothetical MAX_TASK_EXECUTION_SECS: terminated when longer.
// Watchdog ticks fall at whole multiples of stall_interval_secs after dispatch.
TaskPlan2026_08 PlanTask2026_08(Scenario scenario, const SimulatedDurations& durations, int depth,
                                double heartbeat_phase_secs);

// The earliest and latest end_secs PlanTask2026_08 gives for `depth` over every heartbeat
// phase: only the idle timer depends on it (it starts at the last heartbeat before the
// silence, which lies less than one heartbeat interval before the end of delegation).
struct TaskEndRange {
  double earliest_secs = 0;
  double latest_secs = 0;
};
TaskEndRange PossibleTaskEnds2026_08(Scenario scenario, const SimulatedDurations& durations,
                                     int depth);

// The verdict of a task that completed after `secs` (default thresholds 60 s, 300 s).
const char* CompletedVerdict(double secs);

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_COORDINATOR_MODEL_H_
