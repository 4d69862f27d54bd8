#include "mocks/platform/watchdog.h"

#include "mocks/platform/sim_clock.h"

namespace taskbounds {

ActivityRecord WatchdogRow(WatchdogAction action, TimePoint at, const SimulatedDurations& d) {
  ActivityRecord row;
  row.id = NewUuid();
  row.activity_type = "stall_watchdog";
  row.created = at;
  const std::string dash = " \xE2\x80\x94 ";  // the platform's em dash
  switch (action) {
    case WatchdogAction::kProbe:
      row.method = "probe";
      row.summary = "stall-watchdog: probe" + dash + "no activity for " +
                    FormatPlatformSecs(d.stall_stale_after_secs) +
                    "s while busy; liveness check queued";
      break;
    case WatchdogAction::kRestart:
      row.method = "restart";
      row.summary = "stall-watchdog: restart" + dash + "no activity " +
                    FormatPlatformSecs(d.stall_probe_grace_secs) +
                    "s after the probe; soft restart";
      break;
    case WatchdogAction::kClear:
      row.method = "clear";
      row.summary = "stall-watchdog: clear" + dash + "activity resumed";
      break;
  }
  return row;
}

}  // namespace taskbounds
