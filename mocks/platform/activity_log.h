// A workspace's activity log (platform-api.md 6.4): the a2a_receive rows the A2A proxy
// writes, kept newest-last and capped, and GET /activity's filtered, newest-first view.
#ifndef MOCKS_PLATFORM_ACTIVITY_LOG_H_
#define MOCKS_PLATFORM_ACTIVITY_LOG_H_

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

// Appends a row, dropping the oldest beyond the cap (500 rows).
void LogActivity(Workspace& ws, const std::string& row_json, const std::string& type);

// ?limit= as the platform reads it: default 100, at most 500; junk is the default.
int ActivityLimit(const BackendRequest& request);

// GET /activity's JSON array: up to `limit` rows of `type` ("" = any), newest first.
// `ws` null (unknown id) gives "[]".
std::string ActivityJson(const Workspace* ws, int limit, const std::string& type);

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_ACTIVITY_LOG_H_
