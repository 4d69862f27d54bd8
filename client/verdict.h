// ClassifyRun: turns one run's evidence into a verdict (DESIGN.md "Verdicts"). Pure
// function of its inputs; every verdict carries the reason and the evidence it used.
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
  kBoundedByPlatform,        // 202 queued, platform 5xx, or a status transition / terminated
  kBoundedByAgent,           // 200 whose text starts "Agent error:"
  kHarnessTimeout,           // A2A_TIMEOUT ran out first
  kInconclusive,             // none of the above can be decided; reason says why
  kKickoffRefused,           // an immediate 503 busy/waking/warming/Retry-After: never started
};

// "not_informative", "within_delegation_timeout", ... (the names used in events and XML).
const char* VerdictName(Verdict verdict);

struct VerdictThresholds {
  double informative_secs = 60;          // platform seconds
  double delegation_timeout_secs = 300;  // platform seconds (DELEGATION_TIMEOUT)
  // A 503 refusal (A2AOutcome::kRefused) that comes sooner than this is a refused kickoff
  // (the task never started); a later one ended a running task: bounded_by_platform.
  // Platform seconds; 60 like informative_secs: under it no task ran long enough to be
  // bounded.
  double refusal_window_secs = 60;
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

// The PM's status while its task runs: only "online" is healthy. Any other status seen
// during the task (hibernated, provisioning again, a status this suite has never heard
// of) is an intervention: an allow-list, so a new platform status can never read as
// "no intervention".
bool IsHealthyTaskStatus(const std::string& status);

struct RunEvidence {
  // The A2A exchange.
  A2AOutcome outcome = A2AOutcome::kNoResponse;
  long http_status = 0;
  std::string response_text;  // agent text, platform error or JSON-RPC message
  bool harness_timed_out = false;
  std::string transport_error;  // curl error when outcome is kNoResponse
  // How far the kickoff got when outcome is kNoResponse. kComplete (the default) means the
  // caller did not say, and harness_timed_out alone decides.
  TransportPhase transport_phase = TransportPhase::kComplete;
  double platform_secs = 0;  // elapsed wall seconds / TIME_SCALE

  // The status sampler's own trace (background polls of GET /workspaces/{pm}).
  int status_samples = 0;  // successful polls during the wait
  std::vector<StatusTransition> status_transitions;

  // /heartbeat-history, when the platform has it.
  bool heartbeat_history_available = false;
  std::vector<HeartbeatEntry> heartbeat_entries;
};

struct Classification {
  Verdict verdict = Verdict::kInconclusive;
  std::string reason;  // one line: what decided it, with numbers
};

Classification ClassifyRun(const RunEvidence& evidence, const VerdictThresholds& thresholds);

}  // namespace taskbounds

#endif  // CLIENT_VERDICT_H_
