#include "mocks/platform/queue.h"

#include "mocks/platform/json_util.h"
#include "mocks/platform/sim_clock.h"

namespace taskbounds {

const char* QueueStatusAt(const QueueItem& item, TimePoint now) {
  if (now >= item.completed) {
    return "completed";
  }
  return now >= item.dispatched ? "dispatched" : "queued";
}

BackendReply QueueItemReply(const QueueItem& item, const std::string& workspace_id, TimePoint now) {
  const bool dispatched = now >= item.dispatched;
  const bool completed = now >= item.completed;
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("queue_id");
  WriteString(w, item.id);
  w.Key("workspace_id");
  WriteString(w, workspace_id);
  w.Key("status");
  w.String(QueueStatusAt(item, now));
  w.Key("priority");
  w.Int(0);
  w.Key("attempts");
  w.Int(dispatched ? 1 : 0);
  w.Key("enqueued_at");
  WriteString(w, IsoAt(item.enqueued));
  if (dispatched) {
    w.Key("dispatched_at");
    WriteString(w, IsoAt(item.dispatched));
  }
  if (completed) {
    w.Key("completed_at");
    WriteString(w, IsoAt(item.completed));
    if (!item.response_body.empty()) {
      w.Key("response_body");
      w.RawValue(item.response_body.data(), item.response_body.size(), rapidjson::kObjectType);
    }
  }
  w.EndObject();
  return BackendReply::Json(200, buffer.GetString());
}

BackendReply QueueItemNotFound() {
  return BackendReply::Json(404, R"({"error":"queue item not found","retryable":true})");
}

BackendReply BootGateQueuedReply(const std::string& queue_id, int queue_depth) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("status");
  w.String("queued");
  w.Key("method");
  w.String("message/send");
  w.Key("queued");
  w.Bool(true);
  w.Key("queue_id");
  WriteString(w, queue_id);
  w.Key("queue_depth");
  w.Int(queue_depth);
  w.EndObject();
  return BackendReply::Json(200, buffer.GetString());
}

}  // namespace taskbounds
