// SimClock: the fake's one conversion between platform seconds (what the simulated
// platform's rules are written in) and wall time on a steady clock, through the time scale
// (wall seconds per platform second). Also the wire form of a steady instant (UTC ISO 8601)
// and the shutdown-aware sleep the A2A proxy waits in.
#ifndef MOCKS_PLATFORM_SIM_CLOCK_H_
#define MOCKS_PLATFORM_SIM_CLOCK_H_

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>

namespace taskbounds {

// The time scale harness entry points use with the embedded fake when TIME_SCALE is unset:
// a depth-8 run (440 platform seconds) then takes under half a second of wall time. The one
// place this default is written.
inline constexpr double kEmbeddedFakeDefaultTimeScale = 0.001;

class SimClock {
 public:
  using Clock = std::chrono::steady_clock;

  // `time_scale`: wall seconds per platform second (> 0).
  explicit SimClock(double time_scale) : time_scale_(time_scale) {}

  // Platform seconds -> a wall duration.
  Clock::duration Wall(double platform_secs) const;
  // A wall duration -> platform seconds.
  double PlatformSecs(Clock::duration wall) const;
  double time_scale() const { return time_scale_; }

 private:
  double time_scale_;
};

// A steady instant as the platform writes timestamps: UTC, "YYYY-MM-DDTHH:MM:SS.mmmZ".
std::string IsoAt(SimClock::Clock::time_point t);

// "300" for whole numbers, "12.5" otherwise, as the platform's messages print seconds.
std::string FormatPlatformSecs(double secs);

// Sleeps until an instant unless Shutdown() is called first. Thread-safe. Sleepers wait on
// their own mutex, apart from the platform's state lock, so waking 64 of them at once does
// not contend with it.
class ShutdownLatch {
 public:
  // True when Shutdown() woke the caller before `deadline`; false when the deadline came.
  [[nodiscard]] bool SleepUntil(SimClock::Clock::time_point deadline);
  // Wakes every sleeper now and every later one at once. Idempotent.
  void Shutdown();

  // Why SleepUntilOrStopped returned.
  enum class Wake { kDeadline, kShutdown, kStopped };
  // SleepUntil for a call served by `workspace_id`'s container: also woken, now or later,
  // once StopWorkspace(workspace_id) has been called.
  [[nodiscard]] Wake SleepUntilOrStopped(SimClock::Clock::time_point deadline,
                                         const std::string& workspace_id);
  // The workspace's container is gone (it was deleted): wakes its sleepers, now and later.
  // Ids are never un-stopped (a removed workspace stays removed).
  void StopWorkspace(const std::string& workspace_id);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool shutdown_ = false;              // guarded by mu_
  std::set<std::string> stopped_ids_;  // guarded by mu_
};

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_SIM_CLOCK_H_
