#include "mocks/platform/workspace_state.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "mocks/platform/json_util.h"

namespace taskbounds {
namespace {

// What GET derives from the record at an instant, beside the stored fields.
struct DerivedView {
  std::string status;
  bool registered = false;  // the agent card arrives with the first registration
  bool in_restart = false;  // a restart clears the URL until the agent re-registers
  std::int64_t active_tasks = 0;
  std::int64_t uptime_secs = 0;
};

void WriteAgentCard(JsonWriter& w, const Workspace& ws, bool registered) {
  if (ws.agent_card_json) {
    w.RawValue(ws.agent_card_json->data(), ws.agent_card_json->size(), rapidjson::kObjectType);
  } else if (registered) {
    w.StartObject();
    w.Key("name");
    WriteString(w, ws.name);
    w.Key("skills");
    w.StartArray();
    w.EndArray();
    w.EndObject();
  } else {
    w.Null();
  }
}

void WriteWorkspaceFields(JsonWriter& w, const Workspace& ws, const DerivedView& view) {
  w.Key("id");
  WriteString(w, ws.id);
  w.Key("name");
  WriteString(w, ws.name);
  w.Key("role");
  WriteOptionalString(w, ws.role);
  w.Key("tier");
  w.Int64(ws.tier);
  w.Key("status");
  WriteString(w, view.status);
  w.Key("url");
  WriteString(w, view.in_restart
                     ? std::string()
                     : ws.registered_url.value_or("http://ws-" + ws.id.substr(0, 12) + ":8000"));
  w.Key("parent_id");
  WriteOptionalString(w, ws.parent_id);
  w.Key("agent_card");
  WriteAgentCard(w, ws, view.registered);
  w.Key("active_tasks");
  w.Int64(view.active_tasks);
  w.Key("max_concurrent_tasks");
  w.Int64(ws.max_concurrent_tasks);
  w.Key("last_error_rate");
  if (ws.last_error_rate) {
    w.Double(*ws.last_error_rate);
  } else {
    w.Int(0);
  }
  w.Key("uptime_seconds");
  w.Int64(view.uptime_secs);
  w.Key("runtime");
  WriteString(w, ws.runtime);
  w.Key("x");
  w.Double(ws.x);
  w.Key("y");
  w.Double(ws.y);
  w.Key("collapsed");
  w.Bool(ws.collapsed);
  w.Key("last_outbound_at");
  if (ws.last_outbound) {
    WriteString(w, IsoAt(*ws.last_outbound));
  } else {
    w.Null();
  }
}

// wedged: busy, yet neither a heartbeat nor an outbound call for this long
// (WEDGED_AGENT_THRESHOLD_SECONDS, REG/wedged_agent.go:48-62), in platform seconds.
constexpr double kWedgedAfterSecs = 300;

bool Stale(const std::optional<TimePoint>& at, TimePoint now, const SimClock& clock) {
  return !at || clock.PlatformSecs(now - *at) >= kWedgedAfterSecs;
}

}  // namespace

void WorkspaceLifecycle::WriteLivenessFields(JsonWriter& w, const Workspace& ws,
                                             std::int64_t active_tasks,
                                             const std::optional<TimePoint>& last_heartbeat,
                                             TimePoint now) const {
  w.Key("last_heartbeat_at");
  if (last_heartbeat) {
    WriteString(w, IsoAt(*last_heartbeat));
  } else {
    w.Null();
  }
  w.Key("wedged");
  w.Bool(active_tasks > 0 && Stale(last_heartbeat, now, clock_) &&
         Stale(ws.last_outbound, now, clock_));
  w.Key("last_sample_error");
  WriteOptionalString(w, ws.last_sample_error);
}

void EndWindowsAt(std::vector<Window>& windows, TimePoint t) {
  for (Window& w : windows) {
    if (w.from <= t && t < w.to) {
      w.to = t;
    }
  }
}

std::optional<TimePoint> LastReadyAt(const Workspace& ws, TimePoint t) {
  std::optional<TimePoint> last;
  for (const Window& w : ws.provisioning) {
    if (w.to <= t && (!last || w.to > *last)) {
      last = w.to;
    }
  }
  return last;
}

bool HeartbeatsStarvedAt(const Workspace& ws, TimePoint t) {
  for (const Task& task : ws.tasks) {
    if (t >= task.heartbeats_stop && t < task.answer_at) {
      return true;
    }
  }
  return false;
}

std::int64_t ActiveTasksAt(const Workspace& ws, TimePoint t) {
  std::int64_t active = 0;
  for (const Task& task : ws.tasks) {
    if (!task.finished && t >= task.start && t < task.answer_at) {
      ++active;
    }
  }
  return active;
}

bool InRestartAt(const Workspace& ws, TimePoint t) {
  for (std::size_t i = 1; i < ws.provisioning.size(); ++i) {
    if (t >= ws.provisioning[i].from && t < ws.provisioning[i].to) {
      return true;
    }
  }
  return false;
}

std::string WorkspaceLifecycle::StatusAt(const Workspace& ws, TimePoint t) const {
  if (IsRemovedAt(ws, t)) {
    return "removed";
  }
  for (const Window& w : ws.failed) {
    if (t >= w.from && t < w.to) {
      return "failed";
    }
  }
  for (const Window& w : ws.task_life.offline) {  // 2026-08: liveness lost, restarting
    if (t >= w.from && t < w.to) {
      return "offline";
    }
  }
  for (const Window& w : ws.provisioning) {
    if (t >= w.from && t < w.to) {
      // The provision-timeout sweep marks a workspace stuck in provisioning as failed.
      return t - w.from >= clock_.Wall(durations_.provision_timeout_secs) ? "failed"
                                                                          : "provisioning";
    }
  }
  for (const Window& d : ws.degraded) {
    if (t < d.from || t >= d.to) {
      continue;
    }
    // A restart that finished since re-registered the agent, which sets it online.
    bool reregistered = false;
    for (const Window& w : ws.provisioning) {
      if (w.to > d.from && w.to <= t) {
        reregistered = true;
      }
    }
    if (!reregistered) {
      return "degraded";
    }
  }
  return "online";
}

void WorkspaceLifecycle::Created(Workspace* ws, TimePoint now) const {
  ws->created = now;
  ws->provisioning.push_back({now, now + clock_.Wall(durations_.registration_secs)});
}

void WorkspaceLifecycle::RestartForSecret(Workspace* ws, TimePoint now) const {
  // Provisioning (URL cleared) until the new container registers. A workspace still
  // provisioning gets restart_wait_if_provisioning_secs first, during which its first
  // container may register and show online.
  const std::string status = StatusAt(*ws, now);
  if (status == "removed") {
    return;
  }
  const auto begins = status == "provisioning"
                          ? now + clock_.Wall(durations_.restart_wait_if_provisioning_secs)
                          : now;
  // The restart stops the old container: a registration it still had ahead never
  // happens; the new container's does.
  EndWindowsAt(ws->provisioning, begins);
  ws->provisioning.push_back({begins, begins + clock_.Wall(durations_.restart_secs)});
}

void WorkspaceLifecycle::Registered(Workspace* ws, TimePoint now,
                                    RegistrationFields registration) const {
  if (StatusAt(*ws, now) == "removed") {
    return;
  }
  EndWindowsAt(ws->provisioning, now);
  EndWindowsAt(ws->failed, now);
  EndWindowsAt(ws->degraded, now);
  if (!registration.url.empty()) {
    ws->registered_url = registration.url;
  }
  if (registration.agent_card) {
    ws->agent_card_json = std::move(registration.agent_card);
  }
}

void WorkspaceLifecycle::Heartbeat(Workspace* ws, TimePoint now, const HeartbeatFields& heartbeat,
                                   bool revives_failed) const {
  const std::string status = StatusAt(*ws, now);
  if (status == "removed") {
    return;
  }
  ws->last_heartbeat = now;
  const double error_rate = heartbeat.error_rate;
  ws->last_error_rate = error_rate;
  // The fake never reaches "offline" (no liveness TTL), so offline -> online has no case.
  if (status == "failed" && revives_failed) {
    EndWindowsAt(ws->failed, now);
    EndWindowsAt(ws->provisioning, now);  // a provision timeout's window ends too
  } else if (status == "provisioning") {
    EndWindowsAt(ws->provisioning, now);  // the first heartbeat marks it online
  } else if (status == "online" && (error_rate >= 0.5 || heartbeat.runtime_state == "wedged")) {
    ws->degraded.push_back({now, TimePoint::max()});
  } else if (status == "degraded" && error_rate < 0.1 && heartbeat.runtime_state.empty()) {
    EndWindowsAt(ws->degraded, now);
  }
}

std::optional<TimePoint> WorkspaceLifecycle::LastHeartbeatAt(const Workspace& ws,
                                                             TimePoint now) const {
  std::optional<TimePoint> last = ws.last_heartbeat;
  const std::optional<TimePoint> ready = LastReadyAt(ws, now);
  const auto interval = clock_.Wall(durations_.heartbeat_interval_secs);
  if (!ready || interval.count() <= 0 || IsRemovedAt(ws, now)) {
    return last;
  }
  TimePoint until = now;
  // No agent beats while it is being (re)provisioned or has failed.
  for (const std::vector<Window>* windows : {&ws.provisioning, &ws.failed}) {
    for (const Window& w : *windows) {
      if (w.from > *ready && w.from <= now) {
        until = std::min(until, w.from);
      }
    }
  }
  for (const Task& task : ws.tasks) {
    if (task.heartbeats_stop <= now && now < task.answer_at) {
      until = std::min(until, task.heartbeats_stop);
    }
  }
  if (until >= *ready) {
    const TimePoint beat = *ready + ((until - *ready) / interval) * interval;
    if (!last || beat > *last) {
      last = beat;
    }
  }
  return last;
}

bool WorkspaceLifecycle::ActiveBefore(const Workspace& ws, TimePoint tick) const {
  const TimePoint since = tick - clock_.Wall(durations_.phantom_busy_quiet_secs);
  for (const ActivityRecord& row : ws.task_life.rows) {  // 2026-08
    if (row.created > since && row.created <= tick) {
      return true;
    }
  }
  for (const ActivityEntry& row : ws.activity) {  // 2026-04
    if (row.logged > since && row.logged <= tick) {
      return true;
    }
  }
  // A task's start: 2026-08 writes its ingest row then; 2026-04 logs the row only when the
  // call ends, and counts its start alike, so the first reset comes as long after a kickoff on
  // both profiles.
  for (const Task& task : ws.tasks) {
    if (task.start > since && task.start <= tick) {
      return true;
    }
  }
  return false;
}

std::int64_t WorkspaceLifecycle::ReportedActiveTasksAt(const Workspace& ws, TimePoint t) const {
  const std::int64_t running = ActiveTasksAt(ws, t);
  const auto interval = clock_.Wall(durations_.phantom_busy_interval_secs);
  if (!phantom_busy_.enabled || running == 0 || interval.count() <= 0 ||
      t < phantom_busy_.origin + interval) {
    return running;
  }
  // The counter was last restored by a heartbeat or a task's start; a tick after that which
  // found the workspace busy and quiet zeroed it, and nothing has restored it since.
  TimePoint restored = LastHeartbeatAt(ws, t).value_or(TimePoint::min());
  for (const Task& task : ws.tasks) {
    if (task.start <= t) {
      restored = std::max(restored, task.start);
    }
  }
  const auto last_tick = (t - phantom_busy_.origin) / interval;
  const auto first_tick =
      restored < phantom_busy_.origin ? 1 : (restored - phantom_busy_.origin) / interval + 1;
  // The newest ticks first; a bounded look back (4096 ticks: two weeks at the default 300 s).
  constexpr std::int64_t kMaxTicks = 4096;
  for (auto k = last_tick; k >= first_tick && k >= 1 && last_tick - k < kMaxTicks; --k) {
    const TimePoint tick = phantom_busy_.origin + k * interval;
    if (ActiveTasksAt(ws, tick) > 0 && !ActiveBefore(ws, tick)) {
      return 0;
    }
  }
  return running;
}

std::string WorkspaceLifecycle::WorkspaceJson(const Workspace& ws, TimePoint now,
                                              bool liveness_fields) const {
  DerivedView view;
  view.status = StatusAt(ws, now);
  view.registered = !ws.provisioning.empty() && now >= ws.provisioning.front().to;
  view.in_restart = InRestartAt(ws, now);
  view.active_tasks = ReportedActiveTasksAt(ws, now);
  if (view.status == "online" || view.status == "degraded") {
    if (auto ready = LastReadyAt(ws, now)) {
      view.uptime_secs = static_cast<std::int64_t>(clock_.PlatformSecs(now - *ready));
    }
  }
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  WriteWorkspaceFields(w, ws, view);
  if (liveness_fields) {
    // 2026-08's kind column (migration 20260606000000; H/workspace.go:1663-1681).
    w.Key("kind");
    WriteString(w, ws.kind);
    WriteLivenessFields(w, ws, view.active_tasks, LastHeartbeatAt(ws, now), now);
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace taskbounds
