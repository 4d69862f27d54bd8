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

void LogActivity(Workspace& ws, const std::string& row_json, const std::string& type,
                 TimePoint at) {
  ws.activity.push_back({row_json, type, at});
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

namespace taskbounds {
namespace {

// A positive whole number of at most 30 days, as the platform parses since_secs.
std::optional<double> PositiveSecs(const std::string& text) {
  char* end = nullptr;
  const long long parsed = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || parsed <= 0) {
    return std::nullopt;
  }
  constexpr long long kThirtyDays = 30LL * 24 * 3600;
  return static_cast<double>(std::min(parsed, kThirtyDays));
}

void WriteRawOrNull(JsonWriter& w, const std::string& raw) {
  if (raw.empty()) {
    w.Null();
  } else {
    w.RawValue(raw.data(), raw.size(), rapidjson::kObjectType);
  }
}

bool RowMatches(const ActivityRecord& row, const ActivityQuery& query, TimePoint now,
                TimePoint since) {
  return row.created <= now && row.created >= since &&
         (query.type.empty() || row.activity_type == query.type);
}

}  // namespace

std::optional<ActivityQuery> ParseActivityQuery(const BackendRequest& request,
                                                BackendReply* error) {
  ActivityQuery query;
  query.type = request.Query("type").value_or("");
  query.limit = ActivityLimit(request);
  query.since_id = request.Query("since_id");
  if (auto since = request.Query("since_secs")) {
    query.since_secs = PositiveSecs(*since);
    if (!query.since_secs) {
      *error = BackendReply::Error(400, "since_secs must be a positive integer");
      return std::nullopt;
    }
  }
  return query;
}

const ActivityRecord& AppendRow(TaskLifeRecords& life, ActivityRecord row) {
  // Rows written ahead (created in the future) stay behind it: only they are renumbered,
  // and nobody has seen their seq yet, because nobody has seen them.
  auto& rows = life.rows;
  auto at = std::upper_bound(rows.begin(), rows.end(), row.created,
                             [](TimePoint t, const ActivityRecord& r) { return t < r.created; });
  row.seq = at == rows.end() ? life.next_seq : at->seq;
  at = rows.insert(at, std::move(row));
  for (auto it = at + 1; it != rows.end(); ++it) {
    ++it->seq;
  }
  life.next_seq = rows.back().seq + 1;
  std::size_t index = static_cast<std::size_t>(at - rows.begin());
  if (rows.size() > kMaxActivityRows) {
    // The oldest goes, unless it is the row just added (then the next oldest).
    rows.erase(rows.begin() + (index == 0 ? 1 : 0));
    index -= index == 0 ? 0 : 1;
  }
  return rows[index];
}

std::string ActivityRowJson(const ActivityRecord& row, const std::string& workspace_id,
                            TimePoint now, bool for_event) {
  const bool done = row.completed_at && *row.completed_at <= now;
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("id");
  WriteString(w, row.id);
  w.Key("workspace_id");
  WriteString(w, workspace_id);
  w.Key("activity_type");
  WriteString(w, row.activity_type);
  w.Key("source_id");
  WriteOptionalString(w, row.source_id);
  w.Key("target_id");
  WriteString(w, workspace_id);
  w.Key("method");
  WriteStringOrNull(w, row.method);
  w.Key("summary");
  WriteString(w, row.summary);
  w.Key("request_body");
  WriteRawOrNull(w, row.request_body);
  w.Key("response_body");
  WriteRawOrNull(w, done ? row.response_body : "");
  w.Key("tool_trace");
  w.Null();
  w.Key("duration_ms");
  if (done && row.duration_ms) {
    w.Int64(*row.duration_ms);
  } else {
    w.Null();
  }
  w.Key("status");
  WriteString(w, done ? row.status : "ok");
  w.Key("error_detail");
  WriteStringOrNull(w, done ? row.error_detail : "");
  w.Key("created_at");
  WriteString(w, IsoAt(row.created));
  if (for_event) {
    if (!row.message_id.empty()) {
      w.Key("message_id");
      WriteString(w, row.message_id);
    }
  } else {
    w.Key("seq");
    w.Int64(row.seq);
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

BackendReply ActivityRowsReply(const Workspace& ws, const ActivityQuery& query, TimePoint now,
                               const SimClock& clock) {
  const TimePoint since = query.since_secs ? now - clock.Wall(*query.since_secs) : TimePoint::min();
  const auto& rows = ws.task_life.rows;
  std::vector<const ActivityRecord*> shown;
  const auto keep = [&](const ActivityRecord& r) {
    if (RowMatches(r, query, now, since)) {
      shown.push_back(&r);
    }
  };
  if (query.since_id) {
    const auto cursor = std::find_if(rows.begin(), rows.end(), [&](const ActivityRecord& r) {
      return r.id == *query.since_id && r.created <= now;
    });
    if (cursor == rows.end()) {
      return BackendReply::Error(410, "since_id not found");
    }
    std::for_each(cursor + 1, rows.end(), keep);  // oldest first
  } else {
    std::for_each(rows.rbegin(), rows.rend(), keep);  // newest first
  }
  std::string body = "[";
  for (std::size_t i = 0; i < shown.size() && static_cast<int>(i) < query.limit; ++i) {
    body += (i == 0 ? "" : ",") + ActivityRowJson(*shown[i], ws.id, now);
  }
  return BackendReply::Json(200, body + "]");
}

}  // namespace taskbounds
