#include "client/verdict.h"

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
        IsInterventionStatus(entry.status)) {
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
  }
  return "";
}

bool IsInterventionStatus(const std::string& status) {
  return status == "failed" || status == "offline" || status == "degraded" || status == "paused" ||
         status == "removed" || status == "terminated";
}

bool IsHealthyTaskStatus(const std::string& status) { return status == "online"; }

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

// The earliest platform action during the task: a status other than online, an action
// row or flag the follower saw, a terminated heartbeat entry. Whatever the answer was, the
// platform acted on the task first.
// `symptoms`: whether status changes and flags count; not when the task's ending names its
// own mechanism, since a PM going failed as its turn is terminated is that ending's symptom.
// `until`: platform seconds after which nothing counts (the task's end, or the moment the
// harness lost sight of the PM).
std::optional<Classification> ClassifyIntervention(const RunEvidence& evidence, bool symptoms,
                                                   double until) {
  std::optional<Classification> first;
  double first_at = 0;
  const auto consider = [&](double at, Classification c) {
    // The follower polls once more after the end; what happened then did not bound it.
    if (at > until || (first && at >= first_at)) {
      return;
    }
    first = std::move(c);
    first_at = at;
  };
  for (const StatusTransition& t : evidence.status_transitions) {
    // "removed" is a DELETE's doing, never a platform mechanism (RemovedByOthersAt).
    if (symptoms && !IsHealthyTaskStatus(t.to) && t.to != "removed") {
      const Mechanism m =
          IsRestartStatus(t.to) ? Mechanism::kContainerRestart : Mechanism::kStatusTransition;
      consider(t.at_platform_secs,
               Bound(m, "PM status went " + Word(t.from) + " -> " + Word(t.to) + " at " +
                            Secs(t.at_platform_secs) + " into the task"));
    }
  }
  // Actions first; flags (wedged) only when no action explains the task's end.
  for (const bool flags : {false, true}) {
    for (const PlatformAction& a : evidence.platform_actions) {
      if (a.flag_only == flags && (symptoms || !flags)) {
        consider(a.at_platform_secs,
                 Bound(a.mechanism,
                       Message(a.detail) + " at " + Secs(a.at_platform_secs) + " into the task"));
      }
    }
    if (first) {
      return first;
    }
  }
  if (const HeartbeatEntry* entry = FindInterventionEntry(evidence.heartbeat_entries)) {
    const bool terminated = entry->event == "terminated" || entry->status == "terminated";
    return Bound(terminated ? Mechanism::kTaskCeiling : Mechanism::kStatusTransition,
                 "heartbeat history shows status '" + Word(entry->status) + "' event '" +
                     Word(entry->event) + "' at " + Word(entry->ts));
  }
  return std::nullopt;
}

// When the PM's status turned "removed" during the task (by the task's end as the harness saw
// it), the platform seconds since the kickoff. Only a DELETE removes a workspace (platform-api.md
// section 3.7, platform-api-2026-08.md section 7) and the harness's own deletes are no
// transitions (StatusSample::harness_action), so someone else deleted the PM: not a bound.
std::optional<double> RemovedByOthersAt(const RunEvidence& evidence) {
  std::optional<double> at;
  for (const StatusTransition& t : evidence.status_transitions) {
    if (t.to == "removed" && t.at_platform_secs <= evidence.platform_secs &&
        (!at || t.at_platform_secs < *at)) {
      at = t.at_platform_secs;
    }
  }
  return at;
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

// An agent error: its own time limit (bounded_by_agent) or another failure (agent_failed).
Classification ClassifyAgentError(const std::string& text, const std::string& after) {
  static const std::string kLegacyPrefix = "Agent error:";
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
  const std::string what = evidence.end_source.empty() ? status : evidence.end_source;
  const std::string text = evidence.response_text + " " + evidence.error_detail;
  if (evidence.outcome == A2AOutcome::kRefused &&
      evidence.platform_secs < thresholds.refusal_window_secs) {
    return Make(Verdict::kKickoffRefused, "platform refused the kickoff with " + status + after +
                                              ": " + Message(evidence.response_text) +
                                              "; the task never started, retry later");
  }
  if (evidence.outcome == A2AOutcome::kRefused || evidence.http_status >= 500 ||
      !evidence.end_source.empty()) {
    return Bound(MechanismOfPlatformError(text),
                 "platform answered " + what + ": " + Message(text) + after);
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
    lines.push_back(std::string("action: ") + MechanismName(a.mechanism) + " " + Message(a.detail) +
                    " at " + Secs(a.at_platform_secs));
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

Classification ClassifyRun(const RunEvidence& evidence, const VerdictThresholds& thresholds) {
  const std::optional<Classification> answer = ClassifyAnswer(evidence, thresholds);
  const bool ending_names_mechanism = answer && answer->verdict == Verdict::kBoundedByPlatform &&
                                      answer->mechanism != Mechanism::kStatusTransition &&
                                      answer->mechanism != Mechanism::kPlatformError;
  // A platform action seen before the harness lost sight of the PM stands; after that
  // moment, a verdict that rests on "nothing ended it" or "nothing intervened" cannot.
  const std::optional<double> lost_at = LostSightAt(evidence);
  std::optional<Classification> decided = ClassifyIntervention(
      evidence, /*symptoms=*/!ending_names_mechanism, lost_at.value_or(evidence.platform_secs));
  if (!decided) {
    decided = answer;
  }
  Classification c = decided ? *std::move(decided) : ClassifyDuration(evidence, thresholds);
  // A removal by someone else ends what the run can say (whatever the platform answered the
  // call afterwards, e.g. the dead container's 503); an intervention seen before it stands.
  // (LostSightAt counts the removal, so lost_at is set whenever removed_at is.)
  const std::optional<double> removed_at = RemovedByOthersAt(evidence);
  const bool removed_first = removed_at && *removed_at <= *lost_at &&
                             !ClassifyIntervention(evidence, /*symptoms=*/true, *lost_at);
  if (lost_at && (removed_first || RestsOnAbsence(c, evidence, *lost_at))) {
    c = ClassifyLostSight(evidence, *lost_at);
  }
  if (evidence.kickoff_dispatches > 1) {
    c.reason = SanitizeRemoteText(c.reason + "; the PM received the kickoff " +
                                      std::to_string(evidence.kickoff_dispatches) + " times",
                                  kReasonBytes);
  }
  c.evidence = EvidenceLines(evidence);
  return c;
}

}  // namespace taskbounds
