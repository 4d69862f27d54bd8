#include "mocks/platform/heartbeat_replay.h"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <vector>

#include "mocks/platform/json_util.h"

namespace taskbounds {
namespace {

constexpr std::size_t kMaxHeartbeatEntries = 1000;

struct Entry {
  TimePoint at;
  const char* status;
  const char* event;
};

// The heartbeats of one agent process: every `interval` after it registered at
// `registered` until the next restart begins (or `now`).
void AppendSeries(const Workspace& ws, const WorkspaceLifecycle& lifecycle, TimePoint registered,
                  SimClock::Clock::duration interval, TimePoint window_start, TimePoint now,
                  std::set<TimePoint::rep>* seen, std::vector<Entry>* entries) {
  auto series_end = now;
  for (const Window& later : ws.provisioning) {
    if (later.from >= registered && later.from < series_end) {
      series_end = later.from;
    }
  }
  auto first = registered + interval;
  if (first < window_start) {
    first += ((window_start - first) / interval) * interval;
  }
  for (auto t = first; t <= series_end; t += interval) {
    if (t < window_start || HeartbeatsStarvedAt(ws, t)) {
      continue;
    }
    // A degraded agent still heartbeats (that is how it reports its errors).
    const std::string status = lifecycle.StatusAt(ws, t);
    if (status != "online" && status != "degraded") {
      continue;
    }
    if (seen->insert(t.time_since_epoch().count()).second) {
      entries->push_back({t, status == "online" ? "online" : "degraded", "heartbeat"});
    }
  }
}

std::string EntriesJson(const std::string& workspace_id, const std::vector<Entry>& entries) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("workspace_id");
  WriteString(w, workspace_id);
  w.Key("entries");
  w.StartArray();
  for (const Entry& e : entries) {
    w.StartObject();
    w.Key("ts");
    WriteString(w, IsoAt(e.at));
    w.Key("status");
    w.String(e.status);
    w.Key("event");
    w.String(e.event);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return buffer.GetString();
}

}  // namespace

double HeartbeatSinceSecs(const BackendRequest& request) {
  double since_secs = 600;
  if (auto since = request.Query("since_secs")) {
    char* end = nullptr;
    const double parsed = std::strtod(since->c_str(), &end);
    if (end != since->c_str() && *end == '\0' && parsed > 0) {
      since_secs = parsed;
    }
  }
  return since_secs;
}

std::string HeartbeatHistoryJson(const Workspace& ws, const WorkspaceLifecycle& lifecycle,
                                 const SimClock& clock, double heartbeat_interval_secs,
                                 double since_secs, TimePoint now) {
  const auto window_start = now - std::min(clock.Wall(since_secs), now - ws.created);
  std::vector<Entry> entries;
  // The agent heartbeats every interval from each registration (the end of each
  // provisioning window) while its workspace is online.
  const auto interval = clock.Wall(heartbeat_interval_secs);
  if (interval > SimClock::Clock::duration::zero()) {
    std::set<TimePoint::rep> seen;
    for (const Window& w : ws.provisioning) {
      if (w.to <= now) {
        AppendSeries(ws, lifecycle, w.to, interval, window_start, now, &seen, &entries);
      }
    }
  }
  for (const Task& task : ws.tasks) {
    if (task.terminated_at && *task.terminated_at <= now && *task.terminated_at >= window_start) {
      entries.push_back({*task.terminated_at, "failed", "terminated"});
    }
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.at < b.at; });
  if (entries.size() > kMaxHeartbeatEntries) {
    entries.erase(entries.begin(), entries.end() - kMaxHeartbeatEntries);
  }
  return EntriesJson(ws.id, entries);
}

}  // namespace taskbounds
