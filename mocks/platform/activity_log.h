// A workspace's activity log (platform-api.md 6.4): the a2a_receive rows the A2A proxy
// writes, kept newest-last and capped, and GET /activity's filtered, newest-first view.
#ifndef MOCKS_PLATFORM_ACTIVITY_LOG_H_
#define MOCKS_PLATFORM_ACTIVITY_LOG_H_

#include <optional>
#include <string>

#include "mocks/platform/sim_clock.h"
#include "mocks/platform/workspace_record.h"
#include "mocks/platform_backend.h"
#include "rapidjson/document.h"

namespace taskbounds {

// What one A2A call leaves in the log.
struct A2ACall {
  std::string workspace_id;
  std::string caller;  // X-Workspace-ID; "" for a user/canvas call
  std::string method;
  const rapidjson::Value* envelope = nullptr;  // the normalised JSON-RPC request
  TimePoint started;
  TimePoint answered;
};

// One a2a_receive row, serialised; duration_ms is in platform milliseconds (`clock`).
// `error_detail` "" = status ok. Touches no shared state.
std::string A2AActivityRow(const A2ACall& call, const BackendReply& reply,
                           const std::string& error_detail, const SimClock& clock);

// Appends a row written at `at`, dropping the oldest beyond the cap (500 rows).
void LogActivity(Workspace& ws, const std::string& row_json, const std::string& type, TimePoint at);

// ?limit= as the platform reads it: default 100, at most 500; junk is the default.
int ActivityLimit(const BackendRequest& request);

// GET /activity's JSON array: up to `limit` rows of `type` ("" = any), newest first.
// `ws` null (unknown id) gives "[]".
std::string ActivityJson(const Workspace* ws, int limit, const std::string& type);

// ---- 2026-08 (platform-api-2026-08.md section 5) ----

// GET /activity's parameters: type, since_secs (platform seconds), since_id, limit.
struct ActivityQuery {
  std::string type;  // "" = any
  std::optional<double> since_secs;
  std::optional<std::string> since_id;
  int limit = 100;
};

// The query, or nullopt with the platform's 400 in *error (since_secs not a positive
// integer).
std::optional<ActivityQuery> ParseActivityQuery(const BackendRequest& request, BackendReply* error);

// Adds `row` in created order with the next seq (rows beyond 500 drop the oldest) and
// returns the stored copy (valid until the next AppendRow).
const ActivityRecord& AppendRow(TaskLifeRecords& life, ActivityRecord row);

// One row as GET /activity shows it at `now` (completed in place once its completion has
// happened); `for_event`: ACTIVITY_LOGGED's payload instead (adds message_id, no seq).
std::string ActivityRowJson(const ActivityRecord& row, const std::string& workspace_id,
                            TimePoint now, bool for_event = false);

// GET /activity on 2026-08 at `now`: rows that exist by then, of the query's type; with
// since_id the rows after that one, oldest first (410 when it is unknown), else newest
// first; since_secs keeps rows created within that many platform seconds.
BackendReply ActivityRowsReply(const Workspace& ws, const ActivityQuery& query, TimePoint now,
                               const SimClock& clock);

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_ACTIVITY_LOG_H_
