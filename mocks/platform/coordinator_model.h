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

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_COORDINATOR_MODEL_H_
