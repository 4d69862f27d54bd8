#include "client/verdict.h"

#include <optional>
#include <string>
#include <utility>

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
  return Classification{verdict, SanitizeRemoteText(reason, kReasonBytes)};
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
  }
  return "inconclusive";
}

bool IsInterventionStatus(const std::string& status) {
  return status == "failed" || status == "offline" || status == "degraded" || status == "paused" ||
         status == "removed" || status == "terminated";
}

bool IsHealthyTaskStatus(const std::string& status) { return status == "online"; }

namespace {

// A status transition or heartbeat entry during the task, if any: the platform acted on
// the task while it ran, and that wins over whatever the answer was.
std::optional<Classification> ClassifyIntervention(const RunEvidence& evidence) {
  for (const StatusTransition& t : evidence.status_transitions) {
    // The sampler polls once more after the answer; what happened then did not bound
    // the task.
    if (t.at_platform_secs > evidence.platform_secs) {
      continue;
    }
    if (!IsHealthyTaskStatus(t.to)) {
      return Make(Verdict::kBoundedByPlatform, "PM status went " + Word(t.from) + " -> " +
                                                   Word(t.to) + " at " + Secs(t.at_platform_secs) +
                                                   " into the A2A wait");
    }
  }
  if (const HeartbeatEntry* entry = FindInterventionEntry(evidence.heartbeat_entries)) {
    return Make(Verdict::kBoundedByPlatform, "heartbeat history shows status '" +
                                                 Word(entry->status) + "' event '" +
                                                 Word(entry->event) + "' at " + Word(entry->ts));
  }
  return std::nullopt;
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

// Every answer but a plain result decides the verdict by itself.
std::optional<Classification> ClassifyAnswer(const RunEvidence& evidence,
                                             const VerdictThresholds& thresholds) {
  const std::string after = " after " + Secs(evidence.platform_secs) + " (platform time)";
  const std::string status = "HTTP " + std::to_string(evidence.http_status);
  switch (evidence.outcome) {
    case A2AOutcome::kQueued:
      return Make(Verdict::kBoundedByPlatform,
                  "A2A proxy answered 202 queued (its idle timer fired)" + after);
    case A2AOutcome::kRefused:
      if (evidence.platform_secs < thresholds.refusal_window_secs) {
        return Make(Verdict::kKickoffRefused, "platform refused the kickoff with " + status +
                                                  after + ": " + Message(evidence.response_text) +
                                                  "; the task never started, retry later");
      }
      return Make(Verdict::kBoundedByPlatform,
                  "platform answered " + status + ": " + Message(evidence.response_text) + after);
    case A2AOutcome::kPlatformError:
      if (evidence.http_status >= 500) {
        return Make(Verdict::kBoundedByPlatform,
                    "platform answered " + status + ": " + Message(evidence.response_text) + after);
      }
      return Make(Verdict::kInconclusive, "platform rejected the kickoff with " + status + ": " +
                                              Message(evidence.response_text));
    case A2AOutcome::kAgentError:
      return Make(Verdict::kBoundedByAgent, "agent answered with an in-band error" + after + ": " +
                                                Message(evidence.response_text));
    case A2AOutcome::kJsonRpcError:
      return Make(Verdict::kInconclusive, "agent answered with a JSON-RPC error, not a bound: " +
                                              Message(evidence.response_text));
    case A2AOutcome::kNoResponse:
      return ClassifyNoAnswer(evidence, after);
    case A2AOutcome::kResult:
      break;
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

}  // namespace

Classification ClassifyRun(const RunEvidence& evidence, const VerdictThresholds& thresholds) {
  if (auto intervention = ClassifyIntervention(evidence)) {
    return *intervention;
  }
  if (auto answered = ClassifyAnswer(evidence, thresholds)) {
    return *answered;
  }
  return ClassifyDuration(evidence, thresholds);
}

}  // namespace taskbounds
