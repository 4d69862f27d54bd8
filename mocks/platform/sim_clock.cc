#include "mocks/platform/sim_clock.h"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace taskbounds {
namespace {

std::string FormatIso(std::chrono::system_clock::time_point tp) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(tp.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];  // sized for any int fields, so -Wformat-truncation has nothing to say
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

}  // namespace

SimClock::Clock::duration SimClock::Wall(double platform_secs) const {
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(platform_secs * time_scale_));
}

double SimClock::PlatformSecs(Clock::duration wall) const {
  return std::chrono::duration<double>(wall).count() / time_scale_;
}

// Steady time points are what the simulation runs on; timestamps on the wire are UTC.
std::string IsoAt(SimClock::Clock::time_point t) {
  const auto now_steady = SimClock::Clock::now();
  const auto now_system = std::chrono::system_clock::now();
  return FormatIso(now_system +
                   std::chrono::duration_cast<std::chrono::system_clock::duration>(t - now_steady));
}

std::string FormatPlatformSecs(double secs) {
  char buf[32];
  if (std::floor(secs) == secs && std::fabs(secs) < 1e15) {
    std::snprintf(buf, sizeof(buf), "%lld", static_cast<long long>(secs));
  } else {
    std::snprintf(buf, sizeof(buf), "%g", secs);
  }
  return buf;
}

bool ShutdownLatch::SleepUntil(SimClock::Clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_until(lock, deadline, [this] { return shutdown_; });
}

void ShutdownLatch::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    shutdown_ = true;
  }
  cv_.notify_all();
}

ShutdownLatch::Wake ShutdownLatch::SleepUntilOrStopped(SimClock::Clock::time_point deadline,
                                                       const std::string& workspace_id) {
  std::unique_lock<std::mutex> lock(mu_);
  const bool woken = cv_.wait_until(
      lock, deadline, [&] { return shutdown_ || stopped_ids_.count(workspace_id) > 0; });
  if (!woken) {
    return Wake::kDeadline;
  }
  return shutdown_ ? Wake::kShutdown : Wake::kStopped;
}

void ShutdownLatch::StopWorkspace(const std::string& workspace_id) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ids_.insert(workspace_id);
  }
  cv_.notify_all();
}

}  // namespace taskbounds
