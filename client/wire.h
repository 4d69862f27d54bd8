// Interpretation of every platform answer: one HttpExchange in, a typed value or a
// one-line error out (platform-api.md sections 3-6). Every route's body goes through here;
// the transport (client/platform_client.h) only sends and receives.
#ifndef CLIENT_WIRE_H_
#define CLIENT_WIRE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/evidence.h"
#include "rapidjson/document.h"

namespace taskbounds {

// Limits of every JSON body read from a platform. The platform's answers nest 4 levels at
// most (A2A result -> artifacts -> parts -> part); 64 leaves ample room.
constexpr std::size_t kMaxJsonDepth = 64;
constexpr std::size_t kMaxJsonBytes = std::size_t{8} << 20;  // the transport's default cap too

// The one JSON parser for remote input: RapidJSON's iterative parser (no recursion on the
// stack) behind a size cap and a nesting cap. On failure returns false and sets `error` to
// one line without the call name, e.g. "JSON nested deeper than 64 levels" or
// "response is not JSON (Invalid value. at offset 0)"; callers prefix "METHOD /path: ".
bool ParseBoundedJson(std::string_view text, rapidjson::Document* doc, std::string* error);

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
// The member `name` of `obj` as JSON text: a string as it is, any other value serialised
// (byte-exact); "" and *present = false when absent or null. For bodies that nest a reply
// (activity rows, queue items, stream events).
std::string JsonMemberText(const rapidjson::Value& obj, const char* name, bool* present);

// GET /workspaces/{id}/a2a/queue/{queue_id}: 200 with string "status".
ApiResult<A2AQueueItem> InterpretQueueItem(HttpExchange exchange);
// DELETE /workspaces/{id}: see PlatformClient::DeleteWorkspace for what counts as deleted.
ApiResult<StatusReply> InterpretDeleteReply(HttpExchange exchange);
// POST /workspaces/{id}/secrets: 200/201 {"status":"saved"}, or 202
// {"status":"pending_approval","approval_id"} (a value: the write waits for a decision).
ApiResult<StatusReply> InterpretSecretWrite(HttpExchange exchange);
// GET /workspaces: a bare JSON array; items without a string id and name are errors.
ApiResult<std::vector<WorkspaceSummary>> InterpretWorkspaceList(HttpExchange exchange);
// GET /buildinfo: 200 {"git_sha"} (absent or null: no sha); a 404 means "no such route"
// (2026-04), a value without a sha.
ApiResult<BuildInfo> InterpretBuildInfo(HttpExchange exchange);

// Types a refusal from its status and JSON body (see PlatformErrorKind). Any body is
// accepted; remote strings are sanitised except workspace_name (kept byte-exact).
PlatformError ReadPlatformError(const HttpExchange& exchange);

// The value of the first `name` header (case-insensitive, surrounding blanks trimmed) in a
// raw header block ("Name: value\r\n" lines, as HttpExchange::response_headers holds);
// std::nullopt when absent. Never reads past the block; any bytes are accepted.
std::optional<std::string> HeaderValue(std::string_view header_block, std::string_view name);

// The id in a 2xx create response whose body is a JSON object with a non-empty string
// "id", even when CreateWorkspace rejected the rest of it: a workspace that exists must
// still be registered for deletion.
std::optional<std::string> CreatedWorkspaceId(const HttpExchange& exchange);

}  // namespace taskbounds

#endif  // CLIENT_WIRE_H_
