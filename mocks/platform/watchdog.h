// 2026-08's stall watchdog (platform-api-2026-08.md section 6.4): its audit rows. When it
// acts is the coordinator model's business (PlanTask2026_08); this unit writes what it
// leaves: an activity row of type stall_watchdog, method probe|restart|clear, summary
// "stall-watchdog: <action> - ...".
#ifndef MOCKS_PLATFORM_WATCHDOG_H_
#define MOCKS_PLATFORM_WATCHDOG_H_

#include <string>

#include "mocks/fake_platform_options.h"
#include "mocks/platform/workspace_record.h"

namespace taskbounds {

enum class WatchdogAction { kProbe, kRestart, kClear };

// The audit row of `action` at `at`, with the thresholds (platform seconds) it applied.
ActivityRecord WatchdogRow(WatchdogAction action, TimePoint at,
                           const SimulatedDurations& durations);

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_WATCHDOG_H_
