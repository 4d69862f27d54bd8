// ClassifyRun: turns one run's evidence about the coordinator's TASK (not the HTTP call)
// into a verdict and, for a bound, the mechanism (DESIGN.md "Verdicts"). Pure function of
// its inputs; every verdict carries the reason and the evidence that decided it.
#ifndef CLIENT_VERDICT_H_
#define CLIENT_VERDICT_H_

#include <string>
#include <vector>

#include "client/evidence.h"

namespace taskbounds {

enum class Verdict {
  kNotInformative,           // completed in under informative_secs
  kWithinDelegationTimeout,  // completed in [informative_secs, delegation_timeout_secs)
  kUnbounded,                // completed after >= delegation_timeout_secs, no intervention seen
  kBoundedByPlatform,        // a platform mechanism ended or interrupted the task (Mechanism)
  kBoundedByAgent,           // the agent's own time limit ended the task
  kHarnessTimeout,           // A2A_TIMEOUT ran out with the task still running
  kInconclusive,             // none of the above can be decided; reason says why
  kKickoffRefused,           // an immediate 503 busy/waking/warming/Retry-After: never started
  kAgentFailed,              // the agent failed for another reason: no statement about bounds
};

// "not_informative", "within_delegation_timeout", ... (the names used in events and XML).
const char* VerdictName(Verdict verdict);

// What bounded the task (DESIGN.md "Verdicts"; platform-api-2026-08.md section 6).
enum class Mechanism {
  kNone,                   // no bound (completions, harness timeout, inconclusive, ...)
  kIdleTimer,              // the proxy's idle timer: 202 queued, "(queued: target busy)" row
  kStallWatchdog,          // a stall_watchdog probe or restart row
  kContainerRestart,       // liveness lost, dead container, restart ("restarting" 503, offline)
  kResponseHeaderTimeout,  // A2A_PROXY_RESPONSE_HEADER_TIMEOUT ("awaiting response headers")
  kPlatformError,          // any other platform 5xx
  kStatusTransition,       // any other status than online (or wedged) during the task
  kTaskCeiling,            // a task ceiling: a "terminated" heartbeat entry (2026-04 model)
  kAgentTimeLimit,         // bounded_by_agent: the agent's own time limit
  // bounded_by_agent: the runtime's completion idle cap ended the turn after a gap with no
  // streamed SDK message (claude-code's A2A_COMPLETION_IDLE_TIMEOUT_SECONDS, 900 s): it
  // bounds the gap between the agent's messages, not the turn's length.
  kAgentIdleCap,
};

// "idle_timer", "stall_watchdog", ...; "" for kNone (events and XML omit it then).
const char* MechanismName(Mechanism mechanism);

// One platform action the task follower saw, in platform seconds since the kickoff was
// sent (fixtures/run/task_follower): a stall_watchdog row, a "(queued: target busy)" row,
// a wedged flag, a restart answer. The harness's own actions never appear here.
struct PlatformAction {
  double at_platform_secs = 0;
  Mechanism mechanism = Mechanism::kStatusTransition;
  std::string detail;  // remote text allowed: sanitised when quoted
  // A mark that leaves the task running (the wedged flag: platform-api-2026-08.md section 6
  // item 6, "only broadcasts/records"): evidence shown beside the verdict, never a bound.
  bool flag_only = false;
};

struct VerdictThresholds {
  double informative_secs = 60;          // platform seconds
  double delegation_timeout_secs = 300;  // platform seconds (DELEGATION_TIMEOUT)
  // A 503 refusal (A2AOutcome::kRefused) that comes sooner than this is a refused kickoff
  // (the task never started); a later one ended a running task: bounded_by_platform.
  // Platform seconds; 60 like informative_secs: under it no task ran long enough to be
  // bounded.
  double refusal_window_secs = 60;
  // An error, a dead-agent answer or a status change that comes at most this many platform
  // seconds before the PM is seen removed (a "removed" status or a 404/410 the harness did
  // not cause) is the removal's consequence, not a bound: the sampler sees a removal up to
  // one interval late (15 s by default), so two intervals. An error naming cancellation
  // ("context canceled") followed by the removal counts whatever the gap.
  double removal_window_secs = 30;
  // The platform's clock and the harness's disagree (TIME_SCALE does not match the
  // platform's) when the row's duration_ms and the harness's task time differ by at least
  // this factor and by at least clock_mismatch_min_secs platform seconds.
  double clock_mismatch_factor = 2;
  double clock_mismatch_min_secs = 30;
  // A queued acknowledgement arrives after the platform's sync budget
  // (A2A_CANVAS_SYNC_BUDGET, default 90 s, platform-api-2026-08.md section 4). The budget is
  // configurable, and the boot gate's queued answer comes at once, so only an
  // acknowledgement this factor or more later than it says the clocks disagree.
  double sync_budget_secs = 90;
  double sync_budget_mismatch_factor = 10;
};

// One observed change of the PM's status during the A2A wait.
struct StatusTransition {
  double at_platform_secs = 0;  // since the request started
  std::string from;
  std::string to;
};

// Statuses known to mean the platform acted on the workspace (failed, offline, degraded,
// paused, removed, terminated). Used for heartbeat-history entries.
bool IsInterventionStatus(const std::string& status);

// A status that marks the PM but leaves its turn running: "degraded" (platform-api-2026-08.md
// section 6 item 7: error rate, runtime_state wedged or a register failure; "does not stop a
// turn"). Seen during the task it is evidence beside the verdict, never a bound.
bool IsMarkStatus(const std::string& status);

// The PM's status while its task runs: only "online" is healthy. Any other status seen
// during the task (hibernated, provisioning again, a status this suite has never heard
// of) is an intervention: an allow-list, so a new platform status can never read as
// "no intervention".
bool IsHealthyTaskStatus(const std::string& status);

// The evidence of one run. The defaults describe the 2026-04 contract, where the HTTP
// answer is the task's end; the task follower fills the task fields when the answer was a
// queued acknowledgement (2026-08).
struct RunEvidence {
  // How the task ended: the HTTP answer, or, after a kDeferred acknowledgement, the end the
  // follower saw (A2A_RESPONSE event, the a2a_receive row, a queue item). kDeferred here
  // means the acknowledgement is all that was seen.
  A2AOutcome outcome = A2AOutcome::kNoResponse;
  long http_status = 0;
  std::string response_text;  // agent text, platform error or JSON-RPC message
  std::string task_state;     // A2A result.status.state ("failed", "working", ...), if any
  std::string error_detail;   // the a2a_receive row's error_detail, if any
  std::string end_source;     // what showed the end ("A2A_RESPONSE event", ...); "" = HTTP
  bool harness_timed_out = false;
  std::string transport_error;  // curl error when outcome is kNoResponse
  // How far the kickoff got when outcome is kNoResponse. kComplete (the default) means the
  // caller did not say, and harness_timed_out alone decides.
  TransportPhase transport_phase = TransportPhase::kComplete;
  double platform_secs = 0;  // kickoff to task end (or to A2A_TIMEOUT), wall / TIME_SCALE
  // The platform's own duration of the task (the a2a_receive row's or event's duration_ms /
  // 1000, platform-api-2026-08.md section 5); < 0 when it gave none. Checked against
  // platform_secs: a disagreement means TIME_SCALE does not match the platform's clock.
  double platform_reported_task_secs = -1;
  double time_scale = 1;  // TIME_SCALE the harness converted wall seconds with

  // The HTTP call was a queued acknowledgement (A2AOutcome::kDeferred), at this time.
  bool call_deferred = false;
  double call_platform_secs = 0;
  // How many times the PM received the kickoff (a re-dispatch after the idle timer or a
  // busy enqueue sends the same body again; platform-api-2026-08.md section 5).
  int kickoff_dispatches = 1;
  std::vector<PlatformAction> platform_actions;

  // The status sampler's own trace (background polls of GET /workspaces/{pm}).
  int status_samples = 0;  // successful polls during the wait
  std::vector<StatusTransition> status_transitions;
  // Where the sampler lost sight of the PM during the task (platform seconds since the
  // kickoff; < 0 = never). Unreachable: every poll failed (no answer, or an HTTP error other
  // than 404/410) from this time to the task's end and right after it; `platform_last_error`
  // is the last poll's error. Vanished: GET of the PM answered 404 (or an unreadable 410)
  // though the harness had not deleted it: the workspace is gone (a platform restarted empty,
  // an operator's delete). A "removed" status the harness did not cause is read from
  // status_transitions the same way (inconclusive, never a bound: only a DELETE removes).
  double platform_unreachable_from_secs = -1;
  std::string platform_last_error;  // remote text allowed: sanitised when quoted
  double pm_vanished_at_secs = -1;
  long pm_vanished_http_status = 0;

  // /heartbeat-history, when the platform has it.
  bool heartbeat_history_available = false;
  std::vector<HeartbeatEntry> heartbeat_entries;
};

struct Classification {
  Verdict verdict = Verdict::kInconclusive;
  Mechanism mechanism = Mechanism::kNone;
  std::string reason;  // one line: the mechanism (if any), what decided it, with numbers
  // The pieces of evidence that decided it, one sanitised line each ("http: 200 queued
  // push-async at 90.0 s", "row: stall_watchdog probe at 720.0 s", ...).
  std::vector<std::string> evidence;
};

// Whether an agent error text names a time limit ("timeout", "timed out", "time limit",
// "deadline", "max_task_duration"), case-insensitively: such an error is bounded_by_agent,
// any other agent_failed. 2026-04's "Agent error: ..." form is the agent's task ceiling
// and always counts as one (platform-api.md section 9); 2026-08's "Agent error (<Tag>)..."
// form is decided by its tag and text (platform-api-2026-08.md section 6).
bool AgentErrorNamesTimeLimit(const std::string& text);

Classification ClassifyRun(const RunEvidence& evidence, const VerdictThresholds& thresholds);

}  // namespace taskbounds

#endif  // CLIENT_VERDICT_H_
