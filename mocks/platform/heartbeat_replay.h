// GET /workspaces/{id}/heartbeat-history, which only the hypothetical platform_ceiling
// scenario has (the real platform has no such route, platform-api.md 6.5): the agent's
// heartbeats and task terminations, replayed from the same status function GET uses.
#ifndef MOCKS_PLATFORM_HEARTBEAT_REPLAY_H_
#define MOCKS_PLATFORM_HEARTBEAT_REPLAY_H_

#include <string>

#include "mocks/platform/sim_clock.h"
#include "mocks/platform/workspace_record.h"
#include "mocks/platform/workspace_state.h"
#include "mocks/platform_backend.h"

namespace taskbounds {

// ?since_secs= (platform seconds): default 600; junk is the default.
double HeartbeatSinceSecs(const BackendRequest& request);

// {"workspace_id", "entries": [{ts, status, event}]}, oldest first, at most 1000: a
// "heartbeat" every heartbeat_interval_secs from each registration while the workspace
// is online or degraded and no synthesis starves the agent, plus a "terminated" entry
// per task the platform ceiling ended, within the last `since_secs` before `now`.
std::string HeartbeatHistoryJson(const Workspace& ws, const WorkspaceLifecycle& lifecycle,
                                 const SimClock& clock, double heartbeat_interval_secs,
                                 double since_secs, TimePoint now);

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_HEARTBEAT_REPLAY_H_
