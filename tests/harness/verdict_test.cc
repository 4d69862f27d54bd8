// The verdict classifier's table: every verdict of DESIGN.md and the boundaries between
// them, with default and custom thresholds.
#include "client/verdict.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace taskbounds {
namespace {

using ::testing::HasSubstr;

RunEvidence Completed(double platform_secs, int samples = 3) {
  RunEvidence e;
  e.outcome = A2AOutcome::kResult;
  e.http_status = 200;
  e.response_text = "final report";
  e.platform_secs = platform_secs;
  e.status_samples = samples;
  return e;
}

struct VerdictCase {
  std::string name;
  RunEvidence evidence;
  VerdictThresholds thresholds;
  Verdict expected;
  std::string reason_contains;
};

// Issue 9: the task, not the call. One case per rule.
void AddTaskCases(std::vector<VerdictCase>* cases) {
  const VerdictThresholds defaults;
  {
    // A queued acknowledgement followed by the row's completion at 640 s: unbounded, and
    // the acknowledgement is never a bound.
    RunEvidence e = Completed(640);
    e.call_deferred = true;
    e.call_platform_secs = 90;
    e.end_source = "a2a_receive row";
    cases->push_back({"DeferredThenCompleted", e, defaults, Verdict::kUnbounded, "640.0 s"});
  }
  {
    RunEvidence e = Completed(600);
    e.outcome = A2AOutcome::kDeferred;
    e.call_deferred = true;
    e.harness_timed_out = true;
    cases->push_back(
        {"DeferredStillRunning", e, defaults, Verdict::kHarnessTimeout, "still running"});
  }
  {
    RunEvidence e = Completed(120);
    e.outcome = A2AOutcome::kDeferred;
    cases->push_back({"DeferredEndNeverSeen", e, defaults, Verdict::kInconclusive, "never seen"});
  }
  {
    RunEvidence e = Completed(400);
    e.outcome = A2AOutcome::kAgentError;
    e.response_text = "Agent error (TimeoutError): the turn exceeded its time limit";
    cases->push_back(
        {"TaggedAgentTimeout", e, defaults, Verdict::kBoundedByAgent, "agent_time_limit"});
  }
  {
    RunEvidence e = Completed(40);
    e.outcome = A2AOutcome::kAgentError;
    e.response_text = "Agent error (ProviderAuthError) \u2014 see workspace logs for details.";
    cases->push_back(
        {"TaggedProviderFailure", e, defaults, Verdict::kAgentFailed, "ProviderAuthError"});
  }
  {
    RunEvidence e = Completed(200);
    e.task_state = "failed";
    e.response_text = "could not reach the model provider";
    cases->push_back({"TaskStateFailed", e, defaults, Verdict::kAgentFailed, "'failed'"});
  }
  {
    RunEvidence e = Completed(200);
    e.task_state = "failed";
    e.response_text = "deadline exceeded while synthesising";
    cases->push_back(
        {"TaskStateFailedOnDeadline", e, defaults, Verdict::kBoundedByAgent, "agent_time_limit"});
  }
  {
    RunEvidence e = Completed(200);
    e.task_state = "canceled";
    cases->push_back({"TaskStateCanceled", e, defaults, Verdict::kInconclusive, "'canceled'"});
  }
  {
    RunEvidence e = Completed(600);
    e.task_state = "working";
    e.harness_timed_out = true;
    cases->push_back({"TaskStateWorking", e, defaults, Verdict::kHarnessTimeout, "'working'"});
  }
  {
    RunEvidence e = Completed(1500);
    e.call_deferred = true;
    e.platform_actions = {{720, Mechanism::kStallWatchdog, "stall-watchdog: probe"},
                          {1020, Mechanism::kStallWatchdog, "stall-watchdog: restart"}};
    cases->push_back({"StallWatchdogRow", e, defaults, Verdict::kBoundedByPlatform,
                      "stall_watchdog: stall-watchdog: probe at 720.0 s"});
  }
  {
    // The earliest action decides, whichever list it is in.
    RunEvidence e = Completed(2000);
    e.status_transitions = {{1900, "online", "offline"}};
    e.platform_actions = {{1800, Mechanism::kIdleTimer, "(queued: target busy)"}};
    e.kickoff_dispatches = 2;
    cases->push_back({"QueuedTargetBusyAndRedispatch", e, defaults, Verdict::kBoundedByPlatform,
                      "idle_timer: (queued: target busy) at 1800.0 s"});
  }
  {
    // A wedged flag (informational, section 6 item 6) earlier than the idle timer's row:
    // the action that ended the task names the mechanism.
    RunEvidence e = Completed(1850);
    e.call_deferred = true;
    e.platform_actions = {{1800, Mechanism::kIdleTimer, "(queued: target busy)"},
                          {313, Mechanism::kStatusTransition, "PM reported wedged", true}};
    cases->push_back({"WedgedFlagYieldsToTheIdleTimer", e, defaults, Verdict::kBoundedByPlatform,
                      "idle_timer: (queued: target busy) at 1800.0 s"});
  }
  {
    // Issue 19.1: the wedged monitor only marks the PM (platform-api-2026-08.md section 6
    // item 6, corrected 2026-12-07): the task's end decides, the mark is shown beside it.
    RunEvidence e = Completed(400);
    e.platform_actions = {{330, Mechanism::kStatusTransition, "PM reported wedged", true}};
    cases->push_back({"WedgedFlagAloneIsOnlyAMark", e, defaults, Verdict::kUnbounded,
                      "marked (PM reported wedged at 330.0 s)"});
  }
  {
    // Issue 19.1, the README's example: a task still running at A2A_TIMEOUT with a wedged
    // mark is a harness timeout, not a bound.
    RunEvidence e = Completed(600);
    e.outcome = A2AOutcome::kDeferred;
    e.call_deferred = true;
    e.call_platform_secs = 90;
    e.harness_timed_out = true;
    e.platform_actions = {{423.6, Mechanism::kStatusTransition, "PM reported wedged", true}};
    cases->push_back({"WedgedWhileStillRunningIsAHarnessTimeout", e, defaults,
                      Verdict::kHarnessTimeout, "marked (PM reported wedged at 423.6 s)"});
  }
  {
    // Issue 19.1: "degraded" does not stop a turn (section 6 item 7).
    RunEvidence e = Completed(400);
    e.status_transitions = {{120, "online", "degraded"}};
    cases->push_back({"DegradedIsOnlyAMark", e, defaults, Verdict::kUnbounded,
                      "marked (status degraded at 120.0 s)"});
  }
  {
    // Issue 19.1: a degraded heartbeat-history entry is a mark too.
    RunEvidence e = Completed(400);
    e.heartbeat_history_available = true;
    e.heartbeat_entries = {{"t1", "online", "heartbeat"}, {"t2", "degraded", "heartbeat"}};
    cases->push_back({"DegradedHeartbeatEntryIsOnlyAMark", e, defaults, Verdict::kUnbounded,
                      "no platform intervention"});
  }
  {
    RunEvidence e = Completed(400);
    e.kickoff_dispatches = 2;
    cases->push_back({"RedispatchRecorded", e, defaults, Verdict::kUnbounded, "2 times"});
  }
  {
    RunEvidence e = Completed(1800);
    e.outcome = A2AOutcome::kPlatformError;
    e.http_status = 0;
    e.end_source = "a2a_receive row";
    e.response_text = "";
    e.error_detail = "net/http: timeout awaiting response headers";
    cases->push_back(
        {"HeaderTimeoutRow", e, defaults, Verdict::kBoundedByPlatform, "response_header_timeout"});
  }
  {
    RunEvidence e = Completed(500);
    e.outcome = A2AOutcome::kRefused;
    e.http_status = 503;
    e.response_text = "workspace agent restarting \u2014 retry after a short backoff";
    cases->push_back(
        {"RestartingLate", e, defaults, Verdict::kBoundedByPlatform, "container_restart"});
  }
  {
    RunEvidence e = Completed(400);
    e.status_transitions = {{200, "online", "hibernated"}};
    cases->push_back({"UnknownStatusIsATransition", e, defaults, Verdict::kBoundedByPlatform,
                      "status_transition: PM status went online -> hibernated"});
  }
}

// A platform that stopped answering, or a PM that vanished, during the task: one case per
// rule (the harness lost sight of the task, so absence-based verdicts cannot stand).
void AddLostSightCases(std::vector<VerdictCase>* cases) {
  const VerdictThresholds defaults;
  RunEvidence timed_out = Completed(600);
  timed_out.outcome = A2AOutcome::kDeferred;
  timed_out.call_deferred = true;
  timed_out.harness_timed_out = true;
  {
    RunEvidence e = timed_out;
    e.platform_unreachable_from_secs = 150;
    e.platform_last_error = "GET /workspaces/pm: Couldn't connect to server";
    cases->push_back({"UnreachableIsNotStillRunning", e, defaults, Verdict::kInconclusive,
                      "platform unreachable from 150.0 s into the task to its end (last error: "
                      "GET /workspaces/pm: Couldn't connect to server)"});
  }
  {
    RunEvidence e = timed_out;
    e.pm_vanished_at_secs = 210;
    e.pm_vanished_http_status = 404;
    cases->push_back({"VanishedPmIsNotStillRunning", e, defaults, Verdict::kInconclusive,
                      "the PM vanished (GET 404) at 210.0 s"});
  }
  {
    // The 2026-04 call cut when the platform died: the reason names the platform, not the
    // socket.
    RunEvidence e = Completed(1.5);
    e.outcome = A2AOutcome::kNoResponse;
    e.transport_phase = TransportPhase::kSentNoAnswer;
    e.transport_error = "Recv failure: Connection reset by peer";
    e.platform_unreachable_from_secs = 1.5;
    e.platform_last_error = "connection refused";
    cases->push_back(
        {"CutCallWithPlatformGone", e, defaults, Verdict::kInconclusive, "platform unreachable"});
  }
  {
    RunEvidence e = Completed(640);
    e.platform_unreachable_from_secs = 400;
    e.platform_last_error = "timeout";
    cases->push_back({"UnboundedNeedsSightToTheEnd", e, defaults, Verdict::kInconclusive,
                      "platform unreachable from 400.0 s"});
  }
  {
    // A poll failing only after the completion hid nothing of the task.
    RunEvidence e = Completed(640);
    e.platform_unreachable_from_secs = 641;
    cases->push_back({"UnboundedWithSightLostAfterTheEnd", e, defaults, Verdict::kUnbounded, ""});
  }
  {
    // A platform action seen before the harness lost sight stands.
    RunEvidence e = timed_out;
    e.status_transitions = {{100, "online", "failed"}};
    e.platform_unreachable_from_secs = 150;
    cases->push_back({"EarlierInterventionStands", e, defaults, Verdict::kBoundedByPlatform,
                      "online -> failed at 100.0 s"});
  }
  {
    // One seen only after the PM vanished does not: the platform's state was already gone.
    RunEvidence e = timed_out;
    e.status_transitions = {{300, "online", "failed"}};
    e.pm_vanished_at_secs = 210;
    e.pm_vanished_http_status = 404;
    cases->push_back(
        {"LaterInterventionDoesNotStand", e, defaults, Verdict::kInconclusive, "vanished"});
  }
  {
    // A "removed" status the harness did not cause: someone else's DELETE, not a bound.
    RunEvidence e = timed_out;
    e.status_transitions = {{210, "online", "removed"}};
    cases->push_back({"RemovedByOthersIsInconclusive", e, defaults, Verdict::kInconclusive,
                      "the PM was removed at 210.0 s into the task though the harness did not "
                      "delete it"});
  }
  {
    // Whatever the platform answers the call after the removal (the dead container's 503
    // restarting) does not make it a platform bound.
    RunEvidence e = Completed(215);
    e.http_status = 503;
    e.outcome = A2AOutcome::kPlatformError;
    e.response_text = R"({"error":"workspace agent unreachable","restarting":true})";
    e.status_transitions = {{210, "online", "removed"}};
    cases->push_back({"AnswerAfterTheRemovalIsNotABound", e, defaults, Verdict::kInconclusive,
                      "the PM was removed at 210.0 s"});
  }
  {
    // An intervention seen before the removal stands.
    RunEvidence e = timed_out;
    e.status_transitions = {{100, "online", "offline"}, {210, "offline", "removed"}};
    cases->push_back({"InterventionBeforeTheRemovalStands", e, defaults,
                      Verdict::kBoundedByPlatform, "online -> offline at 100.0 s"});
  }
  {
    // Issue 19.2, the reproduction: an operator's delete 3 s in fails the held task (the
    // row turns error "context canceled") just before the PM reads as removed (410).
    RunEvidence e = Completed(398.1);
    e.outcome = A2AOutcome::kPlatformError;
    e.http_status = 0;
    e.call_deferred = true;
    e.call_platform_secs = 90;
    e.end_source = "ACTIVITY_LOGGED event";
    e.response_text.clear();  // the row's response_body is empty
    e.error_detail = "context canceled (workspace deleted)";
    e.pm_vanished_at_secs = 405;
    e.pm_vanished_http_status = 410;
    cases->push_back({"ErrorFromSomeoneElsesDeleteIsInconclusive", e, defaults,
                      Verdict::kInconclusive,
                      "the PM was removed at 405.0 s into the task by someone other than this run "
                      "(GET of the PM answered 410); the task's end at 398.1 s followed from it"});
  }
  {
    // The same with the removal seen as a status, and an error that does not name
    // cancellation but comes within the window before it.
    RunEvidence e = Completed(398.1);
    e.outcome = A2AOutcome::kPlatformError;
    e.call_deferred = true;
    e.call_platform_secs = 90;
    e.end_source = "a2a_receive row";
    e.response_text.clear();
    e.error_detail = "workspace agent unreachable";
    e.status_transitions = {{410, "online", "removed"}};
    cases->push_back({"ErrorJustBeforeTheRemovalIsInconclusive", e, defaults,
                      Verdict::kInconclusive, "followed from it"});
  }
  {
    // A platform error clearly before the removal, naming no cancellation, still decides.
    RunEvidence e = Completed(300);
    e.outcome = A2AOutcome::kPlatformError;
    e.call_deferred = true;
    e.call_platform_secs = 90;
    e.end_source = "a2a_receive row";
    e.response_text.clear();
    e.error_detail = "timeout awaiting response headers";
    e.pm_vanished_at_secs = 400;
    e.pm_vanished_http_status = 410;
    cases->push_back({"ErrorClearlyBeforeTheRemovalStands", e, defaults,
                      Verdict::kBoundedByPlatform,
                      "response_header_timeout: the task ended in a platform error after 300.0 s "
                      "(platform time), seen in the a2a_receive row: timeout awaiting response "
                      "headers"});
  }
  {
    // An action clearly before the removal stands even when the end names cancellation.
    RunEvidence e = Completed(398.1);
    e.outcome = A2AOutcome::kPlatformError;
    e.call_deferred = true;
    e.call_platform_secs = 90;
    e.end_source = "a2a_receive row";
    e.error_detail = "context canceled";
    e.platform_actions = {{200, Mechanism::kStallWatchdog, "stall-watchdog: restart"}};
    e.pm_vanished_at_secs = 405;
    e.pm_vanished_http_status = 410;
    cases->push_back({"ActionBeforeTheRemovalStands", e, defaults, Verdict::kBoundedByPlatform,
                      "stall_watchdog: stall-watchdog: restart at 200.0 s"});
  }
  {
    // A completion seen is a completion, whatever the sampler missed.
    RunEvidence e = Completed(120);
    e.platform_unreachable_from_secs = 100;
    cases->push_back({"CompletionStands", e, defaults, Verdict::kWithinDelegationTimeout, ""});
  }
  {
    // A kickoff that never reached the platform keeps its own reason.
    RunEvidence e = Completed(0.1);
    e.outcome = A2AOutcome::kNoResponse;
    e.transport_phase = TransportPhase::kNeverConnected;
    e.platform_unreachable_from_secs = 0;
    cases->push_back(
        {"NeverConnectedKeepsItsPhase", e, defaults, Verdict::kInconclusive, "never reached"});
  }
}

// Issue 19.3 and 19.5: a time scale that does not match the platform's; the runtime's
// completion idle cap.
void AddClockAndIdleCapCases(std::vector<VerdictCase>* cases) {
  const VerdictThresholds defaults;
  {
    // The standalone fake at --time-scale=0.01 with TIME_SCALE unset: the harness measured
    // 1.7 s, the row's duration_ms says 165 s.
    RunEvidence e = Completed(1.7);
    e.call_deferred = false;
    e.end_source = "a2a_receive row";
    e.platform_reported_task_secs = 165;
    cases->push_back({"PlatformClockSlowerThanTimeScale", e, defaults, Verdict::kInconclusive,
                      "disagree by a factor of 97.1: the platform's duration_ms says the task "
                      "took 165.0 s, the harness measured 1.7 s with TIME_SCALE=1; set "
                      "TIME_SCALE to the platform's (about 0.0103)"});
  }
  {
    // TIME_SCALE 10x too small: the queued acknowledgement comes at 900 s, the task is still
    // running at A2A_TIMEOUT.
    RunEvidence e = Completed(600);
    e.outcome = A2AOutcome::kDeferred;
    e.call_deferred = true;
    e.call_platform_secs = 900;
    e.harness_timed_out = true;
    e.time_scale = 0.001;
    cases->push_back({"AcknowledgementFarFromTheSyncBudget", e, defaults, Verdict::kInconclusive,
                      "the queued acknowledgement came 900.0 s after the kickoff with "
                      "TIME_SCALE=0.001, where the platform's sync budget is 90.0 s"});
  }
  {
    // The harness sees a little more than the row's turn (polling, the network): agreed.
    RunEvidence e = Completed(640);
    e.call_deferred = true;
    e.call_platform_secs = 90.4;
    e.end_source = "a2a_receive row";
    e.platform_reported_task_secs = 638.5;
    cases->push_back({"ClocksAgree", e, defaults, Verdict::kUnbounded, "640.0 s"});
  }
  {
    // A re-dispatched turn's row covers only its own run: the harness legitimately sees more.
    RunEvidence e = Completed(2000);
    e.call_deferred = true;
    e.call_platform_secs = 90;
    e.end_source = "a2a_receive row";
    e.platform_reported_task_secs = 150;
    e.kickoff_dispatches = 2;
    e.platform_actions = {{1800, Mechanism::kIdleTimer, "(queued: target busy)"}};
    cases->push_back(
        {"RedispatchedRowIsShorter", e, defaults, Verdict::kBoundedByPlatform, "idle_timer"});
  }
  {
    RunEvidence e = Completed(1000);
    e.outcome = A2AOutcome::kAgentError;
    e.response_text = "Agent error (TimeoutError): completion stalled: no SDK message for 900s";
    e.status_transitions = {{1001, "online", "degraded"}};
    cases->push_back({"CompletionIdleCap", e, defaults, Verdict::kBoundedByAgent,
                      "agent_idle_cap: the agent's runtime ended its turn after 1000.0 s "
                      "(platform time) because no message streamed for its completion idle "
                      "cap (A2A_COMPLETION_IDLE_TIMEOUT_SECONDS): a cap on the gap between the "
                      "agent's messages, not on the turn's length"});
  }
  {
    // The degraded status that follows the idle cap before the harness saw the end.
    RunEvidence e = Completed(1000);
    e.outcome = A2AOutcome::kAgentError;
    e.response_text = "Agent error (TimeoutError): completion stalled: no SDK message for 900s";
    e.status_transitions = {{990, "online", "degraded"}};
    cases->push_back({"DegradedAfterTheIdleCapIsItsConsequence", e, defaults,
                      Verdict::kBoundedByAgent, "agent_idle_cap"});
  }
  {
    RunEvidence e = Completed(1000);
    e.task_state = "failed";
    e.response_text = "completion stalled: no SDK message for 900s";
    cases->push_back(
        {"FailedStateIdleCap", e, defaults, Verdict::kBoundedByAgent, "agent_idle_cap"});
  }
}

std::vector<VerdictCase> Cases() {
  std::vector<VerdictCase> cases;
  const VerdictThresholds defaults;
  cases.push_back({"Fast", Completed(12), defaults, Verdict::kNotInformative, "too fast"});
  cases.push_back({"JustUnderSixty", Completed(59.99), defaults, Verdict::kNotInformative, ""});
  cases.push_back({"ExactlySixty", Completed(60), defaults, Verdict::kWithinDelegationTimeout,
                   "within DELEGATION_TIMEOUT"});
  cases.push_back(
      {"JustUnderThreeHundred", Completed(299.9), defaults, Verdict::kWithinDelegationTimeout, ""});
  cases.push_back({"ExactlyThreeHundred", Completed(300), defaults, Verdict::kUnbounded,
                   "no platform intervention in 3 status samples"});
  cases.push_back({"LongRun", Completed(640), defaults, Verdict::kUnbounded, "640.0 s"});
  cases.push_back({"LongRunNeverObserved", Completed(640, 0), defaults, Verdict::kInconclusive,
                   "cannot be ruled out"});
  {
    RunEvidence e = Completed(640, 0);
    e.heartbeat_history_available = true;
    e.heartbeat_entries = {{"2026-11-24T10:00:00.000Z", "online", "heartbeat"}};
    cases.push_back({"LongRunWithCleanHeartbeatHistory", e, defaults, Verdict::kUnbounded,
                     "1 heartbeat-history entries"});
  }
  {
    VerdictThresholds custom{10, 100};
    cases.push_back({"CustomInformative", Completed(9), custom, Verdict::kNotInformative, ""});
    cases.push_back(
        {"CustomWithin", Completed(10), custom, Verdict::kWithinDelegationTimeout, "100.0 s"});
    cases.push_back({"CustomUnbounded", Completed(100), custom, Verdict::kUnbounded, ""});
  }
  {
    RunEvidence e = Completed(0);
    e.outcome = A2AOutcome::kQueued;
    e.http_status = 202;
    e.platform_secs = 420;
    cases.push_back({"Queued", e, defaults, Verdict::kBoundedByPlatform, "202 queued"});
  }
  {
    RunEvidence e = Completed(300);
    e.outcome = A2AOutcome::kPlatformError;
    e.http_status = 503;
    e.response_text = "task terminated";
    cases.push_back({"PlatformFiveHundred", e, defaults, Verdict::kBoundedByPlatform,
                     "HTTP 503: task terminated"});
  }
  {
    // The PM going failed as its turn is terminated is the ending's symptom, not its cause,
    // even when a slow harness sees the status change before the answer (seen under ASan).
    RunEvidence e = Completed(302);
    e.outcome = A2AOutcome::kPlatformError;
    e.http_status = 503;
    e.response_text = "task terminated";
    e.status_transitions = {{301.7, "online", "failed"}};
    cases.push_back({"TerminatedEndingOutranksItsStatusChange", e, defaults,
                     Verdict::kBoundedByPlatform, "task_ceiling: "});
  }
  {
    RunEvidence e = Completed(1);
    e.outcome = A2AOutcome::kPlatformError;
    e.http_status = 404;
    e.response_text = "workspace not found";
    cases.push_back(
        {"PlatformFourHundred", e, defaults, Verdict::kInconclusive, "rejected the kickoff"});
  }
  {
    RunEvidence e = Completed(300);
    e.outcome = A2AOutcome::kAgentError;
    e.response_text = "Agent error: task exceeded max_task_duration_seconds (300s)";
    cases.push_back(
        {"AgentError", e, defaults, Verdict::kBoundedByAgent, "max_task_duration_seconds"});
  }
  {
    RunEvidence e = Completed(3);
    e.outcome = A2AOutcome::kJsonRpcError;
    e.response_text = "-32601 Method not found";
    cases.push_back({"JsonRpcError", e, defaults, Verdict::kInconclusive, "JSON-RPC error"});
  }
  {
    RunEvidence e = Completed(600);
    e.outcome = A2AOutcome::kNoResponse;
    e.http_status = 0;
    e.harness_timed_out = true;
    cases.push_back({"HarnessTimeout", e, defaults, Verdict::kHarnessTimeout, "A2A_TIMEOUT"});
  }
  {
    RunEvidence e = Completed(0.01);
    e.outcome = A2AOutcome::kNoResponse;
    e.http_status = 0;
    e.transport_error = "Connection refused";
    cases.push_back({"TransportError", e, defaults, Verdict::kInconclusive, "Connection refused"});
  }
  for (const char* status : {"failed", "offline", "paused"}) {
    RunEvidence e = Completed(400);
    e.status_transitions = {{120, "online", status}};
    std::string name = std::string("TransitionTo") + status;
    name[12] = static_cast<char>(name[12] - 'a' + 'A');
    cases.push_back(
        {name, e, defaults, Verdict::kBoundedByPlatform, std::string("online -> ") + status});
  }
  {
    // A transition to a healthy status (the secret restart's provisioning->online) is not
    // an intervention.
    RunEvidence e = Completed(400);
    e.status_transitions = {{2, "provisioning", "online"}};
    cases.push_back({"HealthyTransition", e, defaults, Verdict::kUnbounded, ""});
  }
  {
    // The sampler's last poll comes after the answer: a status change then is not a bound.
    RunEvidence e = Completed(400);
    e.status_transitions = {{400.5, "online", "offline"}};
    cases.push_back({"TransitionAfterTheAnswer", e, defaults, Verdict::kUnbounded, ""});
  }
  {
    // Intervention evidence outranks the harness timeout: the platform acted first.
    RunEvidence e = Completed(600);
    e.outcome = A2AOutcome::kNoResponse;
    e.harness_timed_out = true;
    e.status_transitions = {{300, "online", "failed"}};
    cases.push_back(
        {"TransitionBeforeHarnessTimeout", e, defaults, Verdict::kBoundedByPlatform, "300.0 s"});
  }
  {
    RunEvidence e = Completed(400);
    e.heartbeat_history_available = true;
    e.heartbeat_entries = {{"t1", "online", "heartbeat"}, {"t2", "failed", "terminated"}};
    cases.push_back(
        {"TerminatedInHeartbeatHistory", e, defaults, Verdict::kBoundedByPlatform, "terminated"});
  }
  AddTaskCases(&cases);
  AddLostSightCases(&cases);
  AddClockAndIdleCapCases(&cases);
  return cases;
}

class ClassifyRunTest : public ::testing::TestWithParam<VerdictCase> {};

TEST_P(ClassifyRunTest, GivesExpectedVerdictWithReason) {
  const VerdictCase& c = GetParam();
  const Classification got = ClassifyRun(c.evidence, c.thresholds);
  EXPECT_EQ(VerdictName(got.verdict), std::string(VerdictName(c.expected))) << got.reason;
  EXPECT_FALSE(got.reason.empty());
  EXPECT_THAT(got.reason, HasSubstr(c.reason_contains));
}

INSTANTIATE_TEST_SUITE_P(Table, ClassifyRunTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<VerdictCase>& info) {
                           return info.param.name;
                         });

TEST(VerdictNameTest, NamesAreTheDesignsVocabulary) {
  EXPECT_STREQ(VerdictName(Verdict::kNotInformative), "not_informative");
  EXPECT_STREQ(VerdictName(Verdict::kWithinDelegationTimeout), "within_delegation_timeout");
  EXPECT_STREQ(VerdictName(Verdict::kUnbounded), "unbounded");
  EXPECT_STREQ(VerdictName(Verdict::kBoundedByPlatform), "bounded_by_platform");
  EXPECT_STREQ(VerdictName(Verdict::kBoundedByAgent), "bounded_by_agent");
  EXPECT_STREQ(VerdictName(Verdict::kHarnessTimeout), "harness_timeout");
  EXPECT_STREQ(VerdictName(Verdict::kInconclusive), "inconclusive");
  EXPECT_STREQ(VerdictName(Verdict::kKickoffRefused), "kickoff_refused");
  EXPECT_STREQ(VerdictName(Verdict::kAgentFailed), "agent_failed");
}

TEST(ClassifyRunEvidenceTest, EveryVerdictCarriesItsEvidence) {
  RunEvidence e = Completed(640);
  e.call_deferred = true;
  e.call_platform_secs = 90;
  e.end_source = "A2A_RESPONSE event";
  e.kickoff_dispatches = 2;
  const Classification got = ClassifyRun(e, VerdictThresholds());
  EXPECT_THAT(got.evidence, ::testing::Contains(HasSubstr("queued acknowledgement at 90.0 s")));
  EXPECT_THAT(got.evidence, ::testing::Contains(HasSubstr("A2A_RESPONSE event: result")));
  EXPECT_THAT(got.evidence, ::testing::Contains(HasSubstr("dispatched 2 times")));
  EXPECT_EQ(got.mechanism, Mechanism::kNone);
}

TEST(ClassifyRunEvidenceTest, LostSightIsInTheEvidenceWhenAnEarlierBoundStands) {
  RunEvidence e = Completed(600);
  e.outcome = A2AOutcome::kDeferred;
  e.harness_timed_out = true;
  e.status_transitions = {{100, "online", "offline"}};
  e.platform_unreachable_from_secs = 150;
  e.platform_last_error = "Couldn't connect to server";
  e.pm_vanished_at_secs = 300;
  e.pm_vanished_http_status = 404;
  const Classification got = ClassifyRun(e, VerdictThresholds());
  EXPECT_EQ(got.mechanism, Mechanism::kContainerRestart) << got.reason;
  EXPECT_THAT(got.evidence,
              ::testing::Contains(
                  HasSubstr("platform unreachable from 150.0 s (last error: Couldn't connect")));
  EXPECT_THAT(got.evidence, ::testing::Contains(HasSubstr("answered 404 at 300.0 s")));
}

TEST(ClassifyRunEvidenceTest, BoundsNameTheirMechanism) {
  RunEvidence e = Completed(0);
  e.outcome = A2AOutcome::kQueued;
  EXPECT_STREQ(MechanismName(ClassifyRun(e, VerdictThresholds()).mechanism), "idle_timer");
}

TEST(AgentErrorNamesTimeLimitTest, TimeWordsOnly) {
  EXPECT_TRUE(AgentErrorNamesTimeLimit("Agent error (TaskTimeout) \u2014 see logs"));
  EXPECT_TRUE(AgentErrorNamesTimeLimit("Agent error: task exceeded max_task_duration_seconds"));
  EXPECT_FALSE(AgentErrorNamesTimeLimit("Agent error (RateLimitError): provider said 429"));
}

TEST(IsInterventionStatusTest, HealthyStatusesAreNotInterventions) {
  EXPECT_FALSE(IsInterventionStatus("online"));
  EXPECT_FALSE(IsInterventionStatus("provisioning"));
  EXPECT_TRUE(IsInterventionStatus("terminated"));
}

}  // namespace
}  // namespace taskbounds
