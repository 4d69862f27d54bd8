// PlatformClient: the libcurl + RapidJSON client for every platform call a run makes
// (../DESIGN "One run"). One instance owns one curl easy handle, so it reuses one
// connection; use one instance per thread (libcurl handles are not thread-safe).
#ifndef CLIENT_PLATFORM_CLIENT_H_
#define CLIENT_PLATFORM_CLIENT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rapidjson/document.h"

namespace taskbounds {

// Where and how to reach the platform. Built from RunConfig (client/config.h) or by tests.
struct ClientOptions {
  std::string base_url;     // e.g. "http://127.0.0.1:8080" (no trailing slash needed)
  std::string admin_token;  // empty: no Authorization header
  std::string tenant_id;    // empty: no tenant headers
  long connect_timeout_ms = 5000;
  long request_timeout_ms = 30000;        // total, per request (A2A has its own)
  std::size_t max_body_bytes = 8u << 20;  // larger bodies fail with body_too_large
};

// Wall-clock phases of one transfer, from CURLINFO_*_TIME_T, in seconds.
struct TransferTimings {
  double namelookup_secs = 0;
  double connect_secs = 0;
  double appconnect_secs = 0;
  double starttransfer_secs = 0;
  double total_secs = 0;
};

// What came back from one HTTP exchange, before any route-specific interpretation.
struct HttpExchange {
  std::string method;
  std::string path;      // path and query, no host
  long http_status = 0;  // 0 when no response arrived
  std::string content_type;
  std::string body;             // at most max_body_bytes
  int curl_code = 0;            // CURLcode; 0 = transfer completed
  std::string curl_error;       // CURLOPT_ERRORBUFFER text, or curl_easy_strerror
  bool timed_out = false;       // CURLE_OPERATION_TIMEDOUT
  bool body_too_large = false;  // body exceeded max_body_bytes; transfer aborted
  TransferTimings timings;

  bool transport_ok() const { return curl_code == 0; }
  // First `max_chars` characters of the body with control characters escaped, for messages.
  std::string BodyExcerpt(std::size_t max_chars = 200) const;
};

// One request header beyond the configured ones.
struct RequestHeader {
  std::string name;
  std::string value;
};

// A route's result: the raw exchange plus either a typed value or a one-line error that
// names the call and the cause ("POST /workspaces: HTTP 401: {\"error\":...}",
// "GET /workspaces/x: response is not JSON: <html>...", "...: missing string field 'id'").
template <typename T>
struct ApiResult {
  HttpExchange exchange;
  std::optional<T> value;
  std::string error;

  bool ok() const { return value.has_value(); }
};

struct WorkspaceSpec {
  std::string name;
  std::string role;
  int tier = 2;
  std::string template_name;  // sent as "template"
};

struct CreatedWorkspace {
  std::string id;
  std::string status;  // "provisioning" on the real platform
};

// GET /workspaces/{id}: the fields the suite uses (platform-api.md section 3.2).
struct WorkspaceInfo {
  std::string id;
  std::string name;
  std::string status;
  std::optional<std::string> parent_id;
  std::int64_t active_tasks = 0;
  std::int64_t uptime_seconds = 0;
};

// {"status": "..."} replies: PATCH ("updated"), secrets ("saved"), DELETE ("removed").
struct StatusReply {
  std::string status;
  std::int64_t cascade_deleted = 0;  // DELETE only
};

// How the A2A proxy answered message/send (platform-api.md section 5).
enum class A2AOutcome {
  kResult,         // 200 with a JSON-RPC result; text = result.parts[0].text (or artifacts)
  kAgentError,     // 200 result whose text starts "Agent error:"
  kQueued,         // 202 {"queued":true,...}: the proxy's idle timer fired
  kJsonRpcError,   // a JSON-RPC "error" member
  kPlatformError,  // any other HTTP status with a flat {"error":...} body (5xx, 4xx)
  kNoResponse,     // transport failure: timeout, refused, reset, body too large
};

const char* A2AOutcomeName(A2AOutcome outcome);

struct A2AReply {
  A2AOutcome outcome = A2AOutcome::kNoResponse;
  std::string text;           // agent text (kResult/kAgentError)
  std::string error_message;  // platform "error" or JSON-RPC error.message
  std::int64_t jsonrpc_error_code = 0;
  std::string jsonrpc_id;  // id echoed by the platform (it rewraps our envelope)
  std::string queue_id;    // kQueued
};

struct HeartbeatEntry {
  std::string ts;
  std::string status;
  std::string event;  // e.g. "heartbeat", "terminated"
};

// GET /workspaces/{id}/heartbeat-history. The real platform has no such route: a 404 is a
// successful answer with available = false (the evidence is that it does not exist).
struct HeartbeatHistory {
  bool available = false;
  std::vector<HeartbeatEntry> entries;
};

// GET /workspaces/{id}/activity rows (platform-api.md section 6.4).
struct ActivityRow {
  std::string id;
  std::string activity_type;
  std::string method;
  std::string status;
  std::string summary;
  std::int64_t duration_ms = 0;
  std::string created_at;
};

class PlatformClient {
 public:
  explicit PlatformClient(ClientOptions options);
  ~PlatformClient();
  PlatformClient(const PlatformClient&) = delete;
  PlatformClient& operator=(const PlatformClient&) = delete;

  const ClientOptions& options() const { return options_; }

  ApiResult<CreatedWorkspace> CreateWorkspace(const WorkspaceSpec& spec);
  ApiResult<StatusReply> PatchParent(const std::string& child_id, const std::string& parent_id);
  ApiResult<StatusReply> SetSecret(const std::string& workspace_id, const std::string& key,
                                   const std::string& value);
  ApiResult<WorkspaceInfo> GetWorkspace(const std::string& workspace_id);
  // message/send with `task_text` as the single text part, bounded by `timeout_ms` (total).
  ApiResult<A2AReply> SendMessage(const std::string& workspace_id, const std::string& task_text,
                                  long timeout_ms);
  // The same with a body already built by BuildMessageSendBody, so a caller timing the
  // request keeps the JSON building out of its timed window.
  ApiResult<A2AReply> SendMessageBody(const std::string& workspace_id, const std::string& body,
                                      long timeout_ms);
  ApiResult<HeartbeatHistory> GetHeartbeatHistory(const std::string& workspace_id,
                                                  std::int64_t since_secs);
  ApiResult<std::vector<ActivityRow>> GetActivity(const std::string& workspace_id, int limit);
  // DELETE /workspaces/{id}[?confirm=true]. 200 and 204 are success; a 404 with a body is
  // success too (the post-condition, "absent", holds), reported with status "not_found".
  // A 404 with an empty body is the platform's tenant guard refusing the request
  // (platform-api.md 2.3): the workspace may still exist, so it is an error.
  ApiResult<StatusReply> DeleteWorkspace(const std::string& workspace_id, bool confirm,
                                         long timeout_ms = 0 /* 0: request_timeout_ms */);

  // Low-level: one request with the configured headers. `body` empty means no body.
  // Used by the routes above and by tests of odd routes.
  HttpExchange Send(const std::string& method, const std::string& path_and_query,
                    const std::string& body, long timeout_ms = 0);
  // The same with `extra_headers` after the configured ones (e.g. 2026-08's X-Confirm-Name).
  // A name with ':' or any CR/LF/NUL is refused like a bad token (curl_code
  // CURLE_BAD_FUNCTION_ARGUMENT, nothing sent).
  HttpExchange SendWithHeaders(const std::string& method, const std::string& path_and_query,
                               const std::string& body,
                               const std::vector<RequestHeader>& extra_headers,
                               long timeout_ms = 0);

 private:
  struct CurlHandle;
  ClientOptions options_;
  std::unique_ptr<CurlHandle> curl_;
};

// The id in a 2xx create response whose body is a JSON object with a non-empty string
// "id", even when CreateWorkspace rejected the rest of it: a workspace that exists must
// still be registered for deletion.
std::optional<std::string> CreatedWorkspaceId(const HttpExchange& exchange);

// Builds the message/send request body exactly as sent (RapidJSON, any text byte-exact).
std::string BuildMessageSendBody(const std::string& task_text);

}  // namespace taskbounds

#endif  // CLIENT_PLATFORM_CLIENT_H_
