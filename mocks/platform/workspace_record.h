// The fake's ground-floor records: workspace ids (UUIDs as the platform parses them), one
// workspace's stored row and the windows of time its status is computed from, and the table
// of all of them in creation order. Plain data; no clock, no rules, not thread-safe (the
// facade's mutex guards it).
#ifndef MOCKS_PLATFORM_WORKSPACE_RECORD_H_
#define MOCKS_PLATFORM_WORKSPACE_RECORD_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mocks/platform/sim_clock.h"

namespace taskbounds {

using TimePoint = SimClock::Clock::time_point;

// A fresh random version-4 UUID, lower case. Thread-safe without a lock.
std::string NewUuid();
// 8-4-4-4-12 hex. GET/PATCH/DELETE parse with uuid.Parse (any case); the secrets route
// checks a lower-case regex (secrets.go:16): `lower_only`.
bool IsUuid(const std::string& s, bool lower_only = false);
// ASCII lower case (ids are stored and looked up in lower case).
std::string LowerId(std::string s);

// [from, to) on the steady clock; an open window ends at TimePoint::max().
struct Window {
  TimePoint from;
  TimePoint to;
};

// One simulated coordinator task, planned in full when it starts.
struct Task {
  TimePoint start;
  TimePoint answer_at;
  TimePoint heartbeats_stop;  // idle_timeout: synthesis starves heartbeats
  std::optional<TimePoint> terminated_at;
  bool finished = false;
};

// 2026-08 (platform-api-2026-08.md section 5): one activity row, serialised when read, so
// a row written ahead (a detached turn's completion, a watchdog action) shows only from
// the instant it happens, and a message-keyed row is completed in place.
struct ActivityRecord {
  std::int64_t seq = 0;  // ascending per workspace: since_id's order
  std::string id;
  std::string activity_type;  // "a2a_receive", "stall_watchdog"
  std::string method;
  std::string summary;
  std::optional<std::string> source_id;  // the calling workspace; null for a canvas call
  std::string request_body;              // raw JSON; "" = null
  std::string message_id;                // the upsert key; "" = not message-keyed
  TimePoint created;                     // shown from here on; never changes
  // The in-place completion, from `completed_at` on: these replace the row's fields.
  std::optional<TimePoint> completed_at;
  std::string response_body;  // raw JSON; "" = null
  std::string status = "ok";  // "ok" or "error", before and after completion
  std::optional<std::int64_t> duration_ms;
  std::string error_detail;
};

// 2026-08 (section 4): one durably queued A2A item and when it moves on.
struct QueueItem {
  std::string id;
  TimePoint enqueued;
  TimePoint dispatched;
  TimePoint completed;
  std::string response_body;  // raw JSON, shown once completed
};

// A workspace's 2026-08 task life: rows, queue items, times its container was offline.
struct TaskLifeRecords {
  std::vector<ActivityRecord> rows;  // oldest first
  std::int64_t next_seq = 1;
  std::vector<QueueItem> queue;
  std::vector<Window> offline;
};

// One /activity row, serialised once when it is logged.
struct ActivityEntry {
  std::string json;
  std::string activity_type;
  TimePoint logged;  // when it was written (the phantom-busy sweeper's "last activity")
};

// 2026-08's `kind` column (migration 20260606000000_workspaces_kind): "workspace", or
// "platform" for the org's platform agent, the root the platform itself installs.
inline constexpr char kKindWorkspace[] = "workspace";
inline constexpr char kKindPlatform[] = "platform";

struct Workspace {
  std::string id;
  std::string name;
  std::string kind = kKindWorkspace;
  std::optional<std::string> role;
  std::int64_t tier = 3;
  std::string runtime;
  std::string workspace_access = "none";
  std::optional<std::string> parent_id;
  std::int64_t max_concurrent_tasks = 1;
  double x = 0;
  double y = 0;
  bool collapsed = false;
  TimePoint created;
  std::vector<Window> provisioning;  // create, then one per restart
  std::vector<Window> failed;        // task terminations (platform_ceiling)
  // Opened by a heartbeat reporting errors or a wedged runtime, closed by a recovering
  // heartbeat or a registration; an open one ends at TimePoint::max().
  std::vector<Window> degraded;
  // What the agent last sent to the registry routes, when it did.
  std::optional<std::string> registered_url;
  std::optional<std::string> agent_card_json;
  std::optional<double> last_error_rate;
  std::optional<TimePoint> removed_at;
  std::map<std::string, std::string> secrets;
  std::vector<Task> tasks;
  TaskLifeRecords task_life;            // 2026-08 only
  std::vector<ActivityEntry> activity;  // oldest first
  std::optional<TimePoint> last_outbound;
  // 2026-08 (platform-api-2026-08.md sections 1 and 3): the template and model the create
  // resolved, the workspace token its 201 carried (a secret), why provisioning failed, and
  // when the agent last sent POST /registry/heartbeat.
  std::string template_name;
  std::string model;  // resolved at create: the body's, else the template's default
  std::string auth_token;
  std::optional<std::string> last_sample_error;
  std::optional<TimePoint> last_heartbeat;
};

// Deleted (a tombstone) at `t`.
bool IsRemovedAt(const Workspace& ws, TimePoint t);

// Every workspace by lower-case id, and the order they were created in.
class WorkspaceTable {
 public:
  // Any case; null when unknown (purged ids are unknown).
  Workspace* Find(const std::string& id);
  const Workspace* Find(const std::string& id) const;
  void Insert(Workspace ws);
  // Forgets `id` entirely (DELETE ?purge=true).
  void Purge(const std::string& id);
  // Not removed at `t`, in creation order.
  std::vector<std::string> LiveIdsAt(TimePoint t) const;
  // Direct children of `parent` not removed at `t`, in creation order.
  std::vector<const Workspace*> LiveChildrenAt(const std::string& parent, TimePoint t) const;
  // Every live descendant of `root` (not `root` itself), parents before children.
  std::vector<std::string> LiveDescendantsAt(const std::string& root, TimePoint t) const;

 private:
  std::map<std::string, Workspace> by_id_;
  std::vector<std::string> creation_order_;
};

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_WORKSPACE_RECORD_H_
