#include "mocks/platform/coordinator_model.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

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
    case Scenario::kStallWatchdog:  // 2026-08 mechanisms: not in this (2026-04) model
    case Scenario::kContainerRestart:
    case Scenario::kHeaderTimeout:
    case Scenario::kAgentFailure:
    case Scenario::kAgentIdleCap:
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

namespace taskbounds {
namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();
// DESIGN.md "Verdicts": the default thresholds, platform seconds.
constexpr double kInformativeSecs = 60;
constexpr double kDelegationTimeoutSecs = 300;

// The first stall-watchdog tick at or after `secs`.
double WatchdogTickAtOrAfter(double secs, const SimulatedDurations& d) {
  if (d.stall_interval_secs <= 0) {
    return secs;
  }
  return std::ceil(secs / d.stall_interval_secs - 1e-9) * d.stall_interval_secs;
}

void EndBy(TaskMechanism mechanism, TaskEnding ending, double at_secs, const char* verdict,
           TaskPlan2026_08* plan) {
  plan->mechanism = mechanism;
  plan->ending = ending;
  plan->end_secs = at_secs;
  plan->verdict = verdict;
}

// A restart beginning at `at_secs` brings the PM back restart_secs later.
void RestartAt(double at_secs, TaskActionKind first, const SimulatedDurations& d,
               TaskPlan2026_08* plan) {
  plan->actions.push_back({at_secs, first});
  plan->actions.push_back({at_secs + d.restart_secs, TaskActionKind::kBackOnline});
}

void PlanIdleTimer(const SimulatedDurations& d, double phase, TaskPlan2026_08* plan) {
  plan->heartbeats_stop_secs = plan->delegation_secs;
  double since_beat = plan->delegation_secs;  // no heartbeats: the timer runs from dispatch
  if (d.heartbeat_interval_secs > 0) {
    since_beat = std::fmod(phase + plan->delegation_secs, d.heartbeat_interval_secs);
  }
  const double fires =
      std::max(0.0, plan->delegation_secs - since_beat) + d.idle_timeout_2026_08_secs;
  EndBy(TaskMechanism::kIdleTimer, TaskEnding::kCancelled, fires, "bounded_by_platform", plan);
  const double again = fires + d.queue_sweep_secs;
  plan->actions.push_back({fires, TaskActionKind::kIdleCancel});
  plan->actions.push_back({again, TaskActionKind::kRedispatch});
  plan->actions.push_back({again + plan->natural_secs, TaskActionKind::kRedispatchDone});
}

void PlanStallWatchdog(const SimulatedDurations& d, TaskPlan2026_08* plan) {
  // The ingest row at dispatch is the PM's last activity; silence from then on.
  const double probe = WatchdogTickAtOrAfter(d.stall_stale_after_secs, d);
  const double restart = WatchdogTickAtOrAfter(probe + d.stall_probe_grace_secs, d);
  plan->actions.push_back({probe, TaskActionKind::kWatchdogProbe});
  RestartAt(restart, TaskActionKind::kWatchdogRestart, d, plan);
  EndBy(TaskMechanism::kStallWatchdog, TaskEnding::kKilled, restart, "bounded_by_platform", plan);
}

void PlanContainerRestart(const SimulatedDurations& d, TaskPlan2026_08* plan) {
  plan->heartbeats_stop_secs = plan->delegation_secs;
  const double offline = plan->delegation_secs + d.liveness_ttl_secs;
  RestartAt(offline, TaskActionKind::kOffline, d, plan);
  EndBy(TaskMechanism::kContainerRestart, TaskEnding::kKilled, offline, "bounded_by_platform",
        plan);
}

// A limit that ends the task only when the task would outlast it.
void PlanLimit(double limit_secs, TaskMechanism mechanism, TaskEnding ending, const char* verdict,
               TaskPlan2026_08* plan) {
  if (plan->natural_secs > limit_secs) {
    EndBy(mechanism, ending, limit_secs, verdict, plan);
  }
}

}  // namespace

const char* TaskMechanismName(TaskMechanism mechanism) {
  switch (mechanism) {
    case TaskMechanism::kNone:
      return "";
    case TaskMechanism::kIdleTimer:
      return "idle_timer";
    case TaskMechanism::kStallWatchdog:
      return "stall_watchdog";
    case TaskMechanism::kContainerRestart:
      return "container_restart";
    case TaskMechanism::kResponseHeaderTimeout:
      return "response_header_timeout";
    case TaskMechanism::kTaskCeiling:
      return "task_ceiling";
    case TaskMechanism::kAgentTimeLimit:
      return "agent_time_limit";
    case TaskMechanism::kAgentIdleCap:
      return "agent_idle_cap";
    case TaskMechanism::kAgentFailure:
      return "";  // agent_failed is no statement about bounds: no mechanism
  }
  return "unknown";
}

const char* CompletedVerdict(double secs) {
  if (secs < kInformativeSecs) {
    return "not_informative";
  }
  return secs < kDelegationTimeoutSecs ? "within_delegation_timeout" : "unbounded";
}

TaskPlan2026_08 PlanTask2026_08(Scenario scenario, const SimulatedDurations& d, int depth,
                                double heartbeat_phase_secs) {
  const CoordinatorPlan natural = NaturalPlan(d, depth);
  TaskPlan2026_08 plan;
  plan.depth = depth;
  plan.delegation_secs = natural.delegation_secs;
  plan.synthesis_secs = natural.synthesis_secs;
  plan.natural_secs = natural.natural_secs;
  plan.end_secs = plan.natural_secs;
  plan.heartbeats_stop_secs = kNever;
  plan.verdict = CompletedVerdict(plan.natural_secs);
  switch (scenario) {
    case Scenario::kUnbounded:
      break;
    case Scenario::kIdleTimeout:
      PlanIdleTimer(d, heartbeat_phase_secs, &plan);
      break;
    case Scenario::kStallWatchdog:
      PlanStallWatchdog(d, &plan);
      break;
    case Scenario::kContainerRestart:
      PlanContainerRestart(d, &plan);
      break;
    case Scenario::kHeaderTimeout:
      EndBy(TaskMechanism::kResponseHeaderTimeout, TaskEnding::kHeaderTimeout,
            d.response_header_timeout_secs, "bounded_by_platform", &plan);
      break;
    case Scenario::kAgentCeiling:
      PlanLimit(d.agent_task_ceiling_secs, TaskMechanism::kAgentTimeLimit, TaskEnding::kAgentError,
                "bounded_by_agent", &plan);
      break;
    case Scenario::kAgentFailure:
      EndBy(TaskMechanism::kAgentFailure, TaskEnding::kAgentError, plan.delegation_secs,
            "agent_failed", &plan);
      break;
    case Scenario::kPlatformCeiling:
      PlanLimit(d.platform_ceiling_secs, TaskMechanism::kTaskCeiling, TaskEnding::kTerminated,
                "bounded_by_platform", &plan);
      break;
    case Scenario::kAgentIdleCap:
      // The synthesis is one silent completion: the cap counts from its start.
      if (plan.synthesis_secs > d.completion_idle_timeout_secs) {
        EndBy(TaskMechanism::kAgentIdleCap, TaskEnding::kAgentError,
              plan.delegation_secs + d.completion_idle_timeout_secs, "bounded_by_agent", &plan);
      }
      break;
  }
  return plan;
}

TaskEndRange PossibleTaskEnds2026_08(Scenario scenario, const SimulatedDurations& d, int depth) {
  const TaskPlan2026_08 at_a_beat = PlanTask2026_08(scenario, d, depth, 0);
  if (scenario != Scenario::kIdleTimeout || d.heartbeat_interval_secs <= 0) {
    return {at_a_beat.end_secs, at_a_beat.end_secs};
  }
  // The last beat falls anywhere in (delegation - interval, delegation], never before 0.
  const double latest = at_a_beat.delegation_secs + d.idle_timeout_2026_08_secs;
  const double earliest = std::max(0.0, at_a_beat.delegation_secs - d.heartbeat_interval_secs) +
                          d.idle_timeout_2026_08_secs;
  return {earliest, latest};
}

}  // namespace taskbounds
