// 2026-08's durable A2A queue (platform-api-2026-08.md section 4): an item's state as a
// function of time (queued, dispatched, completed), GET /workspaces/{id}/a2a/queue/
// {queue_id}'s body, and the boot gate's queued answer that names the item.
#ifndef MOCKS_PLATFORM_QUEUE_H_
#define MOCKS_PLATFORM_QUEUE_H_

#include <string>

#include "mocks/platform/workspace_record.h"
#include "mocks/platform_backend.h"

namespace taskbounds {

// "queued", "dispatched" or "completed" at `now`.
const char* QueueStatusAt(const QueueItem& item, TimePoint now);

// 200 {queue_id, workspace_id, status, priority, attempts, enqueued_at, dispatched_at?,
// completed_at?, response_body?} at `now`; response_body only once completed.
BackendReply QueueItemReply(const QueueItem& item, const std::string& workspace_id, TimePoint now);

// 404 {"error":"queue item not found","retryable":true}.
BackendReply QueueItemNotFound();

// A kickoff queued behind the platform's boot turn: 200 {"status":"queued","method":
// "message/send","queued":true,"queue_id","queue_depth"}.
BackendReply BootGateQueuedReply(const std::string& queue_id, int queue_depth);

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_QUEUE_H_
