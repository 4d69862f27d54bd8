#include "client/verdict.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "client/text.h"

namespace taskbounds {
namespace {

// Budgets for remote text quoted in a reason (bytes): a status or timestamp is a word, a
// platform message gets one excerpt's worth.
constexpr std::size_t kRemoteWordBytes = 64;
constexpr std::size_t kRemoteMessageBytes = 200;
// The whole reason stays one line of at most this many bytes whatever it quotes.
constexpr std::size_t kReasonBytes = 1000;

std::string Secs(double secs) { return FormatDecimal(secs, 1) + " s"; }

// A platform-supplied word (status, event, timestamp) as it may appear in a reason.
std::string Word(const std::string& remote) { return SanitizeRemoteText(remote, kRemoteWordBytes); }

// A platform-supplied message (error body, agent text, transport error naming a path).
std::string Message(const std::string& remote) {
  return SanitizeRemoteText(remote, kRemoteMessageBytes);
}

Classification Make(Verdict verdict, const std::string& reason) {
  // Every remote piece is already sanitised; this pass only guarantees the one-line,
  // bounded shape for whatever a future reason adds.
  Classification c;
  c.verdict = verdict;
  c.reason = SanitizeRemoteText(reason, kReasonBytes);
  return c;
}

// A terminated entry or an intervention status in the heartbeat history, if any.
const HeartbeatEntry* FindInterventionEntry(const std::vector<HeartbeatEntry>& entries) {
  for (const HeartbeatEntry& entry : entries) {
    if (entry.event == "terminated" || entry.status == "terminated" ||
        (IsInterventionStatus(entry.status) && !IsMarkStatus(entry.status))) {
      return &entry;
    }
  }
  return nullptr;
}

}  // namespace

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kNotInformative:
      return "not_informative";
    case Verdict::kWithinDelegationTimeout:
      return "within_delegation_timeout";
    case Verdict::kUnbounded:
      return "unbounded";
    case Verdict::kBoundedByPlatform:
      return "bounded_by_platform";
    case Verdict::kBoundedByAgent:
      return "bounded_by_agent";
    case Verdict::kHarnessTimeout:
      return "harness_timeout";
    case Verdict::kInconclusive:
      return "inconclusive";
    case Verdict::kKickoffRefused:
      return "kickoff_refused";
    case Verdict::kAgentFailed:
      return "agent_failed";
  }
  return "inconclusive";
}

const char* MechanismName(Mechanism mechanism) {
  switch (mechanism) {
    case Mechanism::kNone:
      return "";
    case Mechanism::kIdleTimer:
      return "idle_timer";
    case Mechanism::kStallWatchdog:
      return "stall_watchdog";
    case Mechanism::kContainerRestart:
      return "container_restart";
    case Mechanism::kResponseHeaderTimeout:
      return "response_header_timeout";
    case Mechanism::kPlatformError:
      return "platform_error";
    case Mechanism::kStatusTransition:
      return "status_transition";
    case Mechanism::kTaskCeiling:
      return "task_ceiling";
    case Mechanism::kAgentTimeLimit:
      return "agent_time_limit";
    case Mechanism::kAgentIdleCap:
      return "agent_idle_cap";
  }
  return "";
}

bool IsInterventionStatus(const std::string& status) {
  return status == "failed" || status == "offline" || status == "degraded" || status == "paused" ||
         status == "removed" || status == "terminated";
}

bool IsHealthyTaskStatus(const std::string& status) { return status == "online"; }

bool IsMarkStatus(const std::string& status) { return status == "degraded"; }

namespace {

// ASCII lower case, for matching platform words whatever their case.
std::string Lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return text;
}

bool Contains(const std::string& haystack, const char* needle) {
  return haystack.find(needle) != std::string::npos;
}

// A status the PM shows while a platform restart runs (liveness lost, dead container,
// restart re-provisioning it; platform-api-2026-08.md section 6 items 5 and 10).
bool IsRestartStatus(const std::string& status) {
  return status == "offline" || status == "provisioning" || status == "restarting";
}

// What a platform error text says ended the task: the response-header timeout and a
// restart have their own words (platform-api-2026-08.md sections 4 and 6).
Mechanism MechanismOfPlatformError(const std::string& text) {
  const std::string lower = Lower(text);
  if (Contains(lower, "awaiting response headers") || Contains(lower, "response header")) {
    return Mechanism::kResponseHeaderTimeout;
  }
  if (Contains(lower, "restart") || Contains(lower, "unreachable") ||
      Contains(lower, "not running")) {
    return Mechanism::kContainerRestart;
  }
  // A task ceiling's word (DESIGN.md "Verdicts": MAX_TASK_EXECUTION_SECS / terminated).
  if (Contains(lower, "terminated")) {
    return Mechanism::kTaskCeiling;
  }
  return Mechanism::kPlatformError;
}

Classification Bound(Mechanism mechanism, const std::string& what) {
  Classification c =
      Make(Verdict::kBoundedByPlatform, std::string(MechanismName(mechanism)) + ": " + what);
  c.mechanism = mechanism;
  return c;
}

// A classification and the platform seconds since the kickoff of the event that decided it
// (< 0: not placed on the task's timeline, e.g. a heartbeat-history entry).
struct Decided {
  Classification c;
  double at = -1;
};

// The earliest platform action during the task: a status other than online, an action
// row the follower saw, a terminated heartbeat entry. Whatever the answer was, the platform
// acted on the task first. Marks that leave the task running (the wedged flag, "degraded")
// never count: they are evidence (DescribeMarks), not bounds (platform-api-2026-08.md
// section 6, "Evidence is not a bound").
// `symptoms`: whether status changes count; not when the task's ending names its own
// mechanism, since a PM going failed as its turn is terminated is that ending's symptom.
// `until`: platform seconds after which nothing counts (the task's end, or the moment the
// harness lost sight of the PM).
std::optional<Decided> ClassifyIntervention(const RunEvidence& evidence, bool symptoms,
                                            double until) {
  std::optional<Decided> first;
  const auto consider = [&](double at, Classification c) {
    // The follower polls once more after the end; what happened then did not bound it.
    if (at > until || (first && at >= first->at)) {
      return;
    }
    first = Decided{std::move(c), at};
  };
  for (const StatusTransition& t : evidence.status_transitions) {
    // "removed" is a DELETE's doing, never a platform mechanism (FirstRemoval).
    if (symptoms && !IsHealthyTaskStatus(t.to) && !IsMarkStatus(t.to) && t.to != "removed") {
      const Mechanism m =
          IsRestartStatus(t.to) ? Mechanism::kContainerRestart : Mechanism::kStatusTransition;
      consider(t.at_platform_secs,
               Bound(m, "PM status went " + Word(t.from) + " -> " + Word(t.to) + " at " +
                            Secs(t.at_platform_secs) + " into the task"));
    }
  }
  for (const PlatformAction& a : evidence.platform_actions) {
    if (!a.flag_only) {
      consider(a.at_platform_secs,
               Bound(a.mechanism,
                     Message(a.detail) + " at " + Secs(a.at_platform_secs) + " into the task"));
    }
  }
  if (first) {
    return first;
  }
  if (const HeartbeatEntry* entry = FindInterventionEntry(evidence.heartbeat_entries)) {
    const bool terminated = entry->event == "terminated" || entry->status == "terminated";
    return Decided{Bound(terminated ? Mechanism::kTaskCeiling : Mechanism::kStatusTransition,
                         "heartbeat history shows status '" + Word(entry->status) + "' event '" +
                             Word(entry->event) + "' at " + Word(entry->ts)),
                   -1};
  }
  return std::nullopt;
}

// The marks the PM carried during the task that left it running (the wedged flag, a
// "degraded" status), as one clause for the reason; "" when there were none. `until`: as
// for ClassifyIntervention.
std::string DescribeMarks(const RunEvidence& evidence, double until) {
  std::string marks;
  const auto add = [&](const std::string& what, double at) {
    if (at <= until) {
      marks.append(marks.empty() ? "" : ", ").append(what + " at " + Secs(at));
    }
  };
  for (const PlatformAction& a : evidence.platform_actions) {
    if (a.flag_only) {
      add(Message(a.detail), a.at_platform_secs);
    }
  }
  for (const StatusTransition& t : evidence.status_transitions) {
    if (IsMarkStatus(t.to)) {
      add("status " + Word(t.to), t.at_platform_secs);
    }
  }
  return marks.empty() ? ""
                       : "; the PM was marked (" + marks +
                             ") but marks leave the task running: evidence, not a bound";
}

// When the PM's status turned "removed" during the task (by the task's end as the harness saw
// it), the platform seconds since the kickoff. Only a DELETE removes a workspace (platform-api.md
// section 3.7, platform-api-2026-08.md section 7) and the harness's own deletes are no
// transitions (StatusSample::harness_action), so someone else deleted the PM: not a bound.
// `until`: platform seconds after which a transition is not counted.
std::optional<double> RemovedByOthersAt(const RunEvidence& evidence, double until) {
  std::optional<double> at;
  for (const StatusTransition& t : evidence.status_transitions) {
    if (t.to == "removed" && t.at_platform_secs <= until && (!at || t.at_platform_secs < *at)) {
      at = t.at_platform_secs;
    }
  }
  return at;
}

std::optional<double> RemovedByOthersAt(const RunEvidence& evidence) {
  return RemovedByOthersAt(evidence, evidence.platform_secs);
}

// When the harness lost sight of the PM during the task (unreachable platform, vanished or
// removed PM, RunEvidence), the platform seconds since the kickoff; nullopt when it never did.
std::optional<double> LostSightAt(const RunEvidence& evidence) {
  std::optional<double> at = RemovedByOthersAt(evidence);
  for (const double t : {evidence.platform_unreachable_from_secs, evidence.pm_vanished_at_secs}) {
    if (t >= 0 && (!at || t < *at)) {
      at = t;
    }
  }
  return at;
}

// The PM's removal by someone other than this run: a "removed" status or a GET that answered
// 404/410 though the harness had not deleted it.
struct Removal {
  double at = 0;        // platform seconds since the kickoff
  std::string seen;     // how it showed, e.g. "its status turned 'removed'"
  bool removed = true;  // false: a 404, which a platform that lost its state also gives
};

std::optional<Removal> FirstRemoval(const RunEvidence& evidence) {
  std::optional<Removal> first;
  // Also after the task's end: the sampler's last poll may be the first to see it.
  if (const std::optional<double> at =
          RemovedByOthersAt(evidence, std::numeric_limits<double>::infinity())) {
    first = Removal{*at, "its status turned 'removed'", true};
  }
  if (evidence.pm_vanished_at_secs >= 0 && (!first || evidence.pm_vanished_at_secs < first->at)) {
    const long code = evidence.pm_vanished_http_status;
    first = Removal{evidence.pm_vanished_at_secs, "GET of the PM answered " + std::to_string(code),
                    code == 410};
  }
  return first;
}

// Whether a platform error text says the task was cancelled, as a workspace's removal cancels
// its in-flight forward (Go's "context canceled").
bool NamesCancellation(const std::string& text) {
  const std::string lower = Lower(text);
  // "canceled" covers Go's "context canceled".
  return Contains(lower, "canceled") || Contains(lower, "cancelled") ||
         Contains(lower, "workspace deleted") || Contains(lower, "workspace removed");
}

// What a bound's reason says happened, without its "<mechanism>: " prefix.
std::string EventOf(const Classification& bound) {
  const std::string prefix = std::string(MechanismName(bound.mechanism)) + ": ";
  return bound.reason.compare(0, prefix.size(), prefix) == 0 ? bound.reason.substr(prefix.size())
                                                             : bound.reason;
}

// Inconclusive: the task's end or the platform's action at `decided.at` followed from the
// PM's removal by someone else, so it says nothing about the platform's bounds.
Classification ClassifyRemovalConsequence(const Removal& removal, const Decided& decided) {
  const std::string what =
      removal.removed
          ? "the PM was removed at " + Secs(removal.at) +
                " into the task by someone other than this run (" + removal.seen + ")"
          : "the PM vanished at " + Secs(removal.at) + " into the task (" + removal.seen +
                ": the platform lost it, or someone other than this run removed it)";
  return Make(Verdict::kInconclusive, what + "; the task's end at " + Secs(decided.at) +
                                          " followed from it (" + EventOf(decided.c) +
                                          "), so it says nothing about the platform's bounds");
}

// Whether the bound `decided` is explained by the removal: seen within the window before it
// (the removal shows one sample late), or an error naming cancellation before it.
bool ExplainedByRemoval(const Decided& decided, const Removal& removal, const RunEvidence& evidence,
                        const VerdictThresholds& thresholds) {
  if (decided.c.verdict != Verdict::kBoundedByPlatform || decided.at < 0) {
    return false;
  }
  if (decided.at >= removal.at - thresholds.removal_window_secs) {
    return true;
  }
  return decided.at <= removal.at &&
         NamesCancellation(evidence.response_text + " " + evidence.error_detail) &&
         decided.at >= evidence.platform_secs;
}

// Inconclusive: the harness could not see the task after `lost_at`. A vanished PM is not a
// bound: no documented platform mechanism deletes a busy workspace (platform-api-2026-08.md
// section 6; a deliberate removal reads "removed", a transition), and a platform that lost its
// state or an operator's delete says nothing about the task's own bounds.
Classification ClassifyLostSight(const RunEvidence& evidence, double lost_at) {
  if (const std::optional<double> removed = RemovedByOthersAt(evidence);
      removed && *removed <= lost_at) {
    return Make(Verdict::kInconclusive,
                "the PM was removed at " + Secs(*removed) +
                    " into the task though the harness did not delete it: only a DELETE "
                    "removes a workspace, so someone else deleted it and what the task would "
                    "have done is unknown");
  }
  if (evidence.pm_vanished_at_secs >= 0 && evidence.pm_vanished_at_secs <= lost_at) {
    return Make(Verdict::kInconclusive,
                "the PM vanished (GET " + std::to_string(evidence.pm_vanished_http_status) +
                    ") at " + Secs(evidence.pm_vanished_at_secs) +
                    " into the task though the harness did not delete it: the platform lost or "
                    "removed the workspace, so what happened to the task is unknown");
  }
  return Make(
      Verdict::kInconclusive,
      "platform unreachable from " + Secs(evidence.platform_unreachable_from_secs) +
          " into the task to its end (last error: " + Message(evidence.platform_last_error) +
          "): the task's fate could not be observed; check the platform and rerun");
}

// Whether `c` says only that no end or no intervention was seen (a harness timeout, an
// unbounded completion, a task whose end never showed): what a harness that lost sight of
// the PM cannot claim from `lost_at` on. A kickoff that never reached the platform keeps its
// own reason; a completion seen keeps "unbounded" when sight was lost only after it (the
// sample right after the end).
bool RestsOnAbsence(const Classification& c, const RunEvidence& evidence, double lost_at) {
  if (c.verdict == Verdict::kUnbounded) {
    return lost_at <= evidence.platform_secs;
  }
  if (c.verdict == Verdict::kHarnessTimeout) {
    return true;
  }
  if (c.verdict != Verdict::kInconclusive || c.mechanism != Mechanism::kNone) {
    return false;
  }
  switch (evidence.outcome) {
    case A2AOutcome::kDeferred:
    case A2AOutcome::kResult:
      return true;
    case A2AOutcome::kNoResponse:
      return evidence.transport_phase != TransportPhase::kNeverConnected &&
             evidence.transport_phase != TransportPhase::kNotFullySent;
    default:
      return false;
  }
}

// No HTTP answer: what it means depends on how far the kickoff got.
Classification ClassifyNoAnswer(const RunEvidence& evidence, const std::string& after) {
  const std::string phase = TransportPhaseName(evidence.transport_phase);
  switch (evidence.transport_phase) {
    case TransportPhase::kNeverConnected:
    case TransportPhase::kNotFullySent:
      // Whatever ran out, the platform never had the whole kickoff: nothing was measured.
      return Make(Verdict::kInconclusive, "the kickoff never reached the platform (" + phase +
                                              "): " + Message(evidence.transport_error));
    case TransportPhase::kComplete:
    case TransportPhase::kSentNoAnswer:
    case TransportPhase::kPartialAnswer:
      break;
  }
  if (evidence.harness_timed_out) {
    return Make(Verdict::kHarnessTimeout,
                "A2A_TIMEOUT ran out" + after +
                    " with no answer and no platform intervention seen; check the PM's "
                    "status to tell a hung coordinator from a slow one");
  }
  return Make(Verdict::kInconclusive,
              "no HTTP answer (" + phase + "): " + Message(evidence.transport_error));
}

// The runtime's completion idle cap: claude-code ends a turn after
// A2A_COMPLETION_IDLE_TIMEOUT_SECONDS (900 s) without a streamed SDK message, replying
// "Agent error (TimeoutError): completion stalled: no SDK message for ...".
bool AgentErrorNamesIdleCap(const std::string& text) {
  const std::string lower = Lower(text);
  return Contains(lower, "completion stalled") || Contains(lower, "no sdk message");
}

Classification AgentIdleCap(const std::string& text, const std::string& after) {
  Classification c = Make(Verdict::kBoundedByAgent,
                          "agent_idle_cap: the agent's runtime ended its turn" + after +
                              " because no message streamed for its completion idle cap "
                              "(A2A_COMPLETION_IDLE_TIMEOUT_SECONDS): a cap on the gap between "
                              "the agent's messages, not on the turn's length: " +
                              Message(text));
  c.mechanism = Mechanism::kAgentIdleCap;
  return c;
}

// An agent error: its own time limit (bounded_by_agent) or another failure (agent_failed).
Classification ClassifyAgentError(const std::string& text, const std::string& after) {
  static const std::string kLegacyPrefix = "Agent error:";
  if (AgentErrorNamesIdleCap(text)) {
    return AgentIdleCap(text, after);
  }
  if (text.compare(0, kLegacyPrefix.size(), kLegacyPrefix) == 0 || AgentErrorNamesTimeLimit(text)) {
    Classification c =
        Make(Verdict::kBoundedByAgent,
             "agent_time_limit: the agent ended its own task" + after + ": " + Message(text));
    c.mechanism = Mechanism::kAgentTimeLimit;
    return c;
  }
  return Make(Verdict::kAgentFailed, "the agent failed" + after +
                                         " for a reason that is not a time limit: " +
                                         Message(text) + "; no statement about bounds");
}

// A result whose A2A task state is not "completed": failed and canceled tasks did not
// complete, a working one has not ended.
std::optional<Classification> ClassifyTaskState(const RunEvidence& evidence,
                                                const std::string& after) {
  const std::string& state = evidence.task_state;
  if (state.empty() || state == "completed") {
    return std::nullopt;
  }
  const std::string said = "the A2A task state is '" + Word(state) + "'" + after;
  if (state == "failed" || state == "rejected") {
    if (AgentErrorNamesIdleCap(evidence.response_text)) {
      return AgentIdleCap(evidence.response_text, after);
    }
    if (AgentErrorNamesTimeLimit(evidence.response_text)) {
      Classification c = Make(Verdict::kBoundedByAgent,
                              "agent_time_limit: " + said + ": " + Message(evidence.response_text));
      c.mechanism = Mechanism::kAgentTimeLimit;
      return c;
    }
    return Make(Verdict::kAgentFailed,
                said + ", not a completion: " + Message(evidence.response_text) +
                    "; no statement about bounds");
  }
  if (evidence.harness_timed_out) {
    return Make(Verdict::kHarnessTimeout,
                "A2A_TIMEOUT ran out while " + said + "; the task was still running");
  }
  return Make(Verdict::kInconclusive, said + ": the task did not complete (" +
                                          Message(evidence.response_text) +
                                          ") and nothing says what ended it");
}

// A platform error: before the task started it is a refusal, later a bound.
Classification ClassifyPlatformAnswer(const RunEvidence& evidence,
                                      const VerdictThresholds& thresholds,
                                      const std::string& after) {
  const std::string status = "HTTP " + std::to_string(evidence.http_status);
  // The platform's words: the answer's message and the row's error_detail, each once.
  std::string text = evidence.response_text;
  if (!evidence.error_detail.empty() && text.find(evidence.error_detail) == std::string::npos) {
    text.append(text.empty() ? "" : "; ").append(evidence.error_detail);
  }
  const std::string words = text.empty() ? "no error text" : Message(text);
  if (evidence.outcome == A2AOutcome::kRefused &&
      evidence.platform_secs < thresholds.refusal_window_secs) {
    return Make(Verdict::kKickoffRefused, "platform refused the kickoff with " + status + after +
                                              ": " + Message(evidence.response_text) +
                                              "; the task never started, retry later");
  }
  if (!evidence.end_source.empty()) {
    return Bound(MechanismOfPlatformError(text), "the task ended in a platform error" + after +
                                                     ", seen in the " + Word(evidence.end_source) +
                                                     ": " + words);
  }
  if (evidence.outcome == A2AOutcome::kRefused || evidence.http_status >= 500) {
    return Bound(MechanismOfPlatformError(text),
                 "the platform answered the kickoff with " + status + ": " + words + "," + after);
  }
  return Make(Verdict::kInconclusive, "platform rejected the kickoff with " + status + ": " +
                                          Message(evidence.response_text));
}

// Every answer but a plain completed result decides the verdict by itself.
std::optional<Classification> ClassifyAnswer(const RunEvidence& evidence,
                                             const VerdictThresholds& thresholds) {
  const std::string after = " after " + Secs(evidence.platform_secs) + " (platform time)";
  switch (evidence.outcome) {
    case A2AOutcome::kQueued: {
      Classification c = Bound(Mechanism::kIdleTimer,
                               "A2A proxy answered 202 queued (its idle timer fired)" + after);
      return c;
    }
    case A2AOutcome::kDeferred:
      if (evidence.harness_timed_out) {
        return Make(Verdict::kHarnessTimeout,
                    "A2A_TIMEOUT ran out" + after +
                        " with the task still running: the kickoff was acknowledged as queued "
                        "and no end was seen");
      }
      return Make(Verdict::kInconclusive, "the kickoff was acknowledged as queued" + after +
                                              " but the task's end was never seen");
    case A2AOutcome::kRefused:
    case A2AOutcome::kPlatformError:
      return ClassifyPlatformAnswer(evidence, thresholds, after);
    case A2AOutcome::kAgentError:
      return ClassifyAgentError(evidence.response_text, after);
    case A2AOutcome::kJsonRpcError:
      return Make(Verdict::kInconclusive, "agent answered with a JSON-RPC error, not a bound: " +
                                              Message(evidence.response_text));
    case A2AOutcome::kNoResponse:
      return ClassifyNoAnswer(evidence, after);
    case A2AOutcome::kResult:
      return ClassifyTaskState(evidence, after);
  }
  return std::nullopt;
}

// A plain result: its duration against the thresholds.
Classification ClassifyDuration(const RunEvidence& evidence, const VerdictThresholds& thresholds) {
  const double secs = evidence.platform_secs;
  if (secs < thresholds.informative_secs) {
    return Make(Verdict::kNotInformative, "completed in " + Secs(secs) + ", under " +
                                              Secs(thresholds.informative_secs) +
                                              ": too fast to say anything about bounds");
  }
  if (secs < thresholds.delegation_timeout_secs) {
    return Make(Verdict::kWithinDelegationTimeout,
                "completed in " + Secs(secs) + ", within DELEGATION_TIMEOUT (" +
                    Secs(thresholds.delegation_timeout_secs) + ")");
  }
  // Past the delegation timeout: "unbounded" needs evidence that nothing intervened.
  if (evidence.status_samples == 0 && !evidence.heartbeat_history_available) {
    return Make(Verdict::kInconclusive,
                "completed in " + Secs(secs) +
                    " but the PM's status was never observed during the wait and there is no "
                    "heartbeat history, so platform intervention cannot be ruled out");
  }
  std::string observed = std::to_string(evidence.status_samples) + " status samples";
  if (evidence.heartbeat_history_available) {
    observed +=
        " and " + std::to_string(evidence.heartbeat_entries.size()) + " heartbeat-history entries";
  }
  return Make(Verdict::kUnbounded, "completed in " + Secs(secs) + ", past DELEGATION_TIMEOUT (" +
                                       Secs(thresholds.delegation_timeout_secs) +
                                       "), with no platform intervention in " + observed);
}

// The evidence lines every verdict carries: the call, the end and what was seen on the way.
std::vector<std::string> EvidenceLines(const RunEvidence& evidence) {
  std::vector<std::string> lines;
  if (evidence.call_deferred) {
    lines.push_back("http: queued acknowledgement at " + Secs(evidence.call_platform_secs) +
                    " (not a bound: the task goes on)");
  }
  const std::string source = evidence.end_source.empty() ? "http" : Word(evidence.end_source);
  lines.push_back(source + ": " + A2AOutcomeName(evidence.outcome) +
                  (evidence.http_status != 0 ? " HTTP " + std::to_string(evidence.http_status)
                                             : std::string()) +
                  (evidence.task_state.empty() ? "" : " state " + Word(evidence.task_state)) +
                  " at " + Secs(evidence.platform_secs));
  if (evidence.kickoff_dispatches > 1) {
    lines.push_back("kickoff dispatched " + std::to_string(evidence.kickoff_dispatches) +
                    " times (the PM ran it again)");
  }
  for (const StatusTransition& t : evidence.status_transitions) {
    lines.push_back("status: " + Word(t.from) + " -> " + Word(t.to) + " at " +
                    Secs(t.at_platform_secs));
  }
  for (const PlatformAction& a : evidence.platform_actions) {
    lines.push_back((a.flag_only ? std::string("mark (not a bound): ")
                                 : std::string("action: ") + MechanismName(a.mechanism) + " ") +
                    Message(a.detail) + " at " + Secs(a.at_platform_secs));
  }
  if (evidence.pm_vanished_at_secs >= 0) {
    lines.push_back("status: GET of the PM answered " +
                    std::to_string(evidence.pm_vanished_http_status) + " at " +
                    Secs(evidence.pm_vanished_at_secs) + " (the workspace vanished)");
  }
  if (evidence.platform_unreachable_from_secs >= 0) {
    lines.push_back("status: platform unreachable from " +
                    Secs(evidence.platform_unreachable_from_secs) +
                    " (last error: " + Message(evidence.platform_last_error) + ")");
  }
  lines.push_back(std::to_string(evidence.status_samples) + " status samples");
  return lines;
}

}  // namespace

bool AgentErrorNamesTimeLimit(const std::string& text) {
  const std::string lower = Lower(text);
  for (const char* word : {"timeout", "timed out", "time limit", "timelimit", "deadline",
                           "max_task_duration", "took too long"}) {
    if (Contains(lower, word)) {
      return true;
    }
  }
  return false;
}

namespace {

// "0.0103" for a suggested TIME_SCALE: enough digits to set it from.
std::string Scale(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", value);
  return buf;
}

// Whether the platform's own clock contradicts the harness's (TIME_SCALE does not match the
// platform's, a skewed clock, a proxy holding answers): the row's duration_ms against the
// harness's task time, or the queued acknowledgement against the sync budget. The reason,
// or nullopt when they agree or nothing can tell.
std::optional<std::string> ClockMismatch(const RunEvidence& evidence,
                                         const VerdictThresholds& thresholds) {
  const double harness = evidence.platform_secs;
  const double platform = evidence.platform_reported_task_secs;
  const std::string scale = "TIME_SCALE=" + Scale(evidence.time_scale);
  if (platform > 0 && harness > 0) {
    const double factor = platform > harness ? platform / harness : harness / platform;
    // The harness sees the task from the kickoff, so it may see it longer than the row's
    // turn when the turn ran more than once or waited: only one dispatch, no action.
    const bool comparable = platform > harness ||
                            (evidence.kickoff_dispatches == 1 && evidence.platform_actions.empty());
    if (comparable && factor >= thresholds.clock_mismatch_factor &&
        std::abs(platform - harness) >= thresholds.clock_mismatch_min_secs) {
      return "the platform's clock and the harness's disagree by a factor of " +
             FormatDecimal(factor, 1) + ": the platform's duration_ms says the task took " +
             Secs(platform) + ", the harness measured " + Secs(harness) + " with " + scale +
             "; set TIME_SCALE to the platform's (about " +
             Scale(evidence.time_scale * harness / platform) +
             "): with a wrong time scale no duration can be trusted";
    }
  }
  if (evidence.call_deferred && evidence.call_platform_secs > 0 &&
      thresholds.sync_budget_secs > 0) {
    // Only a late one: the boot gate's queued answer (a queue_id) comes at once, legitimately.
    const double ack = evidence.call_platform_secs;
    const double budget = thresholds.sync_budget_secs;
    const double factor = ack / budget;
    if (factor >= thresholds.sync_budget_mismatch_factor) {
      return "the platform's clock and the harness's disagree by a factor of about " +
             FormatDecimal(factor, 1) + ": the queued acknowledgement came " + Secs(ack) +
             " after the kickoff with " + scale + ", where the platform's sync budget is " +
             Secs(budget) +
             " (A2A_CANVAS_SYNC_BUDGET's default); set TIME_SCALE to the "
             "platform's (about " +
             Scale(evidence.time_scale * ack / budget) +
             "): with a wrong time scale no duration can be trusted";
    }
  }
  return std::nullopt;
}

}  // namespace

Classification ClassifyRun(const RunEvidence& evidence, const VerdictThresholds& thresholds) {
  const std::optional<Classification> answer = ClassifyAnswer(evidence, thresholds);
  const bool ending_names_mechanism = answer && answer->verdict == Verdict::kBoundedByPlatform &&
                                      answer->mechanism != Mechanism::kStatusTransition &&
                                      answer->mechanism != Mechanism::kPlatformError;
  // A platform action seen before the harness lost sight of the PM stands; after that
  // moment, a verdict that rests on "nothing ended it" or "nothing intervened" cannot.
  const std::optional<double> lost_at = LostSightAt(evidence);
  const double until = lost_at.value_or(evidence.platform_secs);
  std::optional<Decided> decided =
      ClassifyIntervention(evidence, /*symptoms=*/!ending_names_mechanism, until);
  if (!decided && answer) {
    decided = Decided{*answer, evidence.platform_secs};
  }
  if (!decided) {
    decided = Decided{ClassifyDuration(evidence, thresholds), evidence.platform_secs};
  }
  Classification c = decided->c;
  // A removal by someone else ends what the run can say: an error, dead-agent answer or
  // status change it explains is its consequence, and whatever the platform answered the
  // call afterwards (e.g. the dead container's 503) too; an action clearly before it stands.
  // (LostSightAt counts the removal, so lost_at is set whenever a removal is.)
  const std::optional<Removal> removal = FirstRemoval(evidence);
  const std::optional<double> removed_at = RemovedByOthersAt(evidence);
  if (removal && ExplainedByRemoval(*decided, *removal, evidence, thresholds)) {
    c = ClassifyRemovalConsequence(*removal, *decided);
  } else {
    const bool removed_first = removed_at && *removed_at <= *lost_at &&
                               !ClassifyIntervention(evidence, /*symptoms=*/true, *lost_at);
    if (lost_at && (removed_first || RestsOnAbsence(c, evidence, *lost_at))) {
      c = ClassifyLostSight(evidence, *lost_at);
    }
  }
  // A time scale that does not match the platform's makes every duration wrong; an agent's
  // own failure says nothing about durations, so it keeps its reason.
  if (c.verdict != Verdict::kAgentFailed) {
    if (const std::optional<std::string> mismatch = ClockMismatch(evidence, thresholds)) {
      c = Make(Verdict::kInconclusive, *mismatch);
    }
  }
  c.reason = SanitizeRemoteText(c.reason + DescribeMarks(evidence, until), kReasonBytes);
  if (evidence.kickoff_dispatches > 1) {
    c.reason = SanitizeRemoteText(c.reason + "; the PM received the kickoff " +
                                      std::to_string(evidence.kickoff_dispatches) + " times",
                                  kReasonBytes);
  }
  c.evidence = EvidenceLines(evidence);
  return c;
}

}  // namespace taskbounds
