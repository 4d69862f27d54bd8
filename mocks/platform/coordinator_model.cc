#include "mocks/platform/coordinator_model.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace taskbounds {
namespace {

// When the proxy's idle timer fires, in platform seconds after the request: it runs from
// the last heartbeat broadcast before synthesis began (or from the request itself), which
// lies `since_beat_secs` before the end of delegation.
double IdleTimerFiresAt(double delegation_secs, double since_beat_secs,
                        const SimulatedDurations& d) {
  const double last_beat = std::max(0.0, delegation_secs - since_beat_secs);
  return last_beat + d.idle_timeout_secs;
}

CoordinatorPlan NaturalPlan(const SimulatedDurations& d, int depth) {
  CoordinatorPlan plan;
  plan.depth = depth;
  plan.delegation_secs = depth * d.delegation_round_secs;
  plan.synthesis_secs = depth * d.synthesis_secs_per_depth;
  plan.natural_secs = plan.delegation_secs + plan.synthesis_secs;
  plan.answer_after_secs = plan.natural_secs;
  return plan;
}

// The ceiling (agent's or platform's) ends the task when it would outlast it.
void ApplyCeiling(double ceiling_secs, const char* bound, TaskAnswer answer,
                  CoordinatorPlan* plan) {
  if (plan->natural_secs > ceiling_secs) {
    plan->bound = bound;
    plan->answer_after_secs = ceiling_secs;
    plan->answer = answer;
  }
}

PossibleEnding EndingOf(const CoordinatorPlan& plan) {
  return {plan.answer, plan.bound, plan.answer_after_secs, plan.answer_after_secs};
}

}  // namespace

int ParseDelegationDepth(const std::string& task_text, int fallback) {
  static const std::string kPrefix = "Delegate ";
  static const std::string kSuffix = " separate sub-questions";
  std::size_t pos = 0;
  while ((pos = task_text.find(kPrefix, pos)) != std::string::npos) {
    std::size_t digits = pos + kPrefix.size();
    std::size_t end = digits;
    while (end < task_text.size() && end - digits < 5 &&
           std::isdigit(static_cast<unsigned char>(task_text[end]))) {
      ++end;
    }
    if (end > digits && task_text.compare(end, kSuffix.size(), kSuffix) == 0) {
      const int depth = std::stoi(task_text.substr(digits, end - digits));
      if (depth >= 1 && depth <= 1000) {
        return depth;
      }
    }
    pos = digits;
  }
  return fallback;
}

CoordinatorPlan PlanCoordinatorTask(Scenario scenario, const SimulatedDurations& d, int depth,
                                    double heartbeat_phase_secs) {
  CoordinatorPlan plan = NaturalPlan(d, depth);
  switch (scenario) {
    case Scenario::kUnbounded:
      break;
    case Scenario::kIdleTimeout: {
      double since_beat = plan.delegation_secs;  // no heartbeats: the timer runs from 0
      if (d.heartbeat_interval_secs > 0) {
        since_beat =
            std::fmod(heartbeat_phase_secs + plan.delegation_secs, d.heartbeat_interval_secs);
      }
      const double fires_at = IdleTimerFiresAt(plan.delegation_secs, since_beat, d);
      if (fires_at < plan.natural_secs) {
        plan.bound = "idle_timeout";
        plan.answer_after_secs = fires_at;
        plan.answer = TaskAnswer::kQueued;
      }
      break;
    }
    case Scenario::kAgentCeiling:
      ApplyCeiling(d.agent_task_ceiling_secs, "agent_ceiling", TaskAnswer::kAgentError, &plan);
      break;
    case Scenario::kPlatformCeiling:
      ApplyCeiling(d.platform_ceiling_secs, "platform_ceiling", TaskAnswer::kPlatformTerminated,
                   &plan);
      break;
  }
  return plan;
}

std::vector<PossibleEnding> PossibleEndings(Scenario scenario, const SimulatedDurations& d,
                                            int depth) {
  if (scenario != Scenario::kIdleTimeout || d.heartbeat_interval_secs <= 0) {
    return {EndingOf(PlanCoordinatorTask(scenario, d, depth, 0))};  // no phase to vary
  }
  const CoordinatorPlan natural = NaturalPlan(d, depth);
  // The last heartbeat before synthesis lies less than one interval before its start.
  const double interval = d.heartbeat_interval_secs;
  const double fires_earliest = IdleTimerFiresAt(natural.delegation_secs, interval, d);
  const double fires_latest = IdleTimerFiresAt(natural.delegation_secs, 0, d);
  PossibleEnding queued{TaskAnswer::kQueued, "idle_timeout", fires_earliest, fires_latest};
  if (fires_latest < natural.natural_secs) {
    return {queued};
  }
  if (fires_earliest >= natural.natural_secs) {
    return {EndingOf(natural)};
  }
  queued.latest_secs = natural.natural_secs;  // depends on the heartbeat phase: either
  return {queued, EndingOf(natural)};
}

}  // namespace taskbounds
