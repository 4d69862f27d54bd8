#include "mocks/platform/activity_log.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "mocks/platform/json_util.h"

namespace taskbounds {
namespace {

constexpr int kActivityDefaultLimit = 100;
constexpr int kActivityMaxLimit = 500;
constexpr std::size_t kMaxActivityRows = 500;

}  // namespace

std::string A2AActivityRow(const A2ACall& call, const BackendReply& reply,
                           const std::string& error_detail, const SimClock& clock) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("id");
  WriteString(w, NewUuid());
  w.Key("workspace_id");
  WriteString(w, call.workspace_id);
  w.Key("activity_type");
  w.String("a2a_receive");
  w.Key("source_id");  // the calling workspace; null for a user/canvas call
  WriteStringOrNull(w, call.caller);
  w.Key("target_id");
  WriteString(w, call.workspace_id);
  w.Key("method");
  WriteString(w, call.method);
  w.Key("summary");
  WriteString(w, (call.method.empty() ? std::string("a2a") : call.method) + " -> HTTP " +
                     std::to_string(reply.status));
  w.Key("request_body");
  call.envelope->Accept(w);
  w.Key("response_body");
  if (!reply.body.empty() && reply.body.front() == '{') {
    // Every reply here was built with RapidJSON: copy it verbatim, no re-parse.
    w.RawValue(reply.body.data(), reply.body.size(), rapidjson::kObjectType);
  } else {
    w.Null();
  }
  w.Key("tool_trace");
  w.Null();
  w.Key("duration_ms");  // platform milliseconds, like every simulated duration
  w.Int64(static_cast<std::int64_t>(clock.PlatformSecs(call.answered - call.started) * 1000));
  w.Key("status");
  w.String(error_detail.empty() ? "ok" : "error");
  w.Key("error_detail");
  WriteStringOrNull(w, error_detail);
  w.Key("created_at");
  WriteString(w, IsoAt(call.answered));
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

void LogActivity(Workspace& ws, const std::string& row_json, const std::string& type) {
  ws.activity.push_back({row_json, type});
  if (ws.activity.size() > kMaxActivityRows) {
    ws.activity.erase(ws.activity.begin());
  }
}

int ActivityLimit(const BackendRequest& request) {
  int limit = kActivityDefaultLimit;
  if (auto text = request.Query("limit")) {
    char* end = nullptr;
    const long parsed = std::strtol(text->c_str(), &end, 10);
    if (end != text->c_str() && *end == '\0' && parsed > 0) {
      limit = static_cast<int>(std::min<long>(parsed, kActivityMaxLimit));
    }
  }
  return limit;
}

std::string ActivityJson(const Workspace* ws, int limit, const std::string& type) {
  std::string body = "[";
  if (ws != nullptr) {
    int written = 0;
    for (auto it = ws->activity.rbegin(); it != ws->activity.rend() && written < limit; ++it) {
      if (!type.empty() && it->activity_type != type) {
        continue;
      }
      if (written++ > 0) {
        body += ",";
      }
      body += it->json;
    }
  }
  body += "]";
  return body;
}

}  // namespace taskbounds
