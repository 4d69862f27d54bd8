// ClassifyRun: turns one run's evidence into a verdict (DESIGN.md "Verdicts"). Pure
// function of its inputs; every verdict carries the reason and the evidence it used.
#ifndef CLIENT_VERDICT_H_
#define CLIENT_VERDICT_H_

#include <string>
#include <vector>

#include "client/platform_client.h"

namespace taskbounds {

enum class Verdict {
  kNotInformative,           // completed in under informative_secs
  kWithinDelegationTimeout,  // completed in [informative_secs, delegation_timeout_secs)
  kUnbounded,                // completed after >= delegation_timeout_secs, no intervention seen
  kBoundedByPlatform,        // 202 queued, platform 5xx, or a status transition / terminated
  kBoundedByAgent,           // 200 whose text starts "Agent error:"
  kHarnessTimeout,           // A2A_TIMEOUT ran out first
  kInconclusive,             // none of the above can be decided; reason says why
};

// "not_informative", "within_delegation_timeout", ... (the names used in events and XML).
const char* VerdictName(Verdict verdict);

struct VerdictThresholds {
  double informative_secs = 60;          // platform seconds
  double delegation_timeout_secs = 300;  // platform seconds (DELEGATION_TIMEOUT)
};

// One observed change of the PM's status during the A2A wait.
struct StatusTransition {
  double at_platform_secs = 0;  // since the request started
  std::string from;
  std::string to;
};

// Statuses that mean the platform acted on the workspace while its task ran.
bool IsInterventionStatus(const std::string& status);

struct RunEvidence {
  // The A2A exchange.
  A2AOutcome outcome = A2AOutcome::kNoResponse;
  long http_status = 0;
  std::string response_text;  // agent text, platform error or JSON-RPC message
  bool harness_timed_out = false;
  std::string transport_error;  // curl error when outcome is kNoResponse
  double platform_secs = 0;     // elapsed wall seconds / TIME_SCALE

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
