// Interpretation of every platform answer: one HttpExchange in, a typed value or a
// one-line error out (platform-api.md sections 3-6). Every route's body goes through here;
// the transport (client/platform_client.h) only sends and receives.
#ifndef CLIENT_WIRE_H_
#define CLIENT_WIRE_H_

#include <optional>
#include <string>
#include <vector>

#include "client/evidence.h"

namespace taskbounds {

// POST /workspaces: 200/201 with a non-empty string "id".
ApiResult<CreatedWorkspace> InterpretCreatedWorkspace(HttpExchange exchange);
// 2xx {"status": string} replies: PATCH, secrets.
ApiResult<StatusReply> InterpretStatusReply(HttpExchange exchange);
// GET /workspaces/{id}: 200 with string "id" and "status".
ApiResult<WorkspaceInfo> InterpretWorkspaceInfo(HttpExchange exchange);
// POST /workspaces/{id}/a2a: any answer, including none, is a value (A2AOutcome); the error
// is set when the body cannot be read.
ApiResult<A2AReply> InterpretA2AReply(HttpExchange exchange);
// GET /workspaces/{id}/heartbeat-history: 404 is "not available", not an error.
ApiResult<HeartbeatHistory> InterpretHeartbeatHistory(HttpExchange exchange);
// GET /workspaces/{id}/activity: a JSON array of rows.
ApiResult<std::vector<ActivityRow>> InterpretActivity(HttpExchange exchange);
// DELETE /workspaces/{id}: see PlatformClient::DeleteWorkspace for what counts as deleted.
ApiResult<StatusReply> InterpretDeleteReply(HttpExchange exchange);

// The id in a 2xx create response whose body is a JSON object with a non-empty string
// "id", even when CreateWorkspace rejected the rest of it: a workspace that exists must
// still be registered for deletion.
std::optional<std::string> CreatedWorkspaceId(const HttpExchange& exchange);

}  // namespace taskbounds

#endif  // CLIENT_WIRE_H_
